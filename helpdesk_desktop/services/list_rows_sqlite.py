"""The rows statement of a list page on SQLite, run on the driver's own connection.

``list_rows._rows_statement`` is compiled by SQLAlchemy once per number of ids (its SQL text
and the order of its parameters are kept), then run with ``sqlite3`` itself, in the session's
transaction, and its values converted here: through SQLAlchemy's execution and result layers
the same statement cost about as much again as SQLite took to run it (cache key, execution
context, a type processor per value: ~0.8 ms of a page of 100 at 100,000 tickets).

The values are those SQLAlchemy's column types return (``tests/services/test_list_rows.py``
compares both for every column): datetimes stored as naive UTC text, returned aware; enums by
value; booleans from 0/1.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import sqlite

from helpdesk_desktop.domain.enums import Category, Channel, TicketState

#: The placeholder SQLAlchemy compiles an expanding ``IN`` parameter to, filled at execution.
_IDS_TOKEN = "__[POSTCOMPILE_ids]"
_from_text = dt.datetime.fromisoformat
_CATEGORIES: dict[str | None, Category | None] = {c.value: c for c in Category}
_CATEGORIES[None] = None
_STATES = {s.value: s for s in TicketState}
_SOURCES = {c.value: c for c in Channel}


def _moment(value: str | None) -> dt.datetime | None:
    # The offset parsed with the text: ``datetime.replace(tzinfo=...)`` costs several times
    # what the parse does (~1.4 against ~9 µs on this machine, 600 values a page).
    return None if value is None else _from_text(value + "+00:00")


@functools.cache
def _compiled(statement: Any) -> tuple[str, tuple[str | None, ...], tuple[Any, ...]]:
    """``statement`` compiled for SQLite: its SQL with ``{ids}`` where the ids' placeholders
    go, each positional parameter's name (``None``: a constant) and the constants' values as
    the driver takes them (bind processors applied)."""
    compiled = statement.compile(dialect=sqlite.dialect())
    text = compiled.string
    if text.count(_IDS_TOKEN) != 1 or compiled.positiontup[-1] != "ids":
        raise AssertionError("the rows statement takes its ids last, as one expanding IN")
    names: list[str | None] = []
    constants: list[Any] = []
    processors = compiled._bind_processors  # the values SQLAlchemy would send
    for name in compiled.positiontup[:-1]:
        bind = compiled.binds[name]
        if bind.callable is None and bind.value is None and name == bind.key and not bind.unique:
            names.append(name)  # given at execution (``actor_id``)
            constants.append(None)
            continue
        value = bind.effective_value
        processor = processors.get(name)
        names.append(None)
        constants.append(processor(value) if processor is not None else value)
    return text.replace("{", "{{").replace("}", "}}").replace(_IDS_TOKEN, "{ids}"), \
        tuple(names), tuple(constants)


@functools.lru_cache(maxsize=16)
def _sql(statement: Any, count: int) -> str:
    text, _names, _constants = _compiled(statement)
    return text.format(ids=", ".join("?" * count))


def fetch(connection: Connection, statement: Any, ids: list[int],
          given: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``statement`` (``list_rows._rows_statement('sqlite')``) for ``ids``, each
    as the tuple SQLAlchemy returns: ``given`` holds its other named parameters."""
    _text, names, constants = _compiled(statement)
    params = [given[n] if n is not None else c for n, c in zip(names, constants)]
    params.extend(ids)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_sql(statement, len(ids)), params)
        raw = cursor.fetchall()
    finally:
        cursor.close()
    moment: Callable[[str | None], dt.datetime | None] = _moment
    categories, states, sources = _CATEGORIES, _STATES, _SOURCES
    return [(ticket_id, name, status_id, status, bool(status_closed), pipeline_id, pipeline,
             priority, categories[category], owner_id, owner_name, owner_email,
             moment(created_at), moment(last_activity_at), moment(closed_at), states[state],
             sources[source], inbox, version, moment(spam_at), moment(deleted_at), contact,
             contact_email, moment(read_at),
             None if forced_unread is None else bool(forced_unread), snippet, following,
             followers, merged)
            for (ticket_id, name, status_id, status, status_closed, pipeline_id, pipeline,
                 priority, category, owner_id, owner_name, owner_email, created_at,
                 last_activity_at, closed_at, state, source, inbox, version, spam_at,
                 deleted_at, contact, contact_email, read_at, forced_unread, snippet,
                 following, followers, merged) in raw]
