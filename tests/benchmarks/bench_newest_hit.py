"""Paired B6 figures: the suite's search step (the window's model set to the search, until the
first page is painted) and the service call alone, for two checkouts of the program in turn.

    python tests/benchmarks/bench_newest_hit.py --before /work/main --after . \\
        --tickets 100000 [--pg] [--rounds 3] [--repeat 7]

Each round runs one child process per checkout (before, then after), each timing every
search ``--repeat`` times; the table gives the median of the rounds' medians, wall and CPU
(the service: its thread's; the window: the process's, the list is read on another thread). A checkout
whose ``SortKey`` has ``NEWEST_HIT`` is asked for that order (what the window asks when a
search is typed); an older one for its default order. Not collected by pytest.
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

SEARCHES = {"common word": "bonjour", "word": "invoice", "rare word": "thread",
            "contact": "Chevalier"}


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(Path(args.tree).resolve()))
    import dataclasses

    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk
    from helpdesk_desktop.domain.enums import SortKey, View
    from helpdesk_desktop.services.dto import TicketQuery
    from tests.benchmarks import bench_data, bench_suite

    bench = bench_data.ensure(args.tickets, pg=args.pg)
    newest = getattr(SortKey, "NEWEST_HIT", None)
    extra = {"sort": newest, "descending": True} if newest is not None else {}
    figures: dict[str, dict[str, float]] = {}
    database = startup.open_database(bench.url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    searches = dict(SEARCHES)
    searches["number"] = args.number
    for name, text in searches.items():
        query = TicketQuery(view=View.ALL, search=text, **extra)  # type: ignore[arg-type]
        desk.list_tickets(query, limit=100)
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.thread_time()
            desk.list_tickets(query, limit=100)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        figures.setdefault(name, {})["service"] = statistics.median(times)
        figures[name]["service CPU"] = statistics.median(cpu)
    database.dispose()
    with bench_suite.window_on(bench.url) as window:
        base = window.query
        window.set_view(View.ALL)
        bench_suite.QApplication_process()
        for name, text in searches.items():
            query = dataclasses.replace(base, view=View.ALL, search=text, **extra)
            times, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                window.model.set_query(query)
                bench_suite.QApplication_process()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            figures[name]["window"] = statistics.median(times)
            figures[name]["window CPU"] = statistics.median(cpu)
            window.model.set_query(base)
            bench_suite.QApplication_process()
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default=".")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", default="")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--tree", default=".")
    args = parser.parse_args()
    if not args.number:
        args.number = str(args.tickets - 17)
    if args.child:
        child(args)
        return
    results: dict[str, list[dict[str, dict[str, float]]]] = {"before": [], "after": []}
    loads = []
    for _round in range(args.rounds):
        for label, tree in (("before", args.before), ("after", args.after)):
            loads.append(os.getloadavg()[0])
            command = [sys.executable, __file__, "--child", "--tree", tree,
                       "--tickets", str(args.tickets), "--repeat", str(args.repeat),
                       "--number", args.number, "--before", args.before]
            if args.pg:
                command.append("--pg")
            done = subprocess.run(command, capture_output=True, text=True,
                                  env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                                  cwd=str(Path(tree).resolve()), check=False)
            if done.returncode != 0:
                raise SystemExit(done.stderr[-3000:])
            results[label].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{args.tickets:,} tickets on {'PostgreSQL' if args.pg else 'SQLite'}, "
          f"{args.rounds} rounds of {args.repeat}; load average {min(loads):.1f}-"
          f"{max(loads):.1f}")
    levels = ("service", "service CPU", "window", "window CPU")
    print("| search | " + " | ".join(f"{level}, before → after" for level in levels) + " |")
    print("|---" * (len(levels) + 1) + "|")
    for name in results["before"][0]:
        cells = []
        for level in levels:
            before, after = (statistics.median(r[name][level] for r in results[label])
                             for label in ("before", "after"))
            cells.append(f"{before:.1f} → {after:.1f} ms")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
