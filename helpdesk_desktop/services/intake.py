"""Receiving customer e-mail: threading it onto a conversation, or opening a new one.

Intake is a system operation: it runs in a ``UnitOfWork(database, actor_id=None)`` and never
asks for ``uow.actor``. Its timeline entries have no actor (the customer wrote), so followers
are notified and the ticket becomes unread for every agent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from sqlalchemy import func, select

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    TicketState,
)
from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.models import (
    Attachment,
    Contact,
    Conversation,
    Inbox,
    Message,
    Ticket,
    ticket_companies,
    ticket_contacts,
)
from helpdesk_desktop.services.access import merge_survivor
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.services.html_sanitize import html_to_text, sanitize_html
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_email, without_nul
from helpdesk_desktop.services.workspace import default_pipeline, first_open_status, first_status

NO_SUBJECT = "(no subject)"
MAX_BODY_CHARS = 2_000_000  # per body (text, HTML) of one stored message
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024  # per attachment, as most mail servers allow


def not_kept_note(count: int) -> str:
    """The note a message carries when attachments were over the size limit."""
    if count == 1:
        return "1 attachment was not kept (over the size limit)."
    return f"{count} attachments were not kept (over the size limit)."
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class IncomingAttachment:
    """A file attached to an incoming e-mail."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


def parse_message_ids(*headers: str | None) -> list[str]:
    """The ``<id@host>`` tokens of In-Reply-To / References headers, in order of appearance."""
    found: list[str] = []
    for header in headers:
        for token in _MESSAGE_ID.findall(header or ""):
            if token not in found:
                found.append(token)
    return found


def receive_email(
    uow: UnitOfWork,
    *,
    inbox_id: int,
    from_name: str,
    from_email: str,
    to: str | Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    sent_at: dt.datetime | None = None,
    attachments: Iterable[IncomingAttachment | tuple[str, str, bytes]] = (),
) -> OpResult:
    """Store an incoming e-mail.

    A reply to a stored message (its Message-ID in ``in_reply_to`` or ``references``) joins
    that message's conversation and ticket. Otherwise a new conversation opens; in the help
    desk inbox it comes with a new ticket (first pipeline, its first status, the sender as
    contact, their company associated), in a conversations inbox it waits without a ticket.
    A malformed sender address raises :class:`InvalidInput` and nothing is written.
    """
    sender = clean_email(from_email)
    # An e-mail is never refused for a NUL character (PostgreSQL cannot store one): drop them.
    name = without_nul(from_name).strip()[:200] or sender.split("@", 1)[0]
    clean_subject = without_nul(subject).strip()[:500]
    notes: list[str] = []
    # Bounded work and storage: a body is cut at MAX_BODY_CHARS *before* any parsing, so a
    # hostile 10 MB mail costs what a 2 MB one does; what was cut is said in the message.
    if (html and len(html) > MAX_BODY_CHARS) or len(text) > MAX_BODY_CHARS:
        notes.append(f"This message was longer than {MAX_BODY_CHARS:,} characters; "
                     "the rest was not kept.")
    body_html = sanitize_html(without_nul(html[:MAX_BODY_CHARS])) if html else None
    body_text = without_nul(text[:MAX_BODY_CHARS])
    if not body_text.strip() and body_html:
        body_text = html_to_text(body_html)
    recipients = without_nul(to if isinstance(to, str) else ", ".join(to))
    offered = [a if isinstance(a, IncomingAttachment) else
               IncomingAttachment(filename=a[0], content_type=a[1], content=a[2])
               for a in attachments]
    files = [a for a in offered if len(a.content) <= MAX_ATTACHMENT_BYTES]
    if len(files) < len(offered):
        notes.append(not_kept_note(len(offered) - len(files)))
    if notes:
        body_text = body_text.rstrip() + "".join(f"\n\n[{note}]" for note in notes)
        if body_html is not None:
            body_html += "".join(f"<p><em>[{escape(note)}]</em></p>" for note in notes)

    with uow:
        session = uow.session
        inbox = session.get(Inbox, inbox_id)
        if inbox is None:
            raise NotFound(f"Inbox #{inbox_id} does not exist.")
        contact = _find_or_create_contact(uow, sender, name)
        conversation = _thread_of(uow, in_reply_to, references)
        ticket: Ticket | None = None
        created = False
        if conversation is not None:
            ticket = merge_survivor(uow.session, conversation.ticket)
        else:
            conversation = Conversation(
                inbox_id=inbox.id, channel=Channel.EMAIL, subject=clean_subject or NO_SUBJECT,
                contact_id=contact.id, created_at=uow.now)
            if inbox.kind is InboxKind.HELP_DESK:
                ticket = _new_ticket(uow, inbox, contact, clean_subject or NO_SUBJECT)
                conversation.ticket_id = ticket.id
                conversation.origin_ticket_id = ticket.id
                created = True
            session.add(conversation)
            session.flush()

        message = Message(
            conversation_id=conversation.id, kind=MessageKind.EMAIL, direction=Direction.INCOMING,
            author_contact_id=contact.id, author_name=name, author_email=sender,
            to_addresses=recipients, cc_addresses="", sent_at=sent_at or uow.now,
            subject=clean_subject or conversation.subject, body_text=body_text,
            body_html=body_html, message_id_header=(message_id or "").strip() or None,
            in_reply_to=(in_reply_to or "").strip() or None,
            references=(references or "").strip() or None)
        session.add(message)
        session.flush()
        for file in files:
            session.add(Attachment(message_id=message.id, filename=file.filename[:500],
                                   content_type=file.content_type, size=len(file.content),
                                   content=file.content))

        detail = {"conversation_id": conversation.id, "message_id": message.id,
                  "ticket_id": ticket.id if ticket else None}
        if ticket is None:
            uow.commit()
            return OpResult(f"E-mail from {sender} received in {inbox.name}.", detail=detail)
        if created:
            record_activity(uow, ticket, ActivityKind.CREATED,
                            f"Ticket created from an e-mail by {name}",
                            {"conversation_id": conversation.id, "message_id": message.id},
                            actor_id=None)
        else:
            data: dict[str, Any] = {"conversation_id": conversation.id, "message_id": message.id}
            summary = f"E-mail from {name}"
            reopened = _reopen_if_closed(uow, ticket)
            if reopened is not None:
                data["reopened"] = reopened
                summary += f"; ticket reopened ({reopened['from']} → {reopened['to']})"
            record_activity(uow, ticket, ActivityKind.MESSAGE, summary, data, actor_id=None)
        uow.commit()
        return OpResult(
            f"E-mail from {sender} received on ticket #{ticket.id}.",
            created_ticket_ids=(ticket.id,) if created else (),
            changed_ticket_ids=() if created else (ticket.id,),
            detail=detail)


def _reopen_if_closed(uow: UnitOfWork, ticket: Ticket) -> dict[str, Any] | None:
    """A customer writing again on a closed ticket reopens it (first open status of its
    pipeline). Its version moves on, so an edit based on the closed ticket is a conflict."""
    status = ticket.status
    if ticket.state is not TicketState.LIVE or not status.is_closed:
        return None
    reopen = first_open_status(uow.session, ticket.pipeline_id)
    if reopen is None:
        return None
    ticket.status_id = reopen.id
    ticket.closed_at = None
    ticket.updated_at = uow.now
    ticket.version += 1
    return {"status_id": [status.id, reopen.id], "from": status.name, "to": reopen.name}


def _thread_of(uow: UnitOfWork, in_reply_to: str | None,
               references: str | None) -> Conversation | None:
    """The conversation of the stored message this e-mail answers: the direct parent
    (In-Reply-To) first, then the newest of its References."""
    ordered = parse_message_ids(in_reply_to) + list(reversed(parse_message_ids(references)))
    if not ordered:
        return None
    rows = uow.session.execute(
        select(Message.message_id_header, Message.conversation_id)
        .where(Message.message_id_header.in_(ordered))).all()
    by_header = {header: conversation_id for header, conversation_id in rows}
    for header in ordered:
        if header in by_header:
            conversation = uow.session.get(Conversation, by_header[header])
            if conversation is not None and _accepts_replies(conversation):
                return conversation
    return None


def _accepts_replies(conversation: Conversation) -> bool:
    """A reply to a conversation whose ticket was deleted starts a new thread instead of
    reviving a ticket in the trash."""
    ticket = conversation.ticket
    return ticket is None or ticket.state is not TicketState.DELETED


def _find_or_create_contact(uow: UnitOfWork, email: str, name: str) -> Contact:
    session = uow.session
    contact = session.scalars(
        select(Contact).where(func.lower(Contact.email) == email).order_by(Contact.id).limit(1)
    ).first()
    if contact is None:
        contact = Contact(name=name, email=email)
        session.add(contact)
        session.flush()
    return contact


def _new_ticket(uow: UnitOfWork, inbox: Inbox, contact: Contact, name: str) -> Ticket:
    session = uow.session
    pipeline = default_pipeline(session)
    status = first_status(session, pipeline)
    ticket = Ticket(name=name, description="", pipeline_id=pipeline.id, status_id=status.id,
                    inbox_id=inbox.id, source=Channel.EMAIL, created_at=uow.now,
                    updated_at=uow.now, last_activity_at=uow.now, state=TicketState.LIVE,
                    version=1)
    session.add(ticket)
    session.flush()
    session.execute(ticket_contacts.insert().values(ticket_id=ticket.id, contact_id=contact.id))
    if contact.company_id is not None:
        session.execute(ticket_companies.insert().values(ticket_id=ticket.id,
                                                         company_id=contact.company_id))
    return ticket
