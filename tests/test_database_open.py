"""Opening databases: creation, upgrade with backup, refusal of newer or foreign schemas."""

from __future__ import annotations

import subprocess
import sys
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


# -- the integrity check at open: only when the file may not have been closed cleanly -------

def _count_quick_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = database_module.run_quick_check

    def counting(connection: object) -> list[str]:
        calls.append(1)
        return real(connection)  # type: ignore[arg-type]

    monkeypatch.setattr(database_module, "run_quick_check", counting)
    return calls


def _crash_after_a_write(path: Path) -> None:
    """A process that writes and dies without closing: its -wal stays behind."""
    script = ("import os, sqlite3, sys\n"
              "c = sqlite3.connect(sys.argv[1])\n"
              "c.execute('PRAGMA journal_mode=WAL')\n"
              "c.execute(\"INSERT INTO app_state (key, value) VALUES ('crash', '1')\")\n"
              "c.commit()\n"
              "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert Path(f"{path}-wal").exists()


def test_a_cleanly_closed_file_is_not_checked_again(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    assert not Path(f"{path}-wal").exists()  # the last connection closed: SQLite removed it
    calls = _count_quick_checks(monkeypatch)
    open_database(str(path)).dispose()
    assert calls == []
    assert database_module.needs_quick_check(path) is False


def test_a_file_left_by_a_crash_is_checked(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    _crash_after_a_write(path)
    calls = _count_quick_checks(monkeypatch)
    database = open_database(str(path))
    assert calls == [1]
    database.dispose()  # this session closes cleanly: the next open skips the check
    open_database(str(path)).dispose()
    assert calls == [1]


def test_a_file_open_earlier_in_this_process_is_checked(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own connection's -wal: the lock table cannot tell it from a crash's leftover (a
    process's own locks are not another's), so the check runs, as before."""
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    other = open_database(str(path))
    try:
        with other.connect() as connection:  # holds the file open
            connection.execute(text("INSERT INTO app_state (key, value) VALUES ('k', 'v')"))
            connection.commit()
            assert Path(f"{path}-wal").stat().st_size > 0
            assert database_module.held_by_another_process(path) is False
            calls = _count_quick_checks(monkeypatch)
            open_database(str(path)).dispose()
            assert calls == [1]
    finally:
        other.dispose()


def _hold_open_elsewhere(path: Path) -> subprocess.Popen[str]:
    """Another process with the file open after a write (as a running window): it prints
    "open" and waits for a line on stdin, then closes cleanly."""
    script = ("import sqlite3, sys\n"
              "c = sqlite3.connect(sys.argv[1])\n"
              "c.execute(\"INSERT INTO app_state (key, value) VALUES ('held', '1')\")\n"
              "c.commit()\n"
              "print('open', flush=True)\n"
              "sys.stdin.readline()\n"
              "c.close()\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(path)], text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline().strip() == "open"
    return child


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads Linux's lock table")
def test_a_file_open_in_another_process_is_not_checked_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The -wal is the running process's, not a crash's: whoever opened the file first after
    a crash checked it then."""
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    child = _hold_open_elsewhere(path)
    try:
        assert Path(f"{path}-wal").stat().st_size > 0
        assert database_module.held_by_another_process(path) is True
        calls = _count_quick_checks(monkeypatch)
        database = open_database(str(path))
        with database.connect() as connection:  # and it reads what the other one wrote
            assert connection.execute(text(
                "SELECT value FROM app_state WHERE key = 'held'")).scalar() in (1, "1")
        database.dispose()
        assert calls == []
    finally:
        child.communicate("\n", timeout=30)
    assert database_module.held_by_another_process(path) is False
    _crash_after_a_write(path)  # and once nobody holds it, a leftover -wal is checked
    calls = _count_quick_checks(monkeypatch)
    open_database(str(path)).dispose()
    assert calls == [1]


def _crash_after_a_read(path: Path) -> None:
    """A process that reads and dies without closing: an empty -wal stays behind."""
    script = ("import os, sqlite3, sys\n"
              "c = sqlite3.connect(sys.argv[1])\n"
              "c.execute('SELECT count(*) FROM app_state').fetchall()\n"
              "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert Path(f"{path}-wal").stat().st_size == 0


def test_an_empty_wal_left_by_a_crash_is_not_checked(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing was being written when that process died: there is nothing to recover."""
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    _crash_after_a_read(path)
    assert database_module.needs_quick_check(path) is False
    calls = _count_quick_checks(monkeypatch)
    open_database(str(path)).dispose()
    assert calls == []


def test_a_damaged_file_with_an_empty_wal_is_still_one_sentence(tmp_path: Path) -> None:
    """Without the check, the damage is found by the first read at open (the schema): the
    same one-sentence refusal, and nothing written."""
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    _crash_after_a_read(path)
    data = bytearray(path.read_bytes())
    for offset in range(100, 4096):  # page 1 (the schema) after the file header
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as refused:
        open_database(str(path))
    message = str(refused.value)
    assert "not a usable" in message or "damaged" in message or "Cannot read" in message
    assert "\n" not in message and "Traceback" not in message
    assert path.read_bytes() == before


def test_a_file_not_in_wal_mode_is_checked(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """An older file, a copy or a restored backup: never opened by this program in WAL mode."""
    import sqlite3

    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    calls = _count_quick_checks(monkeypatch)
    open_database(str(path)).dispose()
    assert calls == [1]
    (tmp_path / "garbage.sqlite3").write_bytes(b"not a database at all" * 10)
    assert database_module.needs_quick_check(tmp_path / "garbage.sqlite3") is True


def test_damage_found_after_a_crash_is_one_sentence_and_nothing_is_written(
        tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    open_database(str(path)).dispose()
    _crash_after_a_write(path)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 8)):  # scribble over some pages
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    wal = Path(f"{path}-wal")
    before, wal_before = path.read_bytes(), wal.read_bytes()
    with pytest.raises(DatabaseError) as refused:
        open_database(str(path))
    message = str(refused.value)
    assert "damaged" in message or "not a usable" in message
    assert "\n" not in message and "Traceback" not in message
    assert path.read_bytes() == before and wal.read_bytes() == wal_before


def test_sqlite_file_reuses_the_connection_returned_last(tmp_path: Path) -> None:
    """Last in, first out: calls one after another reuse the connection (its page cache)
    that served the previous one; the others are taken only when calls overlap (M3)."""
    database = open_database(str(tmp_path / "desk.sqlite3"))
    try:
        engine = database.engine
        first, second = engine.raw_connection(), engine.raw_connection()
        first_dbapi, second_dbapi = first.dbapi_connection, second.dbapi_connection
        assert first_dbapi is not second_dbapi
        first.close()
        second.close()  # returned last
        for _ in range(3):
            again = engine.raw_connection()
            assert again.dbapi_connection is second_dbapi
            again.close()
    finally:
        database.dispose()


def test_only_the_connection_returned_last_keeps_its_page_cache(tmp_path: Path) -> None:
    """A connection returned while another is still in use gives its page cache back (the
    next call gets the other one); the last one back keeps its cache."""
    database = open_database(str(tmp_path / "desk.sqlite3"))
    try:
        engine = database.engine
        first, second = engine.raw_connection(), engine.raw_connection()
        statements: dict[str, list[str]] = {"first": [], "second": []}
        first.dbapi_connection.set_trace_callback(statements["first"].append)
        second.dbapi_connection.set_trace_callback(statements["second"].append)
        first.close()  # returned while the second is still out
        second.close()  # the last one back
        assert "PRAGMA shrink_memory" in statements["first"]
        assert "PRAGMA shrink_memory" not in statements["second"]
        alone = engine.raw_connection()  # one call at a time: nothing is released
        alone.close()
        assert statements["second"].count("PRAGMA shrink_memory") == 0
    finally:
        database.dispose()
