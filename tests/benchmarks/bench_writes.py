"""B9 in detail: the bulk writes, timed and with their SQL statements counted.

    python tests/benchmarks/bench_writes.py URL [--repeat N] [--only status,delete,split,merge]
        [--split N] [--profile NAME] [--statements] [--explain]

``URL`` is a benchmark database (``sqlite:///…`` or ``postgresql+psycopg://…``); every
operation is undone after it is measured (each ticket's status put back, tickets restored,
the split merged back), so the tickets keep their values, but not their versions, update and
activity times, nor the timeline entries and undo journal rows the operations write: use a
copy of a shared database (``CREATE DATABASE … TEMPLATE …``, ``cp``). Prints, per operation, the median
and min–max wall time over ``--repeat`` runs, the statements the operation sent (a
``before_cursor_execute`` listener on the engine; an ``executemany`` counts once) and the
transactions it committed. ``--profile NAME`` prints a cProfile of that operation's last run. ``--statements`` prints, for
each operation's last run, every statement with the time from the driver's ``execute`` call
to its return (server, round trip and driver; the rest of the operation's wall time is
Python), its rows and its SQL; with ``--explain`` on PostgreSQL, ``auto_explain`` sends the
plan of each statement, its nested statements and triggers (``ANALYZE``, ``BUFFERS``, ``WAL``)
as notices, printed under it (the timings then include ``auto_explain``'s own cost). On a
PostgreSQL server on this machine, "server CPU" is the CPU time its backends spent on the
operation (``/proc/PID/schedstat``): unlike the wall time, it hardly moves with the load.
Figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, TicketState, View
from helpdesk_desktop.domain.models import Status, Ticket
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from tests.benchmarks.bench_data import long_ticket_id


class Counter:
    """Statements and commits sent through an engine while ``active``."""

    def __init__(self, engine: Any) -> None:
        self.active = False
        self.statements = 0
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "after_cursor_execute", self._executed)
        event.listen(engine, "commit", self._commit)
        self.log = []
        self.backends = Backends(engine)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.active:
            self.statements += 1
            # [SQL, start, ms, rows, notices]; closed by _executed.
            self.log.append([statement, time.perf_counter(), 0.0, -1, []])

    def _executed(self, _conn: Any, cursor: Any, *_args: Any) -> None:
        if self.active and self.log:
            last = self.log[-1]
            last[2] = (time.perf_counter() - last[1]) * 1000
            last[3] = getattr(cursor, "rowcount", -1)

    def notice(self, diagnostic: Any) -> None:
        if self.active and self.log:
            self.log[-1][4].append(diagnostic.message_primary or "")

    def print_log(self, name: str, wall: float) -> None:
        total = sum(entry[2] for entry in self.log)
        print(f"\n-- {name}: {wall:.1f} ms wall, {len(self.log)} statements "
              f"{total:.1f} ms in execute, {wall - total:.1f} ms outside")
        for statement, _start, ms, rows, notices in self.log:
            print(f"{ms:8.2f} ms {rows:6d} rows  {' '.join(statement.split())[:150]}")
            for text in notices:
                print("          | " + text.replace("\n", "\n          | "))

    def _commit(self, *_args: Any) -> None:
        if self.active:
            self.commits += 1

    def measure(self, call: Callable[[], Any]) -> tuple[float, float, float, int, int, Any]:
        """(wall ms, CPU ms of this process, CPU ms of the server's backends, statements,
        commits, result) of one call."""
        self.statements = self.commits = 0
        self.log: list[list[Any]] = []
        self.active = True
        server = self.backends.cpu_ms()
        started, cpu = time.perf_counter(), time.process_time()
        try:
            result = call()
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
            self.active = False
        return (elapsed, cpu, self.backends.cpu_ms() - server, self.statements, self.commits,
                result)


class Backends:
    """The CPU time of the PostgreSQL backends serving an engine's connections, when the
    server runs on this machine (``/proc/PID/schedstat``: nanoseconds on a CPU, whatever
    the load; the wall time of a write on a shared machine is mostly waiting for a turn)."""

    def __init__(self, engine: Any) -> None:
        self.pids: list[int] = []
        if engine.dialect.name == "postgresql":
            engine.pool.dispose()
            event.listen(engine, "connect", self._connected)

    def _connected(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        self.pids.append(cursor.fetchone()[0])
        cursor.close()
        dbapi_connection.rollback()

    def cpu_ms(self) -> float:
        total = 0
        for pid in self.pids:
            try:
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):  # gone, or another machine's
                pass
        return total / 1e6


def _explaining(engine: Any, counter: Counter) -> None:
    """Every new PostgreSQL connection of ``engine`` sends ``auto_explain``'s plans to
    ``counter`` as notices."""

    def connected(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for setting in ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                        "SET auto_explain.log_analyze = on",
                        "SET auto_explain.log_buffers = on", "SET auto_explain.log_wal = on",
                        "SET auto_explain.log_triggers = on",
                        "SET auto_explain.log_nested_statements = on",
                        "SET auto_explain.log_level = notice"):
            cursor.execute(setting)
        cursor.close()
        dbapi_connection.commit()
        dbapi_connection.add_notice_handler(counter.notice)

    engine.pool.dispose()
    event.listen(engine, "connect", connected)


def status_pair(database: Any) -> tuple[list[int], int]:
    """An open status of the first pipeline and the first 1,000 live tickets of that
    pipeline in its other open statuses: setting it changes each of them, and undo puts
    each one's status back (closed_at stays empty throughout)."""
    with database.session() as session:
        pipeline_id = session.scalar(select(Ticket.pipeline_id).order_by(Ticket.id).limit(1))
        statuses = session.scalars(select(Status.id).where(Status.pipeline_id == pipeline_id,
                                                           Status.is_closed.is_(False))
                                   .order_by(Status.position)).all()
        target = statuses[-1]
        ids = session.scalars(select(Ticket.id).where(
            Ticket.pipeline_id == pipeline_id, Ticket.state == TicketState.LIVE,
            Ticket.status_id.in_([s for s in statuses if s != target]))
            .order_by(Ticket.id).limit(1000)).all()
    return list(ids), target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="status,delete,split,merge")
    parser.add_argument("--profile", default="")
    parser.add_argument("--sort", default="cumulative", help="the profile's order")
    parser.add_argument("--statements", action="store_true",
                        help="each statement of each operation's last run, timed")
    parser.add_argument("--explain", action="store_true",
                        help="with --statements on PostgreSQL: auto_explain's plans")
    parser.add_argument("--split", type=int, default=500, metavar="N",
                        help="split the long ticket's first N messages (500: the suite's, a "
                             "whole thread once it has been split and merged back once)")
    parser.add_argument("--per-ticket", action="store_true",
                        help="bulk edits through the per-ticket path (the figures before)")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    if args.per_ticket:
        from helpdesk_desktop.services import ticket_writes

        ticket_writes.edit_set = lambda *_args, **_kwargs: None  # type: ignore[assignment]
    database = startup.open_database(args.url, create=False, quick_check=False)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    counter = Counter(database.engine)
    if args.explain:
        _explaining(database.engine, counter)
    logs: dict[str, tuple[float, list[list[Any]]]] = {}
    figures: dict[str, list[tuple[float, float, float, int, int]]] = {}
    profiler = cProfile.Profile()

    def run(name: str, call: Callable[[], Any]) -> Any:
        last = name == args.profile
        if last:
            profiler.enable()
        elapsed, cpu, server, statements, commits, result = counter.measure(call)
        if last:
            profiler.disable()
        figures.setdefault(name, []).append((elapsed, cpu, server, statements, commits))
        logs[name] = (elapsed, counter.log)
        return result

    # The same 1,000 tickets as bench_suite's B9: the first live ones by id, one pipeline.
    page = desk.list_tickets(TicketQuery(view=View.ALL, sort=SortKey.ID, descending=False),
                             limit=1000)
    ids = [row.id for row in page.rows]
    one_pipeline, target = status_pair(database)
    long_id = long_ticket_id(database)
    for _ in range(args.repeat):
        if "status" in wanted:
            run("status of 1,000", lambda: desk.update_many(one_pipeline,
                                                            TicketChanges(status=target)))
            run("undo status of 1,000", desk.undo_last)
        if "delete" in wanted:
            run("delete 1,000 tickets", lambda: desk.delete(ids, confirm_count=len(ids)))
            run("restore 1,000 tickets", lambda: desk.restore(ids))
        if "split" in wanted or "merge" in wanted:
            detail = desk.ticket(long_id)
            messages = [m.id for c in detail.conversations for m in c.messages][:args.split]
            result = run(f"split {args.split} messages",
                         lambda chosen=messages: desk.split(long_id, chosen))
            new_id = max(result.created_ticket_ids)
            run(f"merge back ({args.split} messages)",
                lambda merged=new_id: desk.merge(long_id, merged))
    print(f"{args.url}  ({len(one_pipeline)} tickets for status, {len(ids)} for delete)")
    print(f"{'operation':28} {'median ms':>10} {'min–max':>17} {'CPU ms':>8} "
          f"{'server CPU':>10} {'statements':>10} {'commits':>8}")
    for name, runs in figures.items():
        times = [r[0] for r in runs]
        cpu = statistics.median(r[1] for r in runs)
        server = statistics.median(r[2] for r in runs)
        print(f"{name:28} {statistics.median(times):10.1f} "
              f"{min(times):8.1f}–{max(times):<8.1f} {cpu:8.1f} {server:10.1f} "
              f"{runs[-1][3]:10d} {runs[-1][4]:8d}")
    if args.statements:
        for name, (elapsed, log) in logs.items():
            counter.log = log
            counter.print_log(name, elapsed)
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
