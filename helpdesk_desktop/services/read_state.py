"""Per-user read state: a ticket is unread for a user when it has activity by someone else
newer than their last read, or when they marked it unread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.models import ReadState, Ticket
from helpdesk_desktop.services.id_lists import chunks


def get_read_state(session: Session, ticket_id: int, user_id: int) -> ReadState | None:
    return session.get(ReadState, (ticket_id, user_id))


def set_read(session: Session, ticket_id: int, user_id: int, when: dt.datetime) -> None:
    state = get_read_state(session, ticket_id, user_id)
    if state is None:
        session.add(ReadState(ticket_id=ticket_id, user_id=user_id, read_at=when,
                              forced_unread=False))
    else:
        state.read_at = when
        state.forced_unread = False


def set_unread(session: Session, ticket_id: int, user_id: int) -> None:
    state = get_read_state(session, ticket_id, user_id)
    if state is None:
        session.add(ReadState(ticket_id=ticket_id, user_id=user_id, read_at=None,
                              forced_unread=True))
    else:
        state.forced_unread = True


def set_many(session: Session, ticket_ids: Sequence[int], user_id: int,
             read_at: dt.datetime | None) -> None:
    """Mark many tickets read at ``read_at`` (``None``: unread) for ``user_id``, reading the
    existing states a chunk at a time instead of one query per ticket."""
    for chunk in chunks(ticket_ids):
        states = {s.ticket_id: s for s in session.scalars(select(ReadState).where(
            ReadState.user_id == user_id, ReadState.ticket_id.in_(chunk)))}
        for ticket_id in chunk:
            state = states.get(ticket_id)
            if state is None:
                session.add(ReadState(ticket_id=ticket_id, user_id=user_id, read_at=read_at,
                                      forced_unread=read_at is None))
            elif read_at is None:
                state.forced_unread = True
            else:
                state.read_at = read_at
                state.forced_unread = False


def is_unread(state: ReadState | None, last_activity_at: dt.datetime) -> bool:
    if state is None or state.read_at is None or state.forced_unread:
        return True
    return last_activity_at > state.read_at


def unread_clause(user_id: int) -> ColumnElement[bool]:
    """SQL condition on ``Ticket``: unread for ``user_id`` (same rule as :func:`is_unread`)."""
    read = (
        select(ReadState.ticket_id)
        .where(
            ReadState.ticket_id == Ticket.id,
            ReadState.user_id == user_id,
            ReadState.forced_unread.is_(False),
            ReadState.read_at.is_not(None),
            ReadState.read_at >= Ticket.last_activity_at,
        )
    )
    return ~exists(read)

