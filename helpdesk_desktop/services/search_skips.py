"""Message ids the newest-hit walk can step over: long runs of messages whose conversation
has no ticket (``services/search_order.py``).

A hit in such a conversation is read and dropped by the walk (one ``messages`` and one
``conversations`` row looked up per hit, ~2.5 µs each at a million tickets). Where such
messages hold a block of consecutive ids, as the demo's 40,000 inbox conversations do at the
top of the ids (or a flood of mail not yet taken into the help desk), the walk reads the
full-text index above and below the block instead (FTS5 takes both rowid bounds). Spam
conversations of tickets are still dropped one hit at a time.

The runs are found by index only: runs of consecutive ids of conversations without a
ticket, by counting them in halves of the id range (``ix_conversations_ticket_created``),
then each run's messages by ``ix_messages_conversation_sent``: when their count equals the
span of their ids, every id in that span is one of them; otherwise their ids are read and
cut into runs of consecutive ids.

On SQLite they are kept on the connection until something is written (``sqlite_memo.py``);
on PostgreSQL each walk that needs them finds them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from helpdesk_desktop.services import sqlite_memo

#: Runs of fewer consecutive conversations are not looked at (one statement each).
MIN_RUN = 32
#: The counts of conversations without a ticket made to find their runs, at most.
PROBES = 16
#: Runs of fewer consecutive message ids are not stepped over (a statement more a batch).
MIN_STRETCH = 64

_KEY = "search_skips.ranges"
_LAST_ID = 2**63 - 1

#: The statements, each with the two ends of a range of ids (the plan test reads them).
CONVERSATIONS_SPAN = ("SELECT count(*), min(id), max(id) FROM conversations"
                      " WHERE ticket_id IS NULL AND id BETWEEN ? AND ?")
MESSAGES_SPAN = ("SELECT count(*), min(id), max(id) FROM messages"
                 " WHERE conversation_id BETWEEN ? AND ?")
MESSAGE_IDS = "SELECT id FROM messages WHERE conversation_id BETWEEN ? AND ?"

Ranges = list[tuple[int, int]]


def cached(connection: Connection) -> Ranges | None:
    """The ranges found on this connection, if nothing was written since (else ``None``;
    always on PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        return None
    ranges: Ranges | None = sqlite_memo.peek(connection, _KEY)
    return ranges


def find(connection: Connection) -> Ranges:
    """The ranges (first id, last id), ascending, of at least :data:`MIN_STRETCH`
    consecutive message ids, each message in a conversation without a ticket. On SQLite
    kept for :func:`cached` (unless in a writing transaction); PostgreSQL has no cheap
    mark of a commit, so they are found again by each walk that needs them."""
    if connection.dialect.name == "postgresql":
        def run(statement: str, low: int, high: int) -> Any:
            return connection.exec_driver_sql(statement.replace("?", "%s"), (low, high))
        return _find(run)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return sqlite_memo.keep(connection, _KEY, _find(
            lambda statement, low, high: cursor.execute(statement, (low, high))))
    finally:
        cursor.close()


def _find(run: Callable[[str, int, int], Any]) -> Ranges:
    ranges: Ranges = []
    for first, last in _conversation_runs(run):
        count, low, high = run(MESSAGES_SPAN, first, last).fetchone()
        if count and high - low + 1 == count:
            if count >= MIN_STRETCH:
                ranges.append((low, high))
        elif count:
            ids = sorted(row[0] for row in run(MESSAGE_IDS, first, last))
            ranges.extend(_runs(ids, MIN_STRETCH))
    return _joined(sorted(ranges))


def _conversation_runs(run: Callable[[str, int, int], Any]) -> Ranges:
    """Runs of at least :data:`MIN_RUN` consecutive ids of conversations without a ticket,
    newest first, found by halving: a range of ids whose conversations without a ticket
    fill it (their count is its span) is a run; one with fewer than :data:`MIN_RUN` holds
    none; any other is cut in two, its upper half first, for at most :data:`PROBES`
    counts (each reads the ~40,000 entries of ``ix_conversations_ticket_created`` for
    ``ticket_id IS NULL`` at a million tickets: ~1-5 ms)."""
    runs: Ranges = []
    pending = [(0, _LAST_ID)]
    probes = 0
    while pending and probes < PROBES:
        low, high = pending.pop()
        probes += 1
        count, first, last = run(CONVERSATIONS_SPAN, low, high).fetchone()
        if count < MIN_RUN:
            continue
        if last - first + 1 == count:
            runs.append((first, last))
            continue
        middle = (first + last) // 2
        pending.append((first, middle))  # popped after the upper half
        pending.append((middle + 1, last))
    return runs


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
