"""Receiving customer e-mail: threading it onto a conversation, or opening a new one.

:func:`ingest_raw` is the one entry point for raw mail (file import, IMAP): it never raises on
a message, whatever its state, and says what happened in an :class:`IngestOutcome`. A message
that cannot be kept, and an auto-reply or bounce that is skipped, is set aside with its raw
bytes (table ``set_aside_mail``), so nothing received is lost. :func:`receive_email` stores an
already-parsed message (tests, the demo).

Threading: In-Reply-To, then References, then a ``[#number]`` tag in the subject (a merged
ticket's old number finds the survivor). Duplicates: the same Message-ID (or, without one, the
same raw bytes) is stored once; a unique key makes that hold for two processes at once.

Intake is a system operation: it runs in a ``UnitOfWork(database, actor_id=None)`` and never
asks for ``uow.actor``. Its timeline entries have no actor (the customer wrote), so followers
are notified and the ticket becomes unread for every agent.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    TicketState,
)
from helpdesk_desktop.domain.errors import DatabaseError, HelpDeskError, NotFound
from helpdesk_desktop.domain.i18n import _, ngettext, number
from helpdesk_desktop.domain.models import (
    Attachment,
    Contact,
    Conversation,
    Inbox,
    Message,
    SenderRule,
    SetAsideMail,
    Ticket,
    ticket_companies,
    ticket_contacts,
)
from helpdesk_desktop.domain.sentences import Sentence, sentence
from helpdesk_desktop.services.access import merge_survivor
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import MessageAdded, OpResult
from helpdesk_desktop.services.html_sanitize import html_to_text, sanitize_html
from helpdesk_desktop.services.mail_parse import (
    MailRefused,
    ParsedMail,
    message_ids,
    parse_mail,
    safe_filename,
    strip_subject_prefixes,
    ticket_number_in,
)
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_email, without_nul
from helpdesk_desktop.services.workspace import default_pipeline, first_open_status, first_status

NO_SUBJECT = "(no subject)"
log = logging.getLogger(__name__)

MAX_BODY_CHARS = 2_000_000  # per body (text, HTML) of one stored message
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024  # per attachment, as most mail servers allow


def not_kept_note(count: int) -> str:
    """The note a message carries when attachments were over the size limit (written into the
    message in the language of the process that receives it)."""
    return ngettext("{count} attachment was not kept (over the size limit).",
                    "{count} attachments were not kept (over the size limit).",
                    count).format(count=number(count))


@dataclass(frozen=True)
class IncomingAttachment:
    """A file attached to an incoming e-mail (``content_id``: an inline image's ``<id>``)."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"
    content_id: str | None = None


class Outcome(StrEnum):
    """What intake did with one message."""

    CREATED = "created"  # opened a ticket (or a conversation in a conversations inbox)
    JOINED = "joined"  # joined a known conversation
    DUPLICATE = "duplicate"  # already stored
    SKIPPED = "skipped"  # auto-reply, bounce, list traffic, mail loop: set aside
    REFUSED = "refused"  # cannot be kept: set aside with the reason


def outcome_count(outcome: str, count: int) -> str:
    """"3 created", "1 skipped"… in the current language (``outcome`` is an :class:`Outcome`
    value); the counted things are messages."""
    sentences: dict[str, str] = {
        Outcome.CREATED: ngettext("{count} created", "{count} created", count),
        Outcome.JOINED: ngettext("{count} joined", "{count} joined", count),
        Outcome.DUPLICATE: ngettext("{count} duplicate", "{count} duplicates", count),
        Outcome.SKIPPED: ngettext("{count} skipped", "{count} skipped", count),
        Outcome.REFUSED: ngettext("{count} refused", "{count} refused", count),
    }
    return sentences.get(outcome, f"{{count}} {outcome}").format(count=count)


@dataclass(frozen=True)
class IngestOutcome:
    """One message's fate; ``reason`` is one sentence in English (empty when there is nothing
    to say), as ``--json`` gives it; :attr:`reason_text` says it in the current language."""

    source: str
    message_id: str | None
    outcome: Outcome
    ticket_id: int | None = None
    reason: str = ""
    conversation_id: int | None = None
    spam: bool = False
    said: Sentence | None = None

    @staticmethod
    def of(source: str, message_id: str | None, outcome: Outcome, ticket_id: int | None,
           said: Sentence | None, conversation_id: int | None = None,
           spam: bool = False) -> IngestOutcome:
        return IngestOutcome(source, message_id, outcome, ticket_id,
                             said.english() if said else "", conversation_id, spam, said)

    @property
    def reason_text(self) -> str:
        return self.said.text() if self.said is not None else self.reason

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "message_id": self.message_id,
                "outcome": self.outcome.value, "ticket_id": self.ticket_id,
                "reason": self.reason}


def parse_message_ids(*headers: str | None) -> list[str]:
    """The ``<id@host>`` tokens of In-Reply-To / References headers, in order of appearance."""
    return message_ids(*headers)


@dataclass
class _Incoming:
    """An e-mail ready to store (already cleaned)."""

    sender: str
    name: str
    to: str
    cc: str
    subject: str
    text: str
    html: str | None
    message_id: str | None
    in_reply_to: str | None
    references: str | None
    sent_at: dt.datetime | None
    attachments: list[IncomingAttachment] = field(default_factory=list)
    omitted: tuple[str, ...] = ()
    dedupe_key: str | None = None


@dataclass
class _Delivery:
    conversation: Conversation
    message: Message
    ticket: Ticket | None
    created: bool
    spam: bool
    reason: Sentence | None = None


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
    cc: str | Sequence[str] = "",
) -> OpResult[MessageAdded]:
    """Store an incoming, already parsed e-mail.

    A reply to a stored message (its Message-ID in ``in_reply_to`` or ``references``, or a
    ``[#number]`` tag in the subject) joins that conversation and ticket. Otherwise a new
    conversation opens; in the help desk inbox it comes with a new ticket (first pipeline, its
    first status, the sender as contact, their company associated), in a conversations inbox
    it waits without a ticket. A malformed sender address raises :class:`InvalidInput` and
    nothing is written.
    """
    sender = clean_email(from_email)
    mail = _Incoming(
        sender=sender, name=from_name, subject=subject, text=text, html=html,
        to=to if isinstance(to, str) else ", ".join(to),
        cc=cc if isinstance(cc, str) else ", ".join(cc),
        message_id=(message_id or "").strip() or None, in_reply_to=in_reply_to,
        references=references, sent_at=sent_at,
        attachments=[a if isinstance(a, IncomingAttachment) else
                     IncomingAttachment(filename=a[0], content_type=a[1], content=a[2])
                     for a in attachments])
    with uow:
        inbox = _inbox(uow, inbox_id)
        delivery = _deliver(uow, inbox, mail)
        uow.commit()
        return _op_result(delivery, inbox)


def ingest_raw(uow: UnitOfWork, inbox_id: int, raw: bytes, *, source: str) -> IngestOutcome:
    """Take in one raw e-mail (RFC 5322 bytes) for ``inbox_id``; never raises on the message
    itself. ``source`` says where it came from (a file, ``file#N`` in an mbox, an IMAP UID).

    Refused and skipped messages are set aside with their raw bytes and the reason. Only an
    unknown inbox (:class:`NotFound`) or an unreachable database raises.
    """
    try:
        parsed = parse_mail(raw)
    except MailRefused as refusal:
        return _set_aside(uow, inbox_id, raw, source, None, Outcome.REFUSED, refusal.said)
    if parsed.from_email is None:
        return _set_aside(uow, inbox_id, raw, source, parsed.message_id, Outcome.REFUSED,
                          sentence("The message has no usable sender address."))
    if parsed.automatic:
        return _set_aside(uow, inbox_id, raw, source, parsed.message_id, Outcome.SKIPPED,
                          parsed.automatic)
    mail = _incoming_from(parsed)
    try:
        with uow:
            inbox = _inbox(uow, inbox_id)
            if inbox.address and inbox.address.strip().lower() == mail.sender:
                reason: Sentence | None = sentence(
                    "Sent from this inbox's own address (a mail loop).")
                skipped = True
            else:
                skipped, reason = False, None
            if not skipped:
                existing = _duplicate_of(uow, mail)
                if existing is not None:
                    return IngestOutcome.of(source, parsed.message_id, Outcome.DUPLICATE,
                                            existing[1], sentence("Already received."),
                                            existing[0])
                delivery = _deliver(uow, inbox, mail)
                uow.commit()
                return IngestOutcome.of(
                    source, parsed.message_id,
                    Outcome.CREATED if delivery.created else Outcome.JOINED,
                    delivery.ticket.id if delivery.ticket else None, delivery.reason,
                    delivery.conversation.id, delivery.spam)
    except HelpDeskError as error:
        cause = error.__cause__
        if (not isinstance(error, DatabaseError) or cause is None
                or isinstance(cause, OperationalError)):
            raise  # an unknown inbox, an unreachable or locked database: the caller says so
        if isinstance(cause, IntegrityError):
            # Another process stored the same message a moment ago (the unique key said so).
            with uow:
                existing = _duplicate_of(uow, mail)
            if existing is not None:
                return IngestOutcome.of(source, parsed.message_id, Outcome.DUPLICATE,
                                        existing[1], sentence("Already received."), existing[0])
        return _set_aside(uow, inbox_id, raw, source, parsed.message_id, Outcome.REFUSED,
                          sentence("The database refused the message ({error}).",
                                   error=type(cause).__name__))
    except Exception as error:  # noqa: BLE001 - a message no code path foresaw is kept aside
        log.error("Intake could not store %s:\n%s", source, traceback.format_exc())
        return _set_aside(uow, inbox_id, raw, source, parsed.message_id, Outcome.REFUSED,
                          sentence("The message could not be stored ({error}).",
                                   error=type(error).__name__))
    assert reason is not None  # only a mail loop gets here (every other path returned)
    return _set_aside(uow, inbox_id, raw, source, parsed.message_id, Outcome.SKIPPED, reason)


def _inbox(uow: UnitOfWork, inbox_id: int) -> Inbox:
    inbox = uow.session.get(Inbox, inbox_id)
    if inbox is None:
        raise NotFound(_("Inbox #{inbox_id} does not exist.").format(inbox_id=inbox_id))
    return inbox


def _tidy(value: str | None) -> str:
    """Text any database stores: no NUL, no lone surrogate (from undecodable header bytes)."""
    return without_nul(value).encode("utf-8", "replace").decode("utf-8")


def _incoming_from(parsed: ParsedMail) -> _Incoming:
    assert parsed.from_email is not None
    in_reply_to = message_ids(parsed.in_reply_to)
    return _Incoming(
        sender=_tidy(parsed.from_email), name=_tidy(parsed.from_name), to=_tidy(parsed.to),
        cc=_tidy(parsed.cc), subject=_tidy(parsed.subject), text=_tidy(parsed.text),
        html=_tidy(parsed.html) if parsed.html else None,
        message_id=_tidy(parsed.message_id) or None,
        in_reply_to=_tidy(in_reply_to[0]) if in_reply_to else None,
        references=_tidy(parsed.references) or None, sent_at=parsed.sent_at,
        attachments=[IncomingAttachment(filename=_tidy(p.filename), content=p.content,
                                        content_type=_tidy(p.content_type),
                                        content_id=_tidy(p.content_id) or None)
                     for p in parsed.parts],
        omitted=tuple(_tidy(o) for o in parsed.omitted), dedupe_key=parsed.dedupe_key)


def _set_aside(uow: UnitOfWork, inbox_id: int | None, raw: bytes, source: str,
               message_id: str | None, outcome: Outcome, reason: Sentence) -> IngestOutcome:
    """Keep ``raw`` with the reason it was not stored as a ticket message."""
    message_id = _tidy(message_id)[:500] or None
    with uow:
        known = uow.session.get(Inbox, inbox_id) if inbox_id is not None else None
        same = (SetAsideMail.message_id_header == message_id if message_id is not None
                else SetAsideMail.message_id_header.is_(None) & (SetAsideMail.raw == raw))
        if uow.session.scalars(select(SetAsideMail.id).where(
                same, SetAsideMail.inbox_id == (known.id if known else None),
                SetAsideMail.outcome == outcome.value).limit(1)).first() is not None:
            # Read again (a new UIDVALIDITY, a second import): kept aside once.
            return IngestOutcome.of(source, message_id, outcome, None, reason)
        uow.session.add(SetAsideMail(
            inbox_id=known.id if known else None, outcome=outcome.value, source=_tidy(source),
            message_id_header=message_id, reason=reason.english(),
            reason_sentence=reason.to_json(), received_at=uow.now, raw=raw))
        uow.commit()
    return IngestOutcome.of(source, message_id, outcome, None, reason)


def _duplicate_of(uow: UnitOfWork, mail: _Incoming) -> tuple[int, int | None] | None:
    """(conversation id, ticket id) of the stored copy of ``mail``, or None."""
    conditions = []
    if mail.dedupe_key:
        conditions.append(Message.dedupe_key == mail.dedupe_key)
    if mail.message_id:
        conditions.append((Message.message_id_header == mail.message_id)
                          & (Message.direction == Direction.INCOMING))
    if not conditions:
        return None
    found = uow.session.scalars(select(Message).where(or_(*conditions)).limit(1)).first()
    if found is None:
        return None
    survivor = merge_survivor(uow.session, found.conversation.ticket)
    return found.conversation_id, survivor.id if survivor else None


def _deliver(uow: UnitOfWork, inbox: Inbox, mail: _Incoming) -> _Delivery:
    """Thread and store ``mail`` (inside the caller's unit of work, not committed)."""
    session = uow.session
    name = without_nul(mail.name).strip()[:200] or mail.sender.split("@", 1)[0]
    clean_subject = without_nul(mail.subject).strip()[:500]
    notes: list[str] = []
    # Bounded work and storage: a body is cut at MAX_BODY_CHARS *before* any parsing, so a
    # hostile 10 MB mail costs what a 2 MB one does; what was cut is said in the message.
    if (mail.html and len(mail.html) > MAX_BODY_CHARS) or len(mail.text) > MAX_BODY_CHARS:
        notes.append(_("This message was longer than {limit} characters; the rest was not "
                       "kept.").format(limit=number(MAX_BODY_CHARS)))
    body_html = sanitize_html(without_nul(mail.html[:MAX_BODY_CHARS])) if mail.html else None
    body_text = without_nul(mail.text[:MAX_BODY_CHARS])
    if not body_text.strip() and body_html:
        body_text = html_to_text(body_html)
    files = [a for a in mail.attachments if len(a.content) <= MAX_ATTACHMENT_BYTES]
    if len(files) < len(mail.attachments):
        notes.append(not_kept_note(len(mail.attachments) - len(files)))
    if notes:
        body_text = body_text.rstrip() + "".join(f"\n\n[{note}]" for note in notes)
        if body_html is not None:
            body_html += "".join(f"<p><em>[{escape(note)}]</em></p>" for note in notes)
    known_contact = _find_contact(uow, mail.sender)
    contact = known_contact or _create_contact(uow, mail.sender, name)
    conversation = _thread_of(uow, mail.in_reply_to, mail.references, clean_subject)
    ticket: Ticket | None = None
    created = False
    reason: Sentence | None = None
    if conversation is not None:
        ticket = merge_survivor(session, conversation.ticket)
        spam = conversation.spam_at is not None or (
            ticket is not None and ticket.state is TicketState.SPAM)
        if spam:
            reason = sentence("Joined a conversation in the spam; it stays there.")
    else:
        spam = _denied(uow, inbox.id, mail.sender, known=known_contact is not None)
        if spam:
            reason = sentence("Filed as spam: the sender is on this inbox's deny list.")
        # A new thread is named without the "Re:"/"Fwd:" its first message may carry.
        topic = strip_subject_prefixes(clean_subject) or clean_subject or NO_SUBJECT
        conversation = Conversation(
            inbox_id=inbox.id, channel=Channel.EMAIL, subject=topic,
            contact_id=contact.id, created_at=uow.now, spam_at=uow.now if spam else None)
        if inbox.kind is InboxKind.HELP_DESK:
            ticket = _new_ticket(uow, inbox, contact, topic)
            if spam:
                ticket.state = TicketState.SPAM
                ticket.spam_at = uow.now
                conversation.spam_at = None  # the whole ticket is spam, as mark_spam does
            conversation.ticket_id = ticket.id
            conversation.origin_ticket_id = ticket.id
        created = True
        session.add(conversation)
        session.flush()

    message = Message(
        conversation_id=conversation.id, kind=MessageKind.EMAIL, direction=Direction.INCOMING,
        author_contact_id=contact.id, author_name=name, author_email=mail.sender,
        to_addresses=without_nul(mail.to), cc_addresses=without_nul(mail.cc),
        sent_at=mail.sent_at or uow.now,
        subject=clean_subject or conversation.subject, body_text=body_text,
        body_html=body_html, message_id_header=(mail.message_id or "")[:500] or None,
        in_reply_to=(mail.in_reply_to or "").strip()[:500] or None,
        references=(mail.references or "").strip() or None,
        dedupe_key=mail.dedupe_key, intake_note="\n".join(mail.omitted) or None)
    session.add(message)
    session.flush()
    for file in files:
        session.add(Attachment(message_id=message.id,
                               filename=safe_filename(without_nul(file.filename))[:500],
                               content_type=without_nul(file.content_type)[:200]
                               or "application/octet-stream",
                               size=len(file.content), content=file.content,
                               content_id=(file.content_id or "")[:500] or None))

    if ticket is not None:
        data: dict[str, Any] = {"conversation_id": conversation.id, "message_id": message.id}
        if created:
            record_activity(uow, ticket, ActivityKind.CREATED,
                            sentence("Ticket created from an e-mail by {name}", name=name),
                            data, actor_id=None, notify=not spam)
        elif conversation.spam_at is None:  # a hidden spam conversation adds no entry
            said = sentence("E-mail from {name}", name=name)
            reopened = None if spam else _reopen_if_closed(uow, ticket)
            if reopened is not None:
                data["reopened"] = reopened
                said = sentence("E-mail from {name}; ticket reopened ({old} → {new})",
                                name=name, old=reopened["from"], new=reopened["to"])
            record_activity(uow, ticket, ActivityKind.MESSAGE, said, data, actor_id=None,
                            notify=not spam)
    session.flush()
    return _Delivery(conversation, message, ticket, created, spam, reason)


def _op_result(delivery: _Delivery, inbox: Inbox) -> OpResult[MessageAdded]:
    sender = delivery.message.author_email
    ticket = delivery.ticket
    added = MessageAdded(delivery.message.id, delivery.conversation.id,
                         ticket.id if ticket else None)
    if ticket is None:
        return OpResult(_("E-mail from {sender} received in {inbox_name}.").format(
                            sender=sender, inbox_name=inbox.name), payload=added)
    if delivery.spam:
        return OpResult(_("E-mail from {sender} received in the spam.").format(sender=sender),
                        payload=added)
    return OpResult(
        _("E-mail from {sender} received on ticket #{ticket_id}.").format(
            sender=sender, ticket_id=ticket.id),
        created_ticket_ids=(ticket.id,) if delivery.created else (),
        changed_ticket_ids=() if delivery.created else (ticket.id,),
        payload=added)


def _denied(uow: UnitOfWork, inbox_id: int, sender: str, *, known: bool) -> bool:
    """Whether the inbox's sender rules file a new message from ``sender`` as spam.

    An address rule wins over a domain rule, an allow over a deny. A domain deny never
    applies to a known contact (mail from known contacts is never auto-spam); an explicit
    address deny does.
    """
    rules = {r.pattern: r.allow for r in uow.session.scalars(
        select(SenderRule).where(SenderRule.inbox_id == inbox_id))}
    if not rules:
        return False
    if sender in rules:
        return not rules[sender]
    domain = sender.rsplit("@", 1)[-1]
    parts = domain.split(".")
    verdicts = [rules[".".join(parts[i:])] for i in range(len(parts))
                if ".".join(parts[i:]) in rules]
    if not verdicts or any(verdicts):
        return False
    return not known


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


def _thread_of(uow: UnitOfWork, in_reply_to: str | None, references: str | None,
               subject: str = "") -> Conversation | None:
    """The conversation this e-mail continues: that of the direct parent (In-Reply-To), else
    of the newest known of its References, else of the ticket tagged ``[#number]`` in the
    subject (a merged ticket's number leads to the ticket it was merged into)."""
    ordered = parse_message_ids(in_reply_to) + list(reversed(parse_message_ids(references)))
    if ordered:
        rows = uow.session.execute(
            select(Message.message_id_header, Message.conversation_id)
            .where(Message.message_id_header.in_(ordered))).all()
        by_header = {header: conversation_id for header, conversation_id in rows}
        for header in ordered:
            if header in by_header:
                conversation = uow.session.get(Conversation, by_header[header])
                if conversation is not None and _accepts_replies(conversation):
                    return conversation
    return _tagged_conversation(uow, subject)


def _tagged_conversation(uow: UnitOfWork, subject: str) -> Conversation | None:
    number = ticket_number_in(subject)
    if number is None:
        return None
    tagged = uow.session.get(Ticket, number)
    ticket = merge_survivor(uow.session, tagged)
    if ticket is None or ticket.state is TicketState.DELETED or not ticket.conversations:
        return None
    # The conversation that came from the tagged ticket (after a merge), else the newest live.
    for conversation in ticket.conversations:
        if conversation.origin_ticket_id == number and conversation.spam_at is None:
            return conversation
    live = [c for c in ticket.conversations if c.spam_at is None]
    return (live or ticket.conversations)[-1]


def _accepts_replies(conversation: Conversation) -> bool:
    """A reply to a conversation whose ticket was deleted starts a new thread instead of
    reviving a ticket in the trash."""
    ticket = conversation.ticket
    return ticket is None or ticket.state is not TicketState.DELETED


def _find_contact(uow: UnitOfWork, email: str) -> Contact | None:
    return uow.session.scalars(
        select(Contact).where(func.lower(Contact.email) == email).order_by(Contact.id).limit(1)
    ).first()


def _create_contact(uow: UnitOfWork, email: str, name: str) -> Contact:
    contact = Contact(name=name, email=email)
    uow.session.add(contact)
    uow.session.flush()
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
