"""The signed-in user reused by read-only units (s24-pgpage), old and new way alternated.

    python tests/benchmarks/bench_read_units.py [--tickets 100000] [--pg] [--repeat 80]

In one process, call by call in turn (the fairest comparison on a busy machine): "old" loads
the acting user through the ORM in every unit and reads PostgreSQL in READ COMMITTED (the code
before the change, restored by replacing ``UnitOfWork._reused_actor`` and the database's
snapshot sessions), "new" is the code as it is. Prints the median wall time and client CPU
(``time.thread_time``) of the service calls behind B2 (a next page of All open), B4 (the first
page of each view and sort in turn), B5 (``Desk.board``) and B7 (``Desk.open_ticket``).
Reads the cached benchmark database (``bench_data.ensure``) and writes nothing. Not collected
by pytest; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.benchmarks importable

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.services.dto import PageCursor, TicketQuery
from helpdesk_desktop.services.uow import UnitOfWork
from tests.benchmarks.bench_data import ensure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--repeat", type=int, default=80)
    args = parser.parse_args()
    database = startup.open_database(ensure(args.tickets, pg=args.pg).url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    reused = UnitOfWork._reused_actor
    snapshot = database._snapshot_factory

    def use(way: str) -> None:
        if way == "old":
            UnitOfWork._reused_actor = lambda _self, _actor_id: None  # type: ignore[assignment,method-assign]
            database._snapshot_factory = database._factory
        else:
            UnitOfWork._reused_actor = reused  # type: ignore[method-assign]
            database._snapshot_factory = snapshot

    all_open = TicketQuery(view=View.ALL_OPEN)
    pipeline = desk.pipelines()[0].id
    ticket = desk.list_tickets(all_open, limit=5).rows[3].id
    cursors: list[PageCursor | None] = [None]
    for _ in range(10):
        cursors.append(desk.list_tickets(all_open, limit=100, after=cursors[-1]).next_cursor)
    queries = [TicketQuery(view=v) for v in View] + [TicketQuery(sort=s) for s in SortKey]
    operations: dict[str, Callable[[int], Any]] = {
        "B2 next page of All open": lambda i: desk.list_tickets(
            all_open, limit=100, after=cursors[1 + i % 10]),
        "B4 first page (each view and sort in turn)": lambda i: desk.list_tickets(
            queries[i % len(queries)], limit=100),
        "B5 Desk.board (All open, 50 cards)": lambda _i: desk.board(all_open, pipeline,
                                                                     limit=50),
        "B7 Desk.open_ticket": lambda _i: desk.open_ticket(ticket),
    }
    side = "PostgreSQL" if args.pg else "SQLite"
    for name, operation in operations.items():
        wall: dict[str, list[float]] = {"old": [], "new": []}
        cpu: dict[str, list[float]] = {"old": [], "new": []}
        for way in ("old", "new"):
            use(way)
            operation(0)  # warm: statements compiled, the user kept
        for i in range(args.repeat):
            for way in (("old", "new") if i % 2 else ("new", "old")):
                use(way)
                started, spent = time.perf_counter(), time.thread_time()
                operation(i)
                wall[way].append((time.perf_counter() - started) * 1000)
                cpu[way].append((time.thread_time() - spent) * 1000)
        old_cpu, new_cpu = statistics.median(cpu["old"]), statistics.median(cpu["new"])
        old_wall, new_wall = statistics.median(wall["old"]), statistics.median(wall["new"])
        print(f"{side} {name}: CPU {old_cpu:.2f} → {new_cpu:.2f} ms "
              f"({new_cpu / old_cpu:.2f}×); wall {old_wall:.2f} → {new_wall:.2f} ms "
              f"({new_wall / old_wall:.2f}×)", flush=True)
    use("new")
    database.dispose()


if __name__ == "__main__":
    main()
