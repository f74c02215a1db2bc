"""What the composer needs besides sending: drafts kept in the database (per ticket and user,
so two windows agree and a restart loses nothing), the agent's signature, and whether the
customer wrote again since the agent opened the ticket."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from helpdesk_desktop.domain.enums import Direction
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Conversation, Draft, Message
from helpdesk_desktop.services import access
from helpdesk_desktop.services.dto import DraftInfo
from helpdesk_desktop.services.listing import visible_states
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import without_nul

DRAFT_MODES = ("reply", "note", "comment")
MAX_DRAFT = 1_000_000
MAX_SIGNATURE = 5_000


def get_draft(uow: UnitOfWork, ticket_id: int) -> DraftInfo | None:
    """The actor's draft on a ticket they can see (spam included, for those who see spam),
    or None."""
    with uow.read_only():
        ticket = access.get_visible_ticket(uow.session, uow.actor, ticket_id,
                                           states=visible_states(uow.actor))
        draft = uow.session.get(Draft, (ticket.id, uow.actor.id))
        if draft is None:
            return None
        return DraftInfo(ticket_id=draft.ticket_id, mode=draft.mode, body=draft.body,
                         to=draft.to_addresses, cc=draft.cc_addresses,
                         updated_at=draft.updated_at)


def save_draft(uow: UnitOfWork, ticket_id: int, mode: str, body: str, to: str = "",
               cc: str = "") -> None:
    """Keep (or, when ``body`` is blank, drop) the actor's draft on a ticket."""
    if mode not in DRAFT_MODES:
        raise InvalidInput(_("Unknown composer mode '{mode}'.").format(mode=mode))
    body = without_nul(body)
    if len(body) > MAX_DRAFT:
        raise InvalidInput(_("The draft is too long to keep."))
    with uow:
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id)
        draft = session.get(Draft, (ticket.id, actor.id))
        if not body.strip():
            if draft is not None:
                session.delete(draft)
                uow.commit()
            return
        if draft is None:
            draft = Draft(ticket_id=ticket.id, user_id=actor.id)
            session.add(draft)
        draft.mode = mode
        draft.body = body
        draft.to_addresses = without_nul(to)[:5000]
        draft.cc_addresses = without_nul(cc)[:5000]
        draft.updated_at = uow.now
        uow.commit()


def discard_draft(uow: UnitOfWork, ticket_id: int) -> None:
    with uow:
        uow.session.execute(delete(Draft).where(Draft.ticket_id == ticket_id,
                                                Draft.user_id == uow.actor.id))
        uow.commit()


def latest_customer_message_id(uow: UnitOfWork, ticket_id: int) -> int | None:
    """The id of the newest message the customer wrote on a ticket (None: none yet). The
    composer compares it with the one it saw when the ticket was opened."""
    with uow.read_only():
        ticket = access.get_visible_ticket(uow.session, uow.actor, ticket_id)
        found = uow.session.scalar(
            select(func.max(Message.id))
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.ticket_id == ticket.id, Conversation.spam_at.is_(None),
                   Message.direction == Direction.INCOMING))
        return int(found) if found is not None else None


def get_signature(uow: UnitOfWork) -> str:
    with uow.read_only():
        return uow.actor.signature or ""


def set_signature(uow: UnitOfWork, text: str, *,
                  record_updates: bool | None = None) -> None:
    """The actor's signature, added below their replies (and, in the same transaction, their
    notification preference when ``record_updates`` is given: the Preferences dialog)."""
    text = without_nul(text).strip("\n")
    if len(text) > MAX_SIGNATURE:
        raise InvalidInput(_("A signature is at most {maximum} characters.").format(
                               maximum=MAX_SIGNATURE))
    with uow:
        uow.actor.signature = text
        if record_updates is not None:
            uow.actor.notify_record_updates = bool(record_updates)
        uow.commit()
