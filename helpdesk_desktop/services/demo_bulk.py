"""Building a large demo database fast: indexes and full-text search after the data.

Keeping a dozen indexes up to date row by row costs more than the rows themselves once the
tables outgrow the cache (at a million tickets the build slows to a third of its starting
speed). On a fresh SQLite database :func:`deferred_indexes` drops them for the duration of
the build and recreates them in one pass each afterwards, with the PRAGMAs of a bulk load
(their sorts on worker threads: the second core is free by then).
The full-text indexes are filled and the counters counted as the rows are stored (one
statement per batch on the writing thread, beside the generator: :mod:`demo_process`); the
full-text segments are merged at the end.

A build killed half-way leaves a demo file without its secondary indexes; the demo is made
fresh, so it is simply made again.

:class:`FastInserts` writes the rows of such a build straight to the SQLite driver
(``executemany`` of plain tuples converted column by column by SQLAlchemy's own bind
processors, ids handed out in order), which is several times cheaper than a Core ``INSERT``
per batch; a test checks that a bulk build writes exactly the rows a plain build writes.
PostgreSQL's counterpart (``COPY``, foreign keys and triggers off too) is
:mod:`demo_bulk_pg`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, Table, event, text
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.types import PriorityType, UTCDateTime
from helpdesk_desktop.services.stored_copies import (
    COUNTERS_ADDED,
    COUNTERS_BACKFILL,
    FOLLOWED_ORDER_BACKFILL,
)
from helpdesk_desktop.storage.database import Database

#: The tables the demo writer fills.
BULK_TABLES = ("tickets", "conversations", "messages", "activities", "attachments",
               "ticket_contacts", "ticket_companies", "ticket_deals", "followers",
               "read_states", "notifications")
FULL_TEXT = ("ticket_name_fts", "message_fts")
#: Each full-text index filled from its table's rows with ids in a range (what the
#: triggers of migration 0001 insert for them, one statement per batch instead).
FULL_TEXT_FILL = {
    "tickets": ("INSERT INTO ticket_name_fts(rowid, name) "
                "SELECT id, name FROM tickets WHERE id BETWEEN ? AND ?"),
    "messages": ("INSERT INTO message_fts(rowid, subject, body_text) "
                 "SELECT id, subject, body_text FROM messages WHERE id BETWEEN ? AND ?"),
}
#: What the writing thread runs after storing a batch of a table's rows, for the range of
#: their first column (ids; the ticket ids of read states and follows): the full-text
#: index filled and the counters added to (what the dropped triggers would have done), so
#: that neither waits for the end of the data.
AFTER_STORE: dict[str, tuple[str, ...]] = {
    table: ((FULL_TEXT_FILL[table],) if table in FULL_TEXT_FILL else ())
    + COUNTERS_ADDED.get(table, ()) for table in (*FULL_TEXT_FILL, *COUNTERS_ADDED)}



def _bulk_pragmas(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # Nothing is worth syncing before the build ends: a crash means building again.
    dbapi_connection.execute("PRAGMA synchronous = OFF")
    dbapi_connection.execute("PRAGMA cache_size = -262144")


def _scratch_pragmas(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    # A scratch file nobody else opens (demo_build): no journal either; a failed batch
    # is not rolled back, and the file is thrown away.
    dbapi_connection.execute("PRAGMA journal_mode = OFF")
    _bulk_pragmas(dbapi_connection, record, proxy)


@contextmanager
def deferred_indexes(database: Database, *, scratch: bool = False,
                     writer: FastInserts | None = None) -> Iterator[None]:
    """Drop the secondary indexes of the bulk tables and their contact sort, followed order
    and counter triggers (migrations 0006, 0009, 0011, 0017), and rebuild them when the
    block ends (also when it fails), after ``writer`` has written its last rows, the values
    those triggers keep computed in one pass each (the contact sort name comes with each
    ticket's row: :mod:`demo_threads`; with ``writer``, the counters are added to batch by
    batch, :data:`AFTER_STORE`). The full-text index is built batch by batch by whoever
    stores the rows (the writing thread), without FTS5's merges after each write
    (:data:`FILL_CRISISMERGE`), and merged into one segment per table at the end
    (``optimize``, as a ``rebuild`` would leave it). With
    ``scratch`` (a file only this build uses) the build writes without a rollback journal.
    SQLite only; elsewhere a no-op."""
    if database.dialect != "sqlite":
        yield
        return
    marks = ", ".join(f"'{name}'" for name in BULK_TABLES)
    with database.engine.begin() as connection:
        saved = connection.execute(text(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            f"((type = 'index' AND tbl_name IN ({marks})) OR "
            f"(type = 'trigger' AND tbl_name IN ({marks}) AND "
            "(name LIKE '%fts%' OR name LIKE '%sort%' OR name LIKE '%count%')))")).all()
        for kind, name, _sql in saved:
            connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
        if writer is not None:
            _set_merging(connection, automerge=0, crisismerge=FILL_CRISISMERGE)
    if writer is not None:  # full-text and counters filled batch by batch as rows are stored
        writer.after_store = AFTER_STORE
    pragmas = _scratch_pragmas if scratch else _bulk_pragmas
    event.listen(database.engine, "checkout", pragmas)
    failed = True
    try:
        yield
        failed = False
    finally:
        try:
            try:
                if writer is not None:
                    writer.close(failed)
            finally:
                if not scratch:
                    event.remove(database.engine, "checkout", pragmas)
            database.engine.dispose()  # the next connections get the usual settings again
            _rebuild(database, saved, writer is not None)
        finally:
            if scratch:  # the indexes were written once, without a journal (or its sync)
                event.remove(database.engine, "checkout", pragmas)
                database.engine.dispose()
                with database.engine.connect():
                    pass  # the file back in WAL mode, as the program opens it


def _rebuild(database: Database, saved: Sequence[Any], filled: bool) -> None:
    """What the build dropped, made again after the data in one transaction: the values of
    the triggers, the indexes, the full-text indexes merged (``filled``) or rebuilt."""
    with database.engine.begin() as connection:
        usual = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                 for name in ("cache_size", "threads")}
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BIG_CACHE_KIB}")
        # (The contact sort key, kept by triggers dropped above, is written with each
        # ticket by the planner.)
        connection.exec_driver_sql(FOLLOWED_ORDER_BACKFILL)
        if not filled:  # (else counted as the rows were stored: AFTER_STORE)
            for statement in COUNTERS_BACKFILL:  # the counters, kept by triggers dropped above
                connection.exec_driver_sql(statement)
        if (os.cpu_count() or 1) > 1:
            # An index's keys are sorted in runs of the cache's size: one run of 256 MB
            # would be sorted by this thread alone, runs of a few MB are sorted by worker
            # threads while this one reads on, then merged (more CPU in all, on the second
            # core, free since the generating process ended).
            connection.exec_driver_sql(f"PRAGMA threads = {SORT_THREADS}")
            connection.exec_driver_sql(f"PRAGMA cache_size = -{SORT_RUN_KIB}")
        for _kind, _name, sql in saved:
            connection.exec_driver_sql(sql)
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BIG_CACHE_KIB}")
        for table in FULL_TEXT:  # filled: one segment each, as a rebuild leaves them
            command = "optimize" if filled else "rebuild"
            connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('{command}')")
        if filled:
            _set_merging(connection, automerge=AUTOMERGE, crisismerge=CRISISMERGE)
            for table in FULL_TEXT:  # the usual values are kept as no row, as a plain build
                connection.exec_driver_sql(f"DELETE FROM {table}_config WHERE k IN "
                                           "('automerge', 'crisismerge')")
        for name, value in usual.items():  # the connection goes back to the pool
            connection.exec_driver_sql(f"PRAGMA {name} = {int(value)}")


def _set_merging(connection: Any, *, automerge: int, crisismerge: int) -> None:
    """Set how the full-text indexes merge their segments as they are written (through
    FTS5's own commands, which every connection then reads again)."""
    for table in FULL_TEXT:
        for option, value in (("automerge", automerge), ("crisismerge", crisismerge)):
            connection.exec_driver_sql(
                f"INSERT INTO {table}({table}, rank) VALUES ('{option}', {int(value)})")


#: FTS5's usual merging (its defaults): after each write, a few pages of merge work once a
#: level holds 4 segments; a level of 16 merged at once.
AUTOMERGE = 4
CRISISMERGE = 16
#: While the batches fill the full-text indexes, no merge work after each write, a level
#: merged only once it holds this many segments (each batch of messages flushes one or two
#: segments: ~2,000 at 1,000,000 tickets, an index holds at most 2,000); the ``optimize``
#: at the end merges them into one. The merged index is the same (measured at 200,000
#: tickets: its pages byte for byte, apart from the segment's number), written with
#: ~40 % less CPU: its data are rewritten about twice instead of at each level.
FILL_CRISISMERGE = 200
#: The cache of the passes after the data (256 MB), and the size of the runs an index
#: build sorts on :data:`SORT_THREADS` worker threads (8 MB; measured at 200,000 tickets:
#: this thread's CPU in the index builds 15 → 10.3 s, the process's 15 → 20.5 s).
BIG_CACHE_KIB = 262144
SORT_RUN_KIB = 8192
SORT_THREADS = 2
#: The writing thread commits after this many inserts (about five batches of tickets).
COMMIT_EVERY = 50
Processor = Callable[[Any], Any] | None
Fill = tuple[str, ...] | None


class FastInserts:
    """``bulk_insert`` for a bulk build: the same rows, without SQLAlchemy's per-row
    parameter handling.

    Each table's statement and column converters are prepared once and applied column by
    column; Python-side column defaults are applied as Core would; with ``returning`` the new
    ids are given by this writer (the next after the table's largest), which a build can do
    because it is the only writer of a fresh database. :meth:`_store` sends the converted
    rows (here SQLite's ``executemany``; :class:`demo_bulk_pg.CopyInserts` uses ``COPY``).

    Given a database of its own (not a test's connection), the rows are stored by a thread
    on a connection of its own, so that the database stores one batch while the next is
    planned (both drivers wait for the database without the GIL); the batch's session is
    then never used (on SQLite it would take the write lock). :meth:`close` waits for the
    last rows and commits them (``deferred_indexes`` and ``deferred_constraints`` call it);
    the thread's errors reach the build there, or at the next insert.
    """

    def __init__(self, database: Database | None = None) -> None:
        self._plans: dict[tuple[str, tuple[str, ...], bool], _Plan] = {}
        self._next_id: dict[str, int] = {}
        self._database = (database if database is not None
                          and database.bind is database.engine else None)
        self._dialect = database.engine.dialect if database is not None else None
        self._queue: queue.Queue[tuple[str, list[tuple[Any, ...]], Fill] | None] | None = None
        self._error: BaseException | None = None
        #: Where :meth:`insert` hands the converted rows in a generating process
        #: (:mod:`demo_process`) instead of storing them.
        self.sink: Callable[[str, list[tuple[Any, ...]], Fill], None] | None = None
        #: Statements run after storing rows of a table, with the first and last value of
        #: their first column (:data:`AFTER_STORE`, set by :func:`deferred_indexes`).
        self.after_store: dict[str, tuple[str, ...]] = {}
        self._times = _Memo(_utc_text, limit=TIMES_KEPT)  # shared by every time column

    def insert(self, session: Session, target: Any, rows: list[dict[str, Any]],
               returning: bool = False) -> list[int]:
        if not rows:
            return []
        table: Table = getattr(target, "__table__", target)
        if self.sink is None and self._database is not None and self._queue is None:
            self._start(self._database)
        dialect = self._dialect or session.get_bind().dialect
        keys = tuple(rows[0])
        # Ids are always handed out here (returned or not), so that they never collide with
        # those the database would give.
        own_ids = returning or ("id" in table.columns and "id" not in keys
                                and table.columns["id"].primary_key)
        plan = self._plan(table, keys, own_ids, dialect)
        ids: list[int] = []
        if own_ids:
            first = self.take_ids(session, table.name, len(rows))
            ids = list(range(first, first + len(rows)))
        self._write(session, plan, plan.records(rows, ids))
        return ids if returning else []

    # -- records made by the caller (demo_records) ---------------------------------------

    def plan_for(self, session: Session, target: Any, keys: tuple[str, ...],
                 own_ids: bool) -> _Plan:
        """How ``target``'s rows with the columns ``keys`` (after the id this writer hands
        out, with ``own_ids``) are stored: the same statement (and full-text fill) as
        :meth:`insert` uses for rows of these keys; its converters
        (:meth:`_Plan.converter`) are those :meth:`insert` applies."""
        table: Table = getattr(target, "__table__", target)
        if self.sink is None and self._database is not None and self._queue is None:
            self._start(self._database)
        return self._plan(table, keys, own_ids, self._dialect or session.get_bind().dialect)

    def take_ids(self, session: Session, table: str, count: int) -> int:
        """The first of ``count`` new ids of ``table``, handed out in order."""
        if table not in self._next_id:
            self._next_id[table] = int(session.connection().exec_driver_sql(
                f'SELECT coalesce(max(id), 0) FROM "{table}"').scalar_one()) + 1
        first = self._next_id[table]
        self._next_id[table] = first + count
        return first

    def write_records(self, session: Session, plan: _Plan,
                      records: list[tuple[Any, ...]]) -> None:
        """Store records already converted for ``plan`` (ids first with its own ids)."""
        if records:
            self._write(session, plan, records)

    # -- the writing thread ---------------------------------------------------------------

    def open(self) -> None:
        """Open the writing connection and read the next id of every bulk table (then a
        process forked from this one can hand out the ids, :mod:`demo_process`)."""
        if self._database is None or hasattr(self, "_driver"):
            return
        self._connection = self._database.engine.raw_connection()
        driver = self._connection.driver_connection
        assert driver is not None
        self._driver = driver
        self._prepare(driver)
        # The next id of every bulk table, read before the thread uses the connection.
        for table in self._tables_with_ids(driver):
            self._next_id.setdefault(table, self._largest_id(driver, table) + 1)

    @property
    def threaded(self) -> bool:
        """Whether the rows are stored from a thread on a connection of this writer's own
        (a database of its own, not a test's connection)."""
        return self._database is not None

    def store(self, sql: str, records: list[tuple[Any, ...]],
              fill: Fill = None) -> None:
        """Store rows converted elsewhere (by a generating process) from the thread, then
        run ``fill`` (statements of :attr:`after_store`) for their range."""
        if self._queue is None:
            assert self._database is not None
            self._start(self._database)
        if self._error is not None:
            raise self._error
        assert self._queue is not None
        self._queue.put((sql, records, fill))

    def _start(self, database: Database) -> None:
        self.open()
        self._queue = queue.Queue(maxsize=8)
        self._thread = threading.Thread(target=self._store_queued, name="demo-write",
                                        daemon=True)
        self._thread.start()

    def close(self, failed: bool = False) -> None:
        """Wait for the rows still queued and commit them (roll back if ``failed``)."""
        if self._queue is None:
            if hasattr(self, "_connection"):  # opened, nothing stored
                self._connection.close()
                del self._connection, self._driver
            return
        self._queue.put(None)
        self._thread.join()
        self._queue = None
        self._database = None
        try:
            if self._error is None and not failed:
                self._driver.commit()
            else:
                self._driver.rollback()
        finally:
            self._connection.close()
        if self._error is not None:
            raise self._error

    def _store_queued(self) -> None:
        assert self._queue is not None
        stored = 0
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drained, so that the planner never waits on a full queue
            try:
                self._store_and_fill(self._driver, *item)
                stored += 1
                # Committed every few batches of tickets, so that the cache's dirty pages
                # (a WAL file) stay bounded; not more often: each commit of a SQLite build
                # also writes a segment of the full-text index, which must be merged later.
                if stored % COMMIT_EVERY == 0:
                    self._driver.commit()
            except BaseException as error:  # handed to close()  # noqa: BLE001
                self._error = error

    def _write(self, session: Session, plan: _Plan, records: list[tuple[Any, ...]]) -> None:
        if self.sink is not None:
            self.sink(plan.sql, records, plan.fill)
        elif self._queue is None:
            self._store_and_fill(session.connection().connection.driver_connection, plan.sql,
                                 records, plan.fill)
        elif self._error is None:
            self._queue.put((plan.sql, records, plan.fill))
        else:
            raise self._error

    # -- what differs between the back-ends -----------------------------------------------

    def _prepare(self, driver: Any) -> None:
        """Settings of the writing thread's own connection."""

    @staticmethod
    def _tables_with_ids(driver: Any) -> list[str]:
        return [table for table in BULK_TABLES
                if any(row[1] == "id" for row in driver.execute(f'PRAGMA table_info("{table}")'))]

    @staticmethod
    def _largest_id(driver: Any, table: str) -> int:
        cursor = driver.cursor()
        try:
            return int(cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
                       .fetchone()[0])
        finally:
            cursor.close()

    def _store_and_fill(self, driver: Any, sql: str, records: list[tuple[Any, ...]],
                        fill: Fill) -> None:
        self._store(driver, sql, records)
        if fill and records:  # the range of the first column (records in its order)
            bounds = (records[0][0], records[-1][0])
            for statement in fill:
                driver.execute(statement, bounds)

    @staticmethod
    def _store(driver: Any, sql: str, records: list[tuple[Any, ...]]) -> None:
        if not driver.in_transaction:  # the thread's connection, between two commits
            driver.execute("BEGIN")
        cursor = driver.cursor()
        try:
            cursor.executemany(sql, records)
        finally:
            cursor.close()

    def _statement(self, table: str, names: list[str], dialect: Any) -> str:
        quote = dialect.identifier_preparer.quote
        return (f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})")

    def _plan(self, table: Table, keys: tuple[str, ...], returning: bool,
              dialect: Any) -> _Plan:
        key = (table.name, keys, returning)
        plan = self._plans.get(key)
        if plan is None:
            if returning:  # the ids this writer hands out come first
                keys = tuple(k for k in keys if k != "id")
            names = (["id"] if returning else []) + list(keys)
            defaults: list[Any] = []
            for column in table.columns:  # Python-side defaults, as Core applies them
                if column.name not in names and column.default is not None:
                    names.append(column.name)
                    arg = getattr(column.default, "arg", None)
                    if getattr(column.default, "is_callable", False) and arg is not None:
                        defaults.append(_PerRow(arg))  # e.g. ``default=dict``: one per row
                    else:
                        defaults.append(arg)
            converters: list[tuple[int, Callable[[Any], Any]]] = []
            for index, name in enumerate(names):
                kind = table.columns[name].type
                convert: Processor = (self._times if isinstance(kind, UTCDateTime)
                                      else kind._cached_bind_processor(dialect))
                if convert is not None and isinstance(kind, _FEW_VALUES):
                    convert = _Memo(convert)
                elif convert is not None and isinstance(kind, JSON):
                    convert = _JsonText(convert)
                if convert is not None:
                    converters.append((index, convert))
            plan = self._plans[key] = _Plan(
                self._statement(table.name, names, dialect), names, keys, returning,
                defaults, converters)
            # What to fill (full-text, counters) for the range of the first column: the ids
            # handed out, or the tickets of read states and follows.
            plan.fill = self.after_store.get(table.name)
            if plan.fill and names[0] != ("id" if returning else "ticket_id"):
                raise ValueError(f"{table.name}'s rows do not start with their range")
        return plan


class _Plan:
    """How one table's rows (dicts with the same keys) become the driver's records: the
    values taken out in C (``itemgetter``), then converted column by column."""

    def __init__(self, sql: str, names: list[str], keys: tuple[str, ...], own_ids: bool,
                 defaults: list[Any], converters: list[tuple[int, Callable[[Any], Any]]]
                 ) -> None:
        self.sql = sql
        self.names = names
        self.own_ids = own_ids  # the first column is the id this writer hands out
        self.defaults = defaults
        self.converters = converters
        self.fill: Fill = None
        self._values: Callable[[dict[str, Any]], tuple[Any, ...]] = (
            itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],))

    def converter(self, name: str) -> Callable[[Any], Any] | None:
        """What :meth:`records` makes of one value of column ``name`` (``None`` stays
        ``None``), or ``None`` when the value is stored as it is."""
        index = self.names.index(name)
        for at, convert in self.converters:
            if at == index:
                if isinstance(convert, _Memo):
                    return convert.__getitem__
                return lambda value: None if value is None else convert(value)
        return None

    def records(self, rows: list[dict[str, Any]], ids: list[int]) -> list[tuple[Any, ...]]:
        values = list(map(self._values, rows))
        if not (self.own_ids or self.defaults or self.converters):
            return values
        columns: list[Sequence[Any]] = list(zip(*values))
        if self.own_ids:
            columns.insert(0, ids)
        for default in self.defaults:
            columns.append([default() for _ in rows] if isinstance(default, _PerRow)
                           else [default] * len(rows))
        for index, convert in self.converters:
            if isinstance(convert, _Memo):
                columns[index] = list(map(convert.__getitem__, columns[index]))
            else:
                columns[index] = [convert(v) if v is not None else None
                                  for v in columns[index]]
        return list(zip(*columns))


#: Column types with a handful of values (enums, flags): each value converted once.
#: (Times: the texts of the last :data:`TIMES_KEPT` distinct times are kept. Most of a
#: ticket's times are its messages' and written two to four times: its first message's
#: (the ticket's and the conversation's creation), its last one's (updated, last
#: activity, closed, read), each message's with its activity.)
TIMES_KEPT = 50_000
_FEW_VALUES = (Enum, Boolean, PriorityType)


class _Memo(dict[Any, Any]):
    """A bind processor with its answers kept: ``memo[value]`` converts each distinct value
    once (``None`` stays ``None``, as the processors are not called for it); with ``limit``,
    the answers are forgotten whenever more than ``limit`` are kept."""

    def __init__(self, convert: Callable[[Any], Any], limit: int | None = None) -> None:
        super().__init__({None: None})
        self.convert = convert
        self.limit = limit

    def __missing__(self, value: Any) -> Any:
        if self.limit is not None and len(self) > self.limit:
            self.clear()
            self[None] = None
        converted = self[value] = self.convert(value)
        return converted

    def __call__(self, value: Any) -> Any:
        return self[value]


class _JsonText:
    """A JSON column's bind processor, with the build's usual values written directly as
    ``json.dumps`` writes them: objects of plain keys whose values are whole numbers,
    ``null``, plain strings or such objects (an activity's ``{"message_id": 12}``, about
    one row in seven; an owner change's ``{"field": "owner", "old": null, "new": 3,
    "sentence": {...}}``), ``{}`` among them; anything else goes through the processor."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert
        self._plain_texts: dict[str, bool] = {}
        self._usual: bool | None = None  # whether the processor writes objects so

    def __call__(self, value: Any) -> Any:
        if value.__class__ is dict:
            if self._usual is None:
                self._usual = (self.convert({"a": 1, "b": None, "c": "d", "e": {"f": 2}})
                               == '{"a": 1, "b": null, "c": "d", "e": {"f": 2}}'
                               and self.convert({}) == "{}")
            if self._usual:
                text = self._object(value)
                if text is not None:
                    return text
        return self.convert(value)

    def _object(self, value: dict[Any, Any]) -> str | None:
        """``value`` as JSON, or ``None`` if it holds anything else than the usual."""
        parts = []
        for key, item in value.items():
            if item is None:
                text: str | None = "null"
            elif item.__class__ is int:
                text = int.__repr__(item)
            elif item.__class__ is str:
                text = f'"{item}"' if self._plain(item) else None
            elif item.__class__ is dict:
                text = self._object(item)
            else:
                text = None
            if text is None or not self._plain(key):
                return None
            parts.append(f'"{key}": {text}')
        return "{" + ", ".join(parts) + "}"

    def _plain(self, key: Any) -> bool:
        """Whether a key (or string value) is a string written as itself between quotes."""
        plain = self._plain_texts.get(key) if key.__class__ is str else False
        if plain is None:
            plain = (json.dumps(key) == f'"{key}"'
                     and self.convert({key: 1}) == f'{{"{key}": 1}}')
            if len(self._plain_texts) < 10_000:
                self._plain_texts[key] = plain
        return plain


class _PerRow:
    """A callable column default (``default=dict``): called for each row, as Core does."""

    def __init__(self, arg: Callable[[Any], Any]) -> None:
        self.arg = arg

    def __call__(self) -> Any:
        return self.arg(None)


def _utc_text(value: dt.datetime) -> str:
    """What ``UTCDateTime`` then the driver make of an aware time (naive UTC with
    microseconds, as text), in one step: the build writes about one such value per row."""
    if value.tzinfo is not dt.UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(dt.UTC)
    return value.isoformat(" ", "microseconds")[:26]
