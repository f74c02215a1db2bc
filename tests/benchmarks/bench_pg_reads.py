"""One side of a paired measurement of PostgreSQL's reads behind B2, B4, B5, B6 and B7, as the
services answer them: per call the wall time, the client's CPU, the server's CPU (the
backends' ``/proc/PID/schedstat``), the statements and the round trips to the server.

    PYTHONPATH=/base/tree python tests/benchmarks/bench_pg_reads.py URL [REPEAT]
    PYTHONPATH=/branch/tree python tests/benchmarks/bench_pg_reads.py URL [REPEAT]

Run the two sides alternately in fresh processes on the same database. Round trips are
counted at the driver: each statement a cursor sends (its ``execute``), each ``BEGIN`` the
driver sends before one, each ``COMMIT`` or ``ROLLBACK`` of an open transaction, each pipeline
sent in one flight (its statements and its ``BEGIN`` then count once). Reads only; prints one
JSON object. Not collected by pytest; nothing is asserted.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg
from psycopg import pq

import helpdesk_desktop
from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.services.dto import TicketQuery
from tests.benchmarks.bench_writes import Backends

IDLE = pq.TransactionStatus.IDLE


class Trips:
    """Counts what the driver sends: statements, and round trips (see the module's text)."""

    def __init__(self) -> None:
        self.statements = 0
        self.trips = 0
        self._in_pipeline = 0
        execute, commit, rollback = (psycopg.Cursor.execute, psycopg.Connection.commit,
                                     psycopg.Connection.rollback)
        pipeline = psycopg.Connection.pipeline
        trips = self

        def counted_execute(cursor: Any, *args: Any, **kwargs: Any) -> Any:
            trips.statements += 1
            if not trips._in_pipeline:
                trips.trips += 1
                connection = cursor.connection
                if not connection.autocommit and connection.info.transaction_status == IDLE:
                    trips.trips += 1  # BEGIN first
            return execute(cursor, *args, **kwargs)

        def counted_end(method: Callable[..., Any]) -> Callable[..., Any]:
            def end(connection: Any) -> Any:
                if connection.info.transaction_status != IDLE:
                    trips.trips += 1
                return method(connection)
            return end

        class Counted:
            def __init__(self, inner: Any) -> None:
                self.inner = inner

            def __enter__(self) -> Any:
                trips._in_pipeline += 1
                return self.inner.__enter__()

            def __exit__(self, *exc: object) -> Any:
                trips._in_pipeline -= 1
                trips.trips += 1
                return self.inner.__exit__(*exc)

        psycopg.Cursor.execute = counted_execute  # type: ignore[method-assign]
        psycopg.Connection.commit = counted_end(commit)  # type: ignore[method-assign]
        psycopg.Connection.rollback = counted_end(rollback)  # type: ignore[method-assign]
        psycopg.Connection.pipeline = (  # type: ignore[method-assign]
            lambda connection: Counted(pipeline(connection)))


def main() -> None:
    url, repeat = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30
    trips = Trips()
    database = startup.open_database(url)
    database.warm_up()
    backends = Backends(database.engine)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)

    all_open = TicketQuery(view=View.ALL_OPEN)
    every = TicketQuery(view=View.ALL)
    pipeline = desk.pipelines()[0].id
    newest = desk.list_tickets(every, limit=1000).rows
    five = next((r.id for r in newest  # a ticket of five messages (else the newest)
                 if sum(len(c.messages) for c in desk.open_ticket(r.id).detail.conversations)
                 == 5), newest[0].id)
    total = desk.count_tickets(all_open)
    operations: dict[str, Callable[[int], Any]] = {
        "B2 a slice 40 pages deep (All open)": lambda i: desk.list_slice(
            all_open, skip=min(total - 100, 2600 + 26 * (i % 40)), limit=26),
        "B4 assigned_to_me": lambda _i: desk.list_tickets(
            TicketQuery(view=View.ASSIGNED_TO_ME), limit=100),
        "B4 sort by priority": lambda _i: desk.list_tickets(
            TicketQuery(view=View.ALL_OPEN, sort=SortKey.PRIORITY), limit=100),
        "B4 all_open": lambda _i: desk.list_tickets(all_open, limit=100),
        "B5 board": lambda _i: desk.board(all_open, pipeline, limit=50),
        "B6 bonjour": lambda _i: desk.list_tickets(
            TicketQuery(view=View.ALL, search="bonjour"), limit=100),
        "B6 invoice": lambda _i: desk.list_tickets(
            TicketQuery(view=View.ALL, search="invoice"), limit=100),
        "B7 open (5 messages)": lambda _i: desk.open_ticket(five),
    }
    out: dict[str, dict[str, float]] = {}
    for name, operation in operations.items():
        operation(0)
        operation(1)  # warm: compiled, prepared, the user kept
        walls, cpus, servers, statements, round_trips = [], [], [], [], []
        for i in range(repeat):
            s0, t0 = trips.statements, trips.trips
            server = backends.cpu_ms()
            started, cpu = time.perf_counter(), time.process_time()
            operation(i)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            servers.append(backends.cpu_ms() - server)
            statements.append(trips.statements - s0)
            round_trips.append(trips.trips - t0)
        out[name] = {"wall": statistics.median(walls), "cpu": statistics.median(cpus),
                     "server": statistics.median(servers),
                     "statements": statistics.median(statements),
                     "trips": statistics.median(round_trips)}
    database.dispose()
    print(json.dumps({"code": helpdesk_desktop.__file__, "ops": out}))


if __name__ == "__main__":
    main()
