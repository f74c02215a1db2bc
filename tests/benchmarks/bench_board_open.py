"""The board (B5) and opening a ticket (B7) on a benchmark database, in the window and below it.

    python tests/benchmarks/bench_board_open.py [--tickets 100000] [--pg] [--repeat 7]
                                                [--only window|service]

Window rows time what the agent waits for: the board's cards painted after ``load()`` (the
cards are read in one background job; the clock stops when every column shows them), the
column counts shown, and ``TicketView.open_ticket`` until ``ticketOpened`` for a 5-message
ticket and the 1,000-message one. Service rows time the facade calls those jobs make
(``Desk.board``, ``Desk.board_counts``, ``Desk.open_ticket``) and the raw driver query of
the same cards. Medians of ``--repeat`` runs. Opening a ticket marks it read for the signed-in user, as the
window does: the read states of the opened tickets are put back as they were afterwards, so
the cached databases of ``bench_data`` are left as found. Not collected by pytest; nothing is
asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_data, bench_suite
from tests.benchmarks.bench_table import timed


@contextmanager
def read_states_kept(url: str, ticket_ids: list[int]) -> Iterator[None]:
    """Put the read states of ``ticket_ids`` back as they were once the block ends."""
    from sqlalchemy import create_engine, delete, insert, select

    from helpdesk_desktop.domain.models import ReadState

    table = ReadState.__table__
    engine = create_engine(url)
    with engine.connect() as connection:
        kept = [dict(r._mapping) for r in connection.execute(
            select(table).where(table.c.ticket_id.in_(ticket_ids)))]
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(delete(table).where(table.c.ticket_id.in_(ticket_ids)))
            if kept:
                connection.execute(insert(table), kept)
        engine.dispose()


def _wait(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not finish in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    QApplication.processEvents()  # the paint that follows


def _cards_shown(board: Any) -> bool:
    loading = getattr(board, "cards_loading", None)
    if loading is not None:
        return bool(board.columns) and not loading()
    return True  # before 2026-12-06 the board read its cards on the UI thread, in load()


def _counts_shown(board: Any) -> bool:
    return bool(board.columns) and all(c.count is not None for c in board.columns)


def _line(name: str, times: list[float]) -> None:
    print(f"{name:<52} median {statistics.median(times):8.2f} ms   "
          f"min {min(times):7.2f}   max {max(times):7.2f}   (n={len(times)})", flush=True)


def window(url: str, long_id: int, repeat: int) -> None:
    from PySide6.QtWidgets import QApplication

    with bench_suite.window_on(url) as win:
        win.set_layout("board")
        QApplication.processEvents()
        board = win.board
        _wait(lambda: _cards_shown(board) and _counts_shown(board))
        cards: list[float] = []
        counts: list[float] = []
        for n in range(repeat + 1):
            win.bridge.wait_for_idle()
            QApplication.processEvents()
            started = time.perf_counter()
            board.load()
            _wait(lambda: _cards_shown(board))
            shown = time.perf_counter()
            _wait(lambda: _counts_shown(board))
            if n:
                cards.append((shown - started) * 1000)
                counts.append((time.perf_counter() - started) * 1000)
        print(f"board: {len(board.columns)} columns, cards per column "
              f"{[c.model.rowCount() for c in board.columns]}")
        _line("B5 board load → cards painted", cards)
        _line("B5 board load → counts shown", counts)
        win.set_layout("table")
        QApplication.processEvents()
        win.bridge.wait_for_idle()
        short = win.model.ticket_id(3)
        with read_states_kept(url, [short, long_id]):
            for label, ticket_id in (("5 messages", short), ("1,000 messages", long_id)):
                times = timed(lambda t=ticket_id: bench_suite._open_and_wait(win, t), repeat)
                _line(f"B7 open a ticket ({label}) → ticketOpened", times)
            win.bridge.wait_for_idle()


def service(url: str, long_id: int, repeat: int) -> None:
    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk
    from helpdesk_desktop.services.dto import TicketQuery

    database = startup.open_database(url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    pipeline = desk.pipelines()[0]
    query = TicketQuery()
    if hasattr(desk, "board"):
        _line("Desk.board (cards of every column)",
              timed(lambda: desk.board(query, pipeline.id), repeat))
        _line("Desk.board_counts", timed(lambda: desk.board_counts(query, pipeline.id), repeat))
    raw = bench_suite.Raw(url)
    statuses = [s.id for s in pipeline.statuses]

    def raw_board() -> None:
        for status_id in statuses:
            ids = raw.rows("SELECT id FROM tickets WHERE state = 'live' AND closed_at IS NULL "
                           "AND status_id = ? ORDER BY last_activity_at DESC, id DESC LIMIT 51",
                           status_id)
            raw.details([i for (i,) in ids])

    _line("raw driver: every column's ids + details", timed(raw_board, repeat))
    short = desk.list_tickets(query, limit=5).rows[3].id
    with read_states_kept(url, [short, long_id]):
        _open_rows(desk, raw, short, long_id, repeat)
    raw.close()
    database.dispose()


def _open_rows(desk: Any, raw: Any, short: int, long_id: int, repeat: int) -> None:
    for label, ticket_id in (("5 messages", short), ("1,000 messages", long_id)):
        if hasattr(desk, "open_ticket"):
            _line(f"Desk.open_ticket ({label})",
                  timed(lambda t=ticket_id: desk.open_ticket(t, last_messages=30), repeat))
        _line(f"Desk.ticket mark_read ({label})",
              timed(lambda t=ticket_id: desk.ticket(t, mark_read=True, last_messages=30),
                    repeat))
        _line(f"raw driver: thread ({label})", timed(lambda t=ticket_id: raw.thread(t), repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", choices=("window", "service"))
    args = parser.parse_args()
    bench = bench_data.ensure(args.tickets, pg=args.pg)
    long_id = bench_suite.bench_long_id(bench)
    print(f"{bench.url}  long ticket #{long_id}")
    if args.only != "window":
        service(bench.url, long_id, args.repeat)
    if args.only != "service":
        window(bench.url, long_id, args.repeat)


if __name__ == "__main__":
    main()
