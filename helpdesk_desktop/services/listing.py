"""Ticket lists: views, filters, search, sorting and keyset paging.

A page is found by key (the sort value and id of the last row seen), never by OFFSET, so the
hundredth page costs what the first does. The page's ids come first; its rows are then read
in one statement (``list_rows.py``); pages sorted by status, owner, priority, category or
contact are read by value (``grouped_sorts.py``). Counts are in ``list_counts.py``, saved
views in ``saved_views.py``.

Null sort values (no priority, no owner...) come after every value in ascending order and
before them in descending order, on both back-ends, and the keyset condition follows the same
rule, so paging never skips or repeats a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, Session, aliased
from sqlalchemy.sql.elements import True_

from helpdesk_desktop.domain.enums import (
    Category,
    Priority,
    SortKey,
    TicketState,
    View,
)
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import (
    Conversation,
    Follower,
    Status,
    Ticket,
    User,
)
from helpdesk_desktop.services import (
    access,
    grouped_sorts,
    list_rows,
    read_state,
    saved_views,
    search,
    search_order,
)
from helpdesk_desktop.services.dto import (
    Page,
    PageCursor,
    Slice,
    TicketFilters,
    TicketQuery,
    TicketRow,
)
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.uow import UnitOfWork

MAX_LIMIT = 1000
#: The rows of a page (in list_rows.py; tickets.py reads it here too).
load_rows = list_rows.load_rows
SNIPPET_LENGTH = 140

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Aliases are made once: making one (and its column collection) costs about as much as the SQL
# of a whole page, and they hold no state.
_SPAM_TICKET = aliased(Ticket, name="spam_ticket")  # not the outer query's tickets
# Not the outer query's conversations either: a search's message batch (PostgreSQL) joins
# ``conversations``, which the Spam view's subqueries would otherwise correlate to.
_SPAM_CONVERSATION = aliased(Conversation, name="spam_conversation")
_SORT_STATUS = aliased(Status, name="sort_status")
_SORT_OWNER = aliased(User, name="sort_owner")
_ROW_OWNER = aliased(User, name="row_owner")


# -- what a query matches ------------------------------------------------------------------


def _spam_clause() -> ColumnElement[bool]:
    """Spam tickets, and live tickets with a conversation marked as spam.

    Both sets are small and indexed (the state indexes, ``ix_conversations_spam_at``): the
    ids come from them, instead of an OR that tests every ticket.
    """
    spam = _SPAM_TICKET
    spam_ids: CompoundSelect[Any] = union(
        select(spam.id.label("id")).where(spam.state == TicketState.SPAM),
        # "Marked after 1970" is "marked": after ANALYZE, SQLite takes ``IS NOT NULL`` on a
        # column that is nearly always null for a scan of every conversation, but reads
        # a range of the index for this.
        select(_SPAM_CONVERSATION.ticket_id.label("id"))
        .where(_SPAM_CONVERSATION.spam_at > EPOCH),
    )
    return and_(Ticket.id.in_(spam_ids),
                or_(Ticket.state == TicketState.SPAM,
                    and_(Ticket.state == TicketState.LIVE, _has_spam_conversation())))


def _spam_parts() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The Spam view as its two disjoint halves: spam tickets (a range of the state indexes,
    in any sort order) and live tickets with a spam conversation (a few, from
    ``ix_conversations_spam_at``); together, :func:`_spam_clause`."""
    return (Ticket.state == TicketState.SPAM,
            and_(Ticket.state == TicketState.LIVE,
                 Ticket.id.in_(select(_SPAM_CONVERSATION.ticket_id)
                               .where(_SPAM_CONVERSATION.spam_at > EPOCH)),
                 _has_spam_conversation()))


def _has_spam_conversation() -> ColumnElement[bool]:
    spam = _SPAM_CONVERSATION
    return exists(select(spam.id).where(spam.ticket_id == Ticket.id, spam.spam_at.is_not(None)))


def _following_clause(user_id: int) -> ColumnElement[bool]:
    return exists(select(Follower.ticket_id).where(Follower.ticket_id == Ticket.id,
                                                   Follower.user_id == user_id))


def _following_pg(user_id: int) -> ColumnElement[bool]:
    """PostgreSQL's Following: the user's followed ids first (``ix_followers_user_id``), the
    tickets then read by key. The EXISTS form walks the list's index and probes the
    followers of each ticket: 17,000 tickets read for a page of an agent following one
    ticket in a hundred (100,000 tickets), which SQLite's planner avoids by itself."""
    from helpdesk_desktop.services import search_pg  # loads SQLAlchemy's PostgreSQL dialect

    return search_pg.in_array(Ticket.id, select(Follower.ticket_id)
                              .where(Follower.user_id == user_id))


def view_clause(view: View, actor: User, dialect: str = "sqlite") -> ColumnElement[bool]:
    """SQL condition on ``Ticket`` for a built-in view (permission checked by the caller);
    ``dialect``: the database's (some views take another form on PostgreSQL)."""
    live = Ticket.state == TicketState.LIVE
    is_open = Ticket.closed_at.is_(None)
    if view is View.ALL_OPEN:
        return and_(live, is_open)
    if view is View.ASSIGNED_TO_ME:
        return and_(live, is_open, Ticket.owner_id == actor.id)
    if view is View.UNASSIGNED:
        return and_(live, is_open, Ticket.owner_id.is_(None))
    if view is View.FOLLOWING:
        if dialect == "postgresql":
            return and_(live, _following_pg(actor.id))
        return and_(live, _following_clause(actor.id))
    if view is View.UNREAD:
        return and_(live, read_state.unread_clause(actor.id))
    if view is View.SPAM:
        return _spam_clause()
    if view is View.RECENTLY_DELETED:
        return Ticket.state == TicketState.DELETED
    if view is View.CLOSED:
        return and_(live, Ticket.closed_at.is_not(None))
    if view is View.ALL:
        return live
    raise InvalidInput(_("Unknown view '{view}'.").format(view=view))



def filters_clause(filters: TicketFilters) -> list[ColumnElement[bool]]:
    """SQL conditions for the list filters (empty tuples add nothing)."""
    clauses: list[ColumnElement[bool]] = []
    if filters.status_ids:
        clauses.append(Ticket.status_id.in_(filters.status_ids))
    if filters.priorities:
        clauses.append(Ticket.priority.in_([Priority(p) for p in filters.priorities]))
    if filters.owner_ids:
        owners = [o for o in filters.owner_ids if o is not None]
        either: list[ColumnElement[bool]] = []
        if owners:
            either.append(Ticket.owner_id.in_(owners))
        if None in filters.owner_ids:
            either.append(Ticket.owner_id.is_(None))
        clauses.append(or_(*either))
    if filters.categories:
        clauses.append(Ticket.category.in_([Category(c) for c in filters.categories]))
    if filters.pipeline_ids:
        clauses.append(Ticket.pipeline_id.in_(filters.pipeline_ids))
    if filters.inbox_ids:
        clauses.append(Ticket.inbox_id.in_(filters.inbox_ids))
    return clauses



def where_clauses(session: Session, actor: User, query: TicketQuery, *,
                  first_rows: bool = False,
                  view_condition: ColumnElement[bool] | None = None) -> list[ColumnElement[bool]]:
    """The query's conditions; ``first_rows``: for a page (a LIMIT in the list's order), which
    lets a search test tickets in that order instead of collecting every match first;
    ``view_condition``: in place of the view's own condition (a part of it)."""
    access.require_view(query.view, actor)
    view = (view_clause(query.view, actor, session.get_bind().dialect.name)
            if view_condition is None else view_condition)
    clauses = [access.visible_clause(actor), view, *filters_clause(query.filters)]
    if query.search.strip():
        clauses.append(search.search_clause(session, query.search, first_rows=first_rows))
    return clauses


# -- sorting and keyset paging -------------------------------------------------------------


@dataclass(frozen=True)
class _SortKeyExpr:
    expr: ColumnElement[Any] | QueryableAttribute[Any]
    nullable: bool


def _sort_plan(sort: SortKey) -> tuple[list[_SortKeyExpr], list[tuple[Any, Any]]]:
    """The sort expressions (before the id tie-breaker) and the outer joins they need."""
    if sort is SortKey.NAME:
        return [_SortKeyExpr(Ticket.name, False)], []
    if sort is SortKey.STATUS:
        status = _SORT_STATUS
        return ([_SortKeyExpr(status.position, False), _SortKeyExpr(status.name, False)],
                [(status, status.id == Ticket.status_id)])
    if sort is SortKey.PRIORITY:
        return [_SortKeyExpr(Ticket.priority, True)], []
    if sort is SortKey.OWNER:
        owner = _SORT_OWNER
        return [_SortKeyExpr(owner.name, True)], [(owner, owner.id == Ticket.owner_id)]
    if sort is SortKey.CATEGORY:
        return [_SortKeyExpr(Ticket.category, True)], []
    if sort is SortKey.CONTACT:
        # The first contact's name, stored on the ticket by triggers (migration 0009).
        return [_SortKeyExpr(Ticket.contact_sort, True)], []
    if sort is SortKey.CREATED:
        return [_SortKeyExpr(Ticket.created_at, False)], []
    if sort is SortKey.LAST_ACTIVITY:
        return [_SortKeyExpr(Ticket.last_activity_at, False)], []
    if sort is SortKey.ID:
        return [], []
    if sort is SortKey.NEWEST_HIT:  # a search's order: search_order.py (else as_read)
        return [_SortKeyExpr(Ticket.last_activity_at, False)], []
    raise InvalidInput(_("Cannot sort on '{sort}'.").format(sort=sort))


def _order_by(keys: list[_SortKeyExpr], descending: bool) -> list[Any]:
    order: list[Any] = []
    for key in keys:
        if descending:
            order.append(key.expr.desc().nulls_first() if key.nullable else key.expr.desc())
        else:
            order.append(key.expr.asc().nulls_last() if key.nullable else key.expr.asc())
    order.append(Ticket.id.desc() if descending else Ticket.id.asc())
    return order


def _after_clause(keys: list[_SortKeyExpr], cursor: PageCursor,
                  descending: bool) -> ColumnElement[bool]:
    """Rows strictly after ``cursor`` in the sort order (nulls count as the largest value)."""
    values = tuple(cursor.sort_value or ())
    if len(values) != len(keys):
        raise InvalidInput(_("This page position belongs to another sort order."))
    after_id = Ticket.id < cursor.ticket_id if descending else Ticket.id > cursor.ticket_id
    if not keys:
        return after_id
    nullable = [k for k in keys if k.nullable]
    if not nullable:
        # A row-value comparison keeps the whole condition usable as an index range.
        left = tuple_(*(k.expr for k in keys), Ticket.id)
        right = tuple_(*(_typed(k, v) for k, v in zip(keys, values)), cursor.ticket_id)
        return left < right if descending else left > right
    if len(keys) != 1:
        raise AssertionError("nullable sort keys come alone")
    expr, value = keys[0].expr, values[0]
    if value is None:
        if descending:  # nulls came first: every non-null value is still to come
            return or_(expr.is_not(None), and_(expr.is_(None), after_id))
        return and_(expr.is_(None), after_id)
    bound = _typed(keys[0], value)
    if descending:
        return tuple_(expr, Ticket.id) < tuple_(bound, cursor.ticket_id)
    return or_(tuple_(expr, Ticket.id) > tuple_(bound, cursor.ticket_id), expr.is_(None))


def _typed(key: _SortKeyExpr, value: Any) -> ColumnElement[Any]:
    # Inside a row value a bare Python value would lose the column type (a Priority must be
    # bound as its rank, a datetime as naive UTC).
    return literal(value, type_=key.expr.type)


def _ids_statement(session: Session, actor: User, query: TicketQuery,
                   cursor: PageCursor | None, *, first_rows: bool = False,
                   view_condition: ColumnElement[bool] | None = None
                   ) -> tuple[Select[Any], int]:
    keys, joins = _sort_plan(query.sort)
    statement = select(Ticket.id, *(k.expr for k in keys)).select_from(Ticket)
    for target, on in joins:
        statement = statement.outerjoin(target, on)
    clauses = where_clauses(session, actor, query, first_rows=first_rows,
                            view_condition=view_condition)
    if cursor is not None:
        clauses.append(_after_clause(keys, cursor, query.descending))
    statement = statement.where(*clauses).order_by(*_order_by(keys, query.descending))
    return statement, len(keys)


def _merged_page(session: Session, actor: User, query: TicketQuery,
                 cursor: PageCursor | None, want: int,
                 parts: tuple[ColumnElement[bool], ...],
                 skip: int = 0) -> tuple[list[tuple[Any, ...]], int]:
    """Up to ``want`` (id, sort value...) rows of a view made of disjoint ``parts``: the first
    ``want`` of each part in the list's order (each an index range), then the first ``want``
    of those. One condition joining the parts would make the database collect and sort
    every ticket of every part (15,000 spam tickets at a million) before the first row."""
    keys, _joins = _sort_plan(query.sort)
    pages = []
    for part in parts:
        statement, key_count = _ids_statement(session, actor, query, cursor, first_rows=True,
                                              view_condition=part)
        pages.append(statement.limit(want + skip).subquery())
    merged = union_all(*(select(*page.c) for page in pages)).subquery()
    columns = list(merged.c)
    order = _order_by([_SortKeyExpr(column, key.nullable)
                       for column, key in zip(columns[1:], keys)], query.descending)
    order[-1] = columns[0].desc() if query.descending else columns[0].asc()
    merged_page = select(merged).order_by(*order).limit(want)
    if skip:
        merged_page = merged_page.offset(skip)
    found = [tuple(r) for r in session.execute(merged_page)]
    return found, key_count


def _check_limit(limit: int) -> int:
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput(_("A page holds between 1 and {maximum} tickets.").format(
                               maximum=MAX_LIMIT))
    return limit


# -- the public reading operations ---------------------------------------------------------


def list_tickets(uow: UnitOfWork, query: TicketQuery, *, limit: int = 50,
                 after: PageCursor | None = None) -> Page:
    """One page of the tickets ``query`` matches, after ``after`` (``None``: the first page)."""
    _check_limit(limit)
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = saved_views.resolve(session, actor, query)
        ids, next_cursor = page_ids(session, actor, resolved, after, limit)
        rows = load_rows(session, actor, ids)
        return Page(rows=tuple(rows[i] for i in ids if i in rows), next_cursor=next_cursor)


def matching_ids(uow: UnitOfWork, query: TicketQuery) -> list[int]:
    """The ids of every ticket ``query`` matches, in its sort order ("select all N")."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = search_order.as_read(saved_views.resolve(session, actor, query))
        if resolved.sort is SortKey.NEWEST_HIT:
            where = where_clauses(session, actor, replace(resolved, search=""))
            return search_order.all_ids(session, resolved.search, where, MAX_LIMIT)
        statement, _order = _ids_statement(session, actor, resolved, None)
        return [r[0] for r in session.execute(statement)]


def visible_states(actor: User) -> tuple[TicketState, ...]:
    """The ticket states whose rows ``actor`` may look at."""
    if access.reason_missing_delete(actor) is None:
        return (TicketState.LIVE, TicketState.SPAM, TicketState.DELETED)
    return (TicketState.LIVE,)


def get_rows(uow: UnitOfWork, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
    """Fresh rows for those of ``ticket_ids`` the actor may still see."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        visible: list[int] = []
        for chunk in chunks(list(dict.fromkeys(ticket_ids))):
            visible.extend(session.scalars(
                select(Ticket.id).where(Ticket.id.in_(chunk), access.visible_clause(actor),
                                        Ticket.state.in_(visible_states(actor)))))
        return load_rows(session, actor, visible)


def rows_in(uow: UnitOfWork, query: TicketQuery,
            ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
    """Fresh rows for those of ``ticket_ids`` that ``query`` matches now: the one rule of
    view membership (the same conditions as :func:`list_tickets`), so a list learns which of
    the tickets a write named stay, leave or enter it."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = saved_views.resolve(session, actor, query)
        # On PostgreSQL a common word is then tested on these tickets alone (search_pg's
        # walk) instead of collecting its every match (45,000 tickets for "bonjour").
        where = where_clauses(session, actor, resolved,
                              first_rows=session.get_bind().dialect.name == "postgresql")
        matching: list[int] = []
        for chunk in chunks(list(dict.fromkeys(ticket_ids))):
            matching.extend(session.scalars(select(Ticket.id).where(Ticket.id.in_(chunk),
                                                                    *where)))
        return load_rows(session, actor, matching)


# -- pages of ids: list_tickets, and the first page of each column of a board -------------


def page_ids(session: Session, actor: User, query: TicketQuery, after: PageCursor | None,
             limit: int) -> tuple[list[int], PageCursor | None]:
    """The ids of one page of ``query`` (resolved: no saved view) after ``after`` and the
    cursor of the page after it: what :func:`list_tickets` reads before the rows, in the
    caller's transaction."""
    _check_limit(limit)
    query = search_order.as_read(query)
    if query.sort is SortKey.NEWEST_HIT:
        where = where_clauses(session, actor, replace(query, search=""))
        return search_order.page_ids(session, query.search, where, after, limit)
    found, key_count = _found(session, actor, query, after, limit + 1)
    return _page_of(found, key_count, limit)


def _found(session: Session, actor: User, query: TicketQuery, after: PageCursor | None,
           want: int, skip: int = 0) -> tuple[list[tuple[Any, ...]], int]:
    """Up to ``want`` (id, sort value...) rows of ``query`` (resolved) after ``after``, past
    its first ``skip`` (an OFFSET over the list's own index range), and how many sort values
    each row has."""
    if query.sort in grouped_sorts.GROUPED_SORTS:
        where = where_clauses(session, actor, query, first_rows=True)
        found = [(ticket_id, *key) for ticket_id, key
                 in grouped_sorts.grouped_page(session, actor, query, where, after, want,
                                               skip)]
        key_count = len(found[0]) - 1 if found else 0
    elif query.sort is SortKey.CONTACT:
        where = where_clauses(session, actor, query, first_rows=True)
        found = grouped_sorts.contact_page(session, query, where, after, want, skip)
        key_count = 1
    elif query.view is View.SPAM:
        found, key_count = _merged_page(session, actor, query, after, want, _spam_parts(),
                                        skip)
    elif _in_followed_order(query):
        found, key_count = _followed_page(session, actor, query, after, want, skip), 1
    else:
        walked = _capped_walk(session, actor, query, after, want) if not skip else None
        if walked is not None:
            found, key_count = walked
        else:
            # (Past a skip, a PostgreSQL search collects its matches: not a capped walk.)
            statement, key_count = _ids_statement(session, actor, query, after,
                                                  first_rows=not skip)
            statement = statement.limit(want)
            if skip:
                statement = statement.offset(skip)
            found = [tuple(r) for r in session.execute(statement)]
    return found, key_count


def _in_followed_order(query: TicketQuery) -> bool:
    """Following by last activity with no search: read from the follows (migration 0017)."""
    return (query.view is View.FOLLOWING and query.sort is SortKey.LAST_ACTIVITY
            and not query.search.strip())


def _followed_page(session: Session, actor: User, query: TicketQuery,
                   after: PageCursor | None, want: int, skip: int) -> list[tuple[Any, ...]]:
    """Up to ``want`` (id, last activity) rows of the Following view in last-activity order:
    the actor's follows of live tickets, a range of ``ix_followers_user_state_activity``
    (each follow holds its ticket's state and last activity, kept by triggers), each
    ticket then read by its key for the actor's scope and the filters. The same rows, order
    and cursors as the view's condition on the tickets, which walked every live ticket by
    last activity and probed its follows (~8,500 probes for a page at a million)."""
    follow = Follower
    # The tickets are read only for a condition of their own (a scope, a filter): an
    # agent who sees every ticket pages through the index alone.
    on_tickets = [c for c in where_clauses(session, actor, query, view_condition=true())
                  if not isinstance(c, True_)]
    clauses = [follow.user_id == actor.id, follow.state == TicketState.LIVE, *on_tickets]
    if after is not None:
        clauses.append(_followed_after(after, query.descending))
    order: list[Any] = ([follow.last_activity_at.desc(), follow.ticket_id.desc()]
                        if query.descending
                        else [follow.last_activity_at.asc(), follow.ticket_id.asc()])
    statement = select(follow.ticket_id, follow.last_activity_at).select_from(follow)
    if on_tickets:
        statement = statement.join(Ticket, Ticket.id == follow.ticket_id)
    statement = statement.where(*clauses).order_by(*order).limit(want)
    if skip:
        statement = statement.offset(skip)
    return [tuple(r) for r in session.execute(statement)]


def _followed_after(cursor: PageCursor, descending: bool) -> ColumnElement[bool]:
    values = tuple(cursor.sort_value or ())
    if len(values) != 1:
        raise InvalidInput(_("This page position belongs to another sort order."))
    left = tuple_(Follower.last_activity_at, Follower.ticket_id)
    right = tuple_(literal(values[0], type_=Follower.last_activity_at.type), cursor.ticket_id)
    return left < right if descending else left > right


def list_slice(uow: UnitOfWork, query: TicketQuery, *, after: PageCursor | None = None,
               backward: bool = False, skip: int = 0, limit: int = 100) -> Slice:
    """Up to ``limit`` rows of ``query`` next to a known row, for a list that shows every
    position (the window's table jumping to the middle or the end): the rows after ``after``
    (``None``: from the start), or with ``backward`` those before it (``None``: from the end,
    the list read in reverse order), past the first ``skip`` in that direction (an OFFSET:
    kept short by starting from the nearest known row). Returned in the list's order, each
    with its key (a cursor for the next read either way)."""
    _check_limit(limit)
    if skip < 0:
        raise InvalidInput(_("A page position cannot be negative."))
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = search_order.as_read(saved_views.resolve(session, actor, query))
        if resolved.sort is SortKey.NEWEST_HIT:
            # Its pages follow the hits as they are found: no other end, no position.
            raise InvalidInput(_("Search results in the newest-match order are read from "
                                 "the first page on."))
        if backward:  # the reverse order is the other direction of the same index
            resolved = replace(resolved, descending=not resolved.descending)
        found, key_count = _found(session, actor, resolved, after, limit + 1, skip)
        page = found[:limit]
        if backward:
            page.reverse()
        keys = tuple(PageCursor(sort_value=tuple(r[1:1 + key_count]), ticket_id=r[0])
                     for r in page)
        ids = [r[0] for r in page]
        rows = load_rows(session, actor, ids)
        kept = [i for i, ticket_id in enumerate(ids) if ticket_id in rows]
        return Slice(rows=tuple(rows[ids[i]] for i in kept),
                     keys=tuple(keys[i] for i in kept), more=len(found) > limit)


def _capped_walk(session: Session, actor: User, query: TicketQuery, after: PageCursor | None,
                 want: int) -> tuple[list[tuple[Any, ...]], int] | None:
    """PostgreSQL, a common word: up to ``want`` rows of the walk (the list's own statement
    without the search, its first :data:`search_pg.PG_WALK_CAP` tickets each tested by the
    walk's condition). ``None``: not a walk, or the walk reached its cap before the page was
    full (a word common in the workspace and rare in this list) — the page is then collected
    (``first_rows=False``), the same rows.

    The tested tickets are a subquery with its LIMIT, read lazily in its order: the page
    stops at its last row or at the cap, whichever comes first."""
    if session.get_bind().dialect.name != "postgresql" or not query.search.strip():
        return None
    from helpdesk_desktop.services import search_pg

    search.check_length(query.search)
    walk = search_pg.walk_clause(session, query.search)
    if walk is None:
        # Collected (the choice is made: not asked again through ``first_rows``).
        statement, key_count = _ids_statement(session, actor, query, after)
        return [tuple(r) for r in session.execute(statement.limit(want))], key_count
    keys, _joins = _sort_plan(query.sort)
    plain, key_count = _ids_statement(session, actor, replace(query, search=""), after)
    cap = search_pg.PG_WALK_CAP
    tested = plain.add_columns(walk.label("search_hit")).limit(cap).subquery()
    columns = list(tested.c)
    order = _order_by([_SortKeyExpr(column, key.nullable)
                       for column, key in zip(columns[1:1 + key_count], keys)], query.descending)
    order[-1] = columns[0].desc() if query.descending else columns[0].asc()
    found = [tuple(r) for r in session.execute(
        select(*columns[:1 + key_count]).where(tested.c.search_hit).order_by(*order)
        .limit(want))]
    if len(found) < want:
        reached = session.scalar(select(func.count()).select_from(
            plain.with_only_columns(Ticket.id).limit(cap).subquery()))
        if reached == cap:
            statement, key_count = _ids_statement(session, actor, query, after)
            found = [tuple(r) for r in session.execute(statement.limit(want))]
    return found, key_count


def _page_of(found: list[tuple[Any, ...]], key_count: int,
             limit: int) -> tuple[list[int], PageCursor | None]:
    page = found[:limit]
    cursor = None
    if len(found) > limit and page:
        last = page[-1]
        cursor = PageCursor(sort_value=tuple(last[1:1 + key_count]), ticket_id=last[0])
    return [r[0] for r in page], cursor


def status_pages(session: Session, actor: User, query: TicketQuery, status_ids: Sequence[int],
                 limit: int) -> dict[int, tuple[list[int], PageCursor | None]]:
    """The first page of ``query`` (resolved) narrowed to each status of ``status_ids`` (a
    board's columns), with the cursor :func:`list_tickets` takes for the next page of that
    narrowed query. In the list's own order (not a grouped, contact or Spam page) every column
    is read by one statement: the list's statement narrowed to each status in turn, each part
    a seek on an index (state, [closed_at,] status_id, sort column, id) with its own LIMIT,
    joined by ``UNION ALL`` (one execution instead of one per column: each cost about as much
    in SQLAlchemy as the seek in the database)."""
    _check_limit(limit)
    query = search_order.as_read(query)
    if (query.sort in grouped_sorts.GROUPED_SORTS
            or query.sort in (SortKey.CONTACT, SortKey.NEWEST_HIT) or query.view is View.SPAM):
        return {status_id: page_ids(session, actor, replace(query, filters=replace(
                    query.filters, status_ids=(status_id,))), None, limit)
                for status_id in status_ids}
    wanted = list(dict.fromkeys(status_ids))
    if not wanted:
        return {}
    base = replace(query, filters=replace(query.filters, status_ids=()))
    statement, key_count = _ids_statement(session, actor, base, None, first_rows=True)
    parts = [statement.add_columns(literal(n).label("page_part"))
             .where(Ticket.status_id == bindparam(f"page_status_{n}"))
             .limit(limit + 1).subquery() for n in range(len(wanted))]
    merged = union_all(*(select(*part.c) for part in parts)).subquery()
    columns = list(merged.c)
    keys, _joins = _sort_plan(base.sort)
    order = _order_by([_SortKeyExpr(column, key.nullable)
                       for column, key in zip(columns[1:1 + key_count], keys)], base.descending)
    order[-1] = columns[0].desc() if base.descending else columns[0].asc()
    found: dict[int, list[tuple[Any, ...]]] = {n: [] for n in range(len(wanted))}
    for row in session.connection().execute(
            select(merged).order_by(merged.c.page_part, *order),
            {f"page_status_{n}": status_id for n, status_id in enumerate(wanted)}):
        found[row[-1]].append(tuple(row[:-1]))
    return {status_id: _page_of(found[n], key_count, limit)
            for n, status_id in enumerate(wanted)}
