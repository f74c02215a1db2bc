"""PostgreSQL's start on a plain driver connection, before SQLAlchemy's dialect is imported.

Opening a PostgreSQL database through an engine imports SQLAlchemy's PostgreSQL dialect
package (every PostgreSQL driver's dialect, the range, JSON, hstore and array types: 2.4 MB,
40-70 ms of CPU at load ~5), runs its first-connect queries and reflects the schema's tables:
86-116 ms of CPU and 5.2 MB before the window's first page, against 2-3 ms and 0.8 MB for a
``psycopg`` connection and one query (docs/PERFORMANCE.md, session 28). So an up-to-date
database is opened on such a connection; the window reads its first frame on it, and the
engine is made after that frame (``Database.warm_up``). Anything else (a schema to create or
upgrade, a URL this module does not translate, a failure) takes the engine's way, which says
what is wrong in its words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpdesk_desktop.storage import migrations

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def connect_arguments(url: URL) -> dict[str, Any] | None:
    """``psycopg.connect``'s arguments for ``url``, as SQLAlchemy's psycopg dialect makes
    them (``create_connect_args``), or ``None`` when this URL is not the simple case: one
    host (no ``host``/``port`` in its query, where the dialect reads several), each query
    parameter given once."""
    if url.get_backend_name() != "postgresql" or url.get_driver_name() != "psycopg":
        return None
    if "host" in url.query or "port" in url.query:
        return None
    if not all(isinstance(value, str) for value in url.query.values()):
        return None
    arguments: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
    if "port" in arguments:
        arguments["port"] = int(arguments["port"])
    arguments.update(url.query)
    return arguments


def open_start_connection(url: URL) -> Any:
    """A ``psycopg`` connection to an up-to-date database at ``url``, its reads set to
    REPEATABLE READ (one snapshot per transaction, as the services' reads) and no statement
    prepared (as the engine's connections: ``database.PREPARED``); or ``None``: the engine's
    way (see the module docstring)."""
    arguments = connect_arguments(url)
    if arguments is None:
        return None
    try:
        import psycopg
    except ImportError:
        return None  # the engine's way says how to install it
    try:
        connection = psycopg.connect(**arguments, prepare_threshold=None)
    except psycopg.Error:
        return None
    try:
        found = connection.execute(
            f"SELECT version_num FROM {migrations.VERSION_TABLE}").fetchall()
        connection.rollback()
        if len(found) != 1 or found[0][0] != migrations.head_revision():
            connection.close()
            return None
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    except psycopg.Error:  # no revision table (a new or foreign database), a failure
        connection.close()
        return None
    return connection
