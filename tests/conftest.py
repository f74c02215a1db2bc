"""Shared fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL.

SQLite tests copy a migrated template file. PostgreSQL tests share one migrated schema and run
inside an outer transaction that is rolled back afterwards (services commit to a savepoint).
PostgreSQL runs when ``HELPDESK_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The tests assert English sentences: the CLI reads its language from the environment (LANGUAGE
# first), the services from domain.i18n. Tests of French set both themselves.
os.environ["LANGUAGE"] = "en"

import pytest

from helpdesk_desktop.domain.i18n import set_language
from helpdesk_desktop.storage.database import (
    Database,
    copy_sqlite_file,
    create_db_engine,
    open_database,
)
from tests.factories import FakeClock, Workspace, seed_workspace
from tests.pg_schemas import own_schema_url

FAULTS_FULL_ENV = "HELPDESK_FAULTS_FULL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full", action="store_true",
                     help="fault injection (tests/faults): try every kill point and every "
                          "disk-full level, and 25 trials per concurrency case")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--full"):
        os.environ[FAULTS_FULL_ENV] = "1"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _english_sentences() -> Iterator[None]:
    """Every test starts and ends in English, whatever a French test before it chose."""
    set_language("en")
    yield
    set_language("en")


DatabaseFactory = Callable[[], AbstractContextManager[Database]]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(str(path))
    database.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    with own_schema_url("hd_test") as schema_url:
        open_database(schema_url).dispose()
        yield schema_url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_factory(backend: str, request: pytest.FixtureRequest,
                     tmp_path: Path) -> DatabaseFactory:
    """Makes as many fresh, isolated databases as a test needs (Hypothesis uses several)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")

        @contextmanager
        def fresh_sqlite() -> Iterator[Database]:
            path = tmp_path / f"db-{uuid.uuid4().hex[:8]}.sqlite3"
            copy_sqlite_file(template, path)
            engine = create_db_engine(str(path))
            database = Database(engine=engine, bind=engine)
            try:
                yield database
            finally:
                engine.dispose()

        return fresh_sqlite

    schema_url: str = request.getfixturevalue("pg_schema_url")
    engine = create_db_engine(schema_url)
    request.addfinalizer(engine.dispose)

    @contextmanager
    def fresh_pg() -> Iterator[Database]:
        with engine.connect() as connection:
            outer = connection.begin()
            try:
                yield Database(engine=engine, bind=connection)
            finally:
                outer.rollback()

    return fresh_pg


@pytest.fixture
def db(database_factory: DatabaseFactory) -> Iterator[Database]:
    with database_factory() as database:
        yield database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def ws(db: Database, clock: FakeClock) -> Workspace:
    """A small workspace: four agents of different rights, two pipelines, two inboxes."""
    return seed_workspace(db, clock)
