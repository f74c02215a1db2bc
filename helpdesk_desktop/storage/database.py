"""Opening the database: where it lives, how it is tuned, and bringing its schema up to date.

SQLAlchemy is imported when an engine is made, not with this module: an up-to-date SQLite
file is opened on a plain ``sqlite3`` connection (as PostgreSQL's on a ``psycopg`` one,
:mod:`.start_connection`), on which the window reads its first frame; its engine is made
after that frame (:meth:`Database.warm_up`). SQLAlchemy's imports are most of the stack
floor's CPU (docs/PERFORMANCE.md, session 30).
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from helpdesk_desktop.domain.errors import DatabaseError, SchemaTooNew, database_detail
from helpdesk_desktop.domain.i18n import N_, _
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.files import (
    _SHM_DMS_BYTE,
    APP_NAME,
    BUSY_TIMEOUT_MS,
    ENV_URL,
    SUPPORTED_SCHEMES,
    create_private_file,
    data_dir,
    default_url,
    demo_url,
    held_by_another_process,
    make_private,
    make_private_dir,
    needs_quick_check,
    normalize_url,
    plain_sqlite_path,
    sqlite_url,
)

if TYPE_CHECKING:  # SQLAlchemy itself is imported where an engine is made or used
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session, sessionmaker
    from sqlalchemy.pool import ConnectionPoolEntry

#: Where callers found them before :mod:`.files` (re-exported), and this module's own.
_T = TypeVar("_T")

__all__ = ["APP_NAME", "BUSY_TIMEOUT_MS", "ENV_URL", "SUPPORTED_SCHEMES", "_SHM_DMS_BYTE", "Database", "NoDatabase", "create_private_file", "data_dir", "default_url", "demo_url", "held_by_another_process", "make_private", "make_private_dir", "needs_quick_check", "normalize_url", "open_database", "sqlite_url"]

#: Execution option naming how a SQLite transaction begins: "DEFERRED" (reads) or "IMMEDIATE"
#: (an operation that writes takes the write lock before its first read, so what it read
#: cannot change before it writes).
SQLITE_BEGIN = "helpdesk_sqlite_begin"


def _tune_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling begins only at the first write and commits before
    # DDL; we turn it off and emit BEGIN ourselves (see _begin_sqlite), the recipe from
    # SQLAlchemy's "Serializable isolation / Savepoints / Transactional DDL" for pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed transaction survives a power loss (NORMAL may roll back the last ones
    # in WAL mode). The cost is measured by tests/benchmarks/bench_synchronous.py.
    cursor.execute("PRAGMA synchronous=FULL")
    # The vocabularies of the full-text indexes, which a search reads to expand a word's
    # prefix (services/search.py): made here, once per connection, in its temporary schema
    # (nothing is written to the file). Made inside a search's transaction instead, they were
    # gone with it, and each search changed the connection's schema twice, which made SQLite
    # prepare every statement of the next search again (about 2.5 ms of a search at 100,000
    # tickets). A database without the indexes yet (before its migrations) has the search
    # make them in its transaction, as before.
    indexes = {row[0] for row in cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", _FTS_INDEXES)}
    for index in sorted(indexes):
        cursor.execute(fts_vocabulary_ddl(index))
    cursor.close()


#: The FTS5 indexes of the schema (migration 0001).
_FTS_INDEXES = ("ticket_name_fts", "message_fts")


def fts_vocabulary_ddl(index: str) -> str:
    """The statement that makes ``temp.<index>_terms``, the vocabulary of FTS5 table
    ``index`` (one row per occurrence of a term), in the connection's temporary schema if it
    is not there."""
    return (f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{index}_terms "
            f"USING fts5vocab(main, {index}, instance)")


def _one_warm_cache(engine: Engine) -> None:
    """One pooled SQLite connection keeps its page cache, the others give theirs back.

    Each connection's page cache grows to ``cache_size`` (2 MB) and stays, so the three that
    the window's threads use at once held ~8 MB (issue 11, M3). The pool hands out the
    connection returned last (``pool_use_lifo``): calls that come one at a time reuse the
    connection that served the previous one, its cache warm. A connection returned while
    another is still in use was taken because calls overlapped; it is not the one the next
    call gets, and it drops its cache (``PRAGMA shrink_memory``: the unused pages freed;
    ~0.3 ms for a full cache under load, on the returning thread). The last one back keeps
    its cache.
    """

    from sqlalchemy import event

    def returned(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Counted while it is being returned: more than one means another is still out.
        if dbapi_connection is not None and engine.pool.checkedout() > 1:  # type: ignore[attr-defined]
            try:
                dbapi_connection.execute("PRAGMA shrink_memory")
            except sqlite3.Error:  # a connection being closed after an error: nothing to free
                pass

    event.listen(engine, "checkin", returned)


def _begin_sqlite(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (``None`` for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url

    sa_url = make_url(normalize_url(url))
    if sa_url.get_backend_name() != "sqlite":
        return None
    database = sa_url.database or ""
    return Path(database) if database and database != ":memory:" else None


def create_db_engine(url: str, *, create: bool = True, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings the program relies on.

    For a SQLite file that does not exist yet, ``create`` makes its folder (0700) and the
    empty file (0600) first, so SQLite never creates them world-readable.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    sa_url = make_url(normalize_url(url))
    if sa_url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and create and not path.exists():
            make_private_dir(path.parent)
            create_private_file(path)
        pooled = path is not None and "poolclass" not in kwargs  # a file: a QueuePool
        if pooled:
            kwargs.setdefault("pool_use_lifo", True)
        engine = create_engine(sa_url, **kwargs)
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        if pooled:
            _one_warm_cache(engine)
        return engine
    if sa_url.get_backend_name() == "postgresql" and sa_url.get_driver_name() == "psycopg":
        _require_psycopg()
    if "poolclass" not in kwargs:
        # The connection returned last is handed out first: reads that come one at a time
        # (pages, opens) run on one warm connection, whose statements are prepared and
        # planned once (``PREPARED``: per connection, a generic plan after five runs), instead
        # of each of the pool's connections in turn (three in the window) preparing and
        # planning them; the others sit idle, and are pinged if used after
        # ``PING_AFTER_IDLE_S``.
        kwargs.setdefault("pool_use_lifo", True)
    try:
        engine = create_engine(sa_url, **kwargs)
    except ImportError as exc:
        raise DatabaseError(_("The database driver for {drivername} is not installed "
                              "({exc_name}).").format(
                                drivername=sa_url.drivername, exc_name=exc.name)) from None
    _ping_after_idle(engine)
    _watch_writes(engine)
    if sa_url.get_driver_name() == "psycopg":
        _prepare_when_asked(engine)
    return engine


#: Execution option: run this statement as a server-side prepared statement (PostgreSQL with
#: psycopg; elsewhere ignored), parsed and planned once per connection. For statements whose
#: best plan does not depend on the values bound (the rows of a page, read by their ids; a row
#: by its key). Every other statement is planned for its values at each run: psycopg does not
#: prepare them by itself here.
PREPARED = "helpdesk_prepared"


def _prepare_when_asked(engine: Engine) -> None:
    """psycopg prepares any statement run five times on a connection, and PostgreSQL may then
    plan it once for any value (a generic plan): good for a statement that seeks by ids, a
    gamble for a list's page, whose best plan depends on the view, the sort value and the
    limit bound (forced generic, Unread took 300 ms instead of 13). So statements are
    prepared only when they ask (:data:`PREPARED`), through the cursor class set here."""
    import psycopg  # the engine's driver: loaded already
    from sqlalchemy import event

    class Cursor(psycopg.Cursor[Any]):
        #: Set by the ``before_cursor_execute`` hook below for the next ``execute``.
        prepare_next = False

        def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                    binary: bool | None = None) -> Any:
            if prepare is None:
                prepare, self.prepare_next = self.prepare_next, False
            return super().execute(query, params, prepare=prepare, binary=binary)

    def connected(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.cursor_factory = Cursor

    def executing(_connection: Connection, cursor: Any, _statement: str, _parameters: Any,
                  context: Any, _executemany: bool) -> None:
        if context is not None and context.execution_options.get(PREPARED):
            cursor.prepare_next = True

    event.listen(engine, "connect", connected)
    event.listen(engine, "before_cursor_execute", executing)


_MAY_HAVE_WRITTEN = "helpdesk_may_have_written"

#: Execution option: this textual statement writes nothing (an ``EXPLAIN`` without
#: ``ANALYZE``, a plain ``SELECT``), so it leaves :func:`may_have_written` as it was. Without
#: it a textual statement counts as a write: a read-only unit that ran one ended with
#: ``ROLLBACK``, at which psycopg forgets every prepared statement of the connection.
WRITES_NOTHING = "helpdesk_writes_nothing"


def _watch_writes(engine: Engine) -> None:
    """Notes on each connection whether its transaction ran anything but a compiled SELECT
    (an INSERT, UPDATE, DELETE, DDL, or a textual statement, which could be any of these,
    unless it says it writes nothing, :data:`WRITES_NOTHING`): see :func:`may_have_written`."""

    from sqlalchemy import event

    def begun(connection: Connection) -> None:
        connection.info[_MAY_HAVE_WRITTEN] = False

    def executing(connection: Connection, _cursor: Any, _statement: str, _parameters: Any,
                  context: Any, _executemany: bool) -> None:
        if (context is None or context.isinsert or context.isupdate or context.isdelete
                or context.isddl
                or (context.is_text and not context.execution_options.get(WRITES_NOTHING))):
            connection.info[_MAY_HAVE_WRITTEN] = True

    event.listen(engine, "begin", begun)
    event.listen(engine, "before_cursor_execute", executing)


def may_have_written(connection: Connection) -> bool:
    """Whether the transaction of ``connection`` (a PostgreSQL engine's) may have written:
    only one that ran compiled SELECTs alone is known to have written nothing."""
    return bool(connection.info.get(_MAY_HAVE_WRITTEN, True))


#: A pooled server connection unused for longer than this is pinged before it is handed out.
PING_AFTER_IDLE_S = 2.0
_RETURNED_AT = "helpdesk_returned_at"


def _ping_after_idle(engine: Engine) -> None:
    """SQLAlchemy's ``pool_pre_ping``, for connections that sat idle: a server restarted or a
    connection dropped by a firewall while the window was idle is found and replaced before
    the next operation uses it. A connection returned less than :data:`PING_AFTER_IDLE_S` ago
    (pages read in a row while the user scrolls) is handed out without the ping, one round
    trip to the server fewer per operation."""
    from sqlalchemy import event
    from sqlalchemy.exc import InvalidatePoolError

    dialect = engine.dialect

    def returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    def checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        at = record.info.get(_RETURNED_AT)  # none: a new connection (the record's info is
        # cleared when it reconnects)
        if at is None or time.monotonic() - at < PING_AFTER_IDLE_S:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if not dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # As pre-ping does: this and every older connection are replaced.
            raise InvalidatePoolError()

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", checkout)


def _require_psycopg() -> None:
    # PostgreSQL support is the optional [postgres] extra: say how to add it.
    try:
        # Imported, not just looked up: a psycopg without its C library fails here too.
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseError(
            _("PostgreSQL support is not installed; install it with pip install "
              "'helpdesk-desktop[postgres]' (or use a SQLite file).")
        ) from None


#: How long the start connection of a database opened without its engine serves reads (the
#: window's first frame, a command's read): then the engine's pool, which checks idle
#: connections (``_ping_after_idle``), takes over even if nothing made the engine before.
START_CONNECTION_S = 30.0


class Database:
    """An open, up-to-date database and the sessions bound to it.

    ``bind`` is usually the engine; tests bind a connection inside an outer transaction so
    that each test's writes are rolled back.

    A database opened by :func:`open_database` in the plain case (an up-to-date SQLite file
    or PostgreSQL schema) has no engine yet: its schema was checked on a plain driver
    connection (``start_connection``: ``sqlite3``, or ``psycopg`` by
    :mod:`.start_connection`), on which the window's first frame is read
    (:meth:`driver_read`); the engine, with SQLAlchemy (on SQLite, SQLAlchemy itself: its
    imports are most of the stack floor's CPU; on PostgreSQL its dialect, ~2.4 MB, and its
    first-connect queries), is made on first use: :meth:`warm_up`, after the first frame, off
    the UI thread. Such a SQLite database is given its URL as text (``url``), parsed by
    SQLAlchemy when first asked for (:attr:`url`).
    """

    def __init__(self, engine: Engine | None = None, bind: Engine | Connection | None = None,
                 backup_path: Path | None = None, *, url: URL | str | None = None,
                 start_connection: Any = None, path: Path | None = None) -> None:
        if engine is None and url is None:
            raise ValueError("a Database needs an engine or a URL")
        self._engine = engine
        self._bind = bind
        self.backup_path = backup_path
        self._url: URL | None = engine.url if engine is not None else (
            None if isinstance(url, str) else url)
        self._url_text = url if isinstance(url, str) else None
        self._path = path  # a SQLite file known without parsing the URL
        #: Kept for ``services.uow``: each signed-in user's row as last read and the user
        #: loaded from it (see ``UnitOfWork.actor``); never handed out itself.
        self.actor_rows: dict[int, tuple[tuple[Any, ...], Any]] = {}
        self._start = start_connection
        self._start_until = time.monotonic() + START_CONNECTION_S
        self._start_lock = threading.RLock()  # one read at a time on the start connection
        self._engine_lock = threading.Lock()
        self._factories: tuple[sessionmaker[Session], ...] | None = None

    def __repr__(self) -> str:
        return f"Database({self.display_url()!r})"

    def display_url(self) -> str:
        """The URL without its password, as SQLAlchemy writes it (a plainly spelled
        PostgreSQL URL given as text is written without importing SQLAlchemy: the window's
        start logs it before its first frame)."""
        if self._url is None and self._url_text is not None:
            from helpdesk_desktop.storage.start_connection import plain_url

            plain = plain_url(self._url_text)
            if plain is not None:
                return plain.render_as_string(hide_password=True)
        return self.url.render_as_string(hide_password=True)

    @property
    def url(self) -> URL:
        """The database's URL (SQLAlchemy's; parsed now when it was given as text)."""
        if self._url is None:
            from sqlalchemy.engine import make_url

            self._url = make_url(self._url_text or "")
        return self._url

    @property
    def engine(self) -> Engine:
        """The engine (made now if the database was opened without one)."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    self._engine = create_db_engine(
                        self.url.render_as_string(hide_password=False), create=False)
        return self._engine

    @property
    def bind(self) -> Engine | Connection:
        return self._bind if self._bind is not None else self.engine

    def warm_up(self) -> None:
        """Make the engine now, and close the start connection (after the read on it in
        progress, if any): what the window does after its first frame, off the UI thread."""
        self.engine  # noqa: B018 - made here, not at the next operation
        self._close_start()

    def _close_start(self) -> None:
        with self._start_lock:
            start, self._start = self._start, None
            if start is not None:
                start.close()

    def _session_factories(self) -> tuple[sessionmaker[Session], ...]:
        """(reads, writes, snapshot reads), made on first use."""
        if self._factories is not None:
            return self._factories
        from sqlalchemy import Connection
        from sqlalchemy.orm import sessionmaker

        options: dict[str, Any] = {"expire_on_commit": False}
        bind = self.bind
        if isinstance(bind, Connection):
            options["join_transaction_mode"] = "create_savepoint"
            factory = sessionmaker(bind=bind, **options)
            self._factories = (factory, factory, factory)
            return self._factories
        factory = sessionmaker(bind=bind, **options)
        writer = bind.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        snapshot = factory
        if bind.dialect.name == "postgresql":
            # PostgreSQL's default, READ COMMITTED, gives each statement its own snapshot: a
            # page's ids and its rows, two statements, could see two states of the tickets.
            # REPEATABLE READ takes one snapshot at the transaction's first statement (set
            # in its BEGIN, no round trip more); a transaction that only reads cannot fail
            # to serialize.
            reader = bind.execution_options(isolation_level="REPEATABLE READ")
            snapshot = sessionmaker(bind=reader, **options)
        self._factories = (factory, sessionmaker(bind=writer, **options), snapshot)
        return self._factories

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql`` (read from the URL: no engine is made for it)."""
        if self._url is None and self._url_text is not None:  # not parsed for this
            return self._url_text.partition("://")[0].partition("+")[0]
        return self.url.get_backend_name()

    @property
    def path(self) -> Path | None:
        """The SQLite file (``None`` on PostgreSQL)."""
        if self._path is not None:
            return self._path
        if self.dialect != "sqlite":
            return None
        database = self.url.database or ""
        return Path(database) if database and database != ":memory:" else None

    def session(self, *, writes: bool = False, snapshot: bool = False) -> Session:
        """A new session; the caller owns its transaction (see services.uow). A session that
        ``writes`` takes SQLite's write lock when its transaction begins; one that only reads
        and asks for a ``snapshot`` sees every statement of its transaction as of the same
        moment (on PostgreSQL, REPEATABLE READ; a SQLite read transaction already does). Not
        for a session that writes: on PostgreSQL its writes could fail to serialize."""
        reads, writer, snapshots = self._session_factories()
        if writes:
            return writer()
        return (snapshots if snapshot else reads)()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        from sqlalchemy import Connection

        bind = self.bind
        if isinstance(bind, Connection):
            yield bind
        else:
            with bind.connect() as connection:
                yield connection

    @contextmanager
    def driver_read(self) -> Iterator[Any]:
        """A driver connection (``sqlite3`` or ``psycopg``) in one read transaction, ended
        when the block ends; on PostgreSQL one snapshot for all its statements (REPEATABLE
        READ, as the services' reads). The start connection while there is one, else one of
        the engine's connections. For plain SQL (``services.sql_reader``)."""
        with self._start_lock:
            start = self._start
            if start is not None and (getattr(start, "broken", False)  # psycopg's
                                      or getattr(start, "closed", False)
                                      or time.monotonic() > self._start_until):
                self._close_start()  # only for the start: the engine's pool from now on
                start = None
            if start is not None:
                try:
                    if isinstance(start, sqlite3.Connection):  # in autocommit (_tune_sqlite)
                        start.execute("BEGIN DEFERRED")
                    yield start
                finally:
                    start.rollback()
                return
        with self.connect() as connection:
            if not connection.in_transaction():
                if connection.dialect.name == "postgresql":
                    connection.execution_options(isolation_level="REPEATABLE READ")
                connection.begin()
            yield connection.connection.driver_connection

    def dispose(self) -> None:
        self._close_start()
        if self._engine is None:
            return
        from sqlalchemy import Connection  # imported with the engine

        if not isinstance(self._bind, Connection):
            self._engine.dispose()


class NoDatabase(DatabaseError):
    """A read command named a database that does not exist (nothing was created)."""


def _run_here(work: Callable[[], _T]) -> _T:
    return work()


def open_database(url: str | None = None, *, upgrade: bool = True, create: bool = True,
                  quick_check: bool = True,
                  upgrade_runner: Callable[[Callable[[], Any]], Any] = _run_here) -> Database:
    """Open the database at ``url`` and bring its schema up to date.

    ``create``: make the file and the schema when missing (``init``, ``demo``, the window);
    read commands pass False and get :class:`NoDatabase` instead. A SQLite file is first
    looked at read-only, so a foreign, newer or damaged file (``PRAGMA quick_check``, run
    unless the file was closed cleanly: :func:`needs_quick_check`) is refused byte-identical. The whole schema is created in one transaction; a file
    half-created by an older version (our empty tables, no revision) is rebuilt. A SQLite file
    is backed up before it is upgraded. ``upgrade_runner`` runs the backup and the upgrade
    (only when there is one to do: a minute or more for a big file): the window runs it on
    another thread and shows that it is busy meanwhile.
    """
    url = normalize_url(url or default_url())
    plain = plain_sqlite_path(url)
    path = plain if plain is not None else (
        sqlite_path(url) if url.startswith("sqlite") else None)
    if path is not None:
        revision = inspect_sqlite_file(path, create=create, quick_check=quick_check)
        if plain is not None and revision is not None and revision == migrations.head_revision():
            # Up to date: opened on a sqlite3 connection, SQLAlchemy and the engine later.
            start = _sqlite_start_connection(path)
            if start is not None:
                make_private(path)
                return Database(url=url, start_connection=start, path=path)
    else:  # PostgreSQL, up to date: opened on a driver connection, the engine made later
        from helpdesk_desktop.storage.start_connection import open_start_connection, plain_url

        parsed = plain_url(url)  # without SQLAlchemy when it is spelled plainly
        if parsed is not None:
            start = open_start_connection(parsed)
            if start is not None:
                return Database(url=url, start_connection=start)
        else:
            from sqlalchemy.engine import make_url

            sa_url = make_url(url)
            start = open_start_connection(sa_url)
            if start is not None:
                return Database(url=sa_url, start_connection=start)
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_db_engine(url, create=create)
        with engine.connect() as connection:
            current = migrations.current_revision(connection)
            tables = set(inspect(connection).get_table_names())
            half_created = (current is None and bool(tables)
                            and is_half_created(connection, tables))
    except SQLAlchemyError as exc:
        raise DatabaseError(_describe(exc, url)) from None
    head = migrations.head_revision()
    if current is not None and not migrations.is_known(current):
        engine.dispose()
        raise SchemaTooNew(_too_new(current))
    if current is None and tables and not half_created:
        engine.dispose()
        raise DatabaseError(_(FOREIGN))
    if current is None and not create:
        engine.dispose()
        raise NoDatabase(_no_database(url))
    if path is not None:
        make_private(path)
    backup: Path | None = None
    if current != head and upgrade:
        backup = upgrade_runner(lambda: _back_up_and_upgrade(engine, url, current,
                                                             half_created))
    return Database(engine=engine, bind=engine, backup_path=backup)


def _sqlite_start_connection(path: Path) -> sqlite3.Connection | None:
    """A ``sqlite3`` connection to the up-to-date file ``path``, tuned as the engine's are
    (:func:`_tune_sqlite`: WAL, ``synchronous=FULL``, foreign keys, the busy timeout; in
    autocommit, :meth:`Database.driver_read` begins its reads), usable from the lists'
    thread; or ``None`` (the engine's way then says what is wrong)."""
    try:
        connection = sqlite3.connect(path, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        _tune_sqlite(connection, None)
        found = connection.execute(
            f"SELECT version_num FROM {migrations.VERSION_TABLE}").fetchall()
        if len(found) == 1 and found[0][0] == migrations.head_revision():
            return connection
    except sqlite3.Error:
        pass
    connection.close()
    return None


def _back_up_and_upgrade(engine: Engine, url: str, current: str | None,
                         half_created: bool) -> Path | None:
    from sqlalchemy.exc import SQLAlchemyError

    backup: Path | None = None
    if current is not None and engine.dialect.name == "sqlite":
        try:
            backup = _backup_sqlite(engine, current)
        except (OSError, sqlite3.Error) as exc:
            engine.dispose()
            raise DatabaseError(
                _("Cannot back up the database before upgrading it ({exc}); it "
                  "was left untouched.").format(exc=exc)) from None
    try:
        writer = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        with writer.begin() as connection:
            if half_created:
                _drop_half_created(connection)
            migrations.upgrade(connection)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(_describe(exc, url)) from None
    return backup


FOREIGN = N_("This database already holds tables that Help Desk Desktop did not create; "
             "it was left untouched.")


def _too_new(revision: str) -> str:
    return _("This database was created by a newer version of Help Desk Desktop "
             "(schema {revision}); this version understands up to {known}. Please update the "
             "program. The database was left untouched.").format(
                 revision=revision, known=migrations.head_revision())


def _no_database(url: str) -> str:
    from sqlalchemy.engine import make_url

    path = sqlite_path(url)
    where = str(path) if path is not None else make_url(url).render_as_string(
        hide_password=True)
    return _("There is no Help Desk Desktop database at {where}; check --db, or create one "
             "with 'helpdesk-desktop init' or 'helpdesk-desktop demo'.").format(where=where)


def inspect_sqlite_file(path: Path, *, create: bool, quick_check: bool) -> str | None:
    """Look at an existing SQLite file read-only and refuse what must stay untouched; its
    schema revision (``None``: none yet).

    A missing file is refused when not ``create`` (nothing, not even its folder, is made).
    An empty file (0 bytes) is fine: it is ours to fill.
    """
    if not path.exists():
        if not create:
            raise NoDatabase(_no_database(sqlite_url(path)))
        return None
    if path.is_dir():
        raise DatabaseError(_("{path} is a folder, not a database file.").format(path=path))
    if path.stat().st_size == 0:
        return None
    # Decided before the read-only connection below opens the file (and its -wal).
    check = quick_check and needs_quick_check(path)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(_("Cannot open the database {path}: {exc}.").format(
            path=path, exc=exc)) from None
    try:
        # Whose file is it? Decided here, read-only: opening it with the engine would switch
        # it to WAL mode, and a foreign file must stay byte-identical.
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if revision is not None and not migrations.is_known(revision):
            raise SchemaTooNew(_too_new(revision))
        if revision is None and tables and not _only_empty_tables_of_ours(connection, tables):
            raise DatabaseError(_(FOREIGN))
        if check:
            problems = run_quick_check(connection)
            if problems != ["ok"]:
                raise DatabaseError(
                    _("The database {path} is damaged ({problems}); nothing was "
                      "written to it. Restore a backup with 'helpdesk-desktop restore "
                      "FILE', or see what 'helpdesk-desktop check --repair' can save.").format(
                        path=path, problems=_first_problem(problems)))
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseError(_("{path} is not a usable SQLite database ({exc}); it "
                                  "was left untouched.").format(path=path, exc=exc)) from None
        raise DatabaseError(_("Cannot read the database {path}: {exc}.").format(
            path=path, exc=exc)) from None
    finally:
        connection.close()
    return revision


def run_quick_check(connection: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check``'s first problems (``["ok"]`` for a sound file)."""
    return [row[0] for row in connection.execute("PRAGMA quick_check(5)")]


def _first_problem(problems: list[str]) -> str:
    """The first line of SQLite's report that names a problem (it may start with a
    "*** in database main ***" heading and list several pages), so the refusal is one line."""
    lines = [line.strip() for problem in problems for line in problem.splitlines()]
    return next((line for line in lines if line and not line.startswith("***")), "unknown")


def _only_empty_tables_of_ours(connection: sqlite3.Connection, tables: set[str]) -> bool:
    from helpdesk_desktop.domain.models import Base

    ours = set(Base.metadata.tables) | {"alembic_version"} | set(_FTS_TABLES)
    if not tables <= ours:
        return False
    return all(connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is None
               for name in tables if name in Base.metadata.tables)


#: Tables SQLite makes for each FTS5 index of the schema.
_FTS_TABLES = tuple(f"{index}{suffix}" for index in ("ticket_name_fts", "message_fts")
                    for suffix in ("", "_data", "_idx", "_content", "_docsize", "_config"))


def is_half_created(connection: Connection, tables: set[str]) -> bool:
    """Whether ``tables`` (without a schema revision) are a schema creation an older version
    left unfinished: only our own tables, and all of them empty."""
    from helpdesk_desktop.domain.models import Base  # the domain's tables

    ours = set(Base.metadata.tables) | {"alembic_version"} | set(_FTS_TABLES)
    if not tables <= ours:
        return False
    data_tables = [name for name in tables if name in Base.metadata.tables]
    for name in data_tables:
        if connection.exec_driver_sql(f'SELECT 1 FROM "{name}" LIMIT 1').first() is not None:
            return False
    return True


def _drop_half_created(connection: Connection) -> None:
    from helpdesk_desktop.domain.models import Base

    if connection.dialect.name == "sqlite":
        for name in ("ticket_name_fts", "message_fts"):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    Base.metadata.drop_all(connection, checkfirst=True)
    connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    """A verified backup (``VACUUM INTO``) in the backups folder before an upgrade."""
    from helpdesk_desktop.storage import backups  # backups uses this module

    path = engine.url.database
    if not path or path == ":memory:" or not Path(path).exists():
        return None
    try:
        return backups.back_up_file(Path(path), "before-upgrade")
    except DatabaseError as exc:
        raise OSError(str(exc)) from None


def copy_sqlite_file(source: Path, target: Path) -> None:
    """Copy a closed SQLite database file (used for templates in tests and the demo)."""
    shutil.copyfile(source, target)


def _describe(exc: SQLAlchemyError, url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    where = make_url(url).render_as_string(hide_password=True)
    text = database_detail(exc)
    if isinstance(exc, OperationalError) and "disk is full" in text:
        return _("The disk holding {where} is full; nothing was changed. Free some "
                 "space.").format(where=where)
    if isinstance(exc, OperationalError) and "locked" in text:
        return _("The database {where} is locked by another program; try again in a "
                 "moment.").format(where=where)
    return _("Cannot open the database {where}: {detail}").format(where=where, detail=text)
