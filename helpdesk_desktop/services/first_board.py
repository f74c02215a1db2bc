"""The board's first frame without the ORM: the workspace's pipelines and the board of a plain
view (every column's first cards and counts), read with plain SQL on the driver connection.

A window that opens on the board read its pipelines and its cards through the services, so
it imported the 28 mapped classes and configured their mappers before its first cards (B1 of
the board 1.65× the stack floor against 1.26× for the table, docs/PERFORMANCE.md). Like
``first_page`` for the table, this module imports neither the mapped classes nor the
services that use them, and runs the statements ``directory.list_pipelines`` and
``board.read_board`` run (the pipeline with its statuses, the counter rows of
``list_counts.counted_by_statuses``, ``listing.status_pages``' union of one seek per column,
``list_rows``' rows without their snippet), written out, so the plans are the same.

It answers only the plain case of ``first_page.handles`` (a built-in view of
``first_page.VIEWS``, no filter, search or saved view, a sort of ``first_page.SORTS``) for an
active user with help desk access; anything else is ``None`` and the caller takes the
services' way. ``tests/services/test_first_board.py`` holds each answer equal to the
services' for users of every scope on both back-ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpdesk_desktop.domain.enums import AccessScope, SortKey, TicketState, View
from helpdesk_desktop.services.board_columns import column_query, shown_statuses
from helpdesk_desktop.services.dto import (
    BoardColumnPage,
    BoardPage,
    PageCursor,
    PipelineInfo,
    StatusInfo,
    TicketQuery,
    UserInfo,
)
from helpdesk_desktop.services.first_page import (
    MAX_LIMIT,
    SORTS,
    VIEWS,
    _load_rows,
    _reader,
    _user,
    _utc,
    handles,
)
from helpdesk_desktop.services.sql_reader import Reader

if TYPE_CHECKING:
    from helpdesk_desktop.storage.database import Database

_PIPELINES = ("SELECT pipelines.id, pipelines.name, statuses.id AS status_id, "
              "statuses.name AS status, statuses.position, statuses.is_closed "
              "FROM pipelines LEFT OUTER JOIN statuses ON statuses.pipeline_id = pipelines.id "
              "ORDER BY pipelines.position, pipelines.id, statuses.position, statuses.id")
#: ``detail_read._pipeline_statement``.
_PIPELINE = ("SELECT pipelines.id, pipelines.name, statuses.id AS status_id, "
             "statuses.name AS status, statuses.position, statuses.is_closed "
             "FROM pipelines LEFT OUTER JOIN statuses ON statuses.pipeline_id = pipelines.id "
             "WHERE pipelines.id = :pipeline ORDER BY statuses.position, statuses.id")
_TEAM_MEMBERS = "SELECT users.id FROM users WHERE users.team_id = :team"
#: ``list_counts._STATE_VIEWS`` for the views read here: (state, open 1 / closed 0 / both).
_COUNTED: dict[View, tuple[TicketState, int | None]] = {
    View.ALL_OPEN: (TicketState.LIVE, 1), View.ASSIGNED_TO_ME: (TicketState.LIVE, 1),
    View.UNASSIGNED: (TicketState.LIVE, 1), View.CLOSED: (TicketState.LIVE, 0),
    View.ALL: (TicketState.LIVE, None),
}
_DATE_SORTS = (SortKey.LAST_ACTIVITY, SortKey.CREATED)


def _pipelines(rows: list[Any]) -> list[PipelineInfo]:
    """Pipelines with their statuses from (pipeline, status) rows in order."""
    found: dict[int, tuple[str, list[StatusInfo]]] = {}
    for r in rows:
        _name, statuses = found.setdefault(r.id, (r.name, []))
        if r.status_id is not None:
            statuses.append(StatusInfo(id=r.status_id, pipeline_id=r.id, name=r.status,
                                       position=r.position, is_closed=bool(r.is_closed)))
    return [PipelineInfo(id=pipeline_id, name=name, statuses=tuple(statuses))
            for pipeline_id, (name, statuses) in found.items()]


def read_pipelines(database: Database, actor_id: int) -> list[PipelineInfo] | None:
    """``directory.list_pipelines``: every pipeline with its statuses in their order, or
    ``None`` (the user may not use the help desk: the services say so)."""
    with _reader(database) as reader:
        if _user(reader, actor_id) is None:
            return None
        return _pipelines(reader.rows(_PIPELINES))


def read_board(database: Database, actor_id: int, query: TicketQuery, pipeline_id: int,
               limit: int) -> BoardPage | None:
    """``board.read_board(query, pipeline_id, limit=limit)``, or ``None`` when this is not the
    plain case (``first_page.handles``, the user may use the help desk, the pipeline exists,
    a valid limit)."""
    if not handles(query, None) or not 0 < limit <= MAX_LIMIT:
        return None
    with _reader(database) as reader:
        user = _user(reader, actor_id)
        if user is None:
            return None
        found = _pipelines(reader.rows(_PIPELINE, {"pipeline": pipeline_id}))
        if not found:
            return None  # the services say it does not exist
        pipeline = found[0]
        statuses = shown_statuses(pipeline, query)
        counts = _counts(reader, user, query, pipeline_id, [s.id for s in statuses])
        # As the services: a column the counters say is empty is not read.
        read = [s.id for s in statuses if counts[s.id] != 0]
        pages = _status_pages(reader, user, query, pipeline_id, read, limit)
        rows = _load_rows(reader, actor_id, [i for ids, _cursor in pages.values() for i in ids],
                          snippets=False)
        columns = []
        for status in statuses:
            ids, cursor = pages.get(status.id, ([], None))
            columns.append(BoardColumnPage(
                status=status, query=column_query(query, status),
                rows=tuple(rows[i] for i in ids if i in rows), next_cursor=cursor,
                count=counts[status.id]))
        return BoardPage(query=query, pipeline=pipeline, columns=tuple(columns))


def _counts(reader: Reader, user: UserInfo, query: TicketQuery, pipeline_id: int,
            status_ids: list[int]) -> dict[int, int]:
    """``list_counts.counted_by_statuses`` of the board's query narrowed to the pipeline:
    each status's count from ``ticket_status_counts``, in one statement."""
    found = dict.fromkeys(status_ids, 0)
    if not status_ids:
        return found
    state, is_open = _COUNTED[query.view]
    parameters: dict[str, Any] = {"state": state.value, "pipeline": pipeline_id}
    clauses = ["ticket_status_counts.state = :state"]
    if is_open is not None:
        clauses.append("ticket_status_counts.is_open = :open")
        parameters["open"] = is_open
    if query.view is View.ASSIGNED_TO_ME:
        clauses.append("ticket_status_counts.owner_key = :actor")
        parameters["actor"] = user.id
    elif query.view is View.UNASSIGNED:
        clauses.append("ticket_status_counts.owner_key = 0")
    clauses.append("ticket_status_counts.status_id IN ("
                   + ", ".join(f":status{n}" for n in range(len(status_ids))) + ")")
    parameters.update({f"status{n}": status_id for n, status_id in enumerate(status_ids)})
    clauses.append("ticket_status_counts.pipeline_id IN (:pipeline)")
    owners = _visible_owner_keys(reader, user)
    if owners is not None:
        clauses.append("ticket_status_counts.owner_key IN ("
                       + ", ".join(f":owner{n}" for n in range(len(owners))) + ")")
        parameters.update({f"owner{n}": key for n, key in enumerate(owners)})
    for r in reader.rows("SELECT ticket_status_counts.status_id, "
                         "coalesce(sum(ticket_status_counts.n), 0) AS n "
                         f"FROM ticket_status_counts WHERE {' AND '.join(clauses)} "
                         "GROUP BY ticket_status_counts.status_id", parameters):
        found[r.status_id] = int(r.n or 0)
    return found


def _visible_owner_keys(reader: Reader, user: UserInfo) -> list[int] | None:
    """``list_counts._visible_owner_keys``, sorted: the owner keys (0: unassigned) of the
    tickets the user may see; ``None``: all."""
    scope = AccessScope.ALL if user.super_admin else user.scope
    if scope is AccessScope.ALL:
        return None
    if scope is AccessScope.TEAM and user.team_id is not None:
        members = {r.id for r in reader.rows(_TEAM_MEMBERS, {"team": user.team_id})}
        return sorted({0, *members})
    return sorted({0, user.id})


def _status_pages(reader: Reader, user: UserInfo, query: TicketQuery, pipeline_id: int,
                  status_ids: list[int], limit: int
                  ) -> dict[int, tuple[list[int], PageCursor | None]]:
    """``listing.status_pages`` for a plain view narrowed to the pipeline: the list's ids
    statement narrowed to each status, each part a seek with its own LIMIT, joined by
    ``UNION ALL``; each column's ids and the cursor of its next page."""
    if not status_ids:
        return {}
    wanted = list(dict.fromkeys(status_ids))
    parameters: dict[str, Any] = {"live": TicketState.LIVE.value, "actor": user.id,
                                  "pipeline": pipeline_id, "want": limit + 1}
    clauses = []
    scope = AccessScope.ALL if user.super_admin else user.scope
    if scope is AccessScope.TEAM and user.team_id is not None:
        clauses.append("(tickets.owner_id IS NULL OR tickets.owner_id IN "
                       "(SELECT users.id FROM users WHERE users.team_id = :team))")
        parameters["team"] = user.team_id
    elif scope is not AccessScope.ALL:
        clauses.append("(tickets.owner_id IS NULL OR tickets.owner_id = :actor)")
    clauses.append(VIEWS[query.view])
    clauses.append("tickets.pipeline_id IN (:pipeline)")
    where = " AND ".join(clauses)
    direction = "DESC" if query.descending else "ASC"
    column = SORTS[query.sort]
    names = ["id"] if column is None else ["id", column]
    order = [f"{name} {direction}" for name in (names if column is None else names[::-1])]
    inner = ", ".join(f"tickets.{name} AS {name}" for name in names)
    inner_order = ", ".join(f"tickets.{o}" for o in order)
    outer = ", ".join(names)
    parts = []
    for n, status_id in enumerate(wanted):
        parameters[f"page_status_{n}"] = status_id
        parts.append(f"SELECT {outer}, page_part FROM (SELECT {inner}, {n} AS page_part "
                     f"FROM tickets WHERE {where} AND tickets.status_id = :page_status_{n} "
                     f"ORDER BY {inner_order} LIMIT :want) AS part_{n}")
    sql = (f"SELECT {outer}, page_part FROM ({' UNION ALL '.join(parts)}) AS merged "
           f"ORDER BY page_part, {', '.join(order)}")
    found: dict[int, list[tuple[Any, ...]]] = {n: [] for n in range(len(wanted))}
    for r in reader.rows(sql, parameters):
        found[r.page_part].append((r.id,) if column is None else (r.id, r[column]))
    pages = {}
    for n, status_id in enumerate(wanted):
        page = found[n][:limit]
        cursor = None
        if len(found[n]) > limit and page:
            last = page[-1]
            values: tuple[Any, ...] = ()
            if column is not None:
                values = (_utc(last[1]) if query.sort in _DATE_SORTS else last[1],)
            cursor = PageCursor(sort_value=values, ticket_id=last[0])
        pages[status_id] = ([r[0] for r in page], cursor)
    return pages
