"""The window's first frame without the ORM: who signs in, their saved views and the first
page of a plain view, read with plain SQL on the driver connection.

Importing the 28 mapped classes, configuring their mappers and compiling the first ORM
statements cost the window's start ~0.1–0.2 s before its first page, more than reading it
(docs/PERFORMANCE.md, "The first page without the ORM"). The facade reads its first frame
here while the mapped classes are not imported (``Desk``; the window imports them after
its first frame); this module imports neither :mod:`helpdesk_desktop.domain.models` nor the
services that use them, and runs the statements ``listing``, ``list_rows``, ``directory``
and ``saved_views`` run, written out (``sql_reader.Reader``: ``:name`` parameters, on
``sqlite3`` or ``psycopg``).

It answers only the plain case: an active user with help desk access; a built-in view
among :data:`VIEWS` with no filter, search or saved view, sorted by one of :data:`SORTS`.
Anything else is ``None`` and the caller takes the services' way, which refuses in its own
words or reads what this does not. ``tests/test_first_page.py`` holds each answer equal to
the services' (same rows, same order, same cursor) for several users, scopes and views on
both back-ends.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from helpdesk_desktop.domain.enums import (
    AccessScope,
    Category,
    Channel,
    MessageKind,
    Priority,
    SortKey,
    TicketState,
    View,
)
from helpdesk_desktop.services.dto import (
    Page,
    PageCursor,
    SavedViewInfo,
    TicketFilters,
    TicketQuery,
    TicketRow,
    UserInfo,
)
from helpdesk_desktop.services.retention import purge_date
from helpdesk_desktop.services.row_values import (
    SNIPPET_LENGTH,
    is_unread_at,
    list_decoders,
    snippet_of,
)
from helpdesk_desktop.services.saved_queries import query_from_json
from helpdesk_desktop.services.sql_reader import Reader

if TYPE_CHECKING:
    from helpdesk_desktop.storage.database import Database

#: The views read here, with their condition on ``tickets`` (``listing.view_clause``).
VIEWS: dict[View, str] = {
    View.ALL_OPEN: "tickets.state = :live AND tickets.closed_at IS NULL",
    View.ASSIGNED_TO_ME: ("tickets.state = :live AND tickets.closed_at IS NULL "
                          "AND tickets.owner_id = :actor"),
    View.UNASSIGNED: ("tickets.state = :live AND tickets.closed_at IS NULL "
                      "AND tickets.owner_id IS NULL"),
    View.CLOSED: "tickets.state = :live AND tickets.closed_at IS NOT NULL",
    View.ALL: "tickets.state = :live",
}
#: The sorts read here, each a column never null (``listing._sort_plan``); ``None``: by id.
SORTS: dict[SortKey, str | None] = {
    SortKey.LAST_ACTIVITY: "last_activity_at",
    SortKey.CREATED: "created_at",
    SortKey.NAME: "name",
    SortKey.ID: None,
}
_DATE_SORTS = (SortKey.LAST_ACTIVITY, SortKey.CREATED)
MAX_LIMIT = 1000  # as listing.MAX_LIMIT
_CHUNK = 500  # as id_lists.chunks

_USER = ("SELECT users.id, users.name, users.email, users.role, users.team_id, "
         "users.help_desk_access, users.service_seat, users.can_delete_tickets, "
         "users.account_access, users.super_admin, users.scope, users.notify_record_updates, "
         "users.time_zone, users.active, teams.name AS team_name FROM users "
         "LEFT OUTER JOIN teams ON teams.id = users.team_id WHERE users.id = :id")
_SAVED_VIEWS = ("SELECT id, name, definition FROM saved_views WHERE user_id = :actor "
                "ORDER BY name, id")
_FIRST_ADMIN = ("SELECT users.id FROM users WHERE users.active = :yes "
                "ORDER BY users.super_admin DESC, users.id LIMIT 1")
_ANY_USER = "SELECT 1 FROM users LIMIT 1"
_USER_BY_EMAIL = ("SELECT users.id FROM users WHERE lower(users.email) = :email "
                  "AND users.active = :yes")
_TEAM = ("(tickets.owner_id IS NULL OR tickets.owner_id IN "
         "(SELECT users.id FROM users WHERE users.team_id = :team))")
_OWNED = "(tickets.owner_id IS NULL OR tickets.owner_id = :actor)"
#: The kinds of message a row's snippet never shows (``list_rows``).
_INTERNAL = tuple(k.value for k in MessageKind if k.is_internal)


def _rows_sql(dialect: str, snippets: bool = True) -> str:
    """``list_rows._rows_statement`` written out, the ids as ``{ids}``; without
    ``snippets``, each row's snippet ``NULL`` (not read)."""
    kinds = " AND ".join(f"messages.kind != :kind{i}" for i in range(len(_INTERNAL)))
    if dialect == "postgresql":
        followers = "array_agg(users.email ORDER BY users.email)"
        merged = "array_agg(merged_ticket.id ORDER BY merged_ticket.id)"
    else:
        followers = "group_concat(users.email, char(31))"
        merged = "group_concat(merged_ticket.id)"
    snippet = (
        "(SELECT substr(snippet_message.body_text, 1, :snippet_length) "
        "FROM messages AS snippet_message WHERE snippet_message.id = (SELECT messages.id "
        "FROM conversations JOIN messages ON messages.conversation_id = conversations.id "
        f"WHERE conversations.ticket_id = tickets.id AND conversations.spam_at IS NULL AND "
        f"{kinds} ORDER BY messages.sent_at DESC, messages.id DESC LIMIT 1))"
        if snippets else "NULL")
    return (
        "SELECT tickets.id, tickets.name, tickets.status_id, statuses.name AS status, "
        "statuses.is_closed, tickets.pipeline_id, pipelines.name AS pipeline, "
        "tickets.priority, tickets.category, tickets.owner_id, row_owner.name AS owner, "
        "row_owner.email AS owner_email, tickets.created_at, tickets.last_activity_at, "
        "tickets.closed_at, tickets.state, tickets.source, inboxes.name AS inbox, "
        "tickets.version, tickets.spam_at, tickets.deleted_at, contacts.name AS contact, "
        "contacts.email AS contact_email, read_states.read_at, read_states.forced_unread, "
        f"{snippet} AS snippet, "
        "(SELECT followers.user_id FROM followers WHERE followers.ticket_id = tickets.id "
        "AND followers.user_id = :actor LIMIT 1) AS following, "
        f"(SELECT {followers} FROM followers JOIN users ON users.id = followers.user_id "
        "WHERE followers.ticket_id = tickets.id) AS followers, "
        f"(SELECT {merged} FROM tickets AS merged_ticket "
        "WHERE merged_ticket.merged_into_id = tickets.id) AS merged "
        "FROM tickets JOIN statuses ON statuses.id = tickets.status_id "
        "JOIN pipelines ON pipelines.id = tickets.pipeline_id "
        "JOIN inboxes ON inboxes.id = tickets.inbox_id "
        "LEFT OUTER JOIN users AS row_owner ON row_owner.id = tickets.owner_id "
        "LEFT OUTER JOIN contacts ON contacts.id = (SELECT min(ticket_contacts.contact_id) "
        "FROM ticket_contacts WHERE ticket_contacts.ticket_id = tickets.id) "
        "LEFT OUTER JOIN read_states ON read_states.ticket_id = tickets.id "
        "AND read_states.user_id = :actor WHERE {ids}")


# -- values as the model's column types give them ------------------------------------------

def _utc(value: Any) -> Any:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC)


_PRIORITIES: tuple[Priority, ...] = tuple(Priority)



# -- the reads ------------------------------------------------------------------------------

@contextmanager
def _reader(database: Database) -> Iterator[Reader]:
    """A reader in one read transaction on a driver connection of ``database``
    (``Database.driver_read``: on PostgreSQL one snapshot for all its statements, as the
    services' reads)."""
    with database.driver_read() as driver:
        yield Reader(driver, database.dialect)


def _user(reader: Reader, actor_id: int) -> UserInfo | None:
    """The signed-in user when they may use the help desk (``uow.actor``), else ``None``."""
    found = reader.first(_USER, {"id": actor_id})
    if found is None or not found.active or not (found.help_desk_access or found.super_admin):
        return None
    return UserInfo(
        id=found.id, name=found.name, email=found.email, role=found.role,
        team_id=found.team_id, team_name=found.team_name,
        help_desk_access=bool(found.help_desk_access), service_seat=bool(found.service_seat),
        can_delete_tickets=bool(found.can_delete_tickets),
        account_access=bool(found.account_access), super_admin=bool(found.super_admin),
        scope=AccessScope(found.scope), notify_record_updates=bool(found.notify_record_updates),
        time_zone=found.time_zone)


def read_user(database: Database, actor_id: int) -> UserInfo | None:
    """``directory.current_user``: the signed-in user, or ``None`` (not the plain case)."""
    with _reader(database) as reader:
        return _user(reader, actor_id)


def read_saved_views(database: Database, actor_id: int) -> list[SavedViewInfo] | None:
    """``saved_views.list_saved_views``: the user's saved views by name, or ``None``."""
    with _reader(database) as reader:
        user = _user(reader, actor_id)
        if user is None or not (user.super_admin or user.service_seat):
            return None
        views = []
        for row in reader.rows(_SAVED_VIEWS, {"actor": actor_id}):
            definition = row.definition
            if isinstance(definition, str | bytes):  # SQLite's JSON is text
                definition = json.loads(definition)
            try:
                query = query_from_json(definition)
            except Exception:  # noqa: BLE001 - the services say why, in their words
                return None
            views.append(SavedViewInfo(id=row.id, name=row.name, query=query))
        return views


def first_admin_id(database: Database) -> int | None:
    """``directory.first_admin_id``: who the program signs in as by default."""
    with _reader(database) as reader:
        found = reader.first(_FIRST_ADMIN, {"yes": True})
        return None if found is None else int(found.id)


def find_user_id(database: Database, email: str) -> int | None:
    """``directory.find_user_id``: the active user with this address (``None``: nobody, and
    the services say so in their words)."""
    with _reader(database) as reader:
        found = reader.first(_USER_BY_EMAIL, {"email": email.strip().lower(), "yes": True})
        return None if found is None else int(found.id)


def is_empty(database: Database) -> bool:
    """``workspace.is_empty``: no user at all."""
    with _reader(database) as reader:
        return reader.first(_ANY_USER) is None


def handles(query: TicketQuery, after: PageCursor | None) -> bool:
    """Whether :func:`read_page` answers this page (the first page of a plain view)."""
    return (after is None and query.view in VIEWS and query.sort in SORTS
            and query.saved_view_id is None and not query.search.strip()
            and query.filters == TicketFilters())


def read_page(database: Database, actor_id: int, query: TicketQuery,
              limit: int) -> Page | None:
    """``listing.list_tickets(query, limit=limit)``'s first page, or ``None`` when this is
    not the plain case (:func:`handles`, the user may use the help desk, a valid limit)."""
    if not handles(query, None) or not 0 < limit <= MAX_LIMIT:
        return None
    with _reader(database) as reader:
        user = _user(reader, actor_id)
        if user is None:
            return None
        found = _page_ids(reader, user, query, limit + 1)
        key_count = 0 if SORTS[query.sort] is None else 1
        page = found[:limit]
        cursor = None
        if len(found) > limit and page:
            last = page[-1]
            values: tuple[Any, ...] = ()
            if key_count:
                values = (_utc(last[1]) if query.sort in _DATE_SORTS else last[1],)
            cursor = PageCursor(sort_value=values, ticket_id=last[0])
        ids = [r[0] for r in page]
        rows = _load_rows(reader, actor_id, ids)
        return Page(rows=tuple(rows[i] for i in ids if i in rows), next_cursor=cursor)


def _page_ids(reader: Reader, user: UserInfo, query: TicketQuery,
              want: int) -> list[tuple[Any, ...]]:
    """``listing._ids_statement`` for a plain view: (id, sort value) in the list's order."""
    parameters: dict[str, Any] = {"live": TicketState.LIVE.value, "actor": user.id,
                                  "want": want}
    clauses = []
    scope = AccessScope.ALL if user.super_admin else user.scope
    if scope is AccessScope.TEAM and user.team_id is not None:
        clauses.append(_TEAM)
        parameters["team"] = user.team_id
    elif scope is not AccessScope.ALL:
        clauses.append(_OWNED)
    clauses.append(VIEWS[query.view])
    direction = "DESC" if query.descending else "ASC"
    column = SORTS[query.sort]
    columns = "tickets.id" if column is None else f"tickets.id, tickets.{column}"
    order = (f"tickets.id {direction}" if column is None
             else f"tickets.{column} {direction}, tickets.id {direction}")
    sql = (f"SELECT {columns} FROM tickets WHERE {' AND '.join(clauses)} "
           f"ORDER BY {order} LIMIT :want")
    return [tuple(r.values()) for r in reader.rows(sql, parameters)]


def _load_rows(reader: Reader, actor_id: int, ids: list[int], *,
               snippets: bool = True) -> dict[int, TicketRow]:
    """``list_rows.load_rows``: the rows of these ids, by id (``snippets=False``: each
    row's ``snippet`` empty, not read)."""
    dialect = reader.dialect
    emails_of, ids_of = list_decoders(dialect)
    template = _rows_sql(dialect, snippets)
    result: dict[int, TicketRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        parameters: dict[str, Any] = {"actor": actor_id}
        if snippets:
            parameters["snippet_length"] = SNIPPET_LENGTH * 3
            parameters.update({f"kind{i}": kind for i, kind in enumerate(_INTERNAL)})
        if dialect == "postgresql":
            where = "tickets.id = ANY(:ids)"
            parameters["ids"] = chunk
        else:
            where = "tickets.id IN (" + ", ".join(f":id{i}" for i in range(len(chunk))) + ")"
            parameters.update({f"id{i}": ticket_id for i, ticket_id in enumerate(chunk)})
        for r in reader.rows(template.replace("{ids}", where), parameters):
            last_activity_at = _utc(r.last_activity_at)
            state = TicketState(r.state)
            result[r.id] = TicketRow(
                id=r.id, name=r.name, status_id=r.status_id, status=r.status,
                status_closed=bool(r.is_closed), pipeline_id=r.pipeline_id,
                pipeline=r.pipeline,
                priority=None if r.priority is None else _PRIORITIES[r.priority],
                category=None if r.category is None else Category(r.category),
                owner_id=r.owner_id, owner=r.owner, owner_email=r.owner_email,
                contact=r.contact, contact_email=r.contact_email,
                created_at=_utc(r.created_at), last_activity_at=last_activity_at,
                closed_at=_utc(r.closed_at),
                unread=is_unread_at(_utc(r.read_at),
                                    None if r.forced_unread is None else bool(r.forced_unread),
                                    last_activity_at),
                following=r.following is not None, state=state, source=Channel(r.source),
                inbox=r.inbox, version=r.version, merged_ids=ids_of(r.merged),
                snippet=snippet_of(r.snippet), followers=emails_of(r.followers),
                purge_at=purge_date(state, _utc(r.spam_at), _utc(r.deleted_at)))
    return result


#: ``demo.DEMO_BUILD``: the key of an unfinished demo build in ``app_state``.
_DEMO_BUILD = ("SELECT 1 FROM app_state WHERE key = :key", {"key": "demo_build"})


def demo_build_pending(database: Database) -> bool:
    """Whether a demo build is recorded as unfinished (``demo.interrupted_build`` then says
    how far it went)."""
    with _reader(database) as reader:
        return reader.first(*_DEMO_BUILD) is not None
