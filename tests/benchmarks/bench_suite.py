"""The measurements of the suite, one function per group of goals (see ``run.py``).

Every operation is measured next to its limit probe in the same process and run: the raw
sqlite3/psycopg query of the same page, the raw full-text query, a raw ReportLab build, an
empty Qt window. Figures only; nothing here is a test.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Priority, SortKey, View
from helpdesk_desktop.services.dto import TicketFilters
from tests.benchmarks.bench_data import BenchDatabase, long_ticket_id
from tests.benchmarks.bench_launch import prepared_settings
from tests.benchmarks.bench_table import Row, percentile, timed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PAGE = 100
SEARCHES = {"common word": "bonjour", "word": "invoice", "rare word": "thread",
            "contact": "Chevalier"}


# -- the raw limit probes ------------------------------------------------------------------


class Raw:
    """The same work with the bare driver: no ORM, no services."""

    def __init__(self, url: str) -> None:
        self.pg = url.startswith("postgresql")
        if self.pg:
            import psycopg

            self.conn: Any = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"),
                                             autocommit=True)
        else:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        self.p = "%s" if self.pg else "?"

    def rows(self, sql: str, *params: Any) -> list[Any]:
        if self.pg:
            with self.conn.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return list(cursor.fetchall())
        return self.conn.execute(sql, params).fetchall()

    def page(self, after: tuple[Any, int] | None = None, descending: bool = True) -> list[Any]:
        """The ids of a page of All open by last activity, then the rows' columns."""
        op, order = ("<", "DESC") if descending else (">", "ASC")
        where = "state = 'live' AND closed_at IS NULL"
        params: list[Any] = []
        if after is not None:
            where += f" AND (last_activity_at, id) {op} (?, ?)"
            params = list(after)
        ids = self.rows(f"SELECT id, last_activity_at FROM tickets WHERE {where} "
                        f"ORDER BY last_activity_at {order}, id {order} LIMIT {PAGE}", *params)
        return self.details([i for i, _ in ids]) + ids

    def details(self, ids: list[int]) -> list[Any]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self.rows(
            "SELECT t.id, t.name, s.name, t.priority, u.name, t.last_activity_at FROM tickets t "
            "JOIN statuses s ON s.id = t.status_id LEFT JOIN users u ON u.id = t.owner_id "
            f"WHERE t.id IN ({marks})", *ids)

    def fts(self, word: str) -> list[Any]:
        if self.pg:
            # The stored vector of migration 0012 (the program's search reads it too).
            return self.rows(
                "SELECT id FROM messages WHERE search_vector @@ to_tsquery('simple', ?) "
                "ORDER BY id DESC LIMIT 100", word)
        return self.rows("SELECT rowid FROM message_fts WHERE message_fts MATCH ? "
                         "ORDER BY rowid DESC LIMIT 100", word)

    def thread(self, ticket_id: int) -> list[Any]:
        return self.rows(
            "SELECT m.id, m.author_name, m.sent_at, m.body_text, m.body_html FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id WHERE c.ticket_id = ? "
            "ORDER BY m.sent_at, m.id", ticket_id)

    def middle_key(self, count: int) -> tuple[Any, int]:
        # Only to place the probe: the program pages by key, never by offset.
        row = self.rows("SELECT last_activity_at, id FROM tickets WHERE state = 'live' AND "
                        "closed_at IS NULL ORDER BY last_activity_at DESC, id DESC "
                        f"LIMIT 1 OFFSET {count // 2}")[0]
        return row[0], row[1]

    def count_open(self) -> int:
        return int(self.rows("SELECT count(*) FROM tickets WHERE state = 'live' "
                             "AND closed_at IS NULL")[0][0])

    def close(self) -> None:
        self.conn.close()


# -- start-up (B1, M1, C) ------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a timed child process: as a user's, with the program's byte code
    cached. An installed program has its ``.pyc`` files (pip and PyInstaller write them);
    with ``PYTHONDONTWRITEBYTECODE`` inherited, every launch of a source checkout compiled
    the program's ~170 modules again (about 0.4 s of a 1 s launch here), which no user pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _launch(args: list[str]) -> tuple[float, float]:
    """(ms from spawn to the child's "ready" line, the child's max RSS in MB)."""
    env = child_env(QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True,
                             env=env, cwd=ROOT)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    child.wait()
    if not line.startswith("ready"):
        raise RuntimeError(f"launch {args} failed (exit {child.returncode})")
    return elapsed, int(line.split()[1]) / 1024


def launches(args: list[str], repeat: int) -> tuple[list[float], list[float]]:
    _launch(args)  # warm: files in the page cache, .pyc written
    results = [_launch(args) for _ in range(repeat)]
    return [t for t, _ in results], [m for _, m in results]


def startup_rows(bench: BenchDatabase, small: BenchDatabase | None,
                 repeat: int) -> tuple[list[Row], dict[str, float]]:
    script = str(HERE / "bench_launch.py")
    bare, _bare_mem = launches([script, "bare"], repeat)
    floor, floor_mem = launches([script, "floor"], repeat)
    floor_ms, floor_mb = _median(floor), _median(floor_mem)
    rows: list[Row] = []
    figures: dict[str, float] = {"floor_ms": floor_ms, "bare_ms": _median(bare)}
    table_mem: list[float] = []
    for layout in ("table", "split", "board"):
        # The layout is the one the user left the window in (their settings, made once).
        settings = prepared_settings(bench.url, layout, child_env())
        times, mem = launches([script, "window", bench.url, layout, settings], repeat)
        shutil.rmtree(settings, ignore_errors=True)
        ratio_bare = _median(times) / _median(bare)
        rows.append(Row(
            "B1" if layout == "table" else f"B1.{layout}",
            f"launch → first page painted ({layout}); {ratio_bare:.2f}× the bare window",
            times, floor_ms, "≤ 1.15 × stack floor", _median(times) <= 1.15 * floor_ms))
        figures[f"B1.{layout}"] = _median(times)
        if layout == "table":
            table_mem = mem
    rows.append(Row("M1", "resident memory at B1 (table) vs the stack floor's", table_mem,
                    floor_mb, "≤ floor + 10 MB", _median(table_mem) <= floor_mb + 10, unit="MB"))
    figures["B1.rss"] = _median(table_mem)
    if small is not None:
        small_times, small_mem = launches([script, "window", small.url, "table"], repeat)
        figures["small.B1.table"] = _median(small_times)
        growth = [m - _median(small_mem) for m in table_mem]
        rows.append(Row("M2", f"memory growth at B1, {small.tickets:,} → {bench.tickets:,} "
                        "tickets", growth, None, "≤ 5 MB", _median(growth) <= 5, unit="MB"))
    return rows, figures


def cli_rows(bench: BenchDatabase, ticket_id: int, make_raw: Callable[[], Raw],
             repeat: int) -> list[Row]:
    script = Path(sys.executable).parent / "helpdesk-desktop"  # what a user runs
    exe = [str(script)] if script.exists() else [sys.executable, "-m", "helpdesk_desktop"]
    env = child_env()

    def run(args: list[str]) -> Callable[[], None]:
        return lambda: subprocess.run(args, env=env, cwd=ROOT, check=True,
                                      stdout=subprocess.DEVNULL)

    version = timed(run([*exe, "--version"]), repeat)
    show = timed(run([*exe, "--db", bench.url, "tickets", "show", str(ticket_id)]), repeat)
    imports = timed(run([sys.executable, "-c", "import sqlalchemy.orm"]), repeat)
    raw = make_raw()  # opened after the CLI runs
    try:
        query = timed(lambda: raw.thread(ticket_id), repeat)
    finally:
        raw.close()
    limit = _median(imports) + _median(query)
    return [Row("C", "CLI --version", version, None, "≤ 60 ms", _median(version) <= 60),
            Row("C.show", f"CLI tickets show {ticket_id}", show, limit,
                "≤ 1.2 × (import sqlalchemy.orm + query)", _median(show) <= 1.2 * limit)]


# -- the window, in this process (B2-B7, U) ------------------------------------------------


class Heartbeat:
    """The longest gap between ticks of a 5 ms timer: how long the event loop stalled.

    Each gap is charged to the phase the suite was in when it began and ended (``at``), so a
    stall names what caused it. The suite's own synchronous probes (raw queries, service calls
    that the program runs off the UI thread) are not the program's stalls: inside
    ``outside()`` the clock does not count.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.worst = 0
        self.phase = "start"
        self._phase_at_tick = "start"
        self._carry = 0
        self.by_phase: dict[str, int] = {}

    def _tick(self) -> None:
        gap = self._carry + self.clock.restart()
        self._carry = 0
        name = (self.phase if self.phase == self._phase_at_tick
                else f"{self._phase_at_tick} → {self.phase}")
        self._phase_at_tick = self.phase
        self.by_phase[name] = max(self.by_phase.get(name, 0), gap)
        self.worst = max(self.worst, gap)

    def at(self, phase: str) -> None:
        self.phase = phase

    @contextmanager
    def outside(self) -> Iterator[None]:
        """The suite's own probe, run synchronously: not charged to the program."""
        self._carry += self.clock.elapsed()
        try:
            yield
        finally:
            self.clock.restart()

    def worst_phase(self) -> str:
        return max(self.by_phase, key=self.by_phase.__getitem__) if self.by_phase else "-"

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        return self.worst


@contextmanager
def window_on(url: str) -> Iterator[Any]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.main_window import MainWindow
    from helpdesk_desktop.ui.models.list_reads import wait_for_reads

    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = tempfile.mkdtemp(prefix="hd-bench-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    database = startup.open_database(url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    bridge = DeskBridge(Desk(database, user_id))
    window = MainWindow(bridge)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    _LISTS.append(window.model)
    try:
        yield window
    finally:
        _LISTS.remove(window.model)
        window.close()
        wait_for_reads(bridge)
        bridge.wait_for_idle()
        app.processEvents()
        database.dispose()


def _ui(work: Callable[[], object]) -> Callable[[], None]:
    """``work`` and the repaint that follows it."""

    def run() -> None:
        work()
        QApplication_process()

    return run


def window_rows(bench: BenchDatabase, raw: Raw, repeat: int) -> tuple[list[Row], dict[str, float]]:
    from PySide6.QtCore import QModelIndex, Qt

    from helpdesk_desktop.ui.models.ticket_model import Column

    rows: list[Row] = []
    figures: dict[str, float] = {}
    page_limit = _median(timed(raw.page, max(repeat, 5)))
    with window_on(bench.url) as window:
        beat = Heartbeat()
        beat.start()
        model = window.model
        beat.at("set view All open")
        window.set_view(View.ALL_OPEN)
        QApplication_process()

        # B2: scroll one page, 40 pages deep: the scroll bar a page down once the list is
        # counted (its rows read where the view looks), before that fetchMore
        beat.at("B2 scroll")
        _wait_counted(model)
        scroll = []
        for _ in range(40):
            if not model.is_positional() and not model.canFetchMore(QModelIndex()):
                break
            scroll += timed(lambda: _scroll_page(window), 1, warm=0)
        cursor: tuple[Any, int] | None = None
        raw_scroll = []
        with beat.outside():
            for _ in range(40):
                started = time.perf_counter()
                page = raw.page(cursor)
                raw_scroll.append((time.perf_counter() - started) * 1000)
                cursor = (page[-1][1], page[-1][0])
        p50, p95 = _median(scroll), percentile(scroll, 0.95)
        how = "scroll bar a page down" if model.is_positional() else "fetchMore"
        rows.append(Row("B2", f"scroll one page ({how}, 40 pages); p95 "
                        f"{p95:.1f} ms", scroll, _median(raw_scroll), "p50 ≤ 8 ms, p95 ≤ 16 ms",
                        p50 <= 8 and p95 <= 16))

        # B3: jump to the end (Ctrl+End) and to the middle (the scroll bar) of the list
        # just opened (first page shown, counted, no other row read) → those rows painted
        rows += jump_rows(window, raw, beat, repeat)

        # B4: views, sort columns, filters → first page repainted
        views = [v for v in View]
        for view in views:
            other = View.ALL if view is not View.ALL else View.ALL_OPEN

            def switch(v: View = view, o: View = other) -> None:
                window.set_view(o)
                QApplication_process()
                started = time.perf_counter()
                window.set_view(v)
                QApplication_process()
                switch.last = (time.perf_counter() - started) * 1000  # type: ignore[attr-defined]

            beat.at(f"B4 view {view.value}")
            times = []
            for _ in range(repeat + 1):
                switch()
                times.append(switch.last)  # type: ignore[attr-defined]
            times = times[1:]
            figures[f"view.{view.value}"] = _median(times)
            rows.append(Row("B4", f"view {view.value} → first page", times, page_limit,
                            "≤ 15 ms", _median(times) <= 15))
        window.set_view(View.ALL_OPEN)
        _quiet(window)
        figures["view.all_open"] = _median(timed(_ui(
            lambda: model.set_query(dataclasses.replace(window.query, view=View.ALL_OPEN))),
            repeat))
        for column in Column:
            if column is Column.CHECK:
                continue
            order = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]
            beat.at(f"B4 sort {column.name.lower()}")
            times = []
            for n in range(repeat + 1):
                started = time.perf_counter()
                model.sort(int(column), order[n % 2])
                QApplication_process()
                times.append((time.perf_counter() - started) * 1000)
            times = times[1:]
            rows.append(Row("B4", f"sort by {column.name.lower()} (All open) → first page",
                            times, page_limit, "≤ 15 ms", _median(times) <= 15))
        model.sort(int(Column.LAST_ACTIVITY), Qt.SortOrder.DescendingOrder)
        base = window.query
        owner = window.bridge.user.id
        filters = {"priority high": TicketFilters(priorities=(Priority.HIGH,)),
                   "owner me": TicketFilters(owner_ids=(owner,)),
                   "unassigned + category": TicketFilters(owner_ids=(None,))}
        for name, chosen in filters.items():
            query = dataclasses.replace(base, filters=chosen)
            beat.at(f"B4 filter {name}")
            times = timed(_ui(lambda q=query: model.set_query(q)), repeat)
            rows.append(Row("B4", f"filter {name} → first page", times, page_limit,
                            "≤ 15 ms", _median(times) <= 15))
        model.set_query(base)
        QApplication_process()
        desk = window.bridge.desk
        with beat.outside():
            counts = timed(desk.view_counts, repeat)
        rows.append(Row("B4.counts", "view counts (off the UI thread)", counts, page_limit,
                        "≤ 50 ms", _median(counts) <= 50))

        # B5: board
        beat.at("B5 board")
        window.set_layout("board")
        QApplication_process()
        cards = timed(_ui(lambda: _load_board(window.board)), repeat)
        bridge = window.bridge
        with beat.outside():  # the suite waits for the window's jobs: not the program's stall
            bridge.wait_for_idle()
        column_queries = [c.model.query for c in window.board.columns]
        with beat.outside():
            board_counts = timed(lambda: [desk.count_tickets(q) for q in column_queries],
                                 repeat)
        rows.append(Row("B5", f"board: {len(column_queries)} columns of 50 cards", cards,
                        page_limit, "≤ 15 ms", _median(cards) <= 15))
        rows.append(Row("B5.counts", "board column counts (off the UI thread)", board_counts,
                        page_limit, "≤ 50 ms", _median(board_counts) <= 50))
        window.set_layout("table")
        QApplication_process()

        # B6: search → first 100 hits painted
        number = str(model.ticket_id(0))
        for name, text in {**SEARCHES, "number": number}.items():
            # As the window lists a typed search: its newest matches first.
            query = dataclasses.replace(base, view=View.ALL, search=text,
                                        sort=SortKey.NEWEST_HIT, descending=True)
            beat.at(f"B6 search {name}")
            times = timed(_ui(lambda q=query: model.set_query(q)), repeat)
            with beat.outside():
                limit = _median(timed(lambda t=text: raw.fts(t), repeat))
            figures[f"search.{name}"] = _median(times)
            rows.append(Row("B6", f"search {name} '{text}' → first {PAGE} hits",
                            times, limit, "≤ 20 ms", _median(times) <= 20))
        model.set_query(base)
        QApplication_process()

        # B7: open a ticket, until the ticket view says it is shown (the read runs as a job:
        # timing open_ticket alone measured only the placeholder)
        short = model.ticket_id(3)
        with beat.outside():
            long_id = bench_long_id(bench)
        for label, ticket_id, goal in (("5 messages", short, 15.0),
                                       ("1,000 messages", long_id, 100.0)):
            beat.at(f"B7 open {label}")
            times = timed(_ui(lambda t=ticket_id: _open_and_wait(window, t)), repeat)
            with beat.outside():
                limit = _median(timed(lambda t=ticket_id: raw.thread(t), repeat))
            rows.append(Row("B7", f"open a ticket ({label}) in the ticket view", times, limit,
                            f"≤ {goal:.0f} ms", _median(times) <= goal))
        worst = beat.stop()
        top = sorted(beat.by_phase.items(), key=lambda item: -item[1])[:8]
        print("longest stalls by phase: " + "; ".join(f"{name} {ms} ms" for name, ms in top),
              file=sys.stderr)
        rows.append(Row("U", f"longest event-loop stall during B2–B7 (5 ms heartbeat; in "
                        f"{beat.worst_phase()})",
                        [float(worst)], None, "≤ 50 ms", worst <= 50))
    return rows, figures


def jump_rows(window: Any, raw: Raw, beat: Heartbeat, repeat: int) -> list[Row]:
    """B3 in the window: Ctrl+End and the scroll bar dragged to the middle, each from the
    view just opened, timed until the rows shown are read and painted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from helpdesk_desktop.ui.models.ticket_model import Column

    model, view = window.model, window.table.view

    def fresh() -> None:
        window.set_view(View.ALL)
        QApplication_process()
        window.set_view(View.ALL_OPEN)
        QApplication_process()
        _wait_counted(model)
        view.verticalScrollBar().setValue(0)
        _until_shown(window)

    def end() -> None:
        view.setFocus()
        view.setCurrentIndex(model.index(0, Column.NAME))
        QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        _until_shown(window)

    def middle() -> None:
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        _until_shown(window)

    rows = []
    with beat.outside():
        open_count = raw.count_open()
        key = raw.middle_key(open_count)
        middle_limit = _median(timed(lambda: raw.page(key), repeat))
        end_limit = _median(timed(lambda: raw.page(None, descending=False), repeat))
    for label, jump, limit in (
            ((f"jump to the middle ({open_count // 2:,} rows down, the scroll bar) → rows "
             "painted"), middle, middle_limit),
            ("jump to the end (Ctrl+End) → the last rows painted", end, end_limit)):
        times = []
        for _ in range(repeat):
            beat.at("B3 reopen")
            fresh()
            beat.at(f"B3 {jump.__name__}")
            started = time.perf_counter()
            jump()
            times.append((time.perf_counter() - started) * 1000)
        rows.append(Row("B3", label, times, limit, "≤ 50 ms", _median(times) <= 50,
                        notes=[("in the window: from the view just opened (first page "
                               "shown, counted), until every row shown is read and painted")]))
    fresh()
    return rows


def _quiet(window: Any) -> None:
    """Until the window's reads and jobs are done: the S rows time the same operation at two
    sizes, and the count of the view just set, still running on the bridge at 1M tickets,
    made the large side 1.4-2x its time alone (session 29)."""
    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop.ui.models.list_reads import wait_for_reads

    wait_for_reads(window.bridge)
    window.bridge.wait_for_idle()
    QApplication.processEvents()


def _wait_counted(model: Any, seconds: float = 60) -> None:
    """Until the list has every row ("N matching" counted), or has no page left to read."""
    from PySide6.QtCore import QEventLoop, QModelIndex
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + seconds
    while (not model.is_positional() and model.canFetchMore(QModelIndex())
           and time.perf_counter() < deadline):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _shown_are_read(window: Any) -> bool:
    model, view = window.model, window.table.view
    first = view.rowAt(0)
    last = view.rowAt(view.viewport().height() - 1)
    if last < 0:
        last = model.rowCount() - 1
    return first < 0 or all(model.id_at(r) is not None for r in range(first, last + 1))


def _until_shown(window: Any, seconds: float = 10) -> None:
    """The events, until every row the table shows is read, then its repaint. (Waits in an
    event loop that quits when the rows come: ``processEvents(WaitForMoreEvents)`` returns
    only after a later event, here the next page read around, which hid the time the
    rows shown took.)"""
    wait_until(window.model.dataChanged, lambda: _shown_are_read(window), seconds)


def wait_until(signal: Any, done: Callable[[], bool], seconds: float = 10) -> None:
    """Run the event loop until ``done()`` holds (checked at each ``signal``), then the
    events waiting (the repaint it asked for)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    if not done():
        loop = QEventLoop()

        def check(*_args: object) -> None:
            if done():
                loop.quit()

        signal.connect(check)
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        signal.disconnect(check)
    QApplication.processEvents()


def _scroll_page(window: Any) -> None:
    """One page down as a user scrolls: the scroll bar (a list with every row) or fetchMore
    (a list paging forward), until the rows are in and painted."""
    from PySide6.QtCore import QModelIndex

    model = window.model
    if model.is_positional():
        bar = window.table.view.verticalScrollBar()
        bar.setValue(bar.value() + bar.pageStep())
        _until_shown(window)
    else:
        model.fetchMore(QModelIndex())
        QApplication_process()


def _load_board(board: Any) -> None:
    """``BoardLayout.load`` and the event loop until its cards are shown (they are read in a
    job since 2026-12-06: timing ``load`` alone measured only the start of the job)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    board.cardsShown.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    try:
        board.load()
        loop.exec()
    finally:
        board.cardsShown.disconnect(loop.quit)


def _open_and_wait(window: Any, ticket_id: int) -> None:
    """``open_ticket`` and the event loop until ``ticketOpened`` (at most 10 s)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    view = window.ticket_view
    view.ticketOpened.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    try:
        view.open_ticket(ticket_id)
        loop.exec()
    finally:
        view.ticketOpened.disconnect(loop.quit)


def QApplication_process() -> None:
    """The events waiting, and until the window's list shows a new query's first page or the
    next page asked for (both read in the background: B2, B4 and B6 are timed until then)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    deadline = time.perf_counter() + 10
    for model in _LISTS:
        while (model.is_loading() or model.is_fetching()) and time.perf_counter() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    QApplication.processEvents()


_LISTS: list[Any] = []  # the list models of the window measured (window_on)


_LONG: dict[str, int] = {}


def bench_long_id(bench: BenchDatabase) -> int:
    if bench.url not in _LONG:
        database = startup.open_database(bench.url)
        _LONG[bench.url] = long_ticket_id(database)
        database.dispose()
    return _LONG[bench.url]


def small_figures(small: BenchDatabase, repeat: int) -> dict[str, float]:
    """The S figures on the small database: first page of All open, search 'invoice'."""
    figures: dict[str, float] = {}
    with window_on(small.url) as window:
        base = window.query
        for view in (View.ALL, View.ALL_OPEN):
            window.set_view(view)
        _quiet(window)
        figures["view.all_open"] = _median(timed(_ui(
            lambda: window.model.set_query(dataclasses.replace(base, view=View.ALL_OPEN))),
            repeat))
        query = dataclasses.replace(base, view=View.ALL, search=SEARCHES["word"],
                                    sort=SortKey.NEWEST_HIT, descending=True)
        figures["search.word"] = _median(timed(_ui(lambda: window.model.set_query(query)),
                                               repeat))
    return figures


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def export_pdf(window: Any, ticket_id: int, path: Path) -> None:
    """A ticket's transcript as the window's "Export conversation as PDF…" writes it (the
    options and the file given), waited for until it is written."""
    from helpdesk_desktop.transcripts import TranscriptOptions
    from helpdesk_desktop.ui.transcript_print.export import export_pdf as window_export

    export = window_export(window, window.bridge, ticket_id, options=TranscriptOptions(),
                           path=path)
    assert export is not None and export.task is not None
    while not export.task.finished:
        QApplication_process()
        time.sleep(0.005)
    if not path.exists():
        raise RuntimeError(f"the export of ticket {ticket_id} failed")


def session_row(bench: BenchDatabase, quick: bool) -> Row:
    """M3: a scripted session in the program as a user starts it (``helpdesk-desktop --db``:
    the launcher with its upkeep, mail and single-instance server; the window at its own
    size); resident memory at its end and growth in its second half. Until session 29 it
    ran in the suite's own window (:func:`window_on`), which leaves those out."""
    from tests.benchmarks.bench_launch import run_program

    figures: dict[str, Any] = {}

    def opened(window: Any) -> None:
        from PySide6.QtCore import QTimer  # after the program's own imports, as it starts

        def session() -> None:
            # Its list waited for as the suite's own window's is (window_on): without it, each
            # step only asked for its reads, which were still queued when the next one came
            # (session 29: the quick form's 1M session took ~1 s).
            _LISTS.append(window.model)
            try:
                figures["samples"], figures["minutes"] = run_session(window, quick)
            finally:
                _LISTS.remove(window.model)
                window.close()  # as a user closes it: the program ends

        window.started.connect(lambda: QTimer.singleShot(0, session))

    run_program(bench.url, None, opened, timeout_s=3600)  # the full form: ~10 minutes
    if "samples" not in figures:
        raise RuntimeError("the scripted session did not run to its end")
    return _session_row(figures["samples"], figures["minutes"], quick)


def run_session(window: Any, quick: bool) -> tuple[list[float], float]:
    """The M3 session's steps in ``window``: the RSS (MB) after each half, and its minutes."""
    from PySide6.QtCore import QModelIndex

    pages, opens, searches, pdfs = _session_sizes(quick)
    folder = Path(tempfile.mkdtemp(prefix="hd-m3-"))
    samples: list[float] = []
    started = time.perf_counter()
    model = window.model
    words = list(SEARCHES.values())
    for half in range(2):
        _wait_counted(model)
        for _ in range(pages // 2):
            if not model.is_positional() and not model.canFetchMore(QModelIndex()):
                break
            _scroll_page(window)
        for n in range(opens // 2):
            window.ticket_view.open_ticket(model.ticket_id(n * 7 % model.rowCount()))
            QApplication_process()
        for n in range(searches // 2 + half * (searches % 2)):
            _search(window, words[n % len(words)])
        _search(window, "")  # the list as it was, counted again: the next half scrolls it
        for n in range(pdfs // 2 + half * (pdfs % 2)):
            export_pdf(window, model.ticket_id(n), folder / f"{n}.pdf")
        _settle()
        samples.append(_rss_mb())
    return samples, (time.perf_counter() - started) / 60


#: How long the window is left idle before each M3 sample: longer than the least time
#: between two hand-backs of freed memory (``ui.jobs.TRIM_INTERVAL``, 1 s).
SETTLE_S = 1.5


def _search(window: Any, text: str) -> None:
    """A search typed in the window's field (its list and "N matching" count, as a user's),
    until the list shows its first page. (M3 had set the list's query directly, so clearing
    the search left the list uncounted: the second half's scroll waited 60 s for a count
    that never came, or did not scroll at all.)"""
    window.search_field.setText(text)
    window._search_now()  # (the field's pause before it searches, skipped)
    QApplication_process()


def _settle(seconds: float = SETTLE_S, limit: float = 120) -> None:
    """Until the window's background jobs have all reported (a search's "N matching" count
    replaced by the next search still runs to its end), then the window idle for
    ``seconds``, its events processed, as a user's window is once the work is done. The
    memory its jobs freed is handed back by then (``ui.jobs``: once every job has reported,
    at most once a second); a sample taken at once had caught it before or after that by
    chance, ±3 MB (docs/PERFORMANCE.md, "Session 30")."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop.ui import jobs

    deadline = time.perf_counter() + limit
    while jobs._relay is not None and jobs._relay.jobs and time.perf_counter() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _session_sizes(quick: bool) -> tuple[int, int, int, int]:
    """Pages scrolled, tickets opened, searches, PDFs of the M3 session."""
    return (100, 50, 5, 1) if quick else (10_000, 200, 20, 5)


def _session_row(samples: list[float], minutes: float, quick: bool) -> Row:
    pages, opens, searches, pdfs = _session_sizes(quick)
    growth = (samples[1] - samples[0]) / samples[0] * 100
    form = "--quick form" if quick else "full form"
    return Row("M3", f"scripted session ({form}: {pages} pages, {opens} tickets, {searches} "
               f"searches, {pdfs} PDFs, {minutes:.1f} min; the program's own start): RSS at "
               f"the end, the window idle {SETTLE_S:g} s; second half {growth:+.1f} %", [samples[1]], None,
               "≤ 120 MB, < 5 % growth", samples[1] <= 120 and growth < 5, unit="MB")


def build_row(bench: BenchDatabase) -> Row:
    build = bench.build
    rate = float(build["rows_per_s"])
    return Row("B10", f"build {bench.tickets:,} tickets: {build['rows']:,} rows in "
               f"{build['seconds']:.0f} s (rows/s; at {build.get('built_at', '?')})",
               [rate], None, "≥ 100,000 rows/s", rate >= 100_000, unit="rows/s")


def scale_rows(figures: dict[str, float], small: dict[str, float], tickets: int,
               small_tickets: int) -> list[Row]:
    rows = []
    for key, label in (("B1.table", "B1 launch"), ("view.all_open", "B4 first page All open"),
                       ("search.word", "B6 search 'invoice'")):
        if key in figures and key in small:
            ratio = figures[key] / small[key]
            rows.append(Row("S", f"{label} at {tickets:,} vs {small_tickets:,} tickets",
                            [figures[key]], small[key], "≤ 1.2 ×", ratio <= 1.2))
    return rows


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
