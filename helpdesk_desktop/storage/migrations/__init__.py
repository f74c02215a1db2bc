"""Alembic migrations, run from code: opening a database upgrades it.

Checking whether a database is up to date must not cost the start-up the import of Alembic
(about 90 ms): the revision graph is read from the migration files' ``revision`` and
``down_revision`` lines, and the database's revision is one query. Alembic is imported only
to upgrade.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from helpdesk_desktop.resources import MIGRATIONS

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(None|['\"]([^'\"]+)['\"])", re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _graph() -> dict[str, str | None]:
    """Each revision of the migration files and the one it revises."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"Migration {path.name} names no revision or down_revision.")
        graph[revision.group(1)] = down.group(2)
    return graph


def head_revision() -> str:
    """The newest revision: the one no other revision revises."""
    graph = _graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"The migrations have {len(heads)} heads: {sorted(heads)}.")
    return heads.pop()


def is_known(revision: str) -> bool:
    """Whether this program's migrations contain ``revision``."""
    return revision in _graph()


def current_revision(connection: Connection) -> str | None:
    """The database's revision (``None`` for a database Alembic never touched)."""
    from sqlalchemy import inspect, text  # the module alone (the revision graph) needs none

    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
