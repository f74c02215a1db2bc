"""How long the demo generator takes: prints tickets and rows per second for a fresh database.

    python -m tests.benchmarks.bench_demo [--tickets N] [--db URL] [--bulk]

Without ``--db`` a temporary SQLite file is used. ``--bulk`` builds the way the benchmark
databases are built (:func:`demo_build.build_demo_database`: bulk build under a scratch name,
then renamed; on PostgreSQL the database of ``--db`` is REPLACED). Also prints the CPU seconds
of this process (on PostgreSQL the server's work is not in them), the figure to compare on a
loaded machine. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.demo_build import build_demo_database
from helpdesk_desktop.storage.database import open_database
from tests.benchmarks.bench_data import count_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--db", help="an EMPTY database URL (default: a temporary SQLite file)")
    parser.add_argument("--bulk", action="store_true",
                        help="build as the benchmark databases are built (replaces --db)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or str(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        cpu = time.process_time()
        last = [started]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 5 or done == total:
                print(f"  {done:>9,}/{total:,} tickets  {now - started:7.1f} s")
                last[0] = now

        if args.bulk:
            summary = build_demo_database(url, tickets=args.tickets, seed=0, progress=progress)
        else:
            database = open_database(url)
            summary = generate_demo(database, tickets=args.tickets, seed=0, progress=progress)
            database.dispose()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        database = open_database(url)
        rows = count_rows(database)
        dialect = database.dialect
        database.dispose()
    print(f"{dialect}: {summary['tickets']:,} tickets, {summary['messages']:,} messages, "
          f"{rows:,} rows in {elapsed:.1f} s ({summary['tickets'] / elapsed:,.0f} tickets/s, "
          f"{rows / elapsed:,.0f} rows/s; CPU {cpu:.1f} s, {rows / cpu:,.0f} rows/CPU-s)")


if __name__ == "__main__":
    main()
