"""A new first page in the window (B4 views, sorts, a filter; B6 searches): wall time until
shown and the UI thread's CPU for it, optionally profiled (``cProfile`` on the UI thread,
timed by thread CPU).

    python tests/benchmarks/bench_page_swap.py --tickets 1000000 [--pg] [--rounds 5] [--profile]

Each operation is timed as the suite times B4 (``bench_suite.QApplication_process``: until the
list shows the query's first page), after an unmeasured one; medians of ``--rounds``. Pair it
with another checkout by running it alternately from each (``PYTHONPATH=<checkout>``).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # (``tests`` importable)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pg", action="store_true", help="the PostgreSQL bench database")
    args = parser.parse_args()

    from PySide6.QtCore import Qt

    from helpdesk_desktop.domain.enums import SortKey, View
    from helpdesk_desktop.services.dto import TicketFilters
    from helpdesk_desktop.ui.models.ticket_model import Column
    from tests.benchmarks import bench_data
    from tests.benchmarks import bench_suite as suite

    bench = bench_data.ensure(args.tickets, pg=args.pg)
    profile = cProfile.Profile(time.thread_time) if args.profile else None
    results: dict[str, tuple[float, float]] = {}
    with suite.window_on(bench.url) as window:
        model = window.model

        def run(name: str, before: Callable[[], object], work: Callable[[], object]) -> None:
            walls, cpus = [], []
            for n in range(args.rounds + 1):
                before()
                suite.QApplication_process()
                started, cpu = time.perf_counter(), time.thread_time()
                if n and profile is not None:
                    profile.enable()
                work()
                suite.QApplication_process()
                if n and profile is not None:
                    profile.disable()
                if n:
                    walls.append((time.perf_counter() - started) * 1000)
                    cpus.append((time.thread_time() - cpu) * 1000)
            results[name] = (statistics.median(walls), statistics.median(cpus))

        window.set_view(View.ALL_OPEN)
        suite.QApplication_process()
        for view in (View.FOLLOWING, View.UNREAD, View.CLOSED, View.ASSIGNED_TO_ME):
            run(f"view {view.value}", lambda: window.set_view(View.ALL),
                lambda v=view: window.set_view(v))  # type: ignore[misc]
        window.set_view(View.ALL_OPEN)
        suite.QApplication_process()
        for column in (Column.CONTACT, Column.OWNER):
            run(f"sort {column.name.lower()}",
                lambda: model.sort(int(Column.NAME), Qt.SortOrder.AscendingOrder),
                lambda c=column: model.sort(int(c), Qt.SortOrder.DescendingOrder))  # type: ignore[misc]
        model.sort(int(Column.LAST_ACTIVITY), Qt.SortOrder.DescendingOrder)
        suite.QApplication_process()
        base = window.query
        mine = dataclasses.replace(base, filters=TicketFilters(owner_ids=(window.bridge.user.id,)))
        run("filter owner me", lambda: model.set_query(base), lambda: model.set_query(mine))
        for text in ("bonjour", "invoice", "thread"):
            query = dataclasses.replace(base, view=View.ALL, search=text,
                                        sort=SortKey.NEWEST_HIT, descending=True)
            run(f"search {text}", lambda: model.set_query(base),
                lambda q=query: model.set_query(q))  # type: ignore[misc]
    for name, (wall, cpu) in results.items():
        print(f"{name:28s} wall {wall:6.1f}  UI cpu {cpu:6.1f}")
    if profile is not None:
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
