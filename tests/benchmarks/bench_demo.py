"""How long the demo generator takes: prints tickets per second for a fresh database.

    python -m tests.benchmarks.bench_demo [--tickets N] [--db URL]

Without ``--db`` a temporary SQLite file is used. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.storage.database import open_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--db", help="an EMPTY database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or str(Path(folder) / "bench.sqlite3")
        database = open_database(url)
        started = time.perf_counter()
        last = [started]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 5 or done == total:
                print(f"  {done:>9,}/{total:,} tickets  {now - started:7.1f} s")
                last[0] = now

        summary = generate_demo(database, tickets=args.tickets, seed=0, progress=progress)
        elapsed = time.perf_counter() - started
        database.dispose()
    print(f"{database.dialect}: {summary['tickets']:,} tickets, {summary['messages']:,} "
          f"messages in {elapsed:.1f} s ({summary['tickets'] / elapsed:,.0f} tickets/s)")


if __name__ == "__main__":
    main()
