"""Plain SQL on a driver connection (``sqlite3`` or ``psycopg``): statements written with
``:name`` parameters (turned into psycopg's ``%(name)s`` for PostgreSQL), rows read with
their columns as attributes. What ``tickets show`` (``ticket_sheet``) and the window's first
frame (``first_page``) read without SQLAlchemy's statements. Stdlib only."""

from __future__ import annotations

import re
from typing import Any

_PARAMETER = re.compile(r"(?<!:):(\w+)")


class _Row(dict[str, Any]):
    """A row, its columns read as attributes."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Reader:
    """Runs statements on a driver connection (``sqlite3`` or ``psycopg``)."""

    def __init__(self, driver: Any, dialect: str) -> None:
        self.driver = driver
        self.dialect = dialect
        self._statements: dict[str, str] = {}

    def rows(self, statement: str, parameters: dict[str, Any] | None = None) -> list[_Row]:
        sql = statement
        if self.dialect != "sqlite":
            sql = self._statements.get(statement) or self._statements.setdefault(
                statement, _PARAMETER.sub(r"%(\1)s", statement))
        cursor = self.driver.cursor()
        try:
            cursor.execute(sql, parameters or {})
            names = [column[0] for column in cursor.description]
            return [_Row(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, statement: str, parameters: dict[str, Any] | None = None) -> _Row | None:
        found = self.rows(statement, parameters)
        return found[0] if found else None
