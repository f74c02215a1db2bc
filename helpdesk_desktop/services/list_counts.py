"""How many tickets a list holds: a query's count, each view's count, a board column's count.

Counting ticket by ticket reads every matching ticket (seconds at a million). The counts read
counter rows kept by database triggers instead (migrations 0006 and 0010) wherever a query's
conditions are those the counters are keyed by, and fall back to a ``COUNT`` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from sqlalchemy import (
    ColumnElement,
    func,
    select,
)
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import (
    AccessScope,
    TicketState,
    View,
)
from helpdesk_desktop.domain.models import (
    Conversation,
    FollowCount,
    ReadCount,
    Ticket,
    TicketCount,
    TicketStatusCount,
    User,
)
from helpdesk_desktop.services import access, listing, saved_views
from helpdesk_desktop.services.dto import (
    TicketFilters,
    TicketQuery,
)
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.stoppable import stoppable


def count_tickets(uow: UnitOfWork, query: TicketQuery,
                  stop: Callable[[], bool] | None = None) -> int:
    """How many tickets ``query`` matches; on SQLite, a ``COUNT`` ends early with
    :class:`~helpdesk_desktop.domain.errors.Stopped` once ``stop()`` says its answer is no
    longer wanted (:mod:`~helpdesk_desktop.storage.stoppable`).

    A built-in view without filters or search is counted as :func:`view_counts` counts it
    (``ticket_counts`` and the actor's own small sets): counting "live and not read" or "live
    and followed" ticket by ticket reads every live ticket. A view of state, open/closed and
    owner narrowed by status, pipeline or owner (a board column) sums
    ``ticket_status_counts``. Anything else is a ``COUNT``."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = saved_views.resolve(session, actor, query)
        if not resolved.search.strip() and resolved.filters == TicketFilters():
            access.require_view(resolved.view, actor)
            return _count_views(session, actor, [resolved.view])[resolved.view]
        counted = _status_count(session, actor, resolved)
        if counted is not None:
            return counted
        counting = select(func.count()).select_from(Ticket).where(
            *listing.where_clauses(session, actor, resolved))
        with stoppable(session.connection(), stop):
            return int(session.scalar(counting) or 0)


#: The views ``ticket_status_counts`` can count: (state, open/closed or None: both).
_STATE_VIEWS = {
    View.ALL_OPEN: (TicketState.LIVE, 1), View.ASSIGNED_TO_ME: (TicketState.LIVE, 1),
    View.UNASSIGNED: (TicketState.LIVE, 1), View.CLOSED: (TicketState.LIVE, 0),
    View.ALL: (TicketState.LIVE, None), View.RECENTLY_DELETED: (TicketState.DELETED, None),
}


def _status_count(session: Session, actor: User, query: TicketQuery) -> int | None:
    """The count of ``query`` from ``ticket_status_counts``; ``None`` when its conditions are
    not all among the counters' key (a search, a priority, category or inbox filter, or a
    view of followers, read states or spam conversations)."""
    clauses = _counter_clauses(session, actor, query)
    if clauses is None:
        return None
    if not clauses:
        return 0  # access.visible_clause: nothing
    return int(session.scalar(select(func.coalesce(func.sum(TicketStatusCount.n), 0))
                              .where(*clauses)) or 0)


def _counter_clauses(session: Session, actor: User,
                     query: TicketQuery) -> list[ColumnElement[bool]] | None:
    """The conditions on ``ticket_status_counts`` that count ``query``: ``None`` when the
    counters cannot answer it, no condition when the actor sees no ticket at all."""
    f = query.filters
    if (query.search.strip() or f.priorities or f.categories or f.inbox_ids
            or query.view not in _STATE_VIEWS):
        return None
    access.require_view(query.view, actor)
    if not (actor.help_desk_access or actor.super_admin):
        return []
    state, is_open = _STATE_VIEWS[query.view]
    counts = TicketStatusCount
    clauses: list[ColumnElement[bool]] = [counts.state == state.value]
    if is_open is not None:
        clauses.append(counts.is_open == is_open)
    if query.view is View.ASSIGNED_TO_ME:
        clauses.append(counts.owner_key == actor.id)
    elif query.view is View.UNASSIGNED:
        clauses.append(counts.owner_key == 0)
    if f.owner_ids:
        clauses.append(counts.owner_key.in_([o or 0 for o in f.owner_ids]))
    if f.status_ids:
        clauses.append(counts.status_id.in_(f.status_ids))
    if f.pipeline_ids:
        clauses.append(counts.pipeline_id.in_(f.pipeline_ids))
    owners = _visible_owner_keys(session, actor)
    if owners is not None:
        clauses.append(counts.owner_key.in_(sorted(owners)))
    return clauses


def counted_by_statuses(session: Session, actor: User, query: TicketQuery,
                        status_ids: Sequence[int]) -> dict[int, int] | None:
    """The count of ``query`` (resolved) narrowed to each of ``status_ids`` (a board's
    columns), from the counter rows in one grouped statement, in the caller's transaction;
    ``None`` when they cannot answer it. The same figures as :func:`counted_by_status` for
    each status's narrowed query."""
    narrowed = replace(query, filters=replace(query.filters, status_ids=tuple(status_ids)))
    clauses = _counter_clauses(session, actor, narrowed)
    if clauses is None:
        return None
    found = dict.fromkeys(status_ids, 0)
    if clauses and status_ids:
        counts = TicketStatusCount
        for status_id, n in session.execute(
                select(counts.status_id, func.coalesce(func.sum(counts.n), 0))
                .where(*clauses).group_by(counts.status_id)):
            found[status_id] = int(n or 0)
    return found


def view_counts(uow: UnitOfWork) -> dict[View, int]:
    """How many tickets each built-in view holds for the actor (restricted views only for
    users with the delete permission).

    The views that depend on state, open/closed and owner read ``ticket_counts`` (a few rows
    kept by triggers); Following and Unread the actor's rows of ``follow_counts`` and
    ``read_counts`` (kept by triggers too); the spam conversations are counted through their
    index (a few). No query reads every ticket.
    """
    with uow.read_only():
        session, actor = uow.session, uow.actor
        views = [view for view in View if view not in access.RESTRICTED_VIEWS
                 or access.reason_missing_delete(actor) is None]
        return _count_views(session, actor, views)


def _count_views(session: Session, actor: User, views: list[View]) -> dict[View, int]:
    """The counts of ``views`` (permission checked by the caller)."""
    owners = _visible_owner_keys(session, actor)
    totals: dict[tuple[str, int], int] = {}
    mine = unassigned = 0
    for state, is_open, owner_key, n in session.execute(
            select(TicketCount.state, TicketCount.is_open, TicketCount.owner_key,
                   TicketCount.n)):
        if owners is not None and owner_key not in owners:
            continue
        totals[(state, is_open)] = totals.get((state, is_open), 0) + n
        if state == TicketState.LIVE.value and is_open:
            mine += n if owner_key == actor.id else 0
            unassigned += n if owner_key == 0 else 0
    live_open = totals.get((TicketState.LIVE.value, 1), 0)
    live = live_open + totals.get((TicketState.LIVE.value, 0), 0)
    visible = access.visible_clause(actor)
    is_live = Ticket.state == TicketState.LIVE

    def count(*clauses: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(Ticket)
                                  .where(visible, *clauses)) or 0)

    found = {
        View.ALL_OPEN: live_open,
        View.ASSIGNED_TO_ME: mine,
        View.UNASSIGNED: unassigned,
        View.CLOSED: totals.get((TicketState.LIVE.value, 0), 0),
        View.ALL: live,
        View.RECENTLY_DELETED: sum(n for (state, _open), n in totals.items()
                                   if state == TicketState.DELETED.value),
    }
    spam_tickets = sum(n for (state, _open), n in totals.items()
                       if state == TicketState.SPAM.value)
    counted = {View.SPAM: lambda: spam_tickets + count(is_live, Ticket.id.in_(
                   select(Conversation.ticket_id).where(Conversation.spam_at > listing.EPOCH))),
               View.FOLLOWING: lambda: _user_count(session, actor, FollowCount, owners),
               View.UNREAD: lambda: live - _user_count(session, actor, ReadCount, owners)}
    return {view: found[view] if view in found else counted[view]() for view in views}


def _visible_owner_keys(session: Session, actor: User) -> set[int] | None:
    """The owner keys (0: unassigned) of the tickets ``actor`` may see; ``None``: all."""
    scope = access.effective_scope(actor)
    if scope is AccessScope.ALL:
        return None
    if scope is AccessScope.TEAM and actor.team_id is not None:
        return {0, *session.scalars(select(User.id).where(User.team_id == actor.team_id))}
    return {0, actor.id}


def _user_count(session: Session, actor: User, counts: type[ReadCount | FollowCount],
                owners: set[int] | None) -> int:
    """The actor's read (or followed) live tickets that the actor may see, from the counter
    rows of migration 0011 (one per owner)."""
    if not (actor.help_desk_access or actor.super_admin):
        return 0  # access.visible_clause: nothing
    statement = (select(func.coalesce(func.sum(counts.n), 0))
                 .where(counts.user_id == actor.id))
    if owners is not None:
        statement = statement.where(counts.owner_key.in_(sorted(owners)))
    return int(session.scalar(statement) or 0)


def counted_by_status(session: Session, actor: User, query: TicketQuery) -> int | None:
    """The count of ``query`` (resolved) from the counter rows, in the caller's transaction;
    ``None`` when they cannot answer it (a board then counts with ``COUNT``)."""
    return _status_count(session, actor, query)
