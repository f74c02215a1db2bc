"""Capturing the SQL a service call sends, and the query plan each statement gets.

Used by the query-plan test (``tests/services/test_query_plans.py``) and by the benchmark
suite: a plan that reads a whole big table (SQLite ``SCAN tickets``, PostgreSQL ``Seq Scan on
tickets``) is what makes a list slow at a million tickets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, text

from helpdesk_desktop.services.search import vocabulary_ddl

#: The tables whose full scan costs time proportional to the workspace (PostgreSQL's
#: ``ticket_search_vectors``, migration 0013, has a row per ticket too, but the plan test's
#: demo is small enough for the planner to read it whole, rightly; at 100,000 tickets
#: ``bench_pg_search.py --plans`` found it read by its index).
BIG_TABLES = ("tickets", "messages", "conversations", "ticket_contacts")
#: SQLite's plans name a table by its alias: the services' aliases of the big tables.
ALIASES = {"shown": "tickets", "spam_ticket": "tickets", "numbered": "tickets",
           "merged_ticket": "tickets", "spam_conversation": "conversations",
           "named": "tickets"}


@dataclass
class Captured:
    statements: list[tuple[str, Any]] = field(default_factory=list)


_READS = ("SELECT", "WITH")
_WRITES = (*_READS, "UPDATE", "DELETE", "INSERT")


@contextmanager
def capture(engine: Engine, *, writes: bool = False) -> Iterator[Captured]:
    """Record every query (and its parameters) ``engine`` runs in the block; ``writes``:
    its ``UPDATE``, ``DELETE`` and ``INSERT`` statements too (not an ``executemany``)."""
    captured = Captured()
    kinds = _WRITES if writes else _READS

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               executemany: bool) -> None:
        if statement.lstrip().upper().startswith(kinds) and not executemany:
            captured.statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", before)


def sqlite_plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """EXPLAIN QUERY PLAN's detail lines."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        # The search's FTS5 vocabulary tables live in each connection's temporary schema.
        for index in sorted(set(re.findall(r"temp\.(\w+)_terms\b", statement))):
            raw.execute(vocabulary_ddl(index))
        rows = raw.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()).fetchall()
    return [row[3] for row in rows]


def pg_plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """EXPLAIN's lines (psycopg parameters are ``%(name)s``)."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("EXPLAIN " + statement, parameters or None)
            return [row[0] for row in cursor.fetchall()]


# "SCAN t" reads the table whole, "SCAN t USING [COVERING] INDEX i" a whole index: both cost
# in proportion to the table. "SEARCH t USING ..." seeks.
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)\b")
_PG_SCAN = re.compile(r"Seq Scan on (\w+)")


def full_scans(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """The big tables this statement reads whole (an empty list: it only seeks)."""
    if engine.dialect.name == "sqlite":
        found = []
        for line in sqlite_plan(engine, statement, parameters):
            match = _SQLITE_SCAN.match(line)
            if match and ALIASES.get(match.group(1), match.group(1)) in BIG_TABLES:
                found.append(line)
        return found
    return [line.strip() for line in pg_plan(engine, statement, parameters)
            if (m := _PG_SCAN.search(line)) and m.group(1) in BIG_TABLES]


def scanned_table(line: str) -> str | None:
    """The table a plan line of :func:`full_scans` reads whole."""
    match = _SQLITE_SCAN.match(line) or _PG_SCAN.search(line)
    return ALIASES.get(match.group(1), match.group(1)) if match else None


def scans_of(engine: Engine, work: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Run ``work`` and return (statement, scanning plan lines) for each statement that
    reads a big table whole."""
    with capture(engine) as captured:
        work()
    result = []
    for statement, parameters in captured.statements:
        scans = full_scans(engine, statement, parameters)
        if scans:
            result.append((statement, scans))
    return result


def explain_all(engine: Engine, work: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Every statement ``work`` runs, with its whole plan (for reading, not for tests)."""
    with capture(engine) as captured:
        work()
    plan = sqlite_plan if engine.dialect.name == "sqlite" else pg_plan
    return [(s, plan(engine, s, p)) for s, p in captured.statements]


def analyze(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
