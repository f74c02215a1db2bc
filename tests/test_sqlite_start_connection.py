"""SQLite's start on a plain ``sqlite3`` connection (``storage/database.py``): an up-to-date
file opens without an engine and without importing SQLAlchemy, the first frame is read on
that connection, and the engine is made afterwards (``Database.warm_up``); anything else
takes the engine's way as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpdesk_desktop.application.startup import generate_demo
from helpdesk_desktop.services import directory, first_page
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import create_db_engine, open_database

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    database = open_database(str(path))  # created through the engine
    generate_demo(database, 3)
    database.dispose()
    return path


def test_an_up_to_date_file_opens_without_sqlalchemy(demo_file: Path) -> None:
    """In a fresh process: the file opened, its first admin and user read, the location
    the window logs, with SQLAlchemy not imported; then the warm-up makes the engine."""
    code = ("import sys\n"
            "from helpdesk_desktop.application import startup\n"
            "from helpdesk_desktop.application.desk import Desk\n"
            "from helpdesk_desktop.services import first_page\n"
            f"database = startup.open_database({str(demo_file)!r})\n"
            "admin = startup.default_user_id(database)\n"
            "user = first_page.read_user(database, admin)\n"
            "print(Desk(database, admin).database_location(), database.dialect,\n"
            "      database.path, user.id == admin, database._engine is None,\n"
            "      sorted(m for m in sys.modules if m.startswith('sqlalchemy')))\n"
            "database.warm_up()\n"
            "print(database._engine is not None, database._start is None,\n"
            "      'sqlalchemy' in sys.modules, database.url.database)\n"
            "database.dispose()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    first, second = done.stdout.splitlines()[-2:]
    assert first == f"{demo_file} sqlite {demo_file} True True []", done.stdout
    assert second == f"True True True {demo_file}", done.stdout


def test_the_start_connection_is_tuned_as_the_engines_and_reads_in_one_snapshot(
        demo_file: Path) -> None:
    database = open_database(str(demo_file))
    try:
        start = database._start
        assert start is not None and database._engine is None
        with database.driver_read() as driver:
            assert driver is start and driver.in_transaction
            assert driver.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert driver.execute("PRAGMA foreign_keys").fetchone() == (1,)
            assert driver.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
            name = "SELECT name FROM tickets WHERE id = (SELECT min(id) FROM tickets)"
            before = driver.execute(name).fetchone()
            other = create_db_engine(str(demo_file))
            with other.begin() as connection:  # another connection writes meanwhile
                connection.exec_driver_sql("UPDATE tickets SET name = 'Renamed meanwhile' "
                                           "WHERE id = (SELECT min(id) FROM tickets)")
            other.dispose()
            assert driver.execute(name).fetchone() == before
        assert not start.in_transaction  # each read ends its transaction
        with database.driver_read() as driver:
            assert driver.execute(name).fetchone() == ("Renamed meanwhile",)
        admin = first_page.first_admin_id(database)
        database.warm_up()
        assert database._start is None and database._engine is not None
        assert directory.first_admin_id(database) == admin
        with database.driver_read() as driver:  # now one of the engine's connections
            assert driver is not start and driver.in_transaction
    finally:
        database.dispose()


def test_an_older_file_takes_the_engines_way_and_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_db_engine(str(path))
    with engine.begin() as connection:
        migrations.upgrade(connection, "0010")
    engine.dispose()
    database = open_database(str(path))
    try:
        assert database._start is None and database._engine is not None
        assert database.backup_path is not None
        with database.engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
    finally:
        database.dispose()
    reopened = open_database(str(path))  # up to date now: the start connection
    assert reopened._start is not None and reopened._engine is None
    reopened.dispose()


@pytest.mark.parametrize("url, path", [
    ("sqlite:////tmp/a b/desk.sqlite3", "/tmp/a b/desk.sqlite3"),
    ("sqlite:///desk.sqlite3", "desk.sqlite3"),
    ("sqlite:////tmp/desk.sqlite3?mode=rwc", None),  # a query: SQLAlchemy reads it
    ("sqlite:////tmp/a%20b.sqlite3", None),
    ("sqlite://", None),
    ("sqlite:///:memory:", None),
    ("postgresql+psycopg://u@localhost/desk", None),
])
def test_the_plain_spelling_is_read_as_sqlalchemy_reads_it(url: str, path: str | None) -> None:
    from sqlalchemy.engine import make_url

    from helpdesk_desktop.storage.files import plain_sqlite_path

    found = plain_sqlite_path(url)
    assert found == (Path(path) if path is not None else None)
    if found is not None:
        assert make_url(url).database == str(found)


def test_a_url_with_a_query_opens_through_the_engine(demo_file: Path) -> None:
    database = open_database(f"sqlite:///{demo_file}?timeout=5")
    try:
        assert database._start is None and database._engine is not None
        assert first_page.first_admin_id(database) is not None
    finally:
        database.dispose()
