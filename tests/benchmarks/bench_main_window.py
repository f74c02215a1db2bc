"""How long the main window's UI-thread work takes on the demo data (a frame is ~16 ms).

    python tests/benchmarks/bench_main_window.py [--tickets 2000] [--repeat 5]

Generates the demo workspace in a temporary file, opens the main window offscreen and prints
the median time of each thing done on the UI thread: the first page of a list, the next page,
a search, switching layouts, loading the board, opening a ticket, refreshing one changed row.
A list's new first page and its next page are read off the UI thread: they are timed until
their rows are in. Counts and bulk work run in the background and are not measured here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QModelIndex, QSettings
from PySide6.QtWidgets import QApplication

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.main_window import MainWindow


def median_ms(work: Callable[[], object], repeat: int, app: QApplication) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
        app.processEvents()
    return statistics.median(times)


def shown(model: Any, work: Callable[[], object]) -> Callable[[], None]:
    """``work``, then the events until ``model`` shows what it read in the background."""

    def run() -> None:
        work()
        deadline = time.perf_counter() + 10
        while (model.is_loading() or model.is_fetching()) and time.perf_counter() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)

    return run


def _load(model: object, rows: int) -> None:
    """Scroll (page) the model until it holds ``rows`` rows or all there are."""
    while model.rowCount() < rows and model.canFetchMore(QModelIndex()):  # type: ignore[attr-defined]
        shown(model, lambda: model.fetchMore(QModelIndex()))()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        database = startup.open_database(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        start = time.perf_counter()
        startup.generate_demo(database, options.tickets)
        print(f"demo data: {options.tickets} tickets in {time.perf_counter() - start:.1f} s")
        user_id = startup.default_user_id(database)
        assert user_id is not None
        bridge = DeskBridge(Desk(database, user_id))
        start = time.perf_counter()
        window = MainWindow(bridge)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        print(f"{'open the window':<38}{(time.perf_counter() - start) * 1000:8.1f} ms")
        model, r = window.model, options.repeat
        ticket = model.ticket_id(3)
        figures = {
            "first page (All open)": shown(model, lambda: window.set_view(
                View.UNREAD if window.query.view is View.ALL_OPEN else View.ALL_OPEN)),
            "next page (fetchMore)": shown(model, lambda: (
                model.fetchMore(QModelIndex()) if model.canFetchMore(QModelIndex())
                else model.set_query(model.query))),
            "search 'invoice' (first page)": shown(model, lambda: model.set_query(
                window.query.__class__(search="invoice"))),
            "sort by contact": shown(model, lambda: model.set_query(
                window.query.__class__(sort=SortKey.CONTACT))),
            "switch layout table → split": lambda: (window.set_layout("table"),
                                                    window.set_layout("split")),
            "board: build columns, first pages": window.board.load,
            # Off the UI thread now: measured until the ticket is on screen.
            "open a ticket (ticket view)": lambda: (window.ticket_view.open_ticket(ticket),
                                                    bridge.wait_for_idle(), app.processEvents()),
            "refresh one changed row": lambda: model.apply_rows(
                [ticket], bridge.desk.rows([ticket])),
            "views panel reload": window.sidebar.reload,
            "re-read 500 loaded rows (new ticket)": shown(model, lambda: (
                _load(model, 500), model.reload())),
        }
        for name, work in figures.items():
            print(f"{name:<38}{median_ms(work, r, app):8.1f} ms")
        window.close()
        bridge.wait_for_idle()
        database.dispose()


if __name__ == "__main__":
    main()
