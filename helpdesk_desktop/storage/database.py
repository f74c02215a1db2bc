"""Opening the database: where it lives, how it is tuned, and bringing its schema up to date."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from helpdesk_desktop.domain.errors import DatabaseError, SchemaTooNew, database_detail
from helpdesk_desktop.storage import migrations

APP_NAME = "HelpDeskDesktop"
ENV_URL = "HELPDESK_DATABASE_URL"
BUSY_TIMEOUT_MS = 5000


def data_dir() -> Path:
    """The platform's per-user data folder for the program."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_url() -> str:
    """``$HELPDESK_DATABASE_URL``, or the embedded SQLite file in the user data folder."""
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return sqlite_url(data_dir() / "helpdesk.sqlite3")


def demo_url() -> str:
    """The demo workspace, a separate SQLite file beside the default one."""
    return sqlite_url(data_dir() / "demo.sqlite3")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def normalize_url(url: str) -> str:
    """Accept a bare file path or a ``postgresql://`` URL and return a SQLAlchemy URL."""
    if "://" not in url:
        return sqlite_url(Path(url).expanduser().resolve())
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _tune_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings the program relies on."""
    sa_url = make_url(normalize_url(url))
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database or ""
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"Cannot create the folder for the database {database}: {exc.strerror}."
                ) from None
        engine = create_engine(sa_url, **kwargs)
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    if sa_url.get_backend_name() == "postgresql" and sa_url.get_driver_name() == "psycopg":
        _require_psycopg()
    return create_engine(sa_url, pool_pre_ping=True, **kwargs)


def _require_psycopg() -> None:
    # PostgreSQL support is the optional [postgres] extra: say how to add it.
    try:
        # Imported, not just looked up: a psycopg without its C library fails here too.
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseError(
            "PostgreSQL support is not installed; install it with "
            "pip install 'helpdesk-desktop[postgres]' (or use a SQLite file)."
        ) from None


@dataclass
class Database:
    """An open, up-to-date database and the sessions bound to it.

    ``bind`` is usually the engine; tests bind a connection inside an outer transaction so
    that each test's writes are rolled back.
    """

    engine: Engine
    bind: Engine | Connection
    backup_path: Path | None = None
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        options: dict[str, Any] = {"expire_on_commit": False}
        if isinstance(self.bind, Connection):
            options["join_transaction_mode"] = "create_savepoint"
        self._factory = sessionmaker(bind=self.bind, **options)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        """A new session; the caller owns its transaction (see services.uow)."""
        return self._factory()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        if isinstance(self.bind, Connection):
            yield self.bind
        else:
            with self.bind.connect() as connection:
                yield connection

    def dispose(self) -> None:
        if not isinstance(self.bind, Connection):
            self.engine.dispose()


def open_database(url: str | None = None, *, upgrade: bool = True) -> Database:
    """Open (creating if needed) the database at ``url`` and bring its schema up to date.

    A SQLite file is copied aside before it is upgraded. A schema newer than this program is
    refused with :class:`SchemaTooNew` and left untouched.
    """
    url = normalize_url(url or default_url())
    try:
        engine = create_db_engine(url)
        with engine.connect() as connection:
            current = migrations.current_revision(connection)
            has_tables = bool(inspect(connection).get_table_names())
    except SQLAlchemyError as exc:
        raise DatabaseError(_describe(exc, url)) from None
    head = migrations.head_revision()
    if current is not None and not migrations.is_known(current):
        engine.dispose()
        raise SchemaTooNew(
            "This database was created by a newer version of Help Desk Desktop "
            f"(schema {current}); this version understands up to {head}. "
            "Please update the program. The database was left untouched."
        )
    if current is None and has_tables:
        engine.dispose()
        raise DatabaseError(
            "This database already holds tables that Help Desk Desktop did not create; "
            "it was left untouched."
        )
    backup: Path | None = None
    if current != head and upgrade:
        if current is not None and engine.dialect.name == "sqlite":
            try:
                backup = _backup_sqlite(engine, current)
            except (OSError, sqlite3.Error) as exc:
                engine.dispose()
                raise DatabaseError(
                    f"Cannot back up the database before upgrading it ({exc}); it was left "
                    "untouched.") from None
        try:
            with engine.begin() as connection:
                migrations.upgrade(connection)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise DatabaseError(_describe(exc, url)) from None
    return Database(engine=engine, bind=engine, backup_path=backup)


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    path = engine.url.database
    if not path or path == ":memory:" or not Path(path).exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(f"{path}.{revision}.{stamp}.bak")
    # The SQLite backup API copies a consistent snapshot even with a WAL beside the file.
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target


def copy_sqlite_file(source: Path, target: Path) -> None:
    """Copy a closed SQLite database file (used for templates in tests and the demo)."""
    shutil.copyfile(source, target)


def _describe(exc: SQLAlchemyError, url: str) -> str:
    where = make_url(url).render_as_string(hide_password=True)
    text = database_detail(exc)
    if isinstance(exc, OperationalError) and "locked" in text:
        return f"The database {where} is locked by another program; try again in a moment."
    return f"Cannot open the database {where}: {text}"
