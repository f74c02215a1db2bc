"""The window's first frame read without the ORM (``services.first_page``) gives what the
services give: the same user, the same saved views, the same rows in the same order with the
same cursor, for users of every scope and right, every view and sort it answers, on both
back-ends; and it leaves to the services (``None``) whatever it does not answer."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import select

from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.enums import Category, SortKey, View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.domain.models import User
from helpdesk_desktop.services import directory, first_page, workspace
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import PageCursor, TicketFilters, TicketQuery
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database
from tests.factories import USERS, Workspace, make_ticket


def run(database: Database, argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, database=database, stdout=out, stderr=err) == 0, (argv, err.getvalue())


def queries() -> list[TicketQuery]:
    return [TicketQuery(view=view, sort=sort, descending=descending)
            for view in first_page.VIEWS for sort in first_page.SORTS
            for descending in (True, False)]


def assert_same_pages(database: Database, user_ids: list[int]) -> int:
    """Every plain query's first page (of 2 and 50 rows) for each user, both ways."""
    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk

    assert startup.orm_loaded()  # so the facade reads through the services here
    compared = 0
    for user_id in user_ids:
        desk = Desk(database, user_id)
        for query in queries():
            for limit in (2, 50):
                quick = first_page.read_page(database, user_id, query, limit)
                try:
                    expected = desk.list_tickets(query, limit=limit)  # the ORM's path here
                except HelpDeskError:
                    assert quick is None, (user_id, query)
                    continue
                assert quick == expected, (user_id, query, limit)
                assert [r.id for r in quick.rows] == [r.id for r in expected.rows]
                compared += bool(expected.rows)
                if expected.next_cursor is not None:  # the services read on from the cursor
                    desk.list_tickets(query, limit=limit, after=quick.next_cursor)
    return compared


def test_first_pages_are_the_services_pages(ws: Workspace) -> None:
    made = [make_ticket(ws, "Unassigned"), make_ticket(ws, "Agent's", owner="agent"),
            make_ticket(ws, "Lead's", owner="lead"), make_ticket(ws, "Seller's", owner="seller"),
            make_ticket(ws, "Sales'", owner="sales", priority=None, category=None),
            make_ticket(ws, "Admin's", owner="admin", contact="john", conversations=2)]
    merged, spam, deleted, closed = (make_ticket(ws, "Merged"), make_ticket(ws, "Spam"),
                                     make_ticket(ws, "Deleted"),
                                     make_ticket(ws, "Closed", owner="agent"))
    for command in (["tickets", "merge", str(made[0]), str(merged)],
                    ["--as", "agent@example.com", "tickets", "follow", str(made[0])],
                    ["tickets", "follow", str(made[0]), str(made[1])],
                    ["tickets", "mark-read", str(made[0])],
                    ["--as", "lead@example.com", "tickets", "mark-read", str(made[2])],
                    ["--as", "lead@example.com", "tickets", "mark-unread", str(made[2])],
                    ["tickets", "update", str(closed), "--status", "Closed"],
                    ["tickets", "spam", str(spam)],
                    ["tickets", "delete", str(deleted), "--confirm-count", "1"]):
        run(ws.db, command)
    compared = assert_same_pages(ws.db, list(ws.users.values()))
    assert compared > 100


def test_first_pages_of_the_demo(db: Database) -> None:
    generate_demo(db, tickets=40, seed=5)
    with db.session() as session:
        user_ids = list(session.scalars(select(User.id).order_by(User.id)))
    assert assert_same_pages(db, user_ids) > 100


def assert_same_or_none(service_call: Callable[[], object], quick: object, key: str) -> bool:
    """The quick read equals the service's answer, or is ``None`` where the service refuses;
    whether the service answered."""
    try:
        expected = service_call()
    except HelpDeskError:
        assert quick is None, key
        return False
    assert quick == expected, key
    return True


def test_who_signs_in_and_their_saved_views(ws: Workspace) -> None:
    for key in ("admin", "agent", "sales"):
        if USERS[key][2] or USERS[key][5]:
            ws.desk(key).save_view("Mine, open", TicketQuery(
                view=View.ASSIGNED_TO_ME, sort=SortKey.PRIORITY, descending=False,
                filters=TicketFilters(categories=(Category.BILLING_ISSUE,))))
            ws.desk(key).save_view("All by name", TicketQuery(view=View.ALL,
                                                              sort=SortKey.NAME))
    for key, user_id in ws.users.items():
        desk = ws.desk(key)
        assert_same_or_none(desk.me, first_page.read_user(ws.db, user_id), key)
        if assert_same_or_none(desk.saved_views,
                               first_page.read_saved_views(ws.db, user_id), key):
            assert key in ("admin", "lead", "agent", "seller")
    assert first_page.read_user(ws.db, 999_999) is None
    for email in (*(f"{key}@example.com" for key in USERS), " Agent@Example.COM "):
        assert first_page.find_user_id(ws.db, email) == directory.find_user_id(ws.db, email)
    assert first_page.find_user_id(ws.db, "nobody@example.com") is None
    assert first_page.first_admin_id(ws.db) == directory.first_admin_id(ws.db)
    assert first_page.is_empty(ws.db) is workspace.is_empty(UnitOfWork(ws.db, None)) is False
    assert not first_page.demo_build_pending(ws.db)


def test_an_empty_database(db: Database) -> None:
    assert first_page.is_empty(db) is workspace.is_empty(UnitOfWork(db, None)) is True
    assert first_page.first_admin_id(db) is None is directory.first_admin_id(db)


@pytest.mark.parametrize("query", [
    TicketQuery(view=View.FOLLOWING), TicketQuery(view=View.UNREAD),
    TicketQuery(view=View.SPAM), TicketQuery(view=View.RECENTLY_DELETED),
    TicketQuery(sort=SortKey.STATUS), TicketQuery(sort=SortKey.CONTACT),
    TicketQuery(sort=SortKey.PRIORITY), TicketQuery(search="printer"),
    TicketQuery(saved_view_id=1), TicketQuery(filters=TicketFilters(status_ids=(1,))),
])
def test_other_queries_are_left_to_the_services(ws: Workspace, query: TicketQuery) -> None:
    make_ticket(ws)
    assert not first_page.handles(query, None)
    assert first_page.read_page(ws.db, ws.users["admin"], query, 50) is None
    plain = TicketQuery()
    page = first_page.read_page(ws.db, ws.users["admin"], plain, 50)
    assert page is not None and len(page.rows) == 1
    assert not first_page.handles(plain, PageCursor(sort_value=(), ticket_id=page.rows[0].id))
    assert first_page.read_page(ws.db, ws.users["admin"], plain, 0) is None
    assert first_page.read_page(ws.db, ws.users["admin"], plain, 1001) is None

