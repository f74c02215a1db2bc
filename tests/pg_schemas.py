"""A PostgreSQL schema of a test's own on the test server, dropped afterwards.

Tests that commit, or open the database from several connections or processes, cannot share
the session's schema (whose tests each run in a rolled-back transaction); each takes one of
these instead. Skips when ``HELPDESK_TEST_DATABASE_URL`` is not set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from helpdesk_desktop.storage.database import Database, normalize_url, open_database

PG_URL_ENV = "HELPDESK_TEST_DATABASE_URL"


def pg_server_url() -> str:
    """The test server's URL from ``HELPDESK_TEST_DATABASE_URL``; skips the test without it."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        pytest.skip(f"{PG_URL_ENV} is not set")
    return base


@contextmanager
def own_schema_url(prefix: str) -> Iterator[str]:
    """The URL of a new, empty schema named ``{prefix}_<random>`` (``search_path`` set to
    it), dropped with everything in it when the block ends."""
    base = pg_server_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalize_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{normalize_url(base)}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def own_schema_database(prefix: str) -> Iterator[Database]:
    """A migrated database in a schema of its own (:func:`own_schema_url`), for tests that
    commit from several connections; disposed and dropped when the block ends."""
    with own_schema_url(prefix) as url:
        database = open_database(url)
        try:
            yield database
        finally:
            database.dispose()
