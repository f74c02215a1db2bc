"""What ``PRAGMA synchronous=FULL`` costs the embedded database, against NORMAL, and what
``PRAGMA quick_check`` at open costs.

Writes: N small transactions (a note on a ticket, the commonest write) through the real
services, each committed on its own, on a demo database; the median and total per mode.

    .venv/bin/python tests/benchmarks/bench_synchronous.py [TICKETS] [WRITES]
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services import demo
from helpdesk_desktop.storage import database as storage


def _writes(path: Path, mode: str, writes: int) -> list[float]:
    database = storage.open_database(str(path))

    def set_mode(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA synchronous={mode}")

    database.dispose()
    event.listen(database.engine, "connect", set_mode)
    desk = Desk(database, storage_admin(database))
    ticket_ids = [row.id for row in desk.list_tickets(_query(), limit=50).rows]
    times = []
    for i in range(writes):
        started = time.perf_counter()
        desk.add_note(ticket_ids[i % len(ticket_ids)], f"Benchmark note {i}")
        times.append(time.perf_counter() - started)
    database.dispose()
    return times


def storage_admin(database: storage.Database) -> int:
    from helpdesk_desktop.application.startup import default_user_id

    user = default_user_id(database)
    assert user is not None
    return user


def _query() -> Any:
    from helpdesk_desktop.services.dto import TicketQuery

    return TicketQuery()


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    writes = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        database = storage.open_database(str(path))
        demo.generate_demo(database, tickets=tickets)
        database.dispose()
        size = path.stat().st_size / 1e6
        print(f"demo database: {tickets:,} tickets, {size:.1f} MB")
        for mode in ("NORMAL", "FULL", "NORMAL", "FULL"):
            times = _writes(path, mode, writes)
            median = statistics.median(times) * 1000
            print(f"synchronous={mode:<6} {writes} commits: median {median:6.2f} ms, "
                  f"total {sum(times):6.2f} s", flush=True)
        for _ in range(3):
            connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            started = time.perf_counter()
            result = connection.execute("PRAGMA quick_check(5)").fetchall()
            elapsed = time.perf_counter() - started
            connection.close()
            print(f"quick_check at open: {elapsed * 1000:7.1f} ms ({result[0][0]})")


if __name__ == "__main__":
    main()
