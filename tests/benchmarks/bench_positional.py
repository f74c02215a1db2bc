"""The window's list, paired: a checkout of another revision (``--base``, e.g. an extract
of ``main``) against this one, alternately, each in a fresh process on the same database.

    python tests/benchmarks/bench_positional.py --tickets 100000 --base /tmp/base --runs 3

Per process: the window opens on All open; then 40 pages scrolled one at a time (the
scroll bar a page down once the list has every row, else ``fetchMore``: B2), the jump to
the end (Ctrl+End) and to the middle (the scroll bar) from the view just opened, until the
rows shown are read and painted (B3; a revision whose list pages forward only cannot jump:
not measured there), and the rows held and the resident memory after scrolling 400 pages
(M3). Prints medians per revision.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def child(url: str) -> dict[str, Any]:
    import tempfile

    from PySide6.QtCore import QEventLoop, QModelIndex, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk
    from helpdesk_desktop.domain.enums import View
    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="hd-pos-"))
    database = startup.open_database(url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    window = MainWindow(DeskBridge(Desk(database, user_id)))
    window.resize(1280, 800)
    window.show()
    model, view = window.model, window.table.view
    bar = view.verticalScrollBar()
    positional = getattr(model, "is_positional", lambda: False)

    def events(until: Any, seconds: float = 30) -> None:
        app.processEvents()
        deadline = time.perf_counter() + seconds
        while not until() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()

    def until_shown() -> None:
        """As ``events(shown_read)``, quitting as soon as the rows come (see
        ``bench_suite.wait_until``; a list paging forward waits for its page)."""
        if not positional():
            events(shown_read)
            return
        app.processEvents()
        if not shown_read():
            loop = QEventLoop()

            def check(*_args: object) -> None:
                if shown_read():
                    loop.quit()

            model.dataChanged.connect(check)
            QTimer.singleShot(30_000, loop.quit)
            loop.exec()
            model.dataChanged.disconnect(check)
        app.processEvents()

    def shown_read() -> bool:
        first, last = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        if first < 0:
            return True
        if not positional():
            return not model.is_loading() and not model.is_fetching()
        return all(model.id_at(r) is not None for r in range(first, last + 1))

    def counted() -> bool:
        return positional() or not model.canFetchMore(QModelIndex())

    def reopen() -> None:
        window.set_view(View.ALL)
        events(lambda: not model.is_loading())
        window.set_view(View.ALL_OPEN)
        events(lambda: not model.is_loading())
        events(counted, 10)  # (a revision that never counts the list in waits 10 s once)
        bar.setValue(0)
        until_shown()

    def page_down() -> float:
        started = time.perf_counter()
        if positional():
            bar.setValue(bar.value() + bar.pageStep())
        else:
            model.fetchMore(QModelIndex())
            view.scrollToBottom()
        until_shown()
        return (time.perf_counter() - started) * 1000

    events(lambda: not model.is_loading())
    events(counted, 10)
    out: dict[str, Any] = {"positional": positional(), "rows": model.rowCount()}
    scroll = [page_down() for _ in range(40)]
    out["b2_p50"] = statistics.median(scroll)
    out["b2_p95"] = sorted(scroll)[int(0.95 * (len(scroll) - 1))]
    if positional():
        for name in ("end", "middle"):
            times = []
            for _ in range(5):
                reopen()
                started = time.perf_counter()
                if name == "end":
                    view.setFocus()
                    view.setCurrentIndex(model.index(0, 1))
                    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
                else:
                    bar.setValue(bar.maximum() // 2)
                until_shown()
                times.append((time.perf_counter() - started) * 1000)
            out[f"b3_{name}"] = statistics.median(times)
            out[f"b3_{name}_all"] = [round(t, 1) for t in times]
    reopen()
    for _ in range(400):
        page_down()
    out["held_rows"] = model.held_count()
    out["ids_known"] = len(model.ids())
    with open("/proc/self/statm") as statm:
        out["rss_mb"] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    window.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--base", required=True, help="a checkout of the other revision")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", default=None)
    parser.add_argument("--this-only", action="store_true",
                        help="measure this revision alone (e.g. at 1M, where the other "
                             "takes minutes to page)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sys.path.insert(0, str(HERE))
    import bench_data

    url = bench_data.ensure(args.tickets).url
    sides = {"base": args.base, "this": str(HERE.parents[1])}
    if args.this_only:
        del sides["base"]
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
    for run in range(args.runs):
        for name, root in sides.items():
            env = dict(os.environ, PYTHONPATH=root, QT_QPA_PLATFORM="offscreen")
            load = os.getloadavg()[0]
            done = subprocess.run([sys.executable, __file__, "--base", args.base,
                                   "--child", url], env=env, capture_output=True, text=True,
                                  check=True, cwd="/tmp")
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            figures["load"] = load
            results[name].append(figures)
            print(run, name, figures, flush=True)
    for name, runs in results.items():
        keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))
                and not isinstance(v, bool)]
        print(name, {k: round(statistics.median(r[k] for r in runs), 1) for k in keys})


if __name__ == "__main__":
    main()
