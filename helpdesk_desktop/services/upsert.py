"""Idempotent inserts for rows keyed by who and what (followers, read states): two
processes doing the same personal write at once both succeed, on SQLite and PostgreSQL."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def _insert(session: Session, table: Table) -> Any:
    # The dialect's own insert, imported here: the other dialect's package (PostgreSQL's is
    # ~45 ms) is never loaded by a program that does not use it.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def insert_ignoring_existing(session: Session, table: Table, row: Mapping[str, Any]) -> bool:
    """``INSERT … ON CONFLICT DO NOTHING``; whether the row was new."""
    # RETURNING rather than rowcount: psycopg reports -1 for this statement.
    key = next(iter(table.primary_key.columns))
    result = session.execute(_insert(session, table).values(**row).on_conflict_do_nothing()
                             .returning(key))
    return result.first() is not None


def upsert(session: Session, table: Table, rows: Sequence[Mapping[str, Any]],
           key: Sequence[str], update: Sequence[str]) -> None:
    """Insert ``rows``, or set the columns ``update`` (from the row given) where ``key`` exists."""
    if not rows:
        return
    statement = _upsert(session.get_bind().dialect.name, table, tuple(key), tuple(update))
    session.connection().execute(statement, list(rows))  # Core: no ORM work per statement


@functools.cache
def _upsert(dialect: str, table: Table, key: tuple[str, ...], update: tuple[str, ...]) -> Any:
    """The upsert statement, built once (its construction costs ~1 ms)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        statement: Any = postgresql.insert(table)
    else:
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={name: statement.excluded[name] for name in update})
