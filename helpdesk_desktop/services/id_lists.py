"""Lists of ids in an operation: without repeats, in chunks for ``IN (...)``, in a sentence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    any_,
    bindparam,
    func,
    literal_column,
    select,
    tuple_,
)

from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _, ngettext

CHUNK = 500  # ids per statement: well under SQLite's bound-parameter limit


def distinct_tickets(ticket_ids: Iterable[int]) -> list[int]:
    """The ids in their first order without repeats; refused when there is none."""
    ids = list(dict.fromkeys(int(i) for i in ticket_ids))
    if not ids:
        raise InvalidInput(_("Select at least one ticket."))
    return ids


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in slices of at most :data:`CHUNK`."""
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start:start + CHUNK])


def ids_text(ids: Sequence[int]) -> str:
    """``#1, #2, #3, #4, #5 and 7 more``: ids for a sentence."""
    shown = ", ".join(f"#{i}" for i in ids[:5])
    if len(ids) <= 5:
        return shown
    more = len(ids) - 5
    return ngettext("{ids} and {count} more", "{ids} and {count} more", more).format(
        ids=shown, count=more)


def _int_array(values: Sequence[int]) -> Any:
    from sqlalchemy.dialects.postgresql import ARRAY  # not loaded for a SQLite workspace

    return bindparam(None, [int(v) for v in values], type_=ARRAY(Integer))


def among(column: Any, ids: Sequence[int], dialect: str) -> ColumnElement[bool]:
    """``column IN (ids)``; on PostgreSQL ``column = ANY(:ids)``, one array parameter: the
    same SQL text for any number of ids. (psycopg parses the text of a statement longer than
    4 KB again at every execution, ~5–10 ms for an ``IN`` of 500 ids.)"""
    if dialect == "postgresql":
        condition: ColumnElement[bool] = column == any_(_int_array(ids))
        return condition
    expanding: ColumnElement[bool] = column.in_(list(ids))
    return expanding


def pairs_among(first: Any, second: Any, pairs: Sequence[tuple[int, int]],
                dialect: str) -> ColumnElement[bool]:
    """``(first, second) IN (pairs)``; on PostgreSQL the pairs are two arrays unnested side by
    side (two parameters, whatever their number)."""
    if dialect == "postgresql":
        unnested = select(func.unnest(_int_array([a for a, _ in pairs])),
                          func.unnest(_int_array([b for _, b in pairs])))
        condition: ColumnElement[bool] = tuple_(first, second).in_(unnested)
        return condition
    listed: ColumnElement[bool] = tuple_(first, second).in_(list(pairs))
    return listed


def among_parameter(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` among the ids given later as parameter ``name`` (:func:`ids_parameter`):
    one parameter for any number of ids, so that a statement built once serves every call
    (an array on PostgreSQL; a JSON list read by ``json_each`` on SQLite, where an ``IN`` of
    500 expanded parameters costs SQLAlchemy ~1 ms to render at each execution)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # not loaded for a SQLite workspace

        condition: ColumnElement[bool] = column == any_(
            bindparam(name, type_=ARRAY(Integer)))
        return condition
    listed: ColumnElement[bool] = column.in_(select(literal_column("value")).select_from(
        func.json_each(bindparam(name))))
    return listed


def ids_parameter(ids: Sequence[int], dialect: str) -> Any:
    """The value of an :func:`among_parameter` parameter."""
    values = [int(i) for i in ids]
    return values if dialect == "postgresql" else json.dumps(values)
