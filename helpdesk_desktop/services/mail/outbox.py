"""The durable outbox: a reply is stored first, then sent by a background sender.

States: ``queued`` (waiting for its time: the undo-send delay, then the retry backoff),
``sending`` (claimed by one sender), ``sent`` (the SMTP server accepted it), ``failed`` (given
up or refused; can be retried), ``cancelled`` (undone before it left). A sender claims a row
with one conditional UPDATE, so of two processes flushing at once exactly one sends it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import secrets as random_tokens
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select, update

from helpdesk_desktop.domain.enums import OutboxState
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import (
    Conversation,
    MailAccount,
    Message,
    OutboxItem,
    Ticket,
)
from helpdesk_desktop.domain.sentences import Sentence, shown
from helpdesk_desktop.services import access
from helpdesk_desktop.services.dto import OpResult, OutboxChange
from helpdesk_desktop.services.uow import UnitOfWork

MAX_ATTEMPTS = 8
FIRST_BACKOFF = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=1)
#: A row left in "sending" this long (its sender died mid-send) is due again.
STALE_CLAIM = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class OutboxEntry:
    """One outgoing e-mail as the Outbox view and ``outbox list`` show it."""

    id: int
    message_id: int
    ticket_id: int | None
    inbox: str
    to: str
    cc: str
    subject: str
    state: OutboxState
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None  # in English, as stored (what --json gives)
    created_at: dt.datetime
    sent_at: dt.datetime | None
    error_text: str | None = None  # the last error in the reader's language


def backoff(attempts: int) -> dt.timedelta:
    """The wait before attempt ``attempts + 1``: 30 s, 1 min, 2 min, … at most an hour."""
    wait: dt.timedelta = FIRST_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(wait, MAX_BACKOFF)


def _rows(result: object) -> int:
    """How many rows an UPDATE changed (``CursorResult.rowcount``)."""
    return int(result.rowcount)  # type: ignore[attr-defined]


def new_message_id(sender_address: str) -> str:
    domain = sender_address.rpartition("@")[2] or "helpdesk.invalid"
    return email.utils.make_msgid(domain=domain)


def enqueue(uow: UnitOfWork, message: Message, conversation: Conversation) -> OutboxItem | None:
    """Queue ``message`` (a reply just stored in this unit of work) for the inbox's SMTP
    server; ``None`` when the inbox is not connected to a mailbox. Sets its threading
    headers (Message-ID, In-Reply-To, References) as they will be sent."""
    account = uow.session.scalars(select(MailAccount).where(
        MailAccount.inbox_id == conversation.inbox_id)).first()
    parent = uow.session.scalars(
        select(Message).where(Message.conversation_id == conversation.id,
                              Message.id != message.id,
                              Message.message_id_header.is_not(None))
        .order_by(Message.sent_at.desc(), Message.id.desc()).limit(1)).first()
    message.message_id_header = new_message_id(
        account.sender_address if account else "helpdesk.invalid")
    if parent is not None:
        message.in_reply_to = parent.message_id_header
        chain = (parent.references or "").split() + [parent.message_id_header or ""]
        message.references = " ".join(list(dict.fromkeys(c for c in chain if c))[-20:])
    if account is None:
        return None
    item = OutboxItem(message_id=message.id, account_id=account.id, state=OutboxState.QUEUED,
                      attempts=0, created_at=uow.now,
                      next_attempt_at=uow.now + dt.timedelta(seconds=account.undo_seconds))
    uow.session.add(item)
    uow.session.flush()
    return item


def list_outbox(uow: UnitOfWork, states: Sequence[OutboxState] = (),
                limit: int = 200) -> list[OutboxEntry]:
    """Outgoing mail of tickets the user may see, newest first."""
    with uow.read_only():
        session, user = uow.session, uow.actor
        query = (select(OutboxItem, Message, Conversation, Ticket)
                 .join(Message, Message.id == OutboxItem.message_id)
                 .join(Conversation, Conversation.id == Message.conversation_id)
                 .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
                 .where(access.visible_clause(user))
                 .order_by(OutboxItem.created_at.desc(), OutboxItem.id.desc()).limit(limit))
        if states:
            query = query.where(OutboxItem.state.in_(list(states)))
        return [_entry(item, message, conversation) for item, message, conversation, _ticket
                in session.execute(query).all()]


def delivery_of(uow: UnitOfWork, message_ids: Sequence[int]) -> dict[int, OutboxEntry]:
    """The outbox entry of each of these messages that has one (message id -> entry, in the
    order of ``message_ids``): the send state the ticket view shows on a reply."""
    if not message_ids:
        return {}
    with uow.read_only():
        session, user = uow.session, uow.actor
        rows = session.execute(
            select(OutboxItem, Message, Conversation)
            .join(Message, Message.id == OutboxItem.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
            .where(OutboxItem.message_id.in_(list(message_ids)),
                   access.visible_clause(user))).all()
        entries = {message.id: _entry(item, message, conversation)
                   for item, message, conversation in rows}
        return {i: entries[i] for i in message_ids if i in entries}  # in the order asked


def _entry(item: OutboxItem, message: Message, conversation: Conversation) -> OutboxEntry:
    return OutboxEntry(
        id=item.id, message_id=message.id, ticket_id=conversation.ticket_id,
        inbox=conversation.inbox.name, to=message.to_addresses, cc=message.cc_addresses,
        subject=message.subject, state=item.state, attempts=item.attempts,
        next_attempt_at=item.next_attempt_at, last_error=item.last_error,
        created_at=item.created_at, sent_at=item.sent_at,
        error_text=error_text(item))


def error_text(item: OutboxItem) -> str | None:
    """The row's last error in the current language (a row written before sentences were kept:
    its stored text)."""
    return shown(item.error_sentence, item.last_error) if item.last_error else None


def _visible_item(uow: UnitOfWork, outbox_id: int) -> tuple[OutboxItem, Message]:
    item = uow.session.get(OutboxItem, outbox_id)
    message = uow.session.get(Message, item.message_id) if item is not None else None
    if item is None or message is None:
        raise NotFound(_("Outbox entry #{outbox_id} does not exist.").format(outbox_id=outbox_id))
    ticket_id = message.conversation.ticket_id
    if ticket_id is None:
        raise NotFound(_("Outbox entry #{outbox_id} does not exist.").format(outbox_id=outbox_id))
    try:
        access.get_visible_ticket(uow.session, uow.actor, ticket_id)
    except NotFound:
        raise NotFound(_("Outbox entry #{outbox_id} does not exist or you cannot see "
                         "it.").format(outbox_id=outbox_id)
                       ) from None
    return item, message


def cancel(uow: UnitOfWork, outbox_id: int) -> OpResult[OutboxChange]:
    """Undo send: withdraw an e-mail that has not left yet. The reply's text is returned (in
    ``payload.text``) so the composer can offer it again."""
    with uow:
        item, message = _visible_item(uow, outbox_id)
        done = _rows(uow.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item.id,
                   OutboxItem.state.in_([OutboxState.QUEUED, OutboxState.FAILED]))
            .values(state=OutboxState.CANCELLED, claim_token=None)
            .execution_options(synchronize_session=False)))
        if done != 1:
            uow.session.refresh(item)
            raise InvalidInput(_too_late(item.state))
        ticket_id = message.conversation.ticket_id
        uow.commit()
        return OpResult(_("Sending cancelled; the reply was not sent."),
                        changed_ticket_ids=(ticket_id,) if ticket_id else (),
                        payload=OutboxChange(outbox_id, message.body_text, message.id))


def _too_late(state: OutboxState) -> str:
    if state is OutboxState.SENDING:
        return _("Too late to cancel: the e-mail is being sent right now.")
    if state is OutboxState.SENT:
        return _("Too late to cancel: the e-mail was already sent.")
    return _("This e-mail was already cancelled.")


def retry(uow: UnitOfWork, outbox_id: int) -> OpResult[OutboxChange]:
    """Send a failed (or waiting) e-mail at the next flush instead of after its backoff."""
    with uow:
        item, message = _visible_item(uow, outbox_id)
        done = _rows(uow.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item.id,
                   OutboxItem.state.in_([OutboxState.QUEUED, OutboxState.FAILED]))
            .values(state=OutboxState.QUEUED, next_attempt_at=uow.now, claim_token=None)
            .execution_options(synchronize_session=False)))
        if done != 1:
            uow.session.refresh(item)
            state = item.state
            raise InvalidInput(_("Nothing to retry: the e-mail was already sent.")
                               if state is OutboxState.SENT else
                               _("Nothing to retry: the e-mail is being sent right now.")
                               if state is OutboxState.SENDING else
                               _("Nothing to retry: the e-mail was cancelled."))
        ticket_id = message.conversation.ticket_id
        uow.commit()
        # ``send_after`` tells the window's sender to flush now rather than at its interval.
        return OpResult(_("The e-mail will be sent at the next flush."),
                        changed_ticket_ids=(ticket_id,) if ticket_id else (),
                        payload=OutboxChange(outbox_id, message_id=message.id,
                                             send_after=uow.now))


# -- the sender's side (system operations, no acting user) ---------------------------------


@dataclass
class FlushReport:
    """What one flush did (``sender.flush``): outbox ids per result, and the tickets whose
    mail changed state. Here, not in the sender, so that a flush with nothing due
    (``Desk.flush_outbox``) imports none of the sending modules."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    ticket_ids: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        if not (self.sent or self.retrying or self.failed):
            return _("Nothing to send.")
        parts = []
        # The counted things are e-mails.
        if self.sent:
            parts.append(ngettext("{count} sent", "{count} sent",
                                  len(self.sent)).format(count=len(self.sent)))
        if self.retrying:
            parts.append(ngettext("{count} will be retried", "{count} will be retried",
                                  len(self.retrying)).format(count=len(self.retrying)))
        if self.failed:
            parts.append(ngettext("{count} failed", "{count} failed",
                                  len(self.failed)).format(count=len(self.failed)))
        text = ", ".join(parts) + "."
        if self.errors:
            text += " " + self.errors[-1]
        return text[0].upper() + text[1:]


def due_ids(uow: UnitOfWork, limit: int = 100) -> list[int]:
    """Rows whose time has come, oldest first (including claims left by a dead sender)."""
    with uow.read_only():
        stale = uow.now - STALE_CLAIM
        return list(uow.session.scalars(
            select(OutboxItem.id)
            .where(((OutboxItem.state == OutboxState.QUEUED)
                    & (OutboxItem.next_attempt_at <= uow.now))
                   | ((OutboxItem.state == OutboxState.SENDING)
                      & (OutboxItem.claimed_at <= stale)))
            .order_by(OutboxItem.next_attempt_at, OutboxItem.id).limit(limit)))


def claim(uow: UnitOfWork, outbox_id: int) -> str | None:
    """Take the row for sending; the claim token, or ``None`` when another sender has it (or
    it was cancelled meanwhile). One UPDATE with the state in its WHERE: atomic on SQLite and
    PostgreSQL alike."""
    token = random_tokens.token_hex(16)
    with uow:
        stale = uow.now - STALE_CLAIM
        done = _rows(uow.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == outbox_id,
                   ((OutboxItem.state == OutboxState.QUEUED)
                    & (OutboxItem.next_attempt_at <= uow.now))
                   | ((OutboxItem.state == OutboxState.SENDING)
                      & (OutboxItem.claimed_at <= stale)))
            .values(state=OutboxState.SENDING, claim_token=token, claimed_at=uow.now,
                    attempts=OutboxItem.attempts + 1)
            .execution_options(synchronize_session=False)))
        uow.commit()
        return token if done == 1 else None


def mark_sent(uow: UnitOfWork, outbox_id: int, token: str, sent_at: dt.datetime,
              note: Sentence | None = None, *, as_sent: EmailMessage | None = None) -> bool:
    """The server accepted the e-mail: record it. The reply then shows what really left:
    ``as_sent``'s From, To, Cc and Date (without it, ``sent_at`` becomes the reply's date)."""
    with uow:
        done = _rows(uow.session.execute(
            update(OutboxItem).where(OutboxItem.id == outbox_id, OutboxItem.claim_token == token)
            .values(state=OutboxState.SENT, sent_at=sent_at, claim_token=None,
                    last_error=note.english() if note else None,
                    error_sentence=note.to_json() if note else None)
            .execution_options(synchronize_session=False)))
        item = uow.session.get(OutboxItem, outbox_id)
        if item is not None and done == 1:
            uow.session.execute(update(Message).where(Message.id == item.message_id)
                                .values(**_as_sent(as_sent, sent_at))
                                .execution_options(synchronize_session=False))
        uow.commit()
        return done == 1


def _as_sent(mime: EmailMessage | None, sent_at: dt.datetime) -> dict[str, object]:
    """The message columns that record the headers as sent."""
    if mime is None:
        return {"sent_at": sent_at}
    values: dict[str, object] = {}
    date = mime["Date"]
    when = getattr(date, "datetime", None)
    values["sent_at"] = when.astimezone(dt.UTC) if when is not None and when.tzinfo else sent_at
    sender = mime["From"]
    found = getattr(sender, "addresses", ())
    if found:
        values["author_name"] = (found[0].display_name or found[0].addr_spec)[:200]
        values["author_email"] = found[0].addr_spec
    for header, column in (("To", "to_addresses"), ("Cc", "cc_addresses")):
        field = mime[header]
        values[column] = ", ".join(a.addr_spec for a in getattr(field, "addresses", ()))
    return values


def mark_failed(uow: UnitOfWork, outbox_id: int, token: str, error: Sentence | str, *,
                permanent: bool) -> OutboxState:
    """The attempt failed: retry later with backoff, or give up (permanent refusal, or too
    many attempts). Returns the new state."""
    with uow:
        item = uow.session.get(OutboxItem, outbox_id)
        if item is None or item.claim_token != token:
            return OutboxState.SENDING
        give_up = permanent or item.attempts >= MAX_ATTEMPTS
        item.state = OutboxState.FAILED if give_up else OutboxState.QUEUED
        if isinstance(error, Sentence):  # kept in English, and as a sentence for its reader
            item.last_error, item.error_sentence = error.english(), error.to_json()
        else:
            item.last_error, item.error_sentence = error, None
        item.claim_token = None
        item.next_attempt_at = uow.now + backoff(item.attempts)
        uow.commit()
        return item.state
