"""``export --format mbox|json``: every ticket the user may see, with its conversations,
messages, notes and attachments, in a file other programs (and our own e-mail import) read.

mbox: one standard message per stored message (Python's ``mailbox.mbox`` reads it back), with
the headers we keep (From, To, Cc, Date, Subject, Message-ID, In-Reply-To, References), the
text and sanitized HTML bodies and the attachments; ``X-Helpdesk-*`` headers say which ticket,
conversation and kind each message belongs to. JSON: the same content as one document, with
the tickets' properties and attachments in base64.

The file is written beside its destination under a temporary name and renamed into place
when complete: an interrupted export never leaves a truncated file under the real name.
"""

from __future__ import annotations

import base64
import email.policy
import email.utils
import json
import mailbox
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from helpdesk_desktop.domain.enums import TicketState
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Attachment, Conversation, Message, Ticket, User
from helpdesk_desktop.services.access import visible_clause
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.listing import visible_states
from helpdesk_desktop.services.uow import UnitOfWork

FORMATS = ("mbox", "json")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    tickets: int
    messages: int
    attachments: int


def export(uow: UnitOfWork, fmt: str, target: Path, *, overwrite: bool = False,
           progress: Progress | None = None) -> ExportSummary:
    """Write every ticket the acting user may see (merged tombstones excepted: their
    conversations are on the survivor) to ``target`` in ``fmt``."""
    if fmt not in FORMATS:
        raise InvalidInput(_("'{fmt}' is not an export format (one of: {formats}).").format(
                               fmt=fmt, formats=', '.join(FORMATS)))
    target = target.expanduser()
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise InvalidInput(_("{target} is not a plain file; choose another name.").format(
                               target=target))
    if target.exists() and not overwrite:
        raise InvalidInput(_("{target} already exists; add --force to replace it.").format(
                               target=target))
    if not target.parent.is_dir():
        raise InvalidInput(_("The folder {parent} does not exist.").format(parent=target.parent))
    partial = target.with_name(f".{target.name}.partial")
    counts = [0, 0, 0]
    with uow.read_only():
        session, actor = uow.session, uow.actor
        states = tuple(s for s in visible_states(actor) if s is not TicketState.MERGED)
        ids = list(session.scalars(select(Ticket.id).where(
            visible_clause(actor), Ticket.state.in_(states)).order_by(Ticket.id)))
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)
            if fmt == "mbox":
                _write_mbox(session, ids, partial, counts, progress)
            else:
                _write_json(session, ids, partial, counts, progress)
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InvalidInput(_("The export could not be written to {target} "
                                 "({strerror}); nothing was left there.").format(
                                   target=target, strerror=exc.strerror or exc)) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return ExportSummary(target, counts[0], counts[1], counts[2])


def _tickets(session: Session, ids: list[int]) -> Iterator[Ticket]:
    for chunk in chunks(ids):
        yield from session.scalars(
            select(Ticket).where(Ticket.id.in_(chunk)).order_by(Ticket.id).options(
                selectinload(Ticket.conversations).selectinload(Conversation.messages)
                .selectinload(Message.attachments).options(undefer(Attachment.content)),
                selectinload(Ticket.contacts), selectinload(Ticket.companies)))
        session.expunge_all()


def _address(name: str, address: str | None) -> str:
    return email.utils.formataddr((name, address)) if address else name


def _mail(ticket: Ticket, conversation: Conversation, message: Message) -> EmailMessage:
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["From"] = _address(message.author_name, message.author_email)
    if message.to_addresses:
        mail["To"] = message.to_addresses
    if message.cc_addresses:
        mail["Cc"] = message.cc_addresses
    mail["Date"] = email.utils.format_datetime(message.sent_at)
    mail["Subject"] = " ".join(message.subject.split())
    mail["Message-ID"] = (message.message_id_header
                          or f"<helpdesk-message-{message.id}@helpdesk-desktop.invalid>")
    if message.in_reply_to:
        mail["In-Reply-To"] = message.in_reply_to
    if message.references:
        mail["References"] = " ".join(message.references.split())
    mail["X-Helpdesk-Ticket"] = str(ticket.id)
    mail["X-Helpdesk-Ticket-State"] = ticket.state.value
    mail["X-Helpdesk-Conversation"] = str(conversation.id)
    mail["X-Helpdesk-Kind"] = message.kind.value
    mail["X-Helpdesk-Direction"] = message.direction.value
    mail.set_content(message.body_text or "")
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        maintype, _slash, subtype = (attachment.content_type or "").partition("/")
        if not maintype or not subtype:
            maintype, subtype = "application", "octet-stream"
        mail.add_attachment(bytes(attachment.content or b""), maintype=maintype,
                            subtype=subtype, filename=attachment.filename)
    return mail


def _write_mbox(session: Session, ids: list[int], path: Path, counts: list[int],
                progress: Progress | None) -> None:
    box = mailbox.mbox(str(path), create=True)
    box.lock()
    try:
        for ticket in _tickets(session, ids):
            for conversation in ticket.conversations:
                for message in conversation.messages:
                    entry = mailbox.mboxMessage(_mail(ticket, conversation, message))
                    entry.set_from(message.author_email or "helpdesk-desktop",
                                   message.sent_at.timetuple())
                    box.add(entry)
                    counts[1] += 1
                    counts[2] += len(message.attachments)
            counts[0] += 1
            if progress is not None:
                progress(counts[0], len(ids))
        box.flush()
    finally:
        box.unlock()
        box.close()
    _fsync(path)


def _ticket_json(ticket: Ticket, counts: list[int]) -> dict[str, Any]:
    conversations = []
    for conversation in ticket.conversations:
        messages = []
        for m in conversation.messages:
            counts[1] += 1
            counts[2] += len(m.attachments)
            messages.append({
                "id": m.id, "kind": m.kind.value, "direction": m.direction.value,
                "author_name": m.author_name, "author_email": m.author_email,
                "author_user_id": m.author_user_id, "to": m.to_addresses, "cc": m.cc_addresses,
                "sent_at": m.sent_at.isoformat(), "subject": m.subject, "text": m.body_text,
                "html": m.body_html, "message_id": m.message_id_header,
                "in_reply_to": m.in_reply_to, "references": m.references,
                "attachments": [{"filename": a.filename, "content_type": a.content_type,
                                 "size": a.size,
                                 "content_base64": base64.b64encode(
                                     bytes(a.content or b"")).decode("ascii")}
                                for a in m.attachments]})
        conversations.append({
            "id": conversation.id, "channel": conversation.channel.value,
            "subject": conversation.subject, "origin_ticket_id": conversation.origin_ticket_id,
            "spam": conversation.spam_at is not None,
            "created_at": conversation.created_at.isoformat(), "messages": messages})
    return {
        "id": ticket.id, "name": ticket.name, "description": ticket.description,
        "state": ticket.state.value, "pipeline_id": ticket.pipeline_id,
        "status_id": ticket.status_id,
        "priority": ticket.priority.value if ticket.priority else None,
        "category": ticket.category.value if ticket.category else None,
        "owner_id": ticket.owner_id, "source": ticket.source.value,
        "created_at": ticket.created_at.isoformat(),
        "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
        "contacts": [{"name": c.name, "email": c.email} for c in ticket.contacts],
        "companies": [c.name for c in ticket.companies],
        "conversations": conversations,
    }


def _write_json(session: Session, ids: list[int], path: Path, counts: list[int],
                progress: Progress | None) -> None:
    users = {u.id: {"name": u.name, "email": u.email} for u in session.scalars(select(User))}
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"format": "helpdesk-desktop-export", "version": 1,\n "users": ')
        json.dump({str(k): v for k, v in users.items()}, out, ensure_ascii=False)
        out.write(',\n "tickets": [\n')
        first = True
        for ticket in _tickets(session, ids):
            if not first:
                out.write(",\n")
            first = False
            json.dump(_ticket_json(ticket, counts), out, ensure_ascii=False)
            counts[0] += 1
            if progress is not None:
                progress(counts[0], len(ids))
        out.write("\n]}\n")
        out.flush()
        os.fsync(out.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
