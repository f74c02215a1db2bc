"""One unit of work per user action: a session, the acting user and the time, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, make_transient_to_detached

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.errors import (
    Conflict,
    DatabaseError,
    NotFound,
    PermissionDenied,
    database_detail,
)
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.storage.database import PREPARED, Database, may_have_written

if TYPE_CHECKING:
    from helpdesk_desktop.domain.models import User

#: ``session.info`` key: whether the tickets an operation reads are locked (PostgreSQL writes).
LOCK_ROWS = "helpdesk_lock_rows"
_PREPARED = {PREPARED: True}
#: PostgreSQL SQLSTATEs of a lost race: serialization failure, deadlock detected.
RACE_CODES = frozenset({"40001", "40P01"})


def locks_rows(session: Session) -> bool:
    """Whether reads of tickets in ``session`` should lock them (``with_for_update``)."""
    return bool(session.info.get(LOCK_ROWS, False))


@cache
def _user_columns() -> tuple[Any, ...]:
    """The columns of ``users`` (every one: the row read is compared whole); the mapped
    classes are imported on first use, not with this module (the first frame needs none)."""
    from helpdesk_desktop.domain.models import User

    return tuple(User.__mapper__.column_attrs)


@cache
def _user_sql() -> str:
    return "SELECT {} FROM users WHERE id = {{}}".format(
        ", ".join(c.columns[0].name for c in _user_columns()))


def _user_row(session: Session, user_id: int) -> tuple[Any, ...] | None:
    """The row of user ``user_id`` as the driver returns it, read through the DBAPI
    connection of ``session``'s transaction (prepared on PostgreSQL): a statement without
    SQLAlchemy's execution and ORM layers."""
    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor()
        try:
            cursor.execute(_user_sql().format("%s"), (user_id,), prepare=True)
            row = cursor.fetchone()
        finally:
            cursor.close()
    else:
        row = driver.execute(_user_sql().format("?"), (user_id,)).fetchone()
    return None if row is None else tuple(row)


def _pg_code(exc: DBAPIError) -> str | None:
    code = getattr(exc.orig, "sqlstate", None)
    return code if isinstance(code, str) else None


class UnitOfWork:
    """``with UnitOfWork(db, actor_id) as uow: ...; uow.commit()``.

    Leaving the block without :meth:`commit` rolls everything back, so a refusal raised
    half-way through an operation leaves the database exactly as it was. ``uow.now`` is read
    once, so every row an operation writes carries the same time.

    A unit of work ``writes`` unless a read-only operation says otherwise with
    :meth:`read_only`: a writing one begins its SQLite transaction with ``BEGIN IMMEDIATE`` (the
    write lock is taken before the first read, so nothing it reads can change before it
    writes) and, on PostgreSQL, locks the tickets it reads (``SELECT … FOR UPDATE``, see
    :func:`locks_rows`).
    """

    def __init__(self, database: Database, actor_id: int | None, clock: Clock = utcnow,
                 *, writes: bool = True) -> None:
        self.database = database
        self.actor_id = actor_id
        self.clock = clock
        self.writes = writes
        #: The caller keeps the result's reversal as the user's latest undo: an operation
        #: writes that entry in its own transaction (``undo_journal.remember``) and sets
        #: ``undo_recorded``.
        self.records_undo = False
        self.undo_recorded = False
        #: Writes that belong to whatever operation commits this unit of work next, in its
        #: transaction (:meth:`before_commit`).
        self._before_commit: list[Callable[[], None]] = []
        self._session: Session | None = None
        self._actor: User | None = None
        self.now: dt.datetime = clock()

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    @property
    def actor(self) -> User:
        """The acting user; refused if unknown or without help desk access.

        Read in this unit's transaction, so a change another session committed before it
        (a role removed, a scope narrowed, the user deactivated) holds at once. A unit that
        only reads takes the user's row as one plain row and, when it equals the row the
        last such unit read, reuses the user loaded then (:meth:`_reused_actor`)."""
        if self._actor is None:
            if self.actor_id is None:
                raise PermissionDenied(_("No user is signed in."))
            from helpdesk_desktop.domain.models import User  # imported once, on first use

            user = self._reused_actor(self.actor_id) if not self.writes else None
            if user is None:
                # Prepared: a seek by key, whatever the id.
                user = self.session.get(User, self.actor_id, execution_options=_PREPARED)
            if user is None or not user.active:
                raise NotFound(_("Unknown user #{actor_id}.").format(actor_id=self.actor_id))
            if not (user.help_desk_access or user.super_admin):
                raise PermissionDenied(_("{user_name} has no access to the help desk.").format(
                                           user_name=user.name))
            self._actor = user
        return self._actor

    def _reused_actor(self, actor_id: int) -> User | None:
        """The user ``actor_id`` in this read-only unit's session, or ``None`` (no such user).

        Loading a user through the ORM costs about 0.5 ms of CPU on PostgreSQL (0.2 on
        SQLite), more than the rest of a unit that reads a page's ids. So the user's row is
        read as one plain row, through the driver, and compared, every column, with the row
        the user was last loaded from: equal, that user is copied into this session without
        a statement (``merge(load=False)``, ~0.04 ms); else the user is loaded and kept with
        this row. Both reads run in the transaction's one snapshot (SQLite's read
        transaction; PostgreSQL's REPEATABLE READ, :meth:`Database.session`), so the row
        kept is the row the user was loaded from."""
        from helpdesk_desktop.domain.models import User

        session = self.session
        row = _user_row(session, actor_id)
        if row is None:
            return None
        known = self.database.actor_rows.get(actor_id)
        if known is not None and known[0] == row:
            merged: User = session.merge(known[1], load=False)
            return merged
        user = session.get(User, actor_id, execution_options=_PREPARED)
        if user is not None:
            # A copy of its own, outside every session: what this unit does with ``user``
            # (an expired attribute after a rollback) never reaches the kept one.
            kept = User(**{c.key: getattr(user, c.key) for c in _user_columns()})
            make_transient_to_detached(kept)
            self.database.actor_rows[actor_id] = (row, kept)
        return user

    def recording_undo(self) -> Self:
        """This unit of work keeps the operation's reversal in the user's undo journal."""
        self.records_undo = True
        return self

    def read_only(self) -> Self:
        """This unit of work only reads (a shared SQLite transaction, no row locks)."""
        self.writes = False
        return self

    def __enter__(self) -> Self:
        self._session = self.database.session(writes=self.writes, snapshot=not self.writes)
        self._session.info[LOCK_ROWS] = self.writes and self.database.dialect == "postgresql"
        self._actor = None
        self.now = self.clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc is None and self._ends_by_commit(session):
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
            self._session = None
            if exc is not None:
                self._before_commit.clear()
        if isinstance(exc, DBAPIError) and _pg_code(exc) in RACE_CODES:
            # Row locks are taken in id order, so this is rare; it is a race, not a refusal.
            raise Conflict(_("Someone else changed these tickets at the same moment; "
                             "nothing was changed. Try again.")) from None
        if isinstance(exc, OperationalError) and "disk is full" in str(exc).lower():
            raise DatabaseError(_("The disk is full; nothing was changed. Free some "
                                  "space and try again.")) from None
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            raise DatabaseError(
                _("The database is busy (locked by another program); nothing was "
                  "changed. Try again in a moment.")
            ) from None
        if isinstance(exc, SQLAlchemyError):
            raise DatabaseError(_("The database refused the change; nothing was changed. "
                                  "{detail}").format(detail=database_detail(exc))) from exc

    def _ends_by_commit(self, session: Session) -> bool:
        """A read-only unit of work on PostgreSQL that wrote nothing ends with COMMIT, which
        for such a transaction is the same as ROLLBACK: psycopg forgets every statement
        prepared on the connection at a ROLLBACK (``_rollback_gen``), so the rows of a list
        page (``PREPARED``) would be parsed and planned again on every page (1.7–2 ms of
        server planning at 100k tickets). Writes, refusals and errors still roll back."""
        return (not self.writes and self.database.dialect == "postgresql"
                and session.in_transaction()
                and not (session.new or session.dirty or session.deleted)
                and not may_have_written(session.connection()))

    def before_commit(self, write: Callable[[], None]) -> Self:
        """Run ``write`` in the transaction of the next :meth:`commit`, just before it
        commits (once): what an operation run on this unit of work must write with its own
        changes, e.g. undo marking its journal entry undone in the undo's transaction. A
        refusal ``write`` raises rolls the whole operation back. Forgotten when a block of
        the unit of work ends with an exception (kept past a block that ends without one,
        e.g. an operation's read before its write)."""
        self._before_commit.append(write)
        return self

    def commit(self) -> None:
        session = self.session
        while self._before_commit:
            self._before_commit.pop(0)()
        session.commit()

    def flush(self) -> None:
        self.session.flush()
