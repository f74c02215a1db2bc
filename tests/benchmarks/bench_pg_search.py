"""PostgreSQL list and search speed, service calls next to the raw psycopg query.

    python tests/benchmarks/bench_pg_search.py [--tickets 100000] [--repeat 7] [--plans]

Reads an existing benchmark database (``helpdesk_bench_N`` on the server of
``HELPDESK_BENCH_PG``, built by ``run.py --pg``); writes nothing. Prints the median of each
first page (every view, 100 rows), each search's first 100 hits and its count, next to the
raw driver query of the same kind (the All open page by key; the newest 100 full-text
message hits). ``--plans`` also lists every full scan of a big table in the plans of the
list, search, board and count queries (``bench_service_rows.plan_scans``).

Not collected by pytest; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.storage.database import open_database
from tests.benchmarks.bench_service_rows import plan_scans
from tests.benchmarks.bench_suite import SEARCHES, Raw, _median
from tests.benchmarks.bench_table import timed

PG_SERVER = os.environ.get("HELPDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PAGE = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--plans", action="store_true", help="list the plans' full scans")
    parser.add_argument("--only", help="measure only the rows whose name holds this text")
    parser.add_argument("--database", help="another database of the server (a copy)")
    args = parser.parse_args()
    url = f"{PG_SERVER}/{args.database or f'helpdesk_bench_{args.tickets}'}"
    database = open_database(url, upgrade=False)
    raw = Raw(url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    page_limit = _median(timed(raw.page, args.repeat))
    newest = desk.list_tickets(TicketQuery(view=View.ALL), limit=1).rows[0].id
    rows: list[tuple[str, float, float]] = []

    def measure(name: str, work: object, limit: float) -> None:
        if args.only and args.only not in name:
            return
        times = timed(work, args.repeat)  # type: ignore[arg-type]
        rows.append((name, _median(times), limit))
        print(f"{name:<42} {_median(times):9.1f} ms  min {min(times):8.1f}  raw {limit:7.2f}"
              f"  {_median(times) / limit:6.1f}×", flush=True)

    for view in View:
        query = TicketQuery(view=view)
        measure(f"view {view.value}", lambda q=query: desk.list_tickets(q, limit=PAGE),
                page_limit)
    for name, text in {**SEARCHES, "number": str(newest)}.items():
        query = TicketQuery(view=View.ALL, search=text)
        limit = _median(timed(lambda t=text: raw.fts(t), args.repeat))
        measure(f"search {name} '{text}'", lambda q=query: desk.list_tickets(q, limit=PAGE),
                limit)
        measure(f"count {name} '{text}'", lambda q=query: desk.count_tickets(q), limit)
    if args.plans:
        scans = plan_scans(database)
        print(f"\n{len(scans)} full scans")
        for line in scans:
            print("  " + line)
    raw.close()
    database.dispose()


if __name__ == "__main__":
    main()
