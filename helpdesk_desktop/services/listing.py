"""Ticket lists: views, filters, search, sorting and keyset paging, and saved views.

A page is found by key (the sort value and id of the last row seen), never by OFFSET, so the
hundredth page costs what the first does. Rows are built with a fixed number of queries: the
page's ids first, then one statement for the rows with their first contact, read state and
snippet, and one ``IN`` query each for the followers and the merged ids (statements built once,
the ids bound as one expanding parameter).

Null sort values (no priority, no owner...) come after every value in ascending order and
before them in descending order, on both back-ends, and the keyset condition follows the same
rule, so paging never skips or repeats a row.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
    union,
)
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from helpdesk_desktop.domain.enums import (
    AccessScope,
    Category,
    MessageKind,
    Priority,
    SortKey,
    TicketState,
    View,
)
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Follower,
    Inbox,
    Message,
    Pipeline,
    ReadState,
    SavedView,
    Status,
    Ticket,
    TicketCount,
    User,
    ticket_contacts,
)
from helpdesk_desktop.services import access, read_state, search
from helpdesk_desktop.services.dto import (
    Page,
    PageCursor,
    SavedViewInfo,
    TicketFilters,
    TicketQuery,
    TicketRow,
)
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.retention import purge_date
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_text

MAX_LIMIT = 1000
SNIPPET_LENGTH = 140

# Views that show tickets out of the live lists; both need the delete permission.
RESTRICTED_VIEWS = (View.SPAM, View.RECENTLY_DELETED)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Aliases are made once: making one (and its column collection) costs about as much as the SQL
# of a whole page, and they hold no state.
_SPAM_TICKET = aliased(Ticket, name="spam_ticket")  # not the outer query's tickets
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
        select(Conversation.ticket_id.label("id")).where(Conversation.spam_at > _EPOCH),
    )
    return and_(Ticket.id.in_(spam_ids),
                or_(Ticket.state == TicketState.SPAM,
                    and_(Ticket.state == TicketState.LIVE, _has_spam_conversation())))


def _has_spam_conversation() -> ColumnElement[bool]:
    return exists(select(Conversation.id).where(Conversation.ticket_id == Ticket.id,
                                                Conversation.spam_at.is_not(None)))


def _following_clause(user_id: int) -> ColumnElement[bool]:
    return exists(select(Follower.ticket_id).where(Follower.ticket_id == Ticket.id,
                                                   Follower.user_id == user_id))


def view_clause(view: View, actor: User) -> ColumnElement[bool]:
    """SQL condition on ``Ticket`` for a built-in view (permission checked by the caller)."""
    live = Ticket.state == TicketState.LIVE
    is_open = Ticket.closed_at.is_(None)
    if view is View.ALL_OPEN:
        return and_(live, is_open)
    if view is View.ASSIGNED_TO_ME:
        return and_(live, is_open, Ticket.owner_id == actor.id)
    if view is View.UNASSIGNED:
        return and_(live, is_open, Ticket.owner_id.is_(None))
    if view is View.FOLLOWING:
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


def _require_view(view: View, actor: User) -> None:
    if view in RESTRICTED_VIEWS:
        access.require(access.reason_missing_delete(actor))


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


def _resolve(session: Session, actor: User, query: TicketQuery) -> TicketQuery:
    """The query a saved view stands for: its view, filters and search; the caller's sort
    (so that clicking a column header sorts a saved view too) and the caller's search when set."""
    if query.saved_view_id is None:
        return query
    saved = session.get(SavedView, query.saved_view_id)
    if saved is None or saved.user_id != actor.id:
        raise NotFound(_("Saved view #{saved_view_id} does not exist.").format(
                           saved_view_id=query.saved_view_id))
    stored = query_from_json(saved.definition)
    return TicketQuery(view=stored.view, saved_view_id=None, filters=stored.filters,
                       search=query.search or stored.search, sort=query.sort,
                       descending=query.descending)


def _where(session: Session, actor: User, query: TicketQuery, *,
           first_rows: bool = False) -> list[ColumnElement[bool]]:
    """The query's conditions; ``first_rows``: for a page (a LIMIT in the list's order), which
    lets a search test tickets in that order instead of collecting every match first."""
    _require_view(query.view, actor)
    clauses = [access.visible_clause(actor), view_clause(query.view, actor),
               *filters_clause(query.filters)]
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
                   cursor: PageCursor | None, *, first_rows: bool = False
                   ) -> tuple[Select[Any], int]:
    keys, joins = _sort_plan(query.sort)
    statement = select(Ticket.id, *(k.expr for k in keys)).select_from(Ticket)
    for target, on in joins:
        statement = statement.outerjoin(target, on)
    clauses = _where(session, actor, query, first_rows=first_rows)
    if cursor is not None:
        clauses.append(_after_clause(keys, cursor, query.descending))
    statement = statement.where(*clauses).order_by(*_order_by(keys, query.descending))
    return statement, len(keys)


# -- sorting by status or owner: one value at a time -----------------------------------------
#
# Ordering by a joined column (a status's position, an owner's name) makes the database sort
# every matching ticket before it can return the first page. Statuses and owners are few, so
# instead the page walks their values in order and, for each, takes ids in order from an
# index ((state, [closed_at,] status_id/owner_id, id)), stopping once the page is full. The
# order and the cursor are exactly those of the ORDER BY they replace.

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


def _grouped_page(session: Session, actor: User, query: TicketQuery,
                  cursor: PageCursor | None, want: int) -> list[tuple[int, tuple[Any, ...]]]:
    """Up to ``want`` (id, sort value) pairs after ``cursor``, in the query's order."""
    groups = _groups(session, actor, query)
    if query.descending:
        groups.reverse()
    where = _where(session, actor, query, first_rows=True)
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
    found: list[tuple[int, tuple[Any, ...]]] = []
    for index in range(start, len(groups)):
        group = groups[index]
        clauses = [*where, group.condition]
        if cursor is not None and index == start and group.key == tuple(cursor.sort_value):
            clauses.append(Ticket.id < cursor.ticket_id if query.descending
                           else Ticket.id > cursor.ticket_id)
        order = Ticket.id.desc() if query.descending else Ticket.id.asc()
        ids = session.scalars(select(Ticket.id).where(*clauses).order_by(order)
                              .limit(want - len(found))).all()
        found.extend((ticket_id, group.key) for ticket_id in ids)
        if len(found) >= want:
            break
    return found


def _contact_page(session: Session, actor: User, query: TicketQuery,
                  cursor: PageCursor | None, want: int) -> list[tuple[Any, ...]]:
    """Up to ``want`` (id, contact name) rows after ``cursor``, sorted by contact.

    Tickets with a contact and tickets without one are read as two ranges of an index
    ((state, [closed_at,] contact_sort, id)), each in order: the ones with a contact by
    (name, id) with a row-value keyset, the ones without by id. Ascending, those without come
    last; descending, first (the order of ``ORDER BY contact_sort NULLS LAST, id``). One
    statement with an ``OR`` keyset could not walk the index."""
    where = _where(session, actor, query, first_rows=True)
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
        found.extend(tuple(r) for r in session.execute(
            statement.where(*clauses).order_by(*order).limit(want - len(found))))
    return found


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


def _check_limit(limit: int) -> int:
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput(_("A page holds between 1 and {maximum} tickets.").format(
                               maximum=MAX_LIMIT))
    return limit


# -- rows ----------------------------------------------------------------------------------


def _snippet(text: str | None) -> str:
    flat = " ".join((text or "").split())  # the same whitespace as ``\\s``, without a regex
    return flat if len(flat) <= SNIPPET_LENGTH else flat[:SNIPPET_LENGTH - 1].rstrip() + "…"


def load_rows(session: Session, actor: User, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
    """Rows for these ids (no access check: the caller selected visible ids).

    Three queries whatever the number of ids (per chunk of 500): the rows with their first
    contact, the actor's read state and the snippet; the followers; the merged ids.
    """
    rows: dict[int, TicketRow] = {}
    for chunk in chunks(list(dict.fromkeys(ticket_ids))):
        rows.update(_load_chunk(session, actor, chunk))
    return rows


# The row statements are built once and take the ids as one expanding parameter: building a
# statement of twenty columns and coercing a hundred literal ids cost more than running it.
# SQLAlchemy caches the compiled form by the statement's cache key, which a reused statement
# computes once.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


@functools.cache
def _rows_statement() -> Select[*tuple[Any, ...]]:
    """Each ticket of ``:ids`` with its first contact (lowest contact id), the read state of
    ``:actor_id`` and the start of its newest customer-visible message.

    It starts from the ids and seeks the rest per row: the snippet's sub-select is correlated
    with the row (a join over conversations filtered on ``spam_at`` alone would let the
    planner walk the ``spam_at`` index over every non-spam conversation of the workspace).
    """
    owner = _ROW_OWNER
    first_contact = (select(func.min(ticket_contacts.c.contact_id))
                     .where(ticket_contacts.c.ticket_id == Ticket.id)
                     .correlate(Ticket)
                     .scalar_subquery())
    snippet = (select(func.substr(Message.body_text, 1, SNIPPET_LENGTH * 3))
               .select_from(Conversation)
               .join(Message, Message.conversation_id == Conversation.id)
               .where(Conversation.ticket_id == Ticket.id, Conversation.spam_at.is_(None),
                      Message.kind.not_in([k for k in MessageKind if k.is_internal]))
               .order_by(Message.sent_at.desc(), Message.id.desc())
               .limit(1)
               .correlate(Ticket)
               .scalar_subquery())
    return (select(Ticket.id, Ticket.name, Ticket.status_id, Status.name.label("status"),
                   Status.is_closed, Ticket.pipeline_id, Pipeline.name.label("pipeline"),
                   Ticket.priority, Ticket.category, Ticket.owner_id, owner.name.label("owner"),
                   owner.email.label("owner_email"), Ticket.created_at, Ticket.last_activity_at,
                   Ticket.closed_at, Ticket.state, Ticket.source, Inbox.name.label("inbox"),
                   Ticket.version, Ticket.spam_at, Ticket.deleted_at,
                   Contact.name.label("contact"), Contact.email.label("contact_email"),
                   ReadState.read_at, ReadState.forced_unread, snippet.label("snippet"))
            .join(Status, Status.id == Ticket.status_id)
            .join(Pipeline, Pipeline.id == Ticket.pipeline_id)
            .join(Inbox, Inbox.id == Ticket.inbox_id)
            .outerjoin(owner, owner.id == Ticket.owner_id)
            .outerjoin(Contact, Contact.id == first_contact)
            .outerjoin(ReadState, and_(ReadState.ticket_id == Ticket.id,
                                       ReadState.user_id == bindparam("actor_id")))
            .where(Ticket.id.in_(_IDS)))


@functools.cache
def _followers_statement() -> Select[int, int, str]:
    return (select(Follower.ticket_id, User.id, User.email)
            .join(User, User.id == Follower.user_id)
            .where(Follower.ticket_id.in_(_IDS))
            .order_by(Follower.ticket_id, User.email))


@functools.cache
def _merged_statement(dialect: str) -> Select[Any, Any]:
    """(merged id, survivor id) pairs for the survivors ``:ids``."""
    if dialect == "sqlite":
        # After ANALYZE, SQLite sees merged_into_id as one value (NULL) shared by every row
        # and scans the table instead of using the index: name the index explicitly.
        merged_id, into_id = column("id", Integer), column("merged_into_id", Integer)
        return (select(merged_id, into_id)
                .select_from(text("tickets INDEXED BY ix_tickets_merged_into"))
                .where(into_id.in_(_IDS)).order_by(merged_id))
    return (select(Ticket.id, Ticket.merged_into_id)
            .where(Ticket.merged_into_id.in_(_IDS)).order_by(Ticket.id))


def _load_chunk(session: Session, actor: User, ids: list[int]) -> dict[int, TicketRow]:
    # Plain rows of columns: run on the session's connection, past the ORM's result layer
    # (loading per row, ~1 ms of a page of 100), in the session's transaction all the same.
    connection = session.connection()
    base = connection.execute(_rows_statement(), {"ids": ids, "actor_id": actor.id}).all()
    if not base:
        return {}

    followers: dict[int, list[str]] = {}
    following: set[int] = set()
    for ticket_id, user_id, email in connection.execute(_followers_statement(), {"ids": ids}):
        followers.setdefault(ticket_id, []).append(email)
        if user_id == actor.id:
            following.add(ticket_id)

    merged: dict[int, list[int]] = {}
    for merged_id, into_id in connection.execute(
            _merged_statement(connection.dialect.name), {"ids": ids}):
        merged.setdefault(into_id, []).append(merged_id)

    result: dict[int, TicketRow] = {}
    # Unpacked by position: reading 26 columns by name from each row cost more than the rest
    # of building it.
    for (ticket_id, name, status_id, status, status_closed, pipeline_id, pipeline, priority,
         category, owner_id, owner_name, owner_email, created_at, last_activity_at, closed_at,
         state, source, inbox, version, spam_at, deleted_at, contact, contact_email, read_at,
         forced_unread, snippet) in base:
        result[ticket_id] = TicketRow(
            id=ticket_id, name=name, status_id=status_id, status=status,
            status_closed=status_closed, pipeline_id=pipeline_id, pipeline=pipeline,
            priority=priority, category=category, owner_id=owner_id, owner=owner_name,
            owner_email=owner_email, contact=contact, contact_email=contact_email,
            created_at=created_at, last_activity_at=last_activity_at, closed_at=closed_at,
            unread=read_state.is_unread_at(read_at, forced_unread, last_activity_at),
            following=ticket_id in following, state=state, source=source, inbox=inbox,
            version=version, merged_ids=tuple(merged.get(ticket_id, ())),
            snippet=_snippet(snippet), followers=tuple(followers.get(ticket_id, ())),
            purge_at=purge_date(state, spam_at, deleted_at),
        )
    return result


# -- the public reading operations ---------------------------------------------------------


def list_tickets(uow: UnitOfWork, query: TicketQuery, *, limit: int = 50,
                 after: PageCursor | None = None) -> Page:
    """One page of the tickets ``query`` matches, after ``after`` (``None``: the first page)."""
    _check_limit(limit)
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = _resolve(session, actor, query)
        if resolved.sort in GROUPED_SORTS:
            found = [(ticket_id, *key) for ticket_id, key
                     in _grouped_page(session, actor, resolved, after, limit + 1)]
            key_count = len(found[0]) - 1 if found else 0
        elif resolved.sort is SortKey.CONTACT:
            found, key_count = _contact_page(session, actor, resolved, after, limit + 1), 1
        else:
            statement, key_count = _ids_statement(session, actor, resolved, after,
                                                  first_rows=True)
            found = [tuple(r) for r in session.execute(statement.limit(limit + 1))]
        page, more = found[:limit], len(found) > limit
        rows = load_rows(session, actor, [r[0] for r in page])
        next_cursor = None
        if more and page:
            last = page[-1]
            next_cursor = PageCursor(sort_value=tuple(last[1:1 + key_count]),
                                     ticket_id=last[0])
        return Page(rows=tuple(rows[r[0]] for r in page if r[0] in rows),
                    next_cursor=next_cursor)


def count_tickets(uow: UnitOfWork, query: TicketQuery) -> int:
    """How many tickets ``query`` matches.

    A built-in view without filters or search is counted as :func:`view_counts` counts it
    (``ticket_counts`` and the actor's own small sets): counting "live and not read" or "live
    and followed" ticket by ticket reads every live ticket."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = _resolve(session, actor, query)
        if not resolved.search.strip() and resolved.filters == TicketFilters():
            _require_view(resolved.view, actor)
            return _count_views(session, actor, [resolved.view])[resolved.view]
        return int(session.scalar(
            select(func.count()).select_from(Ticket)
            .where(*_where(session, actor, resolved))) or 0)


def matching_ids(uow: UnitOfWork, query: TicketQuery) -> list[int]:
    """The ids of every ticket ``query`` matches, in its sort order ("select all N")."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = _resolve(session, actor, query)
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
        resolved = _resolve(session, actor, query)
        where = _where(session, actor, resolved)
        matching: list[int] = []
        for chunk in chunks(list(dict.fromkeys(ticket_ids))):
            matching.extend(session.scalars(select(Ticket.id).where(Ticket.id.in_(chunk),
                                                                    *where)))
        return load_rows(session, actor, matching)


def view_counts(uow: UnitOfWork) -> dict[View, int]:
    """How many tickets each built-in view holds for the actor (restricted views only for
    users with the delete permission).

    The views that depend on state, open/closed and owner read ``ticket_counts`` (a few rows
    kept by triggers); Following, Unread and the spam conversations count the actor's own
    small sets through their indexes. No query reads every ticket.
    """
    with uow.read_only():
        session, actor = uow.session, uow.actor
        views = [view for view in View if view not in RESTRICTED_VIEWS
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
                   select(Conversation.ticket_id).where(Conversation.spam_at > _EPOCH))),
               View.FOLLOWING: lambda: count(is_live, Ticket.id.in_(
                   select(Follower.ticket_id).where(Follower.user_id == actor.id))),
               View.UNREAD: lambda: live - _read_count(session, actor)}
    return {view: found[view] if view in found else counted[view]() for view in views}


def _visible_owner_keys(session: Session, actor: User) -> set[int] | None:
    """The owner keys (0: unassigned) of the tickets ``actor`` may see; ``None``: all."""
    scope = access.effective_scope(actor)
    if scope is AccessScope.ALL:
        return None
    if scope is AccessScope.TEAM and actor.team_id is not None:
        return {0, *session.scalars(select(User.id).where(User.team_id == actor.team_id))}
    return {0, actor.id}


def _read_count(session: Session, actor: User) -> int:
    """Live tickets the actor may see and has read since their last activity."""
    return int(session.scalar(
        select(func.count()).select_from(ReadState)
        .join(Ticket, Ticket.id == ReadState.ticket_id)
        .where(ReadState.user_id == actor.id, ReadState.forced_unread.is_(False),
               ReadState.read_at.is_not(None), ReadState.read_at >= Ticket.last_activity_at,
               Ticket.state == TicketState.LIVE, access.visible_clause(actor))) or 0)


# -- saved views ---------------------------------------------------------------------------


def query_to_json(query: TicketQuery) -> dict[str, Any]:
    """A JSON-safe form of a query (without ``saved_view_id``)."""
    f = query.filters
    return {
        "view": query.view.value,
        "filters": {
            "status_ids": list(f.status_ids),
            "priorities": [Priority(p).value for p in f.priorities],
            "owner_ids": list(f.owner_ids),
            "categories": [Category(c).value for c in f.categories],
            "pipeline_ids": list(f.pipeline_ids),
            "inbox_ids": list(f.inbox_ids),
        },
        "search": query.search,
        "sort": query.sort.value,
        "descending": query.descending,
    }


def query_from_json(data: dict[str, Any]) -> TicketQuery:
    """The query :func:`query_to_json` wrote; missing keys take their defaults."""
    try:
        f = data.get("filters") or {}
        filters = TicketFilters(
            status_ids=tuple(int(i) for i in f.get("status_ids", ())),
            priorities=tuple(Priority(p) for p in f.get("priorities", ())),
            owner_ids=tuple(None if i is None else int(i) for i in f.get("owner_ids", ())),
            categories=tuple(Category(c) for c in f.get("categories", ())),
            pipeline_ids=tuple(int(i) for i in f.get("pipeline_ids", ())),
            inbox_ids=tuple(int(i) for i in f.get("inbox_ids", ())),
        )
        return TicketQuery(
            view=View(data.get("view", View.ALL_OPEN.value)), filters=filters,
            search=str(data.get("search", "")),
            sort=SortKey(data.get("sort", SortKey.LAST_ACTIVITY.value)),
            descending=bool(data.get("descending", True)),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(_("This saved view cannot be read ({exc}).").format(exc=exc)) from None


def _saved_info(view: SavedView) -> SavedViewInfo:
    return SavedViewInfo(id=view.id, name=view.name, query=query_from_json(view.definition))


def save_view(uow: UnitOfWork, name: str, query: TicketQuery) -> SavedViewInfo:
    """Save ``query`` as the actor's view ``name`` (names are unique per user)."""
    clean = clean_text(name, _("View name"), max_length=200)
    with uow:
        session, actor = uow.session, uow.actor
        access.require(access.reason_missing_service_seat(actor))
        _require_view(query.view, actor)
        taken = session.scalar(select(SavedView.id).where(SavedView.user_id == actor.id,
                                                          SavedView.name == clean))
        if taken is not None:
            raise InvalidInput(_("You already have a view named '{clean}'.").format(clean=clean))
        view = SavedView(user_id=actor.id, name=clean, definition=query_to_json(query),
                         created_at=uow.now)
        session.add(view)
        session.flush()
        info = _saved_info(view)
        uow.commit()
        return info


def list_saved_views(uow: UnitOfWork) -> list[SavedViewInfo]:
    """The actor's saved views, by name."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        access.require(access.reason_missing_service_seat(actor))
        views = session.scalars(select(SavedView).where(SavedView.user_id == actor.id)
                                .order_by(SavedView.name, SavedView.id))
        return [_saved_info(v) for v in views]


def delete_saved_view(uow: UnitOfWork, view_id: int) -> None:
    """Delete one of the actor's saved views."""
    with uow:
        session, actor = uow.session, uow.actor
        access.require(access.reason_missing_service_seat(actor))
        view = session.get(SavedView, view_id)
        if view is None or view.user_id != actor.id:
            raise NotFound(_("Saved view #{view_id} does not exist.").format(view_id=view_id))
        session.delete(view)
        uow.commit()

