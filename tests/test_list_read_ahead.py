"""The ticket list reads its next page ahead, off the UI thread (``ui/models/read_ahead.py``):
on SQLite and PostgreSQL, scrolling takes that page without reading it again, and tickets
written meanwhile — here or elsewhere — are neither shown twice, lost, nor shown stale."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Priority
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from helpdesk_desktop.storage.database import open_database
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.models.list_reads import wait_for_reads
from helpdesk_desktop.ui.models.ticket_model import TicketListModel
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_url

pytestmark = pytest.mark.gui

PAGE = 5


@pytest.fixture
def ws(backend: str, request: pytest.FixtureRequest, clock: FakeClock,
       tmp_path: Path) -> Iterator[Workspace]:
    """A workspace whose database the worker threads reach through connections of their
    own (the shared test fixture binds PostgreSQL to one connection, for one thread)."""
    if backend == "sqlite":
        database = open_database(str(tmp_path / "read-ahead.sqlite3"))
        try:
            yield seed_workspace(database, clock)
        finally:
            database.dispose()
        return
    with own_schema_url("hd_read_ahead") as url:
        database = open_database(url)
        try:
            yield seed_workspace(database, clock)
        finally:
            database.dispose()


def settle(bridge: DeskBridge, qtbot: QtBot) -> None:
    for _ in range(3):
        qtbot.wait(20)
        wait_for_reads(bridge)  # the list's own thread (pages ahead)
        bridge.wait_for_idle()


def count_reads(bridge: DeskBridge, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Pages read, by thread kind ("ui" or "worker")."""
    reads = {"ui": 0, "worker": 0}
    desk = bridge.desk
    original = desk.list_tickets

    def counted(*args: Any, **kwargs: Any) -> Any:
        kind = "ui" if threading.current_thread() is threading.main_thread() else "worker"
        reads[kind] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(desk, "list_tickets", counted)
    return reads


def test_scrolling_takes_the_page_read_ahead_without_reading_it_again(
        ws: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3 * PAGE + 2):
        make_ticket(ws, f"Ticket {n}", owner="agent")
    bridge = DeskBridge(ws.desk("agent"))
    reads = count_reads(bridge, monkeypatch)
    model = TicketListModel(bridge, TicketQuery(), page_size=PAGE)
    model.start()
    settle(bridge, qtbot)
    assert reads == {"ui": 1, "worker": 0}  # a first page nobody scrolls is read once
    model.fetchMore(QModelIndex())  # the first scroll: read off the UI thread, then shown
    assert reads == {"ui": 1, "worker": 0} and model.is_fetching()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE)
    settle(bridge, qtbot)
    assert reads["worker"] == 2  # ... and the third page, read ahead once the view scrolled
    model.fetchMore(QModelIndex())
    assert reads["ui"] == 1 and model.rowCount() == 3 * PAGE
    while model.canFetchMore(QModelIndex()):
        settle(bridge, qtbot)
        model.fetchMore(QModelIndex())
    assert reads["ui"] == 1
    assert model.ids() == bridge.desk.matching_ids(TicketQuery())
    wait_for_reads(bridge)
    bridge.wait_for_idle()


def test_rows_written_meanwhile_are_not_repeated_lost_or_stale(
        ws: Workspace, qtbot: QtBot) -> None:
    first = [make_ticket(ws, f"Ticket {n}", owner="agent") for n in range(4 * PAGE)]
    bridge = DeskBridge(ws.desk("agent"))
    query = TicketQuery()
    model = TicketListModel(bridge, query, page_size=PAGE)
    model.start()
    model.fetchMore(QModelIndex())
    settle(bridge, qtbot)  # the third page is read ahead
    ahead = [i for i in bridge.desk.matching_ids(query) if i not in model.ids()][:PAGE]
    # Elsewhere (no change report reaches this window): new tickets, sorted first.
    elsewhere = ws.desk("lead")
    for n in range(3):
        make_ticket(ws, f"New elsewhere {n}", owner="agent")
    elsewhere.update(ahead[1], TicketChanges(priority=Priority.URGENT))
    # Here: an edit of a ticket in the page read ahead (its report reaches the model).
    edited = ahead[2]
    bridge.desk.update(edited, TicketChanges(priority=Priority.LOW))
    model.fetchMore(QModelIndex())  # at once: before the model's own refresh reports
    row = model.row_for_id(edited)  # (None: the edit moved it out of the rows loaded)
    assert row is None or row.priority is Priority.LOW  # never the row read before it
    settle(bridge, qtbot)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        settle(bridge, qtbot)
    ids = model.ids()
    assert len(ids) == len(set(ids))  # nothing twice
    assert set(first) <= set(ids)  # nothing lost
    row = model.row_for_id(edited)
    assert row is not None and row.priority is Priority.LOW  # not the row read before
    fresh = bridge.desk.matching_ids(query)
    assert [i for i in fresh if i in set(ids)] == ids  # in the database's order
    wait_for_reads(bridge)
    bridge.wait_for_idle()


def test_pages_read_ahead_are_let_go_once_shown(ws: Workspace, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    for n in range(6 * PAGE):
        make_ticket(ws, f"Ticket {n}", owner="agent")
    bridge = DeskBridge(ws.desk("agent"))
    read: weakref.WeakSet[Any] = weakref.WeakSet()  # every row this list read
    desk = bridge.desk
    original = desk.list_tickets

    def recorded(*args: Any, **kwargs: Any) -> Any:
        page = original(*args, **kwargs)
        read.update(page.rows)
        return page

    monkeypatch.setattr(desk, "list_tickets", recorded)
    model = TicketListModel(bridge, TicketQuery(), page_size=PAGE)
    model.start()
    while model.canFetchMore(QModelIndex()) or model.is_fetching():
        settle(bridge, qtbot)
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
    settle(bridge, qtbot)
    assert len(read) == 6 * PAGE
    model.set_query(TicketQuery(search="no ticket says this"))  # the rows leave the model
    qtbot.waitUntil(lambda: not model.is_loading())  # (read in the background)
    settle(bridge, qtbot)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert len(read) <= PAGE, len(read)  # at most a page in flight, not every page read
    wait_for_reads(bridge)
    bridge.wait_for_idle()
