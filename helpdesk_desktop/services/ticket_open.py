"""Opening a ticket in the ticket view: one read, then marking it read.

:func:`open_ticket` reads, in one read-only transaction, everything the view shows when a
ticket opens: the detail with the newest messages of each conversation, the users an owner is
chosen from, the actor's signature and draft, and the newest customer message (the composer
checks a reply against it). Nothing is written, so the read takes no write lock and waits for
no commit. :func:`mark_opened_read` then marks the ticket read for the actor as of the activity
the view showed: activity that arrived since stays unread.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import Direction
from helpdesk_desktop.domain.models import Conversation, Draft, Message, Team, User
from helpdesk_desktop.services import access, read_state, tickets
from helpdesk_desktop.services.dto import (
    DraftInfo,
    OpenedTicket,
    OpResult,
    TicketDetail,
    UserInfo,
)
from helpdesk_desktop.services.listing import visible_states
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import PREPARED

#: The newest messages of each conversation read when a ticket opens (the view's first screen
#: and more; older ones are read when the agent asks, ``thread_pages.earlier_messages``).
OPEN_MESSAGES = 30
#: Statements by key, planned once per connection on PostgreSQL (see ``detail_read``).
_PREPARED = {PREPARED: True}


def open_ticket(uow: UnitOfWork, ticket_id: int, *,
                last_messages: int = OPEN_MESSAGES) -> OpenedTicket:
    """What the ticket view needs to show ``ticket_id`` (a merged id opens its survivor).

    Spam and deleted tickets open only for users with the delete permission, as in
    :func:`tickets.get_ticket`; nothing is marked read here (:func:`mark_opened_read`)."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id,
                                           states=visible_states(actor))
        detail = tickets.read_detail(session, actor, ticket, None, max(1, last_messages))
        users = session.execute(_users_statement()).all()
        draft = session.get(Draft, (ticket.id, actor.id), execution_options=_PREPARED)
        return OpenedTicket(
            detail=detail, users=tuple(UserInfo(**u._mapping) for u in users),
            signature=actor.signature or "",
            draft=None if draft is None else DraftInfo(
                ticket_id=draft.ticket_id, mode=draft.mode, body=draft.body,
                to=draft.to_addresses, cc=draft.cc_addresses, updated_at=draft.updated_at),
            newest_incoming_id=_newest_incoming(session, detail))


@cache
def _users_statement() -> Select[*tuple[Any, ...]]:
    """The active users with their team's name (built once: see ``detail_read``)."""
    return (select(User.id, User.name, User.email, User.role, User.team_id,
                   Team.name.label("team_name"), User.help_desk_access, User.service_seat,
                   User.can_delete_tickets, User.account_access, User.super_admin, User.scope,
                   User.notify_record_updates, User.time_zone)
            .outerjoin(Team, Team.id == User.team_id)
            .where(User.active.is_(True)).order_by(User.name, User.id)
            .execution_options(**_PREPARED))


def _newest_incoming(session: Session, detail: TicketDetail) -> int | None:
    """The newest customer message of the ticket: among those read, unless older ones were
    left out (then asked, as ``composing.latest_customer_message_id`` does)."""
    if not any(c.earlier for c in detail.conversations):
        ids = [m.id for c in detail.conversations for m in c.messages
               if m.direction is Direction.INCOMING]
        return max(ids) if ids else None
    found = session.scalar(
        select(func.max(Message.id))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.ticket_id == detail.id, Conversation.spam_at.is_(None),
               Message.direction == Direction.INCOMING))
    return int(found) if found is not None else None


def mark_opened_read(uow: UnitOfWork, ticket_id: int, seen_activity_at: dt.datetime) -> OpResult:
    """Mark ``ticket_id`` read for the actor only, as of ``seen_activity_at`` (the last
    activity of the ticket as the view showed it): later activity, from another process
    meanwhile, stays unread. A read time already as late is kept; nothing is written then,
    and the result names no ticket."""
    with uow:
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id,
                                           states=visible_states(actor))
        seen = min(seen_activity_at, uow.now)
        state = read_state.get_read_state(session, ticket.id, actor.id)
        if (state is not None and not state.forced_unread and state.read_at is not None
                and state.read_at >= seen):
            return OpResult("")
        if state is not None and state.read_at is not None:
            seen = max(seen, state.read_at)
        read_state.set_read(session, ticket.id, actor.id, seen)
        uow.commit()
        return OpResult("", changed_ticket_ids=(ticket.id,))
