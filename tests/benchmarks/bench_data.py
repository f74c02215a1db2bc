"""The benchmark databases: built once with the demo generator, then cached.

A database of N tickets lives in ``~/.cache/helpdesk-bench`` (``$HELPDESK_BENCH_CACHE``), or
in a PostgreSQL database ``helpdesk_bench_N`` on the local server (``$HELPDESK_BENCH_PG_DB``
changes the ``helpdesk_bench`` part). It is built by :func:`demo_build.build_demo_database`
under a scratch name and renamed when complete, so an interrupted build leaves no half-built
database behind (the build's figures are cached only then). Besides the demo's
tickets (about five messages each) it holds one ticket with 1,000 messages, for the
open-a-long-ticket and transcript measurements.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from helpdesk_desktop.domain.enums import Direction, MessageKind
from helpdesk_desktop.domain.models import Conversation, Message, Ticket
from helpdesk_desktop.storage.database import Database

PG_SERVER = os.environ.get("HELPDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("HELPDESK_BENCH_PG_DB", "helpdesk_bench")
LONG_THREAD = 1000


def cache_dir() -> Path:
    folder = Path(os.environ.get("HELPDESK_BENCH_CACHE",
                                 Path.home() / ".cache" / "helpdesk-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class BenchDatabase:
    url: str
    tickets: int
    pg: bool
    build: dict[str, Any]  # how it was built: seconds, rows, rows_per_s (from the cache)


def _info_path(name: str) -> Path:
    return cache_dir() / f"{name}.json"


def _name(tickets: int, pg: bool) -> str:
    return f"{'pg' if pg else 'sqlite'}-{tickets}"


def _url(tickets: int, pg: bool) -> str:
    if pg:
        return f"{PG_SERVER}/{PG_NAME}_{tickets}"
    return f"sqlite:///{cache_dir() / (_name(tickets, pg) + '.sqlite3')}"


def ensure(tickets: int, *, pg: bool = False, log: Any = print) -> BenchDatabase:
    """The cached benchmark database of ``tickets`` tickets, built first if missing."""
    name = _name(tickets, pg)
    info_path = _info_path(name)
    url = _url(tickets, pg)
    if info_path.exists():
        return BenchDatabase(url, tickets, pg, json.loads(info_path.read_text()))
    log(f"building the benchmark database {name} (once; cached in {cache_dir()})")
    started = time.perf_counter()
    last = [started]
    times: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 10 or done == total:
            log(f"  {done:>9,}/{total:,} tickets  {now - started:7.1f} s")
            last[0] = now

    def finish(database: Database) -> None:
        times["generated"] = time.perf_counter()
        add_long_thread(database)
        _analyze(database)
        counting = time.perf_counter()
        times["rows"] = count_rows(database)
        times["counting"] = time.perf_counter() - counting  # not part of the build

    # Imported here: the processes that only open a cached database (the suite's M3 session)
    # do not hold the demo generator's modules, which the program's window never imports.
    from helpdesk_desktop.services.demo_build import build_demo_database

    summary = build_demo_database(url, tickets=tickets, seed=0, progress=progress,
                                  finish=finish)
    generated = times["generated"] - started
    seconds = time.perf_counter() - started - times["counting"]
    rows = int(times["rows"])
    build = {"seconds": round(seconds, 1), "generate_seconds": round(generated, 1),
             "rows": rows, "rows_per_s": round(rows / seconds), "summary": summary,
             "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    info_path.write_text(json.dumps(build, indent=1, default=str))
    log(f"  built in {seconds:.0f} s: {rows:,} rows, {rows / seconds:,.0f} rows/s")
    return BenchDatabase(url, tickets, pg, build)


def add_long_thread(database: Database) -> int:
    """Give the newest ticket's first conversation 1,000 messages in all; its id."""
    with database.session() as session:
        ticket_id = session.scalar(select(func.max(Ticket.id)))
        conversation = session.scalars(select(Conversation)
                                       .where(Conversation.ticket_id == ticket_id)
                                       .order_by(Conversation.id)).first()
        assert ticket_id is not None and conversation is not None
        existing = session.scalar(select(func.count()).select_from(Message)
                                  .where(Message.conversation_id == conversation.id)) or 0
        start = conversation.created_at
        rows = []
        for n in range(LONG_THREAD - existing):
            customer = n % 2 == 0
            rows.append({
                "conversation_id": conversation.id,
                "kind": MessageKind.EMAIL if customer else MessageKind.REPLY,
                "direction": Direction.INCOMING if customer else Direction.OUTGOING,
                "author_name": "Customer" if customer else "Agent",
                "author_email": "customer@example.com" if customer else "agent@example.com",
                "to_addresses": "", "cc_addresses": "",
                "sent_at": start + dt.timedelta(minutes=10 * (n + 1)),
                "subject": f"Re: {conversation.subject}",
                "body_text": (f"Message {n + 1} of the long thread. " * 8).strip(),
                "body_html": None,
            })
        session.execute(insert(Message), rows)
        session.commit()
        return ticket_id


def long_ticket_id(database: Database) -> int:
    """The ticket with the 1,000-message thread."""
    with database.session() as session:
        found = session.execute(text(
            "SELECT c.ticket_id FROM messages m JOIN conversations c "
            "ON c.id = m.conversation_id WHERE c.ticket_id IS NOT NULL GROUP BY c.ticket_id "
            "ORDER BY count(*) DESC LIMIT 1")
        ).scalar()
        assert found is not None
        return int(found)


def _analyze(database: Database) -> None:
    with database.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def warm(bench: BenchDatabase) -> float:
    """SQLite: read the benchmark file once, so that the run measures the program on a warm
    machine and not the disk; the seconds it took (PostgreSQL: 0, the server keeps its own).

    A 5 GB file written by a build can still have parts the kernel did not keep (session 29
    found 0.6 of 4.8 GB of the 1M file not in the page cache right after its build): the
    first reads of those pages waited for the virtual disk, which made B4 at 1M 1.6-2x its
    time at 10,000 tickets (the S rows) for no reason in the program."""
    if bench.pg:
        return 0.0
    path = Path(bench.url.removeprefix("sqlite:///"))
    started = time.perf_counter()
    with path.open("rb", buffering=0) as file:
        while file.read(8 << 20):
            pass
    return time.perf_counter() - started


def vacuum(bench: BenchDatabase) -> float:
    """PostgreSQL: ``VACUUM ANALYZE`` the benchmark database before a run, its seconds.

    A run's B9 rows leave some 20,000 dead ticket rows and their index entries behind (each
    write is undone by another write); left to autovacuum, whether the next run meets them
    depends on its timing, which made consecutive runs of the same code differ by a third of
    their rows. SQLite's runs need nothing: its B9 leaves only free pages."""
    if not bench.pg:
        return 0.0
    from sqlalchemy import create_engine

    started = time.perf_counter()
    engine = create_engine(bench.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return time.perf_counter() - started


def count_rows(database: Database) -> int:
    """Rows in every table the build writes (full-text index entries not counted)."""
    tables = ("tickets", "conversations", "messages", "activities", "attachments",
              "ticket_contacts", "ticket_companies", "ticket_deals", "followers",
              "read_states", "notifications")
    with database.session() as session:
        return sum(int(session.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in tables)
