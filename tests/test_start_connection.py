"""PostgreSQL's start on a plain driver connection (``storage/start_connection.py``): an
up-to-date database opens without an engine, the first frame is read on that connection,
and the engine is made afterwards; anything else takes the engine's way as before."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from helpdesk_desktop.services import directory, first_page
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import open_database
from helpdesk_desktop.storage.start_connection import connect_arguments
from tests.factories import FakeClock, seed_workspace
from tests.pg_schemas import own_schema_url

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:5432/desk",
    "postgresql+psycopg://agent:s3cr%40t@db.example.org/desk?sslmode=require",
    "postgresql+psycopg://u@localhost/desk?options=-csearch_path%3Dhd_x&connect_timeout=5",
    "postgresql+psycopg:///desk?",
])
def test_the_arguments_are_those_of_sqlalchemys_dialect(url: str) -> None:
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    sa_url = make_url(url)
    args, kwargs = PGDialect_psycopg().create_connect_args(sa_url)
    kwargs.pop("context", None)  # the dialect's own type adapters: psycopg's defaults here
    assert connect_arguments(sa_url) == kwargs and args in ([], [""])


@pytest.mark.parametrize("url", [
    "sqlite:///desk.sqlite3",
    "postgresql+psycopg2://u@localhost/desk",
    "postgresql+psycopg://u@/desk?host=a:5432&host=b:5433",
    "postgresql+psycopg://u@/desk?host=/run/postgresql&port=5433",
])
def test_other_urls_take_the_engines_way(url: str) -> None:
    assert connect_arguments(make_url(url)) is None


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:5432/desk",
    "postgresql+psycopg://agent:s3cr%40t@db.example.org/desk?sslmode=require",
    "postgresql+psycopg://u@localhost/desk?options=-csearch_path%3Dhd_x&connect_timeout=5",
    "postgresql+psycopg:///desk?",
    "postgresql+psycopg:///desk",
    "postgresql+psycopg://u:p/w:x@h:6543/d%2Fb?application_name=help+desk",
    "postgresql+psycopg://@h/d",
    "postgresql+psycopg://u:@h/",
    "postgresql+psycopg://h",
    "postgresql+psycopg://a b:c d@h/e f?x=y%20z",
    "postgresql+psycopg://u@h/d?a=1&a=2",
    "postgresql+psycopg://u@[::1]:5432/d",
    "postgresql+psycopg://u@h:/d",
    "postgresql+psycopg://a@b:c@h/d",
    "postgresql+psycopg://h/d@x",
    "postgresql+psycopg://u@/desk?host=/run/postgresql&port=5433",
])
def test_a_plain_url_is_read_as_sqlalchemy_reads_it(url: str) -> None:
    """``plain_url`` (the start without SQLAlchemy) gives SQLAlchemy's answers, or none."""
    from helpdesk_desktop.storage.start_connection import plain_url

    plain = plain_url(url)
    # Not the plain spelling: two "@", an IPv6 host, a parameter twice, an empty port, an "@"
    # past the host: SQLAlchemy's parser reads these.
    assert (plain is None) == any(mark in url for mark in ("a@b:c@", "[", "a=1&a=2", "h:/",
                                                           "d@x")), url
    if plain is None:
        return
    sa_url = make_url(url)
    for part in ("drivername", "username", "password", "host", "port", "database"):
        assert getattr(plain, part) == getattr(sa_url, part), (url, part)
    assert plain.query == dict(sa_url.query)
    assert connect_arguments(plain) == connect_arguments(sa_url)
    for hide in (True, False):
        assert plain.render_as_string(hide) == sa_url.render_as_string(hide)


def test_an_up_to_date_database_opens_without_its_engine() -> None:
    with own_schema_url("hd_start") as url:
        open_database(url).dispose()  # created (through the engine)
        seeded = open_database(url)
        ws = seed_workspace(seeded, FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
        seeded.dispose()
        database = open_database(url)
        try:
            assert database._engine is None and database.dialect == "postgresql"
            assert database.path is None
            # The first frame's reads, on the start connection.
            admin = first_page.first_admin_id(database)
            user = first_page.read_user(database, ws.users["admin"])
            assert admin is not None and user is not None and user.id == ws.users["admin"]
            with database.driver_read() as driver:
                isolation = driver.execute("SHOW transaction_isolation").fetchone()[0]
            assert isolation == "repeatable read" and database._engine is None
            # What the window's start logs (the Launcher, before the first frame).
            from helpdesk_desktop.application.desk import Desk

            location = Desk(database, ws.users["admin"]).database_location()
            assert location == make_url(url).render_as_string(hide_password=True)
            assert database._engine is None
            database.warm_up()
            assert database._engine is not None
            assert database._start is None  # closed once the engine is made
            # The same answers on the engine's connections, and the services'.
            assert first_page.read_user(database, ws.users["admin"]) == user
            assert directory.first_admin_id(database) == admin
        finally:
            database.dispose()


def test_the_start_connection_serves_the_start_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past START_CONNECTION_S, or once broken, it is closed and the engine's pool (which
    pings idle connections) serves the reads."""
    from helpdesk_desktop.storage import database as database_module

    with own_schema_url("hd_start") as url:
        open_database(url).dispose()
        database = open_database(url)
        try:
            start = database._start
            assert start is not None
            with database.driver_read() as driver:
                assert driver is start
            monkeypatch.setattr(database_module.time, "monotonic",
                                lambda: database._start_until + 1)
            with database.driver_read() as driver:
                assert driver is not start and database._start is None
                assert driver.execute("SELECT 1").fetchone() == (1,)
            assert start.closed and database._engine is not None
            database.dispose()
            broken = open_database(url)
            start = broken._start
            assert start is not None
            start.close()  # e.g. dropped by the server
            assert first_page.is_empty(broken)  # read on the engine's connection
            assert broken._start is None
            broken.dispose()
        finally:
            database.dispose()


def test_reads_on_the_start_connection_take_turns() -> None:
    """The board's first cards are read in a job while the window reads on the UI thread:
    each read has the connection to itself, in its own transaction."""
    with own_schema_url("hd_start") as url:
        open_database(url).dispose()
        database = open_database(url)
        inside = threading.Event()
        release = threading.Event()
        order: list[str] = []

        def first() -> None:
            with database.driver_read() as driver:
                driver.execute("SELECT 1").fetchall()
                order.append("first in")
                inside.set()
                release.wait(10)
                order.append("first out")

        def second() -> None:
            with database.driver_read() as driver:
                driver.execute("SELECT 1").fetchall()
                order.append("second in")

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        try:
            threads[0].start()
            assert inside.wait(10)
            threads[1].start()
            threads[1].join(0.2)
            assert order == ["first in"]  # the second waits for the first read's end
        finally:
            release.set()
            for thread in threads:
                thread.join(10)
            database.dispose()
        assert order == ["first in", "first out", "second in"]


def test_a_database_to_create_or_upgrade_takes_the_engines_way() -> None:
    with own_schema_url("hd_start") as url:
        created = open_database(url)  # empty schema: created through the engine
        assert created._engine is not None and created._start is None
        with created.engine.begin() as connection:
            connection.execute(text(
                f"UPDATE {migrations.VERSION_TABLE} SET version_num = '0016'"))
        created.dispose()
        engine = create_engine(make_url(url))
        with engine.connect() as connection:
            assert connection.execute(text(
                f"SELECT version_num FROM {migrations.VERSION_TABLE}")).scalar() == "0016"
        engine.dispose()
        # Not up to date: no start connection (the engine's way checks and upgrades).
        from helpdesk_desktop.storage.start_connection import open_start_connection

        assert open_start_connection(make_url(url)) is None


def test_the_window_reads_its_first_frame_without_the_dialect() -> None:
    """The program's start on PostgreSQL: the first page is painted without SQLAlchemy (its
    PostgreSQL dialect since session 28, itself since session 30); the warm-up after it makes
    the engine (off the UI thread)."""
    with own_schema_url("hd_start") as url:
        seeded = open_database(url)
        from helpdesk_desktop.application.startup import generate_demo

        generate_demo(seeded, 3)
        seeded.dispose()
        code = (
            "import sys, tempfile\n"
            "from PySide6.QtCore import QEventLoop, QSettings, QThreadPool, QTimer\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from helpdesk_desktop.application import startup\n"
            "from helpdesk_desktop.application.desk import Desk\n"
            "from helpdesk_desktop.ui.bridge import DeskBridge\n"
            "from helpdesk_desktop.ui.main_window import MainWindow\n"
            "app = QApplication(sys.argv[:1])\n"
            "QSettings.setDefaultFormat(QSettings.Format.IniFormat)\n"
            "QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,\n"
            "                  tempfile.mkdtemp())\n"
            f"database = startup.open_database({url!r})\n"
            "bridge = DeskBridge(Desk(database, startup.default_user_id(database)))\n"
            "window = MainWindow(bridge)\n"
            "window.show()\n"
            "app.processEvents()\n"
            "assert window.model.rowCount() > 0\n"
            "print('first frame', 'sqlalchemy.dialects.postgresql' in sys.modules,\n"
            "      'sqlalchemy' in sys.modules)\n"
            "loop = QEventLoop()\n"
            "window.started.connect(loop.quit)\n"
            "QTimer.singleShot(60000, loop.quit)\n"
            "loop.exec()\n"
            "bridge.wait_for_idle()\n"
            "app.processEvents()\n"
            "print('started', database._engine is not None, database._start is None,\n"
            "      window.sidebar.model._counts.get(window.query.view) is not None)\n"
            "window.close(); bridge.shutdown()\n"
            "QThreadPool.globalInstance().waitForDone(30000); database.dispose()\n")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=ROOT, check=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert done.stdout.splitlines()[-2:] == ["first frame False False",
                                                 "started True True True"], done.stdout
