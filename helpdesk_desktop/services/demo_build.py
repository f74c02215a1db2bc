"""A fresh demo database, built whole or not at all.

:func:`build_demo_database` builds a demo database of any size (the benchmarks' databases,
a large demo to try the application with) under a scratch name, with the bulk build of
:func:`demo.generate_demo` (indexes, constraints and full-text after the data), and gives it
its real name only once it is complete: a build killed half-way (or failing) never leaves a
half-built database where a complete one is expected, only a scratch file or database that
the next build replaces.

SQLite: ``NAME.sqlite3`` is built as ``NAME.sqlite3.building`` and renamed over it.
PostgreSQL: database ``NAME`` is built as ``NAME_building`` (created on the same server) and
renamed with ``ALTER DATABASE``; an existing ``NAME`` that is in use is not dropped (the
build fails instead).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from helpdesk_desktop.services.demo import Progress, generate_demo
from helpdesk_desktop.storage.database import Database, normalize_url, open_database

SCRATCH_SUFFIX = ".building"
PG_SCRATCH_SUFFIX = "_building"
Finish = Callable[[Database], None]


def build_demo_database(url: str, *, tickets: int, seed: int = 0,
                        progress: Progress | None = None,
                        finish: Finish | None = None) -> dict[str, Any]:
    """Build a demo database of ``tickets`` tickets at ``url`` (a SQLite path or URL, or a
    PostgreSQL database URL), replacing what is there only once the build is complete.

    ``finish(database)`` runs on the complete scratch database before the rename (more data,
    ``ANALYZE``). Returns :func:`demo.generate_demo`'s summary.
    """
    target = make_url(normalize_url(url))
    if target.get_backend_name() == "sqlite":
        return _build_sqlite(Path(target.database or ""), tickets, seed, progress, finish)
    return _build_pg(target.render_as_string(hide_password=False), tickets, seed, progress,
                     finish)


def _build(url: str, tickets: int, seed: int, progress: Progress | None,
           finish: Finish | None) -> dict[str, Any]:
    database = open_database(url)
    try:
        summary = generate_demo(database, tickets=tickets, seed=seed, progress=progress,
                                bulk=True, scratch=True)
        if finish is not None:
            finish(database)
        return summary
    finally:
        database.dispose()


def _build_sqlite(path: Path, tickets: int, seed: int, progress: Progress | None,
                  finish: Finish | None) -> dict[str, Any]:
    if not path.name:
        raise ValueError("a demo database needs a file")
    scratch = path.with_name(path.name + SCRATCH_SUFFIX)
    _remove_sqlite(scratch)
    summary = _build(str(scratch), tickets, seed, progress, finish)
    _remove_sqlite(path, keep_main=True)  # a stale journal must not meet the new file
    os.replace(scratch, path)
    return summary


def _remove_sqlite(path: Path, *, keep_main: bool = False) -> None:
    for suffix in ("-wal", "-shm", "-journal") if keep_main else ("", "-wal", "-shm",
                                                                    "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _build_pg(url: str, tickets: int, seed: int, progress: Progress | None,
              finish: Finish | None) -> dict[str, Any]:
    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError("a demo database needs a database name")
    scratch = name + PG_SCRATCH_SUFFIX
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{scratch}"')
        summary = _build(target.set(database=scratch).render_as_string(hide_password=False),
                         tickets, seed, progress, finish)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(text(f'ALTER DATABASE "{scratch}" RENAME TO "{name}"'))
        return summary
    finally:
        admin.dispose()
