"""Values read from a SQLite database, kept on the connection until something is written.

What dates a connection's view of the data: ``PRAGMA data_version`` (it changes when another
connection commits) and the connection's own ``total_changes`` (its writes), both read in
the caller's read transaction, so a value kept is used only on the very data it was read
from. A transaction that writes (``BEGIN IMMEDIATE``) neither uses nor keeps values: a
rollback would leave both numbers unchanged. Used for the search's expanded prefix terms
(``search.py``) and the message ids its newest-hit walk steps over (``search_skips.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection

from helpdesk_desktop.storage.database import SQLITE_BEGIN

T = TypeVar("T")

#: Values kept per connection, at most (all are dropped when one more comes).
MAX_VALUES = 256

_KEY = "helpdesk_sqlite_memo"


def _stamp(connection: Connection) -> tuple[int, int] | None:
    """What dates the connection's view of the data, or ``None`` in a writing transaction."""
    if connection.get_execution_options().get(SQLITE_BEGIN) == "IMMEDIATE":
        return None
    driver: Any = connection.connection.driver_connection
    (version,) = driver.execute("PRAGMA data_version").fetchone()
    return int(version), int(driver.total_changes)


def _values(connection: Connection) -> dict[Hashable, Any] | None:
    """The values kept on ``connection`` for its current data (``None``: none may be)."""
    stamp = _stamp(connection)
    if stamp is None:
        return None
    info = connection.connection.info
    kept = info.get(_KEY)
    if kept is None or kept[0] != stamp:
        kept = info[_KEY] = (stamp, {})
    values: dict[Hashable, Any] = kept[1]
    return values


def peek(connection: Connection, key: Hashable) -> Any:
    """The value kept for ``key`` on this data, or ``None``."""
    values = _values(connection)
    return None if values is None else values.get(key)


def kept(connection: Connection, key: Hashable, make: Callable[[], T]) -> T:
    """The value kept for ``key`` on this data, made by ``make()`` (reading through
    ``connection``) and kept if there was none."""
    values = _values(connection)
    if values is None:
        return make()
    if key not in values:
        if len(values) >= MAX_VALUES:
            values.clear()
        values[key] = make()
    value: T = values[key]
    return value


def keep(connection: Connection, key: Hashable, value: T) -> T:
    """``value`` (read through ``connection`` in this transaction), kept for ``key``."""
    values = _values(connection)
    if values is not None:
        if len(values) >= MAX_VALUES:
            values.clear()
        values[key] = value
    return value
