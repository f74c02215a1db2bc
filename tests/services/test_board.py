"""The board's one read (``Desk.board``) and its counts (``Desk.board_counts``): each column
holds exactly what the list shows for the board's query narrowed to its status, for every user
(permissions as in the list), view, sort, filter, search and saved view; later pages go on
from the column's cursor; the counts agree with ``count_tickets``; a fixed number of
statements whatever the number of cards."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import event, update

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Category, Priority, SortKey, TicketState, View
from helpdesk_desktop.domain.errors import NotFound, PermissionDenied
from helpdesk_desktop.domain.models import Ticket, User
from helpdesk_desktop.services import list_counts, list_rows, list_rows_sqlite
from helpdesk_desktop.services.board import column_query
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import BoardPage, TicketFilters, TicketQuery
from helpdesk_desktop.services.list_rows import load_rows
from helpdesk_desktop.storage.database import Database, open_database
from tests.factories import Workspace, make_ticket
from tests.query_plans import analyze, capture, full_scans

USERS = ("admin", "lead", "agent", "sales", "seller")


@pytest.fixture
def tickets(ws: Workspace) -> list[int]:
    """Tickets in every status of both pipelines, owned by users of both teams or nobody,
    with varied priorities and categories, one spam and one deleted."""
    owners = (None, "agent", "lead", "sales", "seller")
    statuses = ("New", "Waiting on contact", "Waiting on us", "Closed")
    made = []
    for n, (owner, status, priority) in enumerate(itertools.islice(itertools.cycle(
            itertools.product(owners, statuses, (Priority.HIGH, Priority.LOW, None))), 70)):
        made.append(make_ticket(ws, f"Ticket {n:02d} about invoices" if n % 3 else
                                f"Ticket {n:02d}", owner=owner, status=status,
                                priority=priority,
                                category=Category.BILLING_ISSUE if n % 2 else None,
                                contact="marie" if n % 4 else "john"))
    for ticket_id in made[-4:-2]:
        make_ticket(ws, "Escalated", owner="agent", status="Triage", pipeline="Escalations")
    with ws.db.session() as session:
        session.execute(update(Ticket).where(Ticket.id == made[5])
                        .values(state=TicketState.SPAM, spam_at=ws.clock()))
        session.execute(update(Ticket).where(Ticket.id == made[6])
                        .values(state=TicketState.DELETED, deleted_at=ws.clock()))
        session.commit()
    return made


def assert_board_is_the_list(ws: Workspace, user: str, query: TicketQuery,
                             pipeline: str = "Support Pipeline", limit: int = 7) -> BoardPage:
    desk = ws.desk(user)
    pipeline_id = ws.pipelines[pipeline]
    board = desk.board(query, pipeline_id, limit=limit)
    counts = desk.board_counts(query, pipeline_id)
    assert board.query == query
    assert [c.status.id for c in board.columns] == list(counts)
    for column in board.columns:
        narrowed = column.query
        assert narrowed.saved_view_id is None
        assert narrowed.filters.status_ids == (column.status.id,)
        page = desk.list_tickets(narrowed, limit=limit)
        assert [r.id for r in column.rows] == [r.id for r in page.rows], column.status.name
        # The same rows, unread and following included; the snippet is not read (a card
        # shows it only as its tooltip, read then).
        assert column.rows == tuple(dataclasses.replace(r, snippet="") for r in page.rows)
        assert column.next_cursor == page.next_cursor
        total = desk.count_tickets(narrowed)
        assert counts[column.status.id] == total
        assert column.count in (None, total)
        # The column pages on from its cursor to the end, as the list does.
        seen = [r.id for r in column.rows]
        cursor = column.next_cursor
        while cursor is not None:
            more = desk.list_tickets(narrowed, limit=limit, after=cursor)
            seen += [r.id for r in more.rows]
            cursor = more.next_cursor
        assert len(seen) == len(set(seen)) == total
        assert {desk.rows([i])[i].status_id for i in seen} <= {column.status.id}
    return board


@pytest.mark.parametrize("user", USERS)
def test_each_column_is_the_list_narrowed_to_its_status(ws: Workspace, tickets: list[int],
                                                        user: str) -> None:
    for view in (View.ALL_OPEN, View.ALL, View.ASSIGNED_TO_ME, View.UNASSIGNED, View.CLOSED,
                 View.FOLLOWING, View.UNREAD):
        assert_board_is_the_list(ws, user, TicketQuery(view=view))


@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_in_both_directions(ws: Workspace, tickets: list[int],
                                       sort: SortKey) -> None:
    for descending, user in ((False, "admin"), (True, "agent")):
        assert_board_is_the_list(ws, user, TicketQuery(view=View.ALL, sort=sort,
                                                       descending=descending))


def test_filters_search_spam_trash_and_saved_views(ws: Workspace, tickets: list[int]) -> None:
    new, waiting = ws.status("New"), ws.status("Waiting on us")
    board = assert_board_is_the_list(
        ws, "admin", TicketQuery(view=View.ALL, filters=TicketFilters(status_ids=(new, waiting))))
    assert [c.status.id for c in board.columns] == [new, waiting]  # the status filter: columns
    assert_board_is_the_list(ws, "admin", TicketQuery(
        view=View.ALL, filters=TicketFilters(priorities=(Priority.HIGH,),
                                             owner_ids=(None, ws.users["agent"]))))
    assert_board_is_the_list(ws, "agent", TicketQuery(
        view=View.ALL, filters=TicketFilters(categories=(Category.BILLING_ISSUE,))))
    board = assert_board_is_the_list(ws, "lead", TicketQuery(view=View.ALL, search="invoices"))
    assert all(c.count is None for c in board.columns)  # a search is counted apart
    for view in (View.SPAM, View.RECENTLY_DELETED):
        board = assert_board_is_the_list(ws, "admin", TicketQuery(view=view))
        assert sum(len(c.rows) for c in board.columns) == 1
    saved = ws.desk("agent").save_view("Billing", TicketQuery(
        view=View.ALL, filters=TicketFilters(categories=(Category.BILLING_ISSUE,),
                                             status_ids=(new,))))
    board = assert_board_is_the_list(ws, "agent", TicketQuery(saved_view_id=saved.id))
    assert [c.status.id for c in board.columns] == [new]
    assert board.columns[0].rows
    assert all(r.category is Category.BILLING_ISSUE for r in board.columns[0].rows)
    assert_board_is_the_list(ws, "admin", TicketQuery(view=View.ALL), pipeline="Escalations")


def test_refusals(ws: Workspace, tickets: list[int]) -> None:
    pipeline = ws.pipelines["Support Pipeline"]
    with pytest.raises(PermissionDenied):
        ws.desk("agent").board(TicketQuery(view=View.SPAM), pipeline)
    with pytest.raises(PermissionDenied):
        ws.desk("agent").board_counts(TicketQuery(view=View.RECENTLY_DELETED), pipeline)
    with pytest.raises(PermissionDenied):
        ws.desk("outsider").board(TicketQuery(), pipeline)
    with pytest.raises(NotFound):
        ws.desk("admin").board(TicketQuery(), 999_999)
    saved = ws.desk("agent").save_view("Mine", TicketQuery())
    with pytest.raises(NotFound):  # another user's saved view
        ws.desk("lead").board(TicketQuery(saved_view_id=saved.id), pipeline)


def test_a_fixed_number_of_statements_whatever_the_cards(ws: Workspace,
                                                         tickets: list[int]) -> None:
    """One statement per column for its ids, then a fixed number for every card's row and
    the counts: never one per card."""
    desk = ws.desk("admin")
    pipeline = ws.pipelines["Support Pipeline"]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    def statements_for(limit: int) -> int:
        statements.clear()
        event.listen(ws.db.engine, "before_cursor_execute", count)
        try:
            board = desk.board(TicketQuery(view=View.ALL), pipeline, limit=limit)
        finally:
            event.remove(ws.db.engine, "before_cursor_execute", count)
        assert all(c.count is not None for c in board.columns)
        return len(statements)

    statements_for(2)  # the signed-in user is loaded once, then reused while unchanged
    few, many = statements_for(2), statements_for(40)
    assert few == many
    assert many <= 4 + 1 + 6  # ids per column; the counters for all; rows; actor, pipeline


@pytest.mark.parametrize("user", USERS)
def test_the_columns_counted_at_once_are_the_columns_counted_each(
        ws: Workspace, tickets: list[int], user: str) -> None:
    """``counted_by_statuses`` (one grouped statement, what the board reads) says what
    ``counted_by_status`` says of each column's own query, for every view and owner filter."""
    desk = ws.desk(user)
    for pipeline in desk.pipelines():
        ids = [s.id for s in pipeline.statuses]
        for view, owners in itertools.product(
                (View.ALL_OPEN, View.ALL, View.ASSIGNED_TO_ME, View.UNASSIGNED, View.CLOSED,
                 View.SPAM, View.RECENTLY_DELETED, View.FOLLOWING),
                ((), (None, ws.users["agent"]))):
            query = TicketQuery(view=view, filters=TicketFilters(
                owner_ids=owners, pipeline_ids=(pipeline.id,)))
            with ws.db.session() as session:
                actor = session.get(User, ws.users[user])
                assert actor is not None
                try:
                    each = {s.id: list_counts.counted_by_status(
                        session, actor, column_query(query, s)) for s in pipeline.statuses}
                except PermissionDenied:
                    with pytest.raises(PermissionDenied):
                        list_counts.counted_by_statuses(session, actor, query, ids)
                    continue
                at_once = list_counts.counted_by_statuses(session, actor, query, ids)
            assert at_once == (None if None in each.values() else each), (view, owners)


def test_the_column_query_is_the_one_rule(ws: Workspace) -> None:
    status = ws.desk("admin").pipelines()[0].statuses[1]
    query = TicketQuery(view=View.ALL, filters=TicketFilters(status_ids=(1, 2, 3),
                                                             pipeline_ids=(77,)))
    narrowed = column_query(query, status)
    assert narrowed.filters.status_ids == (status.id,)
    assert narrowed.filters.pipeline_ids == (status.pipeline_id,)
    assert dataclasses.replace(narrowed, filters=query.filters) == query


# -- query plans: the board's one read never scans a big table ------------------------------


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A demo workspace (SQLite, with planner statistics), as the query-plan test uses."""
    database = open_database(str(tmp_path_factory.mktemp("board-plans") / "plans.sqlite3"))
    generate_demo(database, tickets=800)
    analyze(database.engine)
    yield database
    database.dispose()


@pytest.mark.parametrize("query", [
    TicketQuery(), TicketQuery(view=View.ALL), TicketQuery(view=View.CLOSED),
    TicketQuery(sort=SortKey.CREATED, descending=False), TicketQuery(sort=SortKey.OWNER),
    TicketQuery(view=View.ALL, search="invoice"),
    TicketQuery(filters=TicketFilters(priorities=(Priority.HIGH,))),
], ids=["all open", "all", "closed", "created", "owner", "search", "priority"])
def test_the_board_and_its_counts_without_a_scan(planned: Database, query: TicketQuery) -> None:
    user_id = startup.default_user_id(planned)
    assert user_id is not None
    desk = Desk(planned, user_id)
    pipeline = desk.pipelines()[0].id
    with capture(planned.engine) as captured:
        board = desk.board(query, pipeline)
        desk.board_counts(query, pipeline)
    assert any(c.rows for c in board.columns) or query.search
    found = [f"{' '.join(s.split())[:200]} -> {scans}" for s, p in captured.statements
             if (scans := full_scans(planned.engine, s, p))]
    assert not found, "full scans:\n" + "\n".join(found)


def test_rows_without_snippets_are_the_rows_without_their_snippet(ws: Workspace,
                                                                  tickets: list[int]) -> None:
    """``load_rows(snippets=False)`` (the board's cards): every field as the list reads it
    but the snippet, left empty."""
    with ws.db.session() as session:
        actor = session.get(User, ws.users["admin"])
        assert actor is not None
        whole = load_rows(session, actor, tickets)
        bare = load_rows(session, actor, tickets, snippets=False)
    assert any(r.snippet for r in whole.values())  # the fixture's tickets have messages
    assert bare == {i: dataclasses.replace(r, snippet="") for i, r in whole.items()}


@pytest.mark.parametrize("snippets", [True, False], ids=["whole", "cards"])
def test_the_rows_of_the_cards_without_a_scan(planned: Database, snippets: bool) -> None:
    """The rows statement the board runs on the driver itself (no engine event sees it), with
    and without the snippet: seeks only."""
    user_id = startup.default_user_id(planned)
    assert user_id is not None
    desk = Desk(planned, user_id)
    board = desk.board(TicketQuery(), desk.pipelines()[0].id)
    ids = [r.id for c in board.columns for r in c.rows]
    assert ids
    statement = list_rows._rows_statement("sqlite", snippets)
    _text, names, constants = list_rows_sqlite._compiled(statement)
    parameters = [user_id if n is not None else c for n, c in zip(names, constants, strict=True)]
    sql = list_rows_sqlite._sql(statement, len(ids))
    assert ("substr" in sql) is snippets
    assert not full_scans(planned.engine, sql, [*parameters, *ids])
