"""The rows statement of a list page on PostgreSQL, run on the driver's own connection.

``list_rows._rows_statement`` is compiled by SQLAlchemy once (its SQL text and its constant
parameters kept), then run as the driver's SQL (``exec_driver_sql``: SQLAlchemy's events see
it, but it computes no cache key and processes no value), prepared, in the session's
transaction, and its values converted here, as the column types would (``UTCDateTime``
alone is ~7 processor calls a row).

The values are those SQLAlchemy's column types return (``tests/services/test_list_rows.py``
compares both for every column): datetimes stored as naive UTC, returned aware; enums by
value; arrays as lists.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import Connection

from helpdesk_desktop.domain.enums import Category, Channel, TicketState
from helpdesk_desktop.storage.database import PREPARED, WRITES_NOTHING

_CATEGORIES: dict[str | None, Category | None] = {c.value: c for c in Category}
_CATEGORIES[None] = None
_STATES = {s.value: s for s in TicketState}
_SOURCES = {c.value: c for c in Channel}
#: Prepared (parsed and planned once per connection); a SELECT, which writes nothing.
_OPTIONS = {PREPARED: True, WRITES_NOTHING: True}
_combine = dt.datetime.combine
_UTC = dt.UTC


@functools.lru_cache(maxsize=16)
def _compiled(statement: Any, dialect: Any) -> tuple[str, dict[str, Any]]:
    """``statement`` compiled for ``dialect`` (psycopg's): its SQL and its constant
    parameters as the driver takes them (bind processors applied)."""
    compiled = statement.compile(dialect=dialect)
    processors = compiled._bind_processors  # the values SQLAlchemy would send
    constants: dict[str, Any] = {}
    for name, bind in compiled.binds.items():
        if bind.callable is None and bind.value is None and name == bind.key \
                and not bind.unique:
            continue  # given at execution (``ids``, ``id``, ``actor_id``)
        value = bind.effective_value
        processor = processors.get(name)
        constants[name] = processor(value) if processor is not None else value
    return compiled.string, constants


def _moment(value: dt.datetime | None) -> dt.datetime | None:
    # As ``UTCDateTime`` returns it: the stored naive UTC moment, made aware.
    return None if value is None else _combine(value, value.time(), _UTC)


def fetch(connection: Connection, statement: Any,
          given: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``statement`` (``list_rows._rows_statement('postgresql')``) for the named
    parameters ``given`` (the ids, the actor), each as the tuple SQLAlchemy's execution of it
    returns. Prepared: parsed and planned once per connection (``storage.database.PREPARED``)."""
    sql, constants = _compiled(statement, connection.dialect)
    # As the driver's SQL: SQLAlchemy's events still see it (statement counts, whether the
    # transaction wrote), its values are neither processed nor converted.
    result = connection.exec_driver_sql(sql, {**constants, **given}, _OPTIONS)
    try:
        raw = result.cursor.fetchall()  # the driver's tuples: no Row made for each
    finally:
        result.close()
    moment = _moment
    categories, states, sources = _CATEGORIES, _STATES, _SOURCES
    return [(ticket_id, name, status_id, status, status_closed, pipeline_id, pipeline,
             priority, categories[category], owner_id, owner_name, owner_email,
             moment(created_at), moment(last_activity_at), moment(closed_at), states[state],
             sources[source], inbox, version, moment(spam_at), moment(deleted_at), contact,
             contact_email, moment(read_at), forced_unread, snippet, following, followers,
             merged)
            for (ticket_id, name, status_id, status, status_closed, pipeline_id, pipeline,
                 priority, category, owner_id, owner_name, owner_email, created_at,
                 last_activity_at, closed_at, state, source, inbox, version, spam_at,
                 deleted_at, contact, contact_email, read_at, forced_unread, snippet,
                 following, followers, merged) in raw]
