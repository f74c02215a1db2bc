"""The service call behind a list's first page (row B4 without the window): median times.

    python tests/benchmarks/bench_page_read.py [--tickets 100000] [--pg] [--repeat 15]
    PYTHONPATH=/other/checkout python tests/benchmarks/bench_page_read.py ...  # its code

Reads the cached benchmark database (``bench_data.ensure``: built first if missing; read
only) and prints, for each view, sort and filter of row B4, the median of
``Desk.list_tickets`` for a page of 100 rows, and of its two halves on one session: the
page's ids (``page_ids``) and its rows (``load_rows``). Run it once against another
checkout's code (``PYTHONPATH``) for the "before" figures on the same machine, or name
another version of ``services/list_rows.py`` with ``--against``: its ``load_rows`` and this
one's then run in turn on the same pages (the fairest comparison on a busy machine).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.benchmarks importable

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Priority, SortKey, View
from helpdesk_desktop.domain.models import User
from helpdesk_desktop.services import listing, saved_views
from helpdesk_desktop.services.dto import TicketFilters, TicketQuery
from helpdesk_desktop.storage.database import Database, open_database
from tests.benchmarks.bench_data import ensure

PAGE = 100


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    call()  # warm: statements compiled, pages cached
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def queries(owner_id: int) -> dict[str, TicketQuery]:
    """Row B4's operations: each view, each sort of All open, three filters."""
    found = {f"view {v.value}": TicketQuery(view=v) for v in View}
    for sort in SortKey:
        found[f"sort {sort.value}"] = TicketQuery(sort=sort)
    found["filter priority high"] = TicketQuery(filters=TicketFilters(
        priorities=(Priority.HIGH,)))
    found["filter owner me"] = TicketQuery(filters=TicketFilters(owner_ids=(owner_id,)))
    found["filter unassigned"] = TicketQuery(filters=TicketFilters(owner_ids=(None,)))
    return found


def _halves(database: Database, user_id: int, query: TicketQuery,
            repeat: int) -> tuple[float, float]:
    """Median ms of the page's ids and of its rows, on one session."""
    with database.session() as session:
        actor = session.get_one(User, user_id)
        resolved = saved_views.resolve(session, actor, query)
        ids, _cursor = listing.page_ids(session, actor, resolved, None, PAGE)
        return (_median_ms(lambda: listing.page_ids(session, actor, resolved, None, PAGE),
                           repeat),
                _median_ms(lambda: listing.load_rows(session, actor, ids), repeat))


def _module(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("list_rows_against", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _against(database: Database, user_id: int, query: TicketQuery, other: ModuleType,
             repeat: int) -> tuple[float, float]:
    """Median ms of ``other``'s ``load_rows`` and this one's for the page, run in turn."""
    with database.session() as session:
        actor = session.get_one(User, user_id)
        resolved = saved_views.resolve(session, actor, query)
        ids, _cursor = listing.page_ids(session, actor, resolved, None, PAGE)
        theirs: list[float] = []
        ours: list[float] = []
        for n in range(repeat + 1):
            for load, times in ((other.load_rows, theirs), (listing.load_rows, ours)):
                started = time.perf_counter()
                load(session, actor, ids)
                if n:
                    times.append((time.perf_counter() - started) * 1000)
        return statistics.median(theirs), statistics.median(ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="the PostgreSQL database")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="operations whose name contains this")
    parser.add_argument("--against", default="",
                        help="another list_rows.py: its load_rows against this one's")
    args = parser.parse_args()
    other = _module(args.against) if args.against else None

    bench = ensure(args.tickets, pg=args.pg)
    database = open_database(bench.url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    print(f"{bench.url}  code: {Path(listing.__file__).parents[2]}")
    print(f"{'operation':<28} {'call':>8} {'ids':>8} {'rows':>8}"
          + (f" {'their rows':>10} {'our rows':>8}" if other else "")
          + f"   (median ms, page {PAGE})")
    calls: list[float] = []
    for name, query in queries(user_id).items():
        if args.only not in name:
            continue
        call = _median_ms(lambda q=query: desk.list_tickets(q, limit=PAGE),  # type: ignore[misc]
                          args.repeat)
        ids_ms, rows_ms = _halves(database, user_id, query, args.repeat)
        calls.append(call)
        line = f"{name:<28} {call:8.2f} {ids_ms:8.2f} {rows_ms:8.2f}"
        if other is not None:
            theirs, ours = _against(database, user_id, query, other, args.repeat)
            line += f" {theirs:10.2f} {ours:8.2f}"
        print(line)
    if calls:
        print(f"{'median of the operations':<28} {statistics.median(calls):8.2f}")
    database.dispose()


if __name__ == "__main__":
    main()
