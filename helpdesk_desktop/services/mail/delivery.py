"""Handing one raw e-mail from a mailbox to intake.

:func:`deliver_raw` is the ONE place where fetched mail enters the help desk, so the import
and the IMAP fetcher share it. It parses the message just enough for
``services.intake.receive_email`` and skips automatic mail (auto-replies, bounces, bulk).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.domain.models import Message
from helpdesk_desktop.services.intake import IncomingAttachment, receive_email
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database


@dataclass(frozen=True)
class Delivery:
    """What became of one message: created, joined, duplicate, skipped or refused."""

    outcome: str
    message_id: str | None = None
    ticket_id: int | None = None
    reason: str = ""


def deliver_raw(database: Database, inbox_id: int, raw: bytes,
                clock: Clock = utcnow) -> Delivery:
    """Store one raw RFC 5322 message in the inbox ``inbox_id`` (never raises for bad mail)."""
    try:
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        message_id = (str(parsed.get("Message-ID") or "").strip() or None)
    except Exception as exc:  # noqa: BLE001 - bad mail is refused, never a crash
        return Delivery("refused", reason=f"The message cannot be read ({exc}).")
    if message_id and _already_stored(database, message_id):
        return Delivery("duplicate", message_id, reason="This message is already stored.")
    automatic = _automatic(parsed)
    if automatic:
        return Delivery("skipped", message_id, reason=automatic)
    try:
        sender_name, sender = email.utils.parseaddr(str(parsed.get("From") or ""))
        text, html = _bodies(parsed)
        date = parsed.get("Date")
        sent_at = getattr(date, "datetime", None) if date is not None else None
        if sent_at is not None and sent_at.tzinfo is None:
            sent_at = None
        attachments = [
            IncomingAttachment(filename=part.get_filename() or "attachment",
                               content=_payload(part), content_type=part.get_content_type())
            for part in parsed.iter_attachments()]
        result = receive_email(
            UnitOfWork(database, None, clock), inbox_id=inbox_id, from_name=sender_name,
            from_email=sender, to=str(parsed.get("To") or ""),
            subject=str(parsed.get("Subject") or ""), text=text, html=html,
            message_id=message_id, in_reply_to=str(parsed.get("In-Reply-To") or ""),
            references=str(parsed.get("References") or ""), sent_at=sent_at,
            attachments=attachments)
    except HelpDeskError as exc:
        return Delivery("refused", message_id, reason=str(exc))
    except Exception as exc:  # noqa: BLE001
        return Delivery("refused", message_id, reason=f"The message cannot be read ({exc}).")
    ticket_id = result.detail.get("ticket_id")
    outcome = "created" if result.created_ticket_ids or ticket_id is None else "joined"
    return Delivery(outcome, message_id, ticket_id)


def _payload(part: object) -> bytes:
    payload = part.get_payload(decode=True)  # type: ignore[attr-defined]
    return payload if isinstance(payload, bytes) else b""


def _already_stored(database: Database, message_id: str) -> bool:
    with database.session() as session:
        return session.scalar(select(Message.id).where(
            Message.message_id_header == message_id).limit(1)) is not None


def _automatic(message: EmailMessage) -> str:
    """Why the message is automatic mail (empty: a person wrote it)."""
    auto_submitted = str(message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Skipped: an automatic message (Auto-Submitted: {auto_submitted})."
    precedence = str(message.get("Precedence") or "").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Skipped: an automatic message (Precedence: {precedence})."
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "Skipped: an auto-reply."
    if message.get_content_type() == "multipart/report":
        return "Skipped: a delivery report (bounce)."
    return ""


def _bodies(message: EmailMessage) -> tuple[str, str | None]:
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = _content(text_part) if text_part is not None else ""
    html = _content(html_part) if html_part is not None else None
    return text, html


def _content(part: object) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""  # type: ignore[attr-defined]
        content = payload.decode("utf-8", "replace")
    return content if isinstance(content, str) else ""
