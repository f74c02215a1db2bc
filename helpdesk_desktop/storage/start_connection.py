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

from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qsl, quote, quote_plus, unquote

from helpdesk_desktop.storage import migrations

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


class PlainUrl(NamedTuple):
    """A ``postgresql+psycopg://`` URL in its plain spelling, read without SQLAlchemy (whose
    import is most of the stack floor's CPU) as :func:`sqlalchemy.engine.make_url` reads it:
    see :func:`plain_url`. What the start needs of it: the driver's arguments and the text
    the window's start logs."""

    drivername: str
    username: str | None
    password: str | None
    host: str | None
    port: int | None
    database: str | None
    query: dict[str, str]

    def translate_connect_args(self, *, username: str,
                               database: str) -> dict[str, Any]:
        """As SQLAlchemy's ``URL.translate_connect_args`` (the parts that are set)."""
        names = {"host": "host", "database": database, "username": username,
                 "password": "password", "port": "port"}
        return {names[part]: getattr(self, part) for part in names if getattr(self, part)}

    def get_backend_name(self) -> str:
        return self.drivername.partition("+")[0]

    def get_driver_name(self) -> str:
        return self.drivername.partition("+")[2]

    def render_as_string(self, hide_password: bool = True) -> str:
        """As SQLAlchemy's ``URL.render_as_string``."""
        text = self.drivername + "://"
        if self.username is not None:
            text += quote(self.username, safe=" +")
            if self.password is not None:
                text += ":" + ("***" if hide_password else quote(self.password, safe=" +"))
            text += "@"
        text += self.host or ""
        if self.port is not None:
            text += f":{self.port}"
        if self.database is not None:
            text += "/" + quote(self.database, safe=" +/")
        if self.query:
            text += "?" + "&".join(f"{quote_plus(key)}={quote_plus(self.query[key])}"
                                   for key in sorted(self.query))
        return text


def plain_url(url: str) -> PlainUrl | None:
    """``url`` (a normalized ``postgresql+psycopg://`` URL) read as SQLAlchemy reads it, when
    it is spelled plainly: at most one ``@``, a user name without ``/``, a host that is a
    name or an IPv4 address, a port of digits, each query parameter given once. ``None`` for
    anything else: SQLAlchemy's parser reads it (``tests/test_start_connection.py`` holds
    both to the same answers)."""
    scheme, separator, rest = url.partition("://")
    if scheme != "postgresql+psycopg" or not separator:
        return None
    rest, has_query, query_text = rest.partition("?")
    if rest.count("@") > 1 or "[" in rest or "]" in rest:
        return None
    username = password = None
    if "@" in rest:
        userinfo, _at, rest = rest.partition("@")
        name, colon, secret = userinfo.partition(":")
        if "/" in name:
            return None
        username, password = unquote(name), (unquote(secret) if colon else None)
    address, slash, database = rest.partition("/")
    host, colon, port = address.partition(":")
    if colon and not port.isdigit():
        return None
    pairs = parse_qsl(query_text) if has_query else []
    query = dict(pairs)
    if len(query) != len(pairs):
        return None
    return PlainUrl(scheme, username, password, host or None, int(port) if colon else None,
                    unquote(database) if slash else None, query)


def connect_arguments(url: URL | PlainUrl) -> dict[str, Any] | None:
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


def open_start_connection(url: URL | PlainUrl) -> Any:
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
