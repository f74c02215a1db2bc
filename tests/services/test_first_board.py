"""The board's first frame read without the ORM (``services.first_board``) gives what the
services give: the same pipelines, and the same board — columns, cards in the same order,
cursors and counts — for users of every scope and right, every view and sort it answers, on
both back-ends; and it leaves to the services (``None``) whatever it does not answer."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.domain.models import User
from helpdesk_desktop.services import first_board, first_page
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import BoardPage, TicketFilters, TicketQuery
from helpdesk_desktop.storage.database import Database
from tests.factories import Workspace, make_ticket


def run(database: Database, argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, database=database, stdout=out, stderr=err) == 0, (argv, err.getvalue())


def queries() -> list[TicketQuery]:
    return [TicketQuery(view=view, sort=sort, descending=descending)
            for view in first_page.VIEWS for sort in first_page.SORTS
            for descending in (True, False)]


def assert_same_boards(database: Database, user_ids: list[int],
                       limits: tuple[int, ...] = (2, 50)) -> int:
    """Every plain query's board (``limits`` cards a column) of every pipeline, for each
    user, both ways; the number of cards compared."""
    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk

    assert startup.orm_loaded()  # so the facade reads through the services here
    compared = 0
    for user_id in user_ids:
        desk = Desk(database, user_id)
        pipelines = first_board.read_pipelines(database, user_id)
        try:
            expected_pipelines = desk.pipelines()
        except HelpDeskError:
            assert pipelines is None, user_id
            continue
        assert pipelines == expected_pipelines, user_id
        for pipeline in expected_pipelines:
            for query in queries():
                for limit in limits:
                    quick = first_board.read_board(database, user_id, query, pipeline.id, limit)
                    expected = desk.board(query, pipeline.id, limit=limit)  # the services
                    assert quick == expected, (user_id, query, pipeline.id, limit)
                    compared += sum(len(column.rows) for column in expected.columns)
                    for column in expected.columns:  # the services page on from the cursor
                        if column.next_cursor is not None:
                            desk.list_tickets(column.query, limit=limit,
                                              after=column.next_cursor)
    return compared


def test_boards_are_the_services_boards(ws: Workspace) -> None:
    made = [make_ticket(ws, "Unassigned"), make_ticket(ws, "Agent's", owner="agent"),
            make_ticket(ws, "Lead's", owner="lead", status="Waiting on contact"),
            make_ticket(ws, "Seller's", owner="seller"),
            make_ticket(ws, "Sales'", owner="sales", priority=None, category=None),
            make_ticket(ws, "Admin's", owner="admin", contact="john", conversations=2),
            make_ticket(ws, "Other pipeline", pipeline="Escalations", status="Triage",
                        owner="agent")]
    merged, spam, deleted, closed = (make_ticket(ws, "Merged"), make_ticket(ws, "Spam"),
                                     make_ticket(ws, "Deleted"),
                                     make_ticket(ws, "Closed", owner="agent"))
    for command in (["tickets", "merge", str(made[0]), str(merged)],
                    ["--as", "agent@example.com", "tickets", "follow", str(made[0])],
                    ["tickets", "mark-read", str(made[0])],
                    ["tickets", "update", str(closed), "--status", "Closed"],
                    ["tickets", "spam", str(spam)],
                    ["tickets", "delete", str(deleted), "--confirm-count", "1"]):
        run(ws.db, command)
    assert assert_same_boards(ws.db, list(ws.users.values())) > 100


def test_boards_of_the_demo(db: Database) -> None:
    generate_demo(db, tickets=60, seed=7)
    with db.session() as session:  # one user of each kind of access
        kinds = {(u.scope, u.super_admin, u.help_desk_access, u.team_id): u.id
                 for u in session.scalars(select(User).order_by(User.id.desc()))}
    assert len(kinds) >= 3
    assert assert_same_boards(db, sorted(kinds.values()), limits=(3,)) > 500


@pytest.mark.parametrize("query", [
    TicketQuery(view=View.FOLLOWING), TicketQuery(view=View.UNREAD),
    TicketQuery(view=View.SPAM), TicketQuery(view=View.RECENTLY_DELETED),
    TicketQuery(sort=SortKey.STATUS), TicketQuery(sort=SortKey.CONTACT),
    TicketQuery(search="printer"), TicketQuery(saved_view_id=1),
    TicketQuery(filters=TicketFilters(status_ids=(1,))),
])
def test_other_boards_are_left_to_the_services(ws: Workspace, query: TicketQuery) -> None:
    make_ticket(ws)
    admin, pipeline_id = ws.users["admin"], ws.pipelines["Support Pipeline"]
    assert first_board.read_board(ws.db, admin, query, pipeline_id, 50) is None
    plain = first_board.read_board(ws.db, admin, TicketQuery(), pipeline_id, 50)
    assert isinstance(plain, BoardPage) and sum(len(c.rows) for c in plain.columns) == 1
    assert first_board.read_board(ws.db, admin, TicketQuery(), 999_999, 50) is None
    assert first_board.read_board(ws.db, admin, TicketQuery(), pipeline_id, 0) is None
    assert first_board.read_board(ws.db, ws.users["outsider"], TicketQuery(), pipeline_id,
                                  50) is None
    assert first_board.read_pipelines(ws.db, ws.users["outsider"]) is None
