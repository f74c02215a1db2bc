"""Per-user read state: a ticket is unread for a user when it has activity by someone else
newer than their last read, or when they marked it unread."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, select, text
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.models import ReadState, Ticket
from helpdesk_desktop.domain.types import UTCDateTime
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.row_values import is_unread_at
from helpdesk_desktop.services.upsert import upsert


def get_read_state(session: Session, ticket_id: int, user_id: int) -> ReadState | None:
    return session.get(ReadState, (ticket_id, user_id))


def set_read(session: Session, ticket_id: int, user_id: int, when: dt.datetime) -> None:
    set_many(session, [ticket_id], user_id, when)


def set_unread(session: Session, ticket_id: int, user_id: int) -> None:
    set_many(session, [ticket_id], user_id, None)


def set_many(session: Session, ticket_ids: Sequence[int], user_id: int,
             read_at: dt.datetime | None) -> None:
    """Mark many tickets read at ``read_at`` (``None``: unread) for ``user_id``.

    One upsert per chunk (``INSERT … ON CONFLICT DO UPDATE``): the same user marking the same
    ticket from two windows at once never fails on the existing row. Marking unread keeps the
    last read time.
    """
    table = ReadState.__table__
    session.flush()
    postgresql = session.get_bind().dialect.name == "postgresql"
    for chunk in chunks(ticket_ids):
        if postgresql:
            session.connection().execute(_pg_upsert(read_at is None), {
                "ids": list(dict.fromkeys(chunk)), "user_id": user_id, "read_at": read_at})
            continue
        rows = [{"ticket_id": t, "user_id": user_id, "read_at": read_at,
                 "forced_unread": read_at is None} for t in dict.fromkeys(chunk)]
        changed = ["forced_unread"] if read_at is None else ["read_at", "forced_unread"]
        upsert(session, table, rows, key=("ticket_id", "user_id"),  # type: ignore[arg-type]
               update=changed)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, ReadState):
            session.expire(obj)


@functools.cache
def _pg_upsert(unread: bool) -> Any:
    """PostgreSQL: :func:`set_many`'s upsert with the tickets as one array parameter: the same
    short SQL text for any number of tickets, where the ``VALUES`` of 500 rows was ~2,000
    parameters that SQLAlchemy processed and psycopg parsed again at each execution (its
    parse cache stops at 4 KB of text). The rows are written in ticket order, whatever the
    caller's: two writers lock the read states they share in the same order (a ``VALUES``
    list locked them in the order given, and two lists in different orders could deadlock)."""
    changed = ("forced_unread = excluded.forced_unread" if unread else
               "read_at = excluded.read_at, forced_unread = excluded.forced_unread")
    return text(
        "INSERT INTO read_states (ticket_id, user_id, read_at, forced_unread) "
        "SELECT t.id, :user_id, CAST(:read_at AS timestamp without time zone), "
        f"{'true' if unread else 'false'} "
        "FROM unnest(CAST(:ids AS integer[])) AS t(id) ORDER BY t.id "
        f"ON CONFLICT (ticket_id, user_id) DO UPDATE SET {changed}").bindparams(
            bindparam("read_at", type_=UTCDateTime()))


def is_unread(state: ReadState | None, last_activity_at: dt.datetime) -> bool:
    if state is None:
        return True
    return is_unread_at(state.read_at, state.forced_unread, last_activity_at)


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

