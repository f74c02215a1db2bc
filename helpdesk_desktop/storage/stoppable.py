"""Reads that end early once their answer is no longer wanted.

A window's "N matching" count of a common word reads every match (seconds at a million
tickets); when the agent types on, a newer count replaces it, and the old one would keep a
core busy to the end for an answer nobody reads. :func:`stoppable` lets SQLite look at a
``stop()`` callable every few thousand steps of its virtual machine and end the statement
there. Elsewhere (PostgreSQL) the statement runs to its end, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from helpdesk_desktop.domain.errors import Stopped

#: SQLite virtual-machine instructions between two looks at ``stop()`` (~0.1-1 ms of work:
#: a count over a million rows looks a few thousand times, ~1 ms in all).
STEPS = 20_000


@contextmanager
def stoppable(connection: Any, stop: Callable[[], bool] | None) -> Iterator[None]:
    """Statements run on ``connection`` (a SQLAlchemy connection) inside the block end with
    :class:`~helpdesk_desktop.domain.errors.Stopped` once ``stop()`` returns True (SQLite)."""
    if stop is None or connection.dialect.name != "sqlite":
        yield
        return
    from sqlalchemy.exc import OperationalError

    driver = connection.connection.driver_connection
    driver.set_progress_handler(lambda: 1 if stop() else 0, STEPS)
    try:
        yield
    except OperationalError as exc:
        if "interrupted" in str(exc) and stop():
            raise Stopped("The read was stopped: its answer is no longer wanted.") from None
        raise
    finally:
        driver.set_progress_handler(None, 0)
