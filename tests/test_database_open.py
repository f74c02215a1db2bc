"""Opening databases: creation, upgrade with backup, refusal of newer or foreign schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from helpdesk_desktop.domain.errors import DatabaseError, SchemaTooNew
from helpdesk_desktop.storage import database as database_module
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import normalize_url, open_database


def test_new_sqlite_file_is_created_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "desk.sqlite3"
    database = open_database(str(path))
    try:
        with database.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
            assert "tickets" in inspect(connection).get_table_names()
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        database.dispose()
    assert path.exists()


def test_reopening_an_up_to_date_file_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    database = open_database(str(path))
    database.dispose()
    assert database.backup_path is None
    assert list(tmp_path.glob("*.bak")) == []


def _stamp(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    _stamp(path, "9999_from_the_future")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer version"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_older_schema_is_backed_up_before_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    # Pretend the program gained a newer head: the file is now "behind" and must be backed up.
    monkeypatch.setattr(migrations, "head_revision", lambda: "0002_future")
    monkeypatch.setattr(migrations, "is_known", lambda revision: True)
    upgraded: list[str] = []
    monkeypatch.setattr(migrations, "upgrade", lambda connection: upgraded.append("yes"))
    database = open_database(str(path))
    database.dispose()
    assert upgraded == ["yes"]
    assert database.backup_path is not None and database.backup_path.exists()
    backup = create_engine(f"sqlite:///{database.backup_path}")
    with backup.connect() as connection:
        assert "tickets" in inspect(connection).get_table_names()
    backup.dispose()


def test_a_backup_that_cannot_be_written_stops_the_upgrade(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    monkeypatch.setattr(migrations, "head_revision", lambda: "0002_future")
    monkeypatch.setattr(migrations, "is_known", lambda revision: True)
    upgraded: list[str] = []
    monkeypatch.setattr(migrations, "upgrade", lambda connection: upgraded.append("yes"))

    def disk_full(_engine: object, _revision: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(database_module, "_backup_sqlite", disk_full)
    with pytest.raises(DatabaseError, match="Cannot back up .* left untouched"):
        open_database(str(path))
    assert upgraded == []


def test_foreign_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE payroll (id INTEGER)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="did not create"):
        open_database(str(path))


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseError, match="Cannot open the database|Not a directory|exists"):
        open_database(str(blocker / "desk.sqlite3"))


def test_unreachable_postgresql_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="Cannot open the database"):
        open_database("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_bare_paths_and_postgres_urls_are_normalized(tmp_path: Path) -> None:
    assert normalize_url(str(tmp_path / "a.db")).startswith("sqlite:///")
    assert normalize_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
