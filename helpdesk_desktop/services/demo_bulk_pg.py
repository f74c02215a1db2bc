"""Building a large demo database fast on PostgreSQL: ``COPY``, constraints after the data.

The PostgreSQL side of :mod:`demo_bulk`. On a fresh database :func:`deferred_constraints`
drops the secondary indexes (the full-text GIN indexes among them) and the foreign keys of
the bulk tables and disables their triggers (contact sort, counters) for the build; when the
build ends (also when it fails) it computes what those triggers keep in one pass each, sets
each table's id sequence past the ids handed out, and builds the indexes and foreign keys
again (the foreign keys are checked then, in one pass per key).

:class:`CopyInserts` writes the rows with ``COPY ... FROM STDIN`` (psycopg's ``copy``), the
values converted as :class:`demo_bulk.FastInserts` converts them; a test checks that a bulk
build writes exactly the rows of a plain build.

A build killed half-way leaves a database without those indexes and constraints; the demo
is made fresh (:mod:`demo_build` builds into a scratch database and renames it at the end).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event, text

from helpdesk_desktop.services.demo_bulk import BULK_TABLES, FastInserts
from helpdesk_desktop.services.stored_copies import (
    COUNTERS_BACKFILL,
    FOLLOWED_ORDER_BACKFILL,
)
from helpdesk_desktop.storage.database import Database

#: What the triggers of migration 0013 keep (``ticket_search_vectors``), for every ticket at
#: once; its GIN index is dropped for the build with those of the bulk tables.
VECTORS_TABLE = "ticket_search_vectors"
VECTORS_BACKFILL = (
    f"DELETE FROM {VECTORS_TABLE}",
    (f"INSERT INTO {VECTORS_TABLE} (ticket_id, vector) "
     "SELECT c.ticket_id, array_to_tsvector(array_agg(DISTINCT w.lexeme)) "
     "FROM conversations c JOIN messages m ON m.conversation_id = c.id "
     "CROSS JOIN LATERAL unnest(tsvector_to_array(m.search_vector)) AS w(lexeme) "
     "WHERE c.ticket_id IS NOT NULL AND c.spam_at IS NULL GROUP BY c.ticket_id"),
)
#: The bulk tables' secondary indexes (not those of a primary key or a unique constraint).
_INDEXES = """
SELECT quote_ident(ic.relname), pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relnamespace = to_regnamespace(current_schema()) AND t.relname = ANY(:tables)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 1"""
#: The bulk tables' foreign keys.
_FOREIGN_KEYS = """
SELECT quote_ident(t.relname), quote_ident(c.conname), pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE t.relnamespace = to_regnamespace(current_schema()) AND t.relname = ANY(:tables)
  AND c.contype = 'f'
ORDER BY 1, 2"""
#: The bulk tables with an id sequence.
_SEQUENCES = """
SELECT name, sequence FROM (
  SELECT t.relname AS name, CASE WHEN a.attname IS NOT NULL
    THEN pg_get_serial_sequence(quote_ident(t.relname), 'id') END AS sequence
  FROM pg_class t LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = 'id'
  WHERE t.relnamespace = to_regnamespace(current_schema()) AND t.relname = ANY(:tables)
) s WHERE sequence IS NOT NULL"""


def _bulk_settings(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # Nothing is worth waiting for the disk before the build ends: a crash means building
    # again. Sessions only, so the server's other databases keep their settings.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    dbapi_connection.commit()


@contextmanager
def deferred_constraints(database: Database, copier: CopyInserts | None = None
                         ) -> Iterator[None]:
    """Drop the secondary indexes and foreign keys of the bulk tables and disable their
    triggers; rebuild all of it when the block ends (also when it fails), the values those
    triggers keep computed in one pass each, after ``copier`` has written its last rows.
    PostgreSQL only; elsewhere a no-op."""
    if database.dialect != "postgresql":
        yield
        return
    tables = [*BULK_TABLES, VECTORS_TABLE]
    with database.connect() as connection, _transaction(connection):
        indexes = connection.execute(text(_INDEXES), {"tables": tables}).all()
        foreign_keys = connection.execute(text(_FOREIGN_KEYS), {"tables": tables}).all()
        for table, name, _definition in foreign_keys:
            connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _definition in indexes:
            connection.exec_driver_sql(f"DROP INDEX {name}")
        for table in tables:
            connection.exec_driver_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    own_engine = database.bind is database.engine
    if own_engine:
        event.listen(database.engine, "checkout", _bulk_settings)
    failed = True
    try:
        yield
        failed = False
    finally:
        try:
            if copier is not None:
                copier.close(failed)
        finally:
            _rebuild(database, own_engine, tables, indexes, foreign_keys)


def _rebuild(database: Database, own_engine: bool, tables: list[str], indexes: Any,
             foreign_keys: Any) -> None:
    if own_engine:
        event.remove(database.engine, "checkout", _bulk_settings)
        database.engine.dispose()  # the next connections get the usual settings again
        _rebuild_in_lanes(database, tables, indexes, foreign_keys)
        _vacuum(database, tables)
        return
    # A test's outer transaction: everything in it, one statement after the other (a
    # test's outer transaction cannot vacuum either).
    with database.connect() as connection, _transaction(connection):
        for lane in _lanes(tables, indexes):
            for statement in lane:
                _run(connection, statement)
        _finish(connection, tables, foreign_keys)


def _rebuild_in_lanes(database: Database, tables: list[str], indexes: Any,
                      foreign_keys: Any) -> None:
    """The refills and index builds on two connections at once (the server's two cores;
    each lane touches tables of its own, so neither waits for the other's locks), then the
    foreign keys and the triggers in one transaction. Run on a database of the build's own
    (a scratch database, :mod:`demo_build`): a build stopped half-way is thrown away."""
    failures: list[BaseException] = []

    def run_lane(statements: list[Step]) -> None:
        try:
            with database.engine.connect() as connection, connection.begin():
                for statement in statements:
                    _run(connection, statement)
        except BaseException as error:  # raised below, once both lanes stopped  # noqa: BLE001
            failures.append(error)

    first, second = _lanes(tables, indexes)
    other = threading.Thread(target=run_lane, args=(second,), name="demo-rebuild")
    other.start()
    run_lane(first)
    other.join()
    if failures:
        raise failures[0]
    with database.engine.connect() as connection, connection.begin():
        _finish(connection, tables, foreign_keys)


#: The tables whose refills and indexes go on the second lane: the messages' side (the
#: search words read from the messages, the largest index builds), apart from the tickets'
#: side that the other refills update or read.
_SECOND_LANE = ("messages", "conversations", "activities", "attachments", VECTORS_TABLE)


Step = str | Callable[[Connection], None]


def _lanes(tables: list[str], indexes: Any) -> tuple[list[Step], list[Step]]:
    """The refills and index builds in two lists that share no table: the tickets' side
    (sequences, followed order, counters, their indexes; the contact sort is written with
    each ticket) and the messages' side (the search words, their indexes)."""
    first: list[Step] = [_SETTINGS, lambda connection: _sequences_past(connection, tables),
                         FOLLOWED_ORDER_BACKFILL, *COUNTERS_BACKFILL]
    second: list[Step] = [_SETTINGS, *VECTORS_BACKFILL]
    for _name, definition in indexes:
        table = definition.split(" ON ", 1)[1].split()[0].rsplit(".", 1)[-1].strip('"')
        (second if table in _SECOND_LANE else first).append(definition)
    return first, second


_SETTINGS = "SET LOCAL maintenance_work_mem = '512MB'"


def _sequences_past(connection: Connection, tables: list[str]) -> None:
    """Each table's id sequence set past the ids the build handed out."""
    for table, sequence in connection.execute(text(_SEQUENCES), {"tables": tables}).all():
        connection.exec_driver_sql(
            f"SELECT setval('{sequence}', coalesce(max(id), 0) + 1, false) FROM \"{table}\"")


def _run(connection: Connection, step: Step) -> None:
    if isinstance(step, str):
        connection.exec_driver_sql(step)
    else:
        step(connection)


def _finish(connection: Connection, tables: list[str], foreign_keys: Any) -> None:
    """The triggers on again, the foreign keys added back (each checked in one pass)."""
    for table in tables:
        connection.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    for table, name, definition in foreign_keys:
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _vacuum(database: Database, tables: list[str]) -> None:
    """``VACUUM (ANALYZE)`` the tables just written: it marks their pages all-visible and
    gathers their statistics. Until autovacuum came by, every index-only scan of a freshly
    built table (a list's page ids, Following, search's ticket vectors) read the table's row
    behind each index entry: a just-built 100,000-ticket demo listed 15-30 % slower."""
    with database.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables))


@contextmanager
def _transaction(connection: Connection) -> Iterator[None]:
    """The connection's own transaction, or (tests) a savepoint inside the outer one."""
    if connection.in_transaction():
        with connection.begin_nested():
            yield
    else:
        with connection.begin():
            yield


class CopyInserts(FastInserts):
    """:class:`demo_bulk.FastInserts` for PostgreSQL: the rows go in through ``COPY``.

    Given a database of its own (not a test's connection), the rows are copied by
    :class:`~demo_bulk.FastInserts`'s thread on a connection of its own
    (``synchronous_commit = off``), so that the server stores one batch while the next is
    planned; otherwise they go through the session's connection, in its transaction.
    """

    def _prepare(self, driver: Any) -> None:
        with driver.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        driver.commit()

    @staticmethod
    def _tables_with_ids(driver: Any) -> list[str]:
        with driver.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                "AND table_schema = current_schema() AND table_name = ANY(%s)",
                (list(BULK_TABLES),))
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _largest_id(driver: Any, table: str) -> int:
        with driver.cursor() as cursor:
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            row = cursor.fetchone()
            return int(row[0])

    def _statement(self, table: str, names: list[str], dialect: Any) -> str:
        quote = dialect.identifier_preparer.quote
        return (f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) "
                "FROM STDIN")

    @staticmethod
    def _store(driver: Any, sql: str, records: list[tuple[Any, ...]]) -> None:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            for record in records:
                write(record)
