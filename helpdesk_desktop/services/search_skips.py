"""Message ids a newest-hit walk on SQLite can step over: long runs of messages whose
conversation has no ticket or is marked as spam (``services/search_order.py``).

A hit in such a conversation is read and dropped by the walk (one ``messages`` and one
``conversations`` row looked up per hit, ~2.5 µs each at a million tickets). Where such
messages hold a block of consecutive ids, as the demo's 40,000 inbox conversations do at the
top of the ids (or a flood of mail not yet taken into the help desk), the walk reads the
full-text index above and below the block instead (FTS5 takes both rowid bounds).

The runs are found from the conversations' side, by index only: the ids of the conversations
without a ticket or marked as spam, cut into runs of consecutive ids (every conversation of
the run is one of them), then each run's messages by ``ix_messages_conversation_sent``: when
their count equals the span of their ids, every id in that span is one of them; otherwise
their ids are read and cut into runs of consecutive ids.

They are kept per connection with what dates them: ``PRAGMA data_version`` (another
connection's commit) and the connection's ``total_changes`` (its own writes), both read in
the walk's own read transaction. A transaction that writes neither reads nor keeps them (a
rollback would leave both unchanged).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from helpdesk_desktop.storage.database import SQLITE_BEGIN

#: Runs of fewer consecutive conversations are not looked at (one statement each).
MIN_RUN = 32
#: The newest runs looked at, at most (one statement each).
MAX_RUNS = 64
#: Runs of fewer consecutive message ids are not stepped over (a statement more a batch).
MIN_STRETCH = 64

_KEY = "helpdesk_search_skips"

Ranges = list[tuple[int, int]]


def _stamp(connection: Connection) -> tuple[int, int] | None:
    """What dates the connection's view of the data, or ``None`` in a writing transaction."""
    if connection.get_execution_options().get(SQLITE_BEGIN) == "IMMEDIATE":
        return None
    version = connection.exec_driver_sql("PRAGMA data_version").scalar_one()
    dbapi: Any = connection.connection.dbapi_connection
    return int(version), int(dbapi.total_changes)


def cached(connection: Connection) -> Ranges | None:
    """The ranges found on this connection, if nothing was written since (else ``None``)."""
    kept = connection.connection.info.get(_KEY)
    if kept is None:
        return None
    stamp = _stamp(connection)
    return kept[1] if stamp is not None and kept[0] == stamp else None


def find(connection: Connection) -> Ranges:
    """The ranges (first id, last id), ascending, of at least :data:`MIN_STRETCH`
    consecutive message ids, each message in a conversation without a ticket or marked as
    spam; kept for :func:`cached` unless in a writing transaction."""
    stamp = _stamp(connection)
    execute = connection.exec_driver_sql
    conversations = {row[0] for row in execute(
        "SELECT id FROM conversations WHERE ticket_id IS NULL")}
    conversations.update(row[0] for row in execute(
        "SELECT id FROM conversations WHERE spam_at IS NOT NULL"))
    ranges: Ranges = []
    for first, last in _runs(sorted(conversations), MIN_RUN)[-MAX_RUNS:]:
        count, low, high = execute(
            "SELECT count(*), min(id), max(id) FROM messages"
            " WHERE conversation_id BETWEEN ? AND ?", (first, last)).one()
        if not count:
            continue
        if high - low + 1 == count:
            if count >= MIN_STRETCH:
                ranges.append((low, high))
            continue
        ids = sorted(row[0] for row in execute(
            "SELECT id FROM messages WHERE conversation_id BETWEEN ? AND ?", (first, last)))
        ranges.extend(_runs(ids, MIN_STRETCH))
    ranges = _joined(sorted(ranges))
    if stamp is not None:
        connection.connection.info[_KEY] = (stamp, ranges)
    return ranges


def _runs(ids: list[int], least: int) -> Ranges:
    """The runs of consecutive numbers in ``ids`` (ascending), of at least ``least``."""
    runs: Ranges = []
    start = previous = None
    for value in ids:
        if previous is None or value != previous + 1:
            if start is not None and previous is not None and previous - start + 1 >= least:
                runs.append((start, previous))
            start = value
        previous = value
    if start is not None and previous is not None and previous - start + 1 >= least:
        runs.append((start, previous))
    return runs


def _joined(ranges: Ranges) -> Ranges:
    """Sorted ``ranges`` with those that touch made one."""
    joined: Ranges = []
    for low, high in ranges:
        if joined and low <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(high, joined[-1][1]))
        else:
            joined.append((low, high))
    return joined


def step(ranges: Ranges, below: int | None) -> tuple[int | None, int | None]:
    """Where a walk reading ids below ``below`` (``None``: from the newest) reads next:
    ``below`` moved under the range holding ``below - 1``, and the last id of the next
    range under it (the walk reads above it; ``None``: none)."""
    floor = None
    for low, high in reversed(ranges):
        if below is not None and low < below <= high + 1:
            below = low
            continue
        if below is None or high < below:
            floor = high
            break
    return below, floor
