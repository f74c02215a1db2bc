"""The data-safety promises that need no fault injection: a first start that cannot brick,
read commands that create nothing, foreign files left byte-identical, private files, backups
(retention, verification, restore end to end), ``check``, exports, terminal-safe output."""

from __future__ import annotations

import datetime as dt
import io
import json
import mailbox
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.domain.errors import DatabaseError, InvalidInput
from helpdesk_desktop.storage import backups, migrations
from helpdesk_desktop.storage.database import open_database
from tests.factories import Workspace, make_ticket

ADMIN = ["init", "--admin-name", "Ada Admin", "--admin-email", "ada@example.com"]


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- first start ----------------------------------------------------------------------------

def test_a_read_command_creates_neither_file_nor_folder(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "desk.sqlite3"
    code, _, err = cli("--db", str(target), "tickets", "list")
    assert code == 2 and "There is no Help Desk Desktop database" in err
    assert not target.parent.exists()


def test_the_database_and_its_folder_are_private(tmp_path: Path) -> None:
    target = tmp_path / "new" / "desk.sqlite3"
    code, _, err = cli("--db", str(target), *ADMIN)
    assert code == 0, err
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700
    for companion in target.parent.glob("desk.sqlite3-*"):  # -wal, -shm
        assert companion.stat().st_mode & 0o077 == 0


def test_an_older_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), *ADMIN)[0] == 0
    path.chmod(0o644)
    assert cli("--db", str(path), "tickets", "list")[0] == 0
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_foreign_sqlite_file_stays_byte_identical(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    before = foreign.read_bytes()
    for argv in (ADMIN, ["tickets", "list"]):
        code, _, err = cli("--db", str(foreign), *argv)
        assert code == 2 and "did not create" in err
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.sqlite3"]  # no -wal


def test_a_half_created_file_of_an_older_version_is_rebuilt(tmp_path: Path) -> None:
    """What the old per-statement DDL left after a crash: some of our tables, empty, and
    no schema revision."""
    half = tmp_path / "half.sqlite3"
    connection = sqlite3.connect(half)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    connection.execute("CREATE TABLE companies (id INTEGER PRIMARY KEY, name VARCHAR(200))")
    connection.execute("CREATE TABLE teams (id INTEGER PRIMARY KEY, name VARCHAR(200))")
    connection.commit()
    connection.close()
    code, _, err = cli("--db", str(half), *ADMIN)
    assert code == 0, err
    database = open_database(str(half), create=False)
    with database.connect() as c:
        assert migrations.current_revision(c) == migrations.head_revision()
    database.dispose()


def test_our_tables_with_data_but_no_revision_are_not_rebuilt(tmp_path: Path) -> None:
    odd = tmp_path / "odd.sqlite3"
    connection = sqlite3.connect(odd)
    connection.execute("CREATE TABLE teams (id INTEGER PRIMARY KEY, name VARCHAR(200))")
    connection.execute("INSERT INTO teams (name) VALUES ('Someone')")
    connection.commit()
    connection.close()
    before = odd.read_bytes()
    with pytest.raises(DatabaseError, match="did not create"):
        open_database(str(odd))
    assert odd.read_bytes() == before


def test_the_schema_is_created_in_one_transaction(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in the middle of the creation leaves no table at all."""
    target = tmp_path / "desk.sqlite3"
    original = migrations.upgrade

    def failing(connection: object, revision: str = "head") -> None:
        original(connection, revision)  # type: ignore[arg-type]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrations, "upgrade", failing)
    with pytest.raises(Exception):  # noqa: B017 - whatever the wrapping, nothing is kept
        open_database(str(target))
    connection = sqlite3.connect(target)
    assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    connection.close()


def test_a_damaged_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), *ADMIN)[0] == 0
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 8)):  # scribble over some pages
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    code, _, err = cli("--db", str(path), "tickets", "list")
    assert code == 2 and ("damaged" in err or "not a usable" in err), err
    assert path.read_bytes() == before
    code, out, err = cli("--db", str(path), "check")
    assert code == 5 and "restore" in out, err


@pytest.mark.parametrize("url", ["mysql://user@host/db", "oracle://x", "ftp://host/file"])
def test_unknown_database_schemes_get_a_sentence(url: str) -> None:
    code, _, err = cli("--db", url, "tickets", "list")
    assert code == 2 and "not supported" in err and "Traceback" not in err


# -- backups and restore --------------------------------------------------------------------

def test_retention_keeps_7_daily_4_weekly_and_every_manual(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    folder = backups.backup_dir(db)
    folder.mkdir()
    start = dt.datetime(2026, 1, 1, 9, 0)
    for day in range(60):
        for hour in (9, 15):  # two dailies on some days: only the newest of a day counts
            stamp = (start + dt.timedelta(days=day, hours=hour - 9)).strftime("%Y%m%d-%H%M%S")
            (folder / f"helpdesk-{stamp}-daily.sqlite3").write_bytes(b"x")
    (folder / "helpdesk-20250101-120000-manual.sqlite3").write_bytes(b"x")
    backups.apply_retention(db)
    left = backups.list_backups(db)
    daily = [b for b in left if b.kind == "daily"]
    days = {b.taken_at.date() for b in daily}
    assert len(daily) == len(days)  # one per day kept
    newest = max(days)
    assert {newest - dt.timedelta(days=i) for i in range(7)} <= days
    assert len({b.taken_at.isocalendar()[:2] for b in daily}) >= 4
    assert len(daily) <= 7 + 4
    assert any(b.kind == "manual" for b in left)


def test_restore_refuses_a_bad_file_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), *ADMIN)[0] == 0
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    for bad in (junk, foreign, tmp_path / "missing.sqlite3"):
        code, _, err = cli("--db", str(path), "restore", str(bad))
        assert code == 2, err
    assert backups.list_backups(path) == []  # refused before even backing up


def test_backup_then_restore_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), "demo", "--tickets", "8")[0] == 0
    code, out, err = cli("--db", str(path), "backup")
    assert code == 0 and "verified" in out, err
    backup = backups.list_backups(path)[0].path
    assert backup.stat().st_mode & 0o777 == 0o600

    def states() -> list[tuple[int, str]]:
        connection = sqlite3.connect(path)
        try:
            return connection.execute("SELECT id, state FROM tickets ORDER BY id").fetchall()
        finally:
            connection.close()

    before = states()
    live = [str(i) for i, state in before if state == "live"][:2]
    assert cli("--db", str(path), "tickets", "delete", *live, "--confirm-count", "2")[0] == 0
    assert states() != before
    code, out, err = cli("--db", str(path), "restore", str(backup))
    assert code == 0 and "Restored" in out, err
    assert states() == before
    kinds = sorted(b.kind for b in backups.list_backups(path))
    assert kinds == ["before-restore", "manual"]
    assert cli("--db", str(path), "check")[0] == 0


def _index_out_of_step(path: Path) -> None:
    """Damage ``path`` in a way only ``integrity_check`` finds: an index whose entries no
    longer match its table (its definition changed under it), every page still well formed."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("CREATE TABLE probe_rows (a, b)")
        connection.execute("CREATE INDEX ix_probe ON probe_rows (a)")
        connection.executemany("INSERT INTO probe_rows VALUES (?, ?)",
                               [(i, -i) for i in range(50)])
        connection.commit()
        connection.execute("PRAGMA writable_schema=ON")
        connection.execute("UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_probe "
                           "ON probe_rows (b)' WHERE name = 'ix_probe'")
        connection.commit()
    finally:
        connection.close()


def test_a_copy_just_written_is_checked_quickly_a_file_to_restore_fully(
        tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), "demo", "--tickets", "4")[0] == 0
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(path.read_bytes())
    _index_out_of_step(copy)
    # The quick check (of a copy VACUUM INTO has just built, indexes included) reads pages
    # and records; restore, of a file of unknown origin, also compares indexes with tables.
    assert backups.verify_backup(copy, quick=True) == migrations.head_revision()
    with pytest.raises(InvalidInput, match="damaged"):
        backups.verify_backup(copy)
    code, _, err = cli("--db", str(path), "restore", str(copy))
    assert code == 2 and "damaged" in err, err
    assert backups.list_backups(path) == []


def test_a_backup_damaged_while_written_is_refused_and_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), "demo", "--tickets", "4")[0] == 0
    checked: list[bool] = []
    real_verify = backups.verify_backup

    def damaged_then_verified(partial: Path, *, quick: bool = False) -> str:
        data = bytearray(partial.read_bytes())
        page_size = int.from_bytes(data[16:18], "big")
        data[page_size * 2:page_size * 3] = b"\xff" * page_size  # a page of the copy lost
        partial.write_bytes(bytes(data))
        checked.append(quick)
        return real_verify(partial, quick=quick)

    monkeypatch.setattr(backups, "verify_backup", damaged_then_verified)
    code, out, err = cli("--db", str(path), "backup")
    assert checked == [True]
    assert code != 0 and "could not be written" in err, (out, err)
    assert backups.list_backups(path) == []
    assert not [p for p in backups.backup_dir(path).iterdir() if p.name.endswith(".partial")]


def test_permanent_deletion_is_preceded_by_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), "demo", "--tickets", "5")[0] == 0
    connection = sqlite3.connect(path)
    doomed = connection.execute("SELECT id FROM tickets WHERE state = 'live'").fetchone()[0]
    connection.close()
    assert cli("--db", str(path), "tickets", "delete", str(doomed), "--confirm-count", "1")[0] == 0
    assert cli("--db", str(path), "purge")[0] == 0
    found = backups.list_backups(path)
    assert [b.kind for b in found] == ["before-delete"]
    connection = sqlite3.connect(found[0].path)
    assert connection.execute("SELECT state FROM tickets WHERE id = ?", (doomed,)).fetchone()
    connection.close()


def test_backup_on_postgresql_points_to_pg_dump(pg_schema_url: str) -> None:
    from helpdesk_desktop.application.desk import Desk

    database = open_database(pg_schema_url, create=False)
    try:
        with pytest.raises(InvalidInput, match="pg_dump"):
            Desk(database, 1).back_up()
        assert Desk(database, 1).backup_folder() is None
    finally:
        database.dispose()


# -- check ----------------------------------------------------------------------------------

def test_check_finds_and_repairs_broken_invariants(ws: Workspace, backend: str) -> None:
    from helpdesk_desktop.services.integrity import check_database

    a, b, c = (make_ticket(ws, n) for n in "ABC")
    with ws.db.session() as session:  # what the race of issue 9 left: a merge loop
        session.execute(text(f"UPDATE tickets SET state = 'merged', merged_into_id = {b} "
                             f"WHERE id = {a}"))
        session.execute(text(f"UPDATE tickets SET state = 'merged', merged_into_id = {a} "
                             f"WHERE id = {b}"))
        session.execute(text(f"UPDATE tickets SET state = 'spam' WHERE id = {c}"))
        session.commit()
    report = check_database(ws.db)
    assert any("loop" in p for p in report.problems)
    assert any("belongs to tombstone" in p for p in report.problems)
    assert any(f"#{c} is spam" in p for p in report.problems)
    repaired = check_database(ws.db, repair=True)
    assert repaired.problems == () and repaired.repaired
    with ws.db.session() as session:
        states = dict(session.execute(text(
            f"SELECT id, state FROM tickets WHERE id IN ({a}, {b})")).all())
    assert sorted(states.values()) == ["live", "merged"]


def test_check_finds_and_repairs_stale_stored_copies(ws: Workspace, backend: str) -> None:
    """What triggers keep (a follow's copy of its ticket's state and last activity, a
    ticket's contact sort name, the counters) is compared with what it copies; ``repair``
    computes what differs again."""
    from helpdesk_desktop.services.integrity import check_database
    from tests.services.test_invariants import (
        contact_sort_problems,
        followed_order_problems,
        list_counter_problems,
    )

    followed = make_ticket(ws, "Followed", contact="john")
    ws.desk("admin").follow([followed])
    assert check_database(ws.db).ok
    with ws.db.session() as session:  # what a write with the triggers disabled would leave
        if backend != "sqlite":
            session.execute(text("SET LOCAL session_replication_role = replica"))
        session.execute(text("UPDATE followers SET state = 'deleted' WHERE ticket_id = :t"),
                        {"t": followed})
        session.execute(text("UPDATE tickets SET contact_sort = 'Zz' WHERE id = :t"),
                        {"t": followed})
        session.execute(text("UPDATE follow_counts SET n = n + 1"))
        session.commit()
    report = check_database(ws.db)
    assert sorted(report.problems) == sorted([
        ("1 follow holds another state or last activity than its ticket's (the Following "
         "view may list it wrongly)."),
        "1 ticket sorts by another name than its first contact's.",
        ("The counts in follow_counts differ from the tickets (a view's count or a board "
         "column's may be wrong).")])
    repaired = check_database(ws.db, repair=True)
    assert repaired.ok and len(repaired.repaired) == 3
    with ws.db.session() as session:
        assert followed_order_problems(session) == []
        assert contact_sort_problems(session) == []
        assert list_counter_problems(session) == []


def _search_words(db: object) -> tuple[dict[int, str], dict[int, str]]:
    """(kept, recomputed): each ticket's row of ``ticket_search_vectors`` and what its
    messages give."""
    from helpdesk_desktop.services.integrity import _TICKET_WORDS

    with db.session() as session:  # type: ignore[attr-defined]
        kept = dict(session.execute(text(
            "SELECT ticket_id, vector::text FROM ticket_search_vectors")).all())
        recomputed = dict(session.execute(text(
            f"SELECT ticket_id, vector::text FROM ({_TICKET_WORDS}) w")).all())
    return kept, recomputed


def test_check_finds_and_repairs_stale_search_words(ws: Workspace, backend: str) -> None:
    """PostgreSQL's per-ticket word sets (kept by triggers) are compared with the messages:
    a row with other words, a missing row and a row too many are each a problem naming the
    ticket; ``repair`` computes those rows again and leaves the others alone."""
    from helpdesk_desktop.services.integrity import check_database

    if backend == "sqlite":
        pytest.skip("PostgreSQL's table (SQLite's FTS5 indexes have their own check)")
    wrong, missing, extra, sound = (
        make_ticket(ws, name, messages=((MessageKind.EMAIL, f"{name} printer invoice"),))
        for name in ("Wrong", "Missing", "Extra", "Sound"))
    assert check_database(ws.db).ok
    with ws.db.session() as session:  # what a write with the triggers disabled would leave
        session.execute(text("SET LOCAL session_replication_role = replica"))
        session.execute(text("UPDATE ticket_search_vectors SET vector = 'bogus'::tsvector "
                             "WHERE ticket_id = :t"), {"t": wrong})
        session.execute(text("DELETE FROM ticket_search_vectors WHERE ticket_id = :t"),
                        {"t": missing})
        session.execute(text("DELETE FROM messages WHERE conversation_id IN (SELECT id FROM "
                             "conversations WHERE ticket_id = :t)"), {"t": extra})
        session.execute(text("SET LOCAL session_replication_role = origin"))
        session.commit()
    kept_before, _ = _search_words(ws.db)
    report = check_database(ws.db)
    assert not report.ok
    assert "search words per ticket" in report.checks
    assert sorted(report.problems) == sorted(
        f"The search words of ticket #{t} do not match its messages (a search may miss it "
        f"or find it wrongly)." for t in (wrong, missing, extra))
    repaired = check_database(ws.db, repair=True)
    assert repaired.ok
    assert repaired.repaired == (
        "The search words of 3 tickets were computed again from their messages.",)
    kept, recomputed = _search_words(ws.db)
    assert kept == recomputed and extra not in kept and "printer" in kept[missing]
    assert kept[sound] == kept_before[sound]


def test_the_cli_check_fails_on_stale_search_words() -> None:
    """``helpdesk-desktop --db URL check`` on PostgreSQL: exit status 5 and the sentence
    when a ticket's search words do not match its messages; 0 after ``--repair``."""
    from tests.factories import FakeClock, seed_workspace
    from tests.pg_schemas import own_schema_url

    with own_schema_url("hd_check") as url:
        database = open_database(url)
        try:
            ws = seed_workspace(database, FakeClock(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)))
            ticket = make_ticket(ws, "Printer", messages=((MessageKind.EMAIL, "toner smoke"),))
            assert cli("--db", url, "check")[0] == 0
            with database.session() as session:
                session.execute(text("SET LOCAL session_replication_role = replica"))
                session.execute(text("UPDATE ticket_search_vectors SET vector = "
                                     "'toner'::tsvector WHERE ticket_id = :t"), {"t": ticket})
                session.commit()
        finally:
            database.dispose()
        code, out, _err = cli("--db", url, "check")
        assert code == 5, out
        assert (f"problem: The search words of ticket #{ticket} do not match its messages"
                in out), out
        assert "check --repair" in out
        code, out, _err = cli("--db", url, "check", "--repair")
        assert code == 0, out
        assert "All problems repaired." in out


# -- export ---------------------------------------------------------------------------------

def test_export_mbox_reads_back_one_message_per_stored_message(ws: Workspace, backend: str,
                                                               tmp_path: Path) -> None:
    ticket = make_ticket(ws, "Printer on fire", attachment=True, conversations=2)
    desk = ws.desk("admin")
    target = tmp_path / "out.mbox"
    summary = desk.export("mbox", target)
    box = mailbox.mbox(str(target))
    try:
        messages = list(box)
    finally:
        box.close()
    assert len(messages) == summary.messages == 4
    assert {m["X-Helpdesk-Ticket"] for m in messages} == {str(ticket)}
    assert all(m["Message-ID"] and m["Date"] and m["From"] for m in messages)
    assert any(part.get_filename() for m in messages for part in m.walk())
    with pytest.raises(InvalidInput, match="--force"):
        desk.export("mbox", target)
    desk.export("json", tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text())
    assert [t["id"] for t in data["tickets"]] == [ticket]
    assert len(data["tickets"][0]["conversations"]) == 2
    assert not list(tmp_path.glob(".*partial"))


# -- terminal-safe output and sentences ------------------------------------------------------

def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), "demo", "--tickets", "3")[0] == 0
    listed = json.loads(cli("--db", str(path), "tickets", "list", "--json")[1])
    target = listed[0]["id"]
    connection = sqlite3.connect(path)
    connection.execute("UPDATE tickets SET name = ? WHERE id = ?",
                       ("Forged\n      2    New     low  x  FAKE ROW\x1b[31m red\x07", target))
    connection.commit()
    connection.close()
    code, out, _ = cli("--db", str(path), "tickets", "list")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\n" in out and "\\x1b[31m" in out
    assert len(out.strip().splitlines()) == len(listed) + 1  # rows and the count, no forgery
    code, out, _ = cli("--db", str(path), "tickets", "show", str(target))
    assert "\x1b" not in out and out.splitlines()[0].count("\\n") == 1


def test_an_over_long_search_gets_its_own_sentence(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    assert cli("--db", str(path), "demo", "--tickets", "3")[0] == 0
    code, _, err = cli("--db", str(path), "tickets", "list", "--search", "x" * 100_000)
    assert code == 2 and "at most 1,000 characters" in err
    assert "refused the change" not in err


def test_sqlite_runs_with_synchronous_full(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "desk.sqlite3"))
    try:
        with database.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        database.dispose()
    assert os.stat(tmp_path / "desk.sqlite3").st_mode & 0o777 == 0o600



def test_check_findings_are_said_in_the_current_language(ws: Workspace) -> None:
    from helpdesk_desktop.domain.i18n import set_language
    from helpdesk_desktop.services.integrity import check_database

    spam, closed = make_ticket(ws, "S"), make_ticket(ws, "C")
    with ws.db.session() as session:
        session.execute(text(f"UPDATE tickets SET state = 'spam' WHERE id = {spam}"))
        session.execute(text(f"UPDATE tickets SET closed_at = created_at WHERE id = {closed}"))
        session.commit()
    set_language("fr")
    assert set(check_database(ws.db).problems) == {
        f"Le ticket n° {spam} est un spam mais n'a pas de date de mise en spam.",
        f"Le ticket n° {closed} a un statut ouvert mais une date de fermeture."}
    assert set(check_database(ws.db, repair=True).repaired) == {
        f"Ticket n° {spam}\u00a0: date de mise en spam renseignée (purge dans 90\u00a0jours).",
        f"Ticket n° {closed}\u00a0: date de fermeture effacée."}
