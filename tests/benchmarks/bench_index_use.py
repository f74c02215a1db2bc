"""Which index each read of the program uses: the index review's evidence.

    python tests/benchmarks/bench_index_use.py URL [--writes] [--table tickets,...]
        [--only NAME,...] [--show INDEX] [--dump PATH]

Runs the list, count, board, search, jump and open-a-ticket operations on ``URL`` (every view
in every sort order, both directions, two pages each; every filter alone and in the open,
closed and all views; the board of each pipeline; the suite's searches in two orders; the
positional slices), captures every statement they send, explains each one (SQLite ``EXPLAIN
QUERY PLAN``, PostgreSQL ``EXPLAIN``) and prints, for each index of the named tables, how
many distinct statements' plans read it and the first operations that did. ``--writes`` adds
B9's writes (a status edit of 1,000 tickets and its undo, delete and restore, a split and the
merge back), which change the database: use a copy. On PostgreSQL the server's own counters
(``pg_stat_user_indexes.idx_scan``, reset first) are printed beside the plans: they include
what plans do not show (triggers, foreign-key checks). ``--show INDEX`` prints the statements
that read that index, ``--dump PATH`` writes each index's operations as JSON, ``--only``
keeps the operations whose name holds one of the given parts. Figures only; nothing here
is a test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Category, Priority, SortKey, View
from helpdesk_desktop.services import trash
from helpdesk_desktop.services.dto import PageCursor, TicketFilters, TicketQuery
from helpdesk_desktop.services.uow import UnitOfWork
from tests.query_plans import capture, pg_plan, sqlite_plan

SEARCHES = ("invoice", "bonjour merci", "12", "chevalier", "invo")
_SQLITE_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)|USING (INTEGER PRIMARY KEY)")
_PG_INDEX = re.compile(r"(?:Index Scan|Index Only Scan)(?: Backward)? using (\w+)"
                       r"|Bitmap Index Scan on (\w+)")


def _two_pages(desk: Desk, query: TicketQuery, limit: int = 100) -> None:
    page = desk.list_tickets(query, limit=limit)
    if page.next_cursor is not None:
        desk.list_tickets(query, limit=limit, after=page.next_cursor)


def read_operations(desk: Desk) -> dict[str, Callable[[], object]]:
    """Name -> call, for every read the review weighs."""
    me = desk.me().id
    ops: dict[str, Callable[[], object]] = {}
    for view in View:
        for sort in SortKey:
            if sort is SortKey.NEWEST_HIT:
                continue
            for descending in (False, True):
                query = TicketQuery(view=view, sort=sort, descending=descending)
                ops[f"{view.value} by {sort.value}{' desc' if descending else ''}"] = \
                    lambda q=query: _two_pages(desk, q)
        ops[f"count {view.value}"] = lambda v=view: desk.count_tickets(TicketQuery(view=v))
    pipelines = desk.pipelines()
    filters: dict[str, TicketFilters] = {
        "owner me": TicketFilters(owner_ids=(me,)),
        "unassigned": TicketFilters(owner_ids=(None,)),
        "owner me or none": TicketFilters(owner_ids=(me, None)),
        "pipeline": TicketFilters(pipeline_ids=(pipelines[0].id,)),
        "inbox": TicketFilters(inbox_ids=(desk.inboxes()[0].id,)),
        "status": TicketFilters(status_ids=(pipelines[0].statuses[0].id,)),
    }
    filters.update({f"priority {p.value}": TicketFilters(priorities=(p,)) for p in Priority})
    filters.update({f"category {c.value}": TicketFilters(categories=(c,)) for c in Category})
    for view in (View.ALL_OPEN, View.CLOSED, View.ALL, View.ASSIGNED_TO_ME, View.FOLLOWING):
        for name, chosen in filters.items():
            for sort in (SortKey.LAST_ACTIVITY, SortKey.ID):
                query = TicketQuery(view=view, filters=chosen, sort=sort)
                ops[f"{view.value} filter {name} by {sort.value}"] = \
                    lambda q=query: _two_pages(desk, q)
            query = TicketQuery(view=view, filters=chosen)
            ops[f"count {view.value} filter {name}"] = lambda q=query: desk.count_tickets(q)
    for pipeline in pipelines:
        for owners in ((), (me,), (me, None)):
            query = TicketQuery(filters=TicketFilters(owner_ids=owners))
            ops[f"board {pipeline.name} owners {owners}"] = \
                lambda q=query, p=pipeline.id: (desk.board(q, p), desk.board_counts(q, p))
    for words in SEARCHES:
        for view in (View.ALL, View.ALL_OPEN, View.FOLLOWING, View.SPAM, View.CLOSED):
            for sort in (SortKey.LAST_ACTIVITY, SortKey.NEWEST_HIT, SortKey.NAME):
                query = TicketQuery(view=view, search=words, sort=sort)
                ops[f"search {words!r} in {view.value} by {sort.value}"] = \
                    lambda q=query: (_two_pages(desk, q), desk.count_tickets(q))
    ops["view counts"] = desk.view_counts
    base = TicketQuery()

    def middle() -> None:
        count = desk.count_tickets(base)
        desk.list_slice(base, skip=count // 2, limit=100)

    def keyed() -> None:
        page = desk.list_tickets(base, limit=100)
        row = page.rows[-1]
        desk.list_slice(base, after=PageCursor((row.last_activity_at,), row.id), limit=100)
        desk.list_slice(base, after=PageCursor((row.last_activity_at,), row.id),
                        backward=True, limit=100)

    ops["jump to the middle"] = middle
    ops["jump to the end"] = lambda: desk.list_slice(base, backward=True, limit=100)
    ops["slices by key"] = keyed
    first = desk.list_tickets(base, limit=5).rows
    long_id = _long_ticket(desk)
    for label, ticket_id in (("short", first[0].id), ("long", long_id)):
        def opened(t: int = ticket_id) -> None:
            desk.open_ticket(t)
            detail = desk.ticket(t, last_messages=20)
            for conversation in detail.conversations:
                if conversation.earlier and conversation.messages:
                    desk.earlier_messages(conversation.id, conversation.messages[0].id, 50)
        ops[f"open {label} ticket"] = opened
    ops["rows of a page"] = lambda: desk.rows([r.id for r in first])
    for inbox in desk.inboxes():
        ops[f"inbox {inbox.name} conversations"] = \
            lambda i=inbox.id: desk.inbox_conversations(i)
    # The daily upkeep's purge, with nothing old enough to erase: its statements, no row.
    ops["purge (nothing due)"] = lambda: trash.purge(UnitOfWork(desk._database, desk.actor_id),
                                                           older_than_days=10**5)
    ops["conversation counts"] = lambda: desk.conversation_counts([r.id for r in first])
    return ops


def _long_ticket(desk: Desk) -> int:
    from tests.benchmarks.bench_data import long_ticket_id

    return long_ticket_id(desk._database)


def write_operations(desk: Desk, database: Any) -> dict[str, Callable[[], object]]:
    """B9's writes, each undone by the next (the order matters)."""
    from helpdesk_desktop.services.dto import TicketChanges
    from tests.benchmarks.bench_writes import status_pair

    ids, target = status_pair(database)
    live = [r.id for r in desk.list_tickets(TicketQuery(view=View.ALL, sort=SortKey.ID,
                                                        descending=False), limit=1000).rows]
    long_id = _long_ticket(desk)
    made: list[int] = []

    def split() -> None:
        detail = desk.ticket(long_id)
        messages = [m.id for c in detail.conversations for m in c.messages][:500]
        made.append(max(desk.split(long_id, messages).created_ticket_ids))

    return {
        "status of 1,000": lambda: desk.update_many(ids, TicketChanges(status=target)),
        "undo status": desk.undo_last,
        "delete 1,000": lambda: desk.delete(live, confirm_count=len(live)),
        "restore 1,000": lambda: desk.restore(live),
        "split 500": split,
        "merge back": lambda: desk.merge(long_id, made[-1]),
    }


def _indexes(engine: Any, tables: list[str]) -> dict[str, str]:
    """Index name -> its table, for ``tables``."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(text(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")).all()
        else:
            rows = connection.execute(text(
                "SELECT indexname, tablename FROM pg_indexes "
                "WHERE schemaname = current_schema()")).all()
    return {name: table for name, table in rows if table in tables}


def _pg_scans(engine: Any, tables: list[str]) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: count for name, table, count in connection.execute(text(
            "SELECT indexrelname, relname, idx_scan FROM pg_stat_user_indexes")).all()
            if table in tables}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--writes", action="store_true", help="B9's writes too (a copy!)")
    parser.add_argument("--table", default="tickets,messages,conversations")
    parser.add_argument("--show", default="", help="print the statements reading this index")
    parser.add_argument("--dump", default="", help="write index -> operations as JSON here")
    parser.add_argument("--only", default="",
                        help="the operations whose name holds one of these (comma-separated)")
    args = parser.parse_args(argv)
    tables = args.table.split(",")
    database = startup.open_database(args.url, create=False, quick_check=False)
    engine = database.engine
    pg = engine.dialect.name == "postgresql"
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    ops = read_operations(desk)
    if args.writes:
        ops.update(write_operations(desk, database))
    if args.only:
        ops = {name: work for name, work in ops.items()
               if any(part in name for part in args.only.split(","))}
    if pg:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_stat_reset()"))
            connection.commit()
    seen: dict[tuple[str, str], str] = {}  # (statement, parameters) -> the first operation
    captured_all: list[tuple[str, str, Any]] = []
    started = time.perf_counter()
    for name, work in ops.items():
        with capture(engine, writes=True) as captured:
            try:
                work()
            except Exception as error:  # noqa: BLE001 - reported, the review goes on
                print(f"failed ({name}): {error}".splitlines()[0], file=sys.stderr)
        for statement, parameters in captured.statements:
            key = (statement, repr(parameters))
            if key not in seen:
                seen[key] = name
                captured_all.append((name, statement, parameters))
    print(f"{len(ops)} operations, {len(captured_all)} distinct statements "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if pg:
        database.dispose()  # the server's counters are sent when a connection ends
        time.sleep(1.5)
        scans = _pg_scans(engine, tables)
    plan_of = pg_plan if pg else sqlite_plan
    pattern = _PG_INDEX if pg else _SQLITE_INDEX
    used: dict[str, list[str]] = defaultdict(list)
    shown: list[str] = []
    for name, statement, parameters in captured_all:
        try:
            plan = plan_of(engine, statement, parameters)
        except Exception as error:  # noqa: BLE001 - an unexplainable statement is reported
            print(f"not explained ({name}): {error}".splitlines()[0], file=sys.stderr)
            continue
        for index in {m.group(1) or m.group(2) for line in plan
                      for m in pattern.finditer(line)}:
            used[index].append(name)
            if index == args.show:
                shown.append(f"-- {name}\n{' '.join(statement.split())[:600]}\n"
                             + "\n".join(plan))
    print(f"{'index':48} {'statements':>10} {'idx_scan' if pg else '':>9}  first operations")
    for index, table in sorted(_indexes(engine, tables).items(), key=lambda i: (i[1], i[0])):
        names = used.get(index, [])
        if not pg and index.startswith("sqlite_autoindex"):
            continue
        firsts = ", ".join(dict.fromkeys(names))
        count = f"{scans.get(index, 0):9d}" if pg else f"{'':9}"
        print(f"{index:48} {len(names):10d} {count}  {firsts[:150]}")
    if not pg:
        print(f"{'(rowid)':48} {len(used.get('INTEGER PRIMARY KEY', [])):10d}")
    for block in shown:
        print(block)
    if args.dump:
        Path(args.dump).write_text(json.dumps(
            {index: list(dict.fromkeys(names)) for index, names in sorted(used.items())},
            indent=1))
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
