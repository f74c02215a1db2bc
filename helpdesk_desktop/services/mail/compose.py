"""Building the MIME message of a stored reply, exactly as it will leave."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage

from helpdesk_desktop.domain.models import MailAccount, Message

_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|antw)\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Outgoing:
    """A MIME message with its envelope."""

    message: EmailMessage
    sender: str
    recipients: tuple[str, ...]


def ticket_tag(ticket_id: int) -> str:
    return f"[#{ticket_id}]"


def reply_subject(subject: str, ticket_id: int | None) -> str:
    """``Re: <subject> [#number]`` (one Re:, the tag once)."""
    base = _REPLY_PREFIX.sub("", subject or "").strip() or "(no subject)"
    if ticket_id is not None and ticket_tag(ticket_id) not in base:
        base = f"{base} {ticket_tag(ticket_id)}"
    return f"Re: {base}"


def addresses(value: str) -> list[str]:
    return [address for _name, address in email.utils.getaddresses([value or ""]) if address]


def build(message: Message, account: MailAccount, ticket_id: int | None,
          date: dt.datetime) -> Outgoing:
    """The reply ``message`` as MIME: From "<agent> (<inbox name>)" <inbox address>, To/Cc
    as stored, threading ids, UTF-8 where the text needs it (RFC 2047 in headers)."""
    mime = EmailMessage(policy=email.policy.SMTP)
    agent = message.author_name.strip()
    display = f"{agent} ({account.sender_name})" if agent and account.sender_name else (
        agent or account.sender_name)
    local, _at, domain = account.sender_address.partition("@")
    mime["From"] = Address(display_name=display, username=local, domain=domain)
    to = addresses(message.to_addresses)
    cc = addresses(message.cc_addresses)
    if to:
        mime["To"] = ", ".join(to)
    if cc:
        mime["Cc"] = ", ".join(cc)
    mime["Subject"] = reply_subject(message.subject, ticket_id)
    mime["Date"] = email.utils.format_datetime(date)
    if message.message_id_header:
        mime["Message-ID"] = message.message_id_header
    if message.in_reply_to:
        mime["In-Reply-To"] = message.in_reply_to
    if message.references:
        mime["References"] = message.references
    mime["Auto-Submitted"] = "no"
    mime.set_content(message.body_text)
    return Outgoing(mime, account.sender_address, tuple(dict.fromkeys(to + cc)))
