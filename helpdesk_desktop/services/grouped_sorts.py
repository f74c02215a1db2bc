"""Pages sorted by a value of few kinds (status, owner, priority, category) or by contact,
each read as ranges of an index in order.

Ordering by a joined column (a status's position, an owner's name) makes the database sort
every matching ticket before it can return the first page. Statuses and owners are few, so
instead a page walks their values in order and, for each, takes ids in order from an index
((state, [closed_at,] status_id/owner_id, id)), stopping once the page is full. The order and
the cursor are exactly those of the ORDER BY they replace. ``listing.py`` gives the list's
conditions (``where``) and uses these pages through its keyset reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select, tuple_
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import AccessScope, Category, Priority, SortKey, View
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Status, Ticket, User
from helpdesk_desktop.services import access
from helpdesk_desktop.services.dto import PageCursor, TicketQuery

GROUPED_SORTS = (SortKey.STATUS, SortKey.OWNER, SortKey.PRIORITY, SortKey.CATEGORY)


@dataclass(frozen=True)
class _Group:
    key: tuple[Any, ...]  # the sort value every ticket of the group shares
    condition: ColumnElement[bool]


def _groups(session: Session, actor: User, query: TicketQuery) -> list[_Group]:
    """The sort values in ascending order (nulls last), each with its condition."""
    if query.sort is SortKey.PRIORITY:
        # Stored as its rank: the members' order. (An index cannot give "nulls last".)
        wanted_p = set(query.filters.priorities)
        groups = [_Group((p,), Ticket.priority == p) for p in Priority
                  if not wanted_p or p in wanted_p]
        return groups + ([] if wanted_p else [_Group((None,), Ticket.priority.is_(None))])
    if query.sort is SortKey.CATEGORY:
        # Stored as its value: ordered as the database orders those strings.
        wanted_c = set(query.filters.categories)
        groups = [_Group((c,), Ticket.category == c)
                  for c in sorted(Category, key=lambda member: member.value)
                  if not wanted_c or c in wanted_c]
        return groups + ([] if wanted_c else [_Group((None,), Ticket.category.is_(None))])
    if query.sort is SortKey.STATUS:
        by_key: dict[tuple[Any, ...], list[int]] = {}
        wanted = set(query.filters.status_ids)
        for status_id, position, name in session.execute(
                select(Status.id, Status.position, Status.name)
                .order_by(Status.position, Status.name, Status.id)):
            if not wanted or status_id in wanted:
                by_key.setdefault((position, name), []).append(status_id)
        return [_Group(key, _one_of(Ticket.status_id, ids)) for key, ids in by_key.items()]
    owners = select(User.id, User.name).order_by(User.name, User.id)
    scope = access.effective_scope(actor)
    if scope is AccessScope.TEAM and actor.team_id is not None:
        owners = owners.where(User.team_id == actor.team_id)
    elif scope is not AccessScope.ALL:
        owners = owners.where(User.id == actor.id)
    wanted_owners = set(query.filters.owner_ids)
    by_name: dict[tuple[Any, ...], list[int]] = {}
    for user_id, name in session.execute(owners):
        if not wanted_owners or user_id in wanted_owners:
            by_name.setdefault((name,), []).append(user_id)
    groups = [_Group(key, _one_of(Ticket.owner_id, ids)) for key, ids in by_name.items()]
    if not wanted_owners or None in wanted_owners:
        groups.append(_Group((None,), Ticket.owner_id.is_(None)))
    return groups


def _one_of(column: Any, ids: list[int]) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = column == ids[0] if len(ids) == 1 else column.in_(ids)
    return condition


#: The views whose tickets are all open (``closed_at IS NULL``).
_OPEN_VIEWS = (View.ALL_OPEN, View.ASSIGNED_TO_ME, View.UNASSIGNED)


def _group_order(session: Session, query: TicketQuery) -> list[Any]:
    """A group's order: by id; by status on PostgreSQL in an open view, by ``closed_at``
    (all null) first, so that the planner reads the group from
    ``ix_tickets_state_closed_status_id``. By id alone it walks ``pk_tickets`` testing every
    ticket for a closed status, which has no open ticket (100,000 tickets read, 31 ms, for an
    empty group of All open). Not for the other sorts: their null group (``IS NULL``, not an
    equality) would then be sorted instead of read in order."""
    ordered: list[Any] = [Ticket.id]
    if (query.sort is SortKey.STATUS and query.view in _OPEN_VIEWS
            and session.get_bind().dialect.name == "postgresql"):
        ordered.insert(0, Ticket.closed_at)
    return [c.desc() if query.descending else c.asc() for c in ordered]


def grouped_page(session: Session, actor: User, query: TicketQuery,
                 where: list[ColumnElement[bool]], cursor: PageCursor | None, want: int,
                 skip: int = 0) -> list[tuple[int, tuple[Any, ...]]]:
    """Up to ``want`` (id, sort value) pairs after ``cursor`` (and ``skip`` rows past it),
    in the query's order."""
    groups = _groups(session, actor, query)
    if query.descending:
        groups.reverse()
    start = 0
    if cursor is not None:
        key = tuple(cursor.sort_value or ())
        keys = [g.key for g in groups]
        if len(key) != len(groups[0].key if groups else key):
            raise InvalidInput(_("This page position belongs to another sort order."))
        # The cursor's group, or else the first group after it in the sort order.
        start = next((i for i, g in enumerate(keys) if g == key), len(keys))
        if start == len(keys):
            start = _first_after(keys, key, query.descending)
    order = _group_order(session, query)
    found: list[tuple[int, tuple[Any, ...]]] = []
    for index in range(start, len(groups)):
        group = groups[index]
        clauses = [*where, group.condition]
        if cursor is not None and index == start and group.key == tuple(cursor.sort_value):
            clauses.append(Ticket.id < cursor.ticket_id if query.descending
                           else Ticket.id > cursor.ticket_id)
        statement = select(Ticket.id).where(*clauses).order_by(*order)
        taken, skip = _skipping(session, statement, skip, want - len(found))
        found.extend((ticket_id[0], group.key) for ticket_id in taken)
        if len(found) >= want:
            break
    return found


def contact_page(session: Session, query: TicketQuery, where: list[ColumnElement[bool]],
                 cursor: PageCursor | None, want: int, skip: int = 0) -> list[tuple[Any, ...]]:
    """Up to ``want`` (id, contact name) rows after ``cursor``, sorted by contact.

    Tickets with a contact and tickets without one are read as two ranges of an index
    ((state, [closed_at,] contact_sort, id)), each in order: the ones with a contact by
    (name, id) with a row-value keyset, the ones without by id. Ascending, those without come
    last; descending, first (the order of ``ORDER BY contact_sort NULLS LAST, id``). One
    statement with an ``OR`` keyset could not walk the index."""
    key = Ticket.contact_sort
    value = tuple(cursor.sort_value or ()) if cursor is not None else None
    if value is not None and len(value) != 1:
        raise InvalidInput(_("This page position belongs to another sort order."))
    named_first = not query.descending
    found: list[tuple[Any, ...]] = []
    order: list[Any]
    statement: Select[Any, Any]
    for named in (named_first, not named_first):
        if len(found) >= want:
            break
        if named:
            clauses = [*where, key.is_not(None)]
            if cursor is not None and value is not None and value[0] is not None:
                left, right = tuple_(key, Ticket.id), tuple_(
                    literal(value[0], type_=key.type), cursor.ticket_id)
                clauses.append(left < right if query.descending else left > right)
            elif cursor is not None and not query.descending:
                continue  # the cursor is among the tickets without a contact: past these
            order = ([key.desc(), Ticket.id.desc()] if query.descending
                     else [key.asc(), Ticket.id.asc()])
            statement = select(Ticket.id, key)
        else:
            clauses = [*where, key.is_(None)]
            if cursor is not None:
                if value is not None and value[0] is not None:
                    if query.descending:
                        continue  # the cursor is among the named tickets: past these
                else:
                    clauses.append(Ticket.id < cursor.ticket_id if query.descending
                                   else Ticket.id > cursor.ticket_id)
            order = [Ticket.id.desc() if query.descending else Ticket.id.asc()]
            statement = select(Ticket.id, literal(None).label("contact_sort"))
        taken, skip = _skipping(session, statement.where(*clauses).order_by(*order), skip,
                                want - len(found))
        found.extend(taken)
    return found


def _skipping(session: Session, statement: Select[Any], skip: int,
              want: int) -> tuple[list[tuple[Any, ...]], int]:
    """Up to ``want`` rows of ``statement`` (one range of an index, in order) past its first
    ``skip``, and how many rows are still to skip after it (it had fewer than ``skip``: those
    are counted, up to ``skip``, the same walk of its index)."""
    if skip <= 0:
        return [tuple(r) for r in session.execute(statement.limit(want))], 0
    rows = [tuple(r) for r in session.execute(statement.offset(skip).limit(want))]
    if rows:
        return rows, 0
    had = session.scalar(select(func.count()).select_from(
        statement.with_only_columns(Ticket.id).limit(skip).subquery())) or 0
    return [], skip - had


def _first_after(keys: list[tuple[Any, ...]], key: tuple[Any, ...], descending: bool) -> int:
    """Where a sort value no group has any more (a status renamed since) would sit."""
    def rank(value: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple((v is None, v if v is not None else 0) for v in value)

    try:
        for index, candidate in enumerate(keys):
            if (rank(candidate) < rank(key)) if descending else (rank(candidate) > rank(key)):
                return index
    except TypeError:  # a value of another column: the cursor of another sort order
        raise InvalidInput(_("This page position belongs to another sort order.")) from None
    return len(keys)
