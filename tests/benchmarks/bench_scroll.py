"""A page down in the window (B2) and the first ``fetchMore`` of a search, paired: another
checkout (``--base``, with its own venv) against this one, alternately, in fresh processes.

    python tests/benchmarks/bench_scroll.py --tickets 1000000 --base /work/main --runs 8
    python tests/benchmarks/bench_scroll.py --tickets 100000 --pg --base /work/main --runs 8

Per process: the window on All open, once counted, 40 pages down the suite's way
(``bench_suite._scroll_page``): p50, p95, the UI thread's CPU per page (``thread_time``), the
process's CPU and the longest event-loop stall; then a search (newest-match order, paging
forward only) per word, its first page shown, and one ``fetchMore``: how long the call held
the UI thread and until its rows were shown. Prints the medians of the runs and the load.
The two checkouts take turns going first. ``--pg``: the PostgreSQL benchmark database
(``$HELPDESK_BENCH_PG_DB``).
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

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("invoice", "printer", "bonjour", "refund")


def child(tickets: int, pg: bool = False) -> dict[str, Any]:
    from PySide6.QtCore import QModelIndex

    from helpdesk_desktop.domain.enums import SortKey, View
    from helpdesk_desktop.services.dto import TicketQuery
    from tests.benchmarks import bench_data
    from tests.benchmarks import bench_suite as suite
    from tests.benchmarks.bench_table import percentile

    bench = bench_data.ensure(tickets, pg=pg)
    out: dict[str, Any] = {"call": [], "shown": []}
    with suite.window_on(bench.url) as window:
        beat = suite.Heartbeat()
        beat.start()
        model = window.model
        window.set_view(View.ALL_OPEN)
        suite.QApplication_process()
        suite._wait_counted(model)
        beat.worst = 0
        walls, ui = [], []
        process = time.process_time()
        for _ in range(40):
            started, thread = time.perf_counter(), time.thread_time()
            suite._scroll_page(window)
            walls.append((time.perf_counter() - started) * 1000)
            ui.append((time.thread_time() - thread) * 1000)
        out.update(p50=statistics.median(walls), p95=percentile(walls, 0.95),
                   ui_cpu=statistics.median(ui),
                   cpu=(time.process_time() - process) * 1000, stall=beat.worst,
                   positional=model.is_positional())
        for word in WORDS:
            model.set_query(TicketQuery(view=View.ALL, search=word, sort=SortKey.NEWEST_HIT))
            suite.QApplication_process()
            if not model.canFetchMore(QModelIndex()):
                continue
            started = time.perf_counter()
            model.fetchMore(QModelIndex())
            out["call"].append((time.perf_counter() - started) * 1000)
            suite.QApplication_process()
            out["shown"].append((time.perf_counter() - started) * 1000)
        beat.stop()
    out["load"] = os.getloadavg()[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--base", type=Path, help="the other checkout (required)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL's benchmark database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.tickets, args.pg)))
        return
    if args.base is None:
        parser.error("--base is required")
    found: dict[str, list[dict[str, Any]]] = {"base": [], "this": []}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    sides = [("base", args.base.resolve()), ("this", ROOT)]
    for run in range(args.runs):
        for name, root in sides[::-1] if run % 2 else sides:
            python = root / ".venv" / "bin" / "python"
            done = subprocess.run(
                [str(python if python.exists() else sys.executable),
                 str(Path(__file__).resolve()), "--child", "--tickets", str(args.tickets),
                 *(["--pg"] if args.pg else [])],
                cwd=root, env=dict(env, PYTHONPATH=str(root)), capture_output=True,
                text=True, check=True)
            found[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for name, runs in found.items():
        median = {key: statistics.median(r[key] for r in runs)
                  for key in ("p50", "p95", "ui_cpu", "cpu", "stall", "load")}
        calls = [c for r in runs for c in r["call"]]
        shown = [c for r in runs for c in r["shown"]]
        print(f"{name}: B2 p50 {median['p50']:.1f} ms, p95 {median['p95']:.1f} ms, UI CPU "
              f"{median['ui_cpu']:.1f} ms a page, CPU {median['cpu']:.0f} ms for 40 pages, "
              f"stall {median['stall']:.0f} ms; first fetchMore of a search: the call "
              f"{statistics.median(calls):.1f} ms, shown after "
              f"{statistics.median(shown):.1f} ms; load {median['load']:.1f}")


if __name__ == "__main__":
    main()
