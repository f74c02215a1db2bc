"""SIGKILL at SQL event N of init, demo, merge, split, bulk delete, bulk move, mail import and
backup: whatever the moment, the file stays sound (integrity_check, foreign_key_check, FTS integrity), keeps the
program's invariants (``check``), reopens, and the operation is all or nothing.

The default run tries an even sample of the kill points of each operation; with
``HELPDESK_FAULTS_FULL=1`` (see ``--full`` in tests/faults/README) it tries every one.
"""

from __future__ import annotations

import datetime as dt
import mailbox
import sqlite3
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from helpdesk_desktop.services.integrity import check_database
from helpdesk_desktop.storage import backups
from helpdesk_desktop.storage.database import open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.faults.conftest import DemoFile, run_cli
from tests.faults.harness import kill_points, reopen_problems, run_child, sound_file_problems
from tests.pg_schemas import own_schema_url

ADMIN = ("init", "--admin-name", "Ada Admin", "--admin-email", "ada@example.com")


def _scalar(path: Path, sql: str, *args: Any) -> Any:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(sql, args).fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def _sweep(tmp_path: Path, make_file: Callable[[Path], Path], argv: Callable[[Path], list[str]],
           after: Callable[[Path, bool], None],
           prepare: Callable[[Callable[[], None]], None] | None = None) -> int:
    """Count the events of one clean run, then kill at each chosen point and check."""
    clean = make_file(tmp_path / "clean.sqlite3")
    outcome = run_child(argv(clean), None, tmp_path, prepare)
    assert not outcome.killed and outcome.exit_code == 0
    assert outcome.events > 0
    after(clean, True)
    points = kill_points(outcome.events)
    for n in points:
        path = make_file(tmp_path / f"kill-{n}.sqlite3")
        result = run_child(argv(path), n, tmp_path, prepare)
        assert result.killed, f"event {n} of {outcome.events} was never reached"
        assert sound_file_problems(path) == [], f"kill at event {n}"
        assert reopen_problems(path) == [], f"kill at event {n}"
        after(path, False)
    print(f"{len(points)} of {outcome.events} kill points tried")
    return len(points)


def test_kill_during_init(tmp_path: Path) -> None:
    def after(path: Path, finished: bool) -> None:
        # Whatever survived, running init again gives one working workspace.
        code, _, err = run_cli("--db", str(path), *ADMIN)
        admins = _scalar(path, "SELECT count(*) FROM users WHERE super_admin")
        assert admins == 1, err
        assert code == 0 or "already" in err, err

    _sweep(tmp_path, lambda p: p, lambda p: ["--db", str(p), *ADMIN], after)


def test_kill_during_demo(tmp_path: Path) -> None:
    def after(path: Path, finished: bool) -> None:
        # An interrupted build is recognised and finished by the next 'demo'; a finished one
        # leaves no marker behind.
        has_state = _scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = "
                                  "'app_state'")
        unfinished = has_state and _scalar(path, "SELECT count(*) FROM app_state")
        assert not (finished and unfinished)
        before = _scalar(path, "SELECT count(*) FROM tickets") if has_state else 0
        code, out, err = run_cli("--db", str(path), "demo", "--tickets", "0")
        assert code == 0, err
        assert ("stopped after" in out) == bool(unfinished)
        # Finished, or finished now; or killed before anything was committed (nothing).
        after_count = _scalar(path, "SELECT count(*) FROM tickets")
        assert after_count == (6 if unfinished or before else 0)
        assert _scalar(path, "SELECT count(*) FROM app_state") == 0

    _sweep(tmp_path, lambda p: p, lambda p: ["--db", str(p), "demo", "--tickets", "6"], after)


def test_kill_during_merge(tmp_path: Path, demo_file: DemoFile) -> None:
    a, b = demo_file.live_email_tickets[:2]
    total = len(demo_file.messages[a]) + len(demo_file.messages[b])

    def after(path: Path, finished: bool) -> None:
        state = _scalar(path, "SELECT state FROM tickets WHERE id = ?", b)
        on_a = _scalar(path, "SELECT count(*) FROM messages m JOIN conversations c ON "
                             "c.id = m.conversation_id WHERE c.ticket_id = ?", a)
        if state == "merged":
            assert on_a == total
        else:
            assert not finished and state == "live" and on_a == len(demo_file.messages[a])

    _sweep(tmp_path, demo_file.copy, lambda p: ["--db", str(p), "tickets", "merge", str(a),
                                                 str(b)], after)


def test_kill_during_split(tmp_path: Path, demo_file: DemoFile) -> None:
    ticket = demo_file.live_email_tickets[0]
    moved = demo_file.messages[ticket][-1:]
    tickets_before = _scalar(demo_file.path, "SELECT count(*) FROM tickets")

    def after(path: Path, finished: bool) -> None:
        tickets = _scalar(path, "SELECT count(*) FROM tickets")
        holder = _scalar(path, "SELECT c.ticket_id FROM messages m JOIN conversations c ON "
                               "c.id = m.conversation_id WHERE m.id = ?", moved[0])
        if tickets == tickets_before:
            assert not finished and holder == ticket
        else:
            assert tickets == tickets_before + 1 and holder != ticket

    _sweep(tmp_path, demo_file.copy,
           lambda p: ["--db", str(p), "tickets", "split", str(ticket), "--messages",
                      ",".join(map(str, moved))], after)


def test_kill_during_bulk_delete(tmp_path: Path, demo_file: DemoFile) -> None:
    doomed = demo_file.live_email_tickets[:4]
    marks = ",".join("?" * len(doomed))

    def after(path: Path, finished: bool) -> None:
        deleted = _scalar(path, f"SELECT count(*) FROM tickets WHERE state = 'deleted' AND "
                                f"id IN ({marks})", *doomed)
        assert deleted in ((len(doomed),) if finished else (0, len(doomed)))

    _sweep(tmp_path, demo_file.copy,
           lambda p: ["--db", str(p), "tickets", "delete", *map(str, doomed),
                      "--confirm-count", str(len(doomed))], after)


def test_kill_during_bulk_move(tmp_path: Path, demo_file: DemoFile) -> None:
    """``conversations move`` of several help desk conversations (``Desk.move_many``): killed
    anywhere, every chosen conversation moved with its comment and its undo entry, or none."""
    tickets = demo_file.live_email_tickets[:3]
    path = demo_file.path
    chosen = [_scalar(path, "SELECT min(id) FROM conversations WHERE ticket_id = ?", t)
              for t in tickets]
    helpdesk = _scalar(path, "SELECT inbox_id FROM conversations WHERE id = ?", chosen[0])
    target = _scalar(path, "SELECT min(id) FROM inboxes WHERE id != ? AND kind = "
                           "(SELECT kind FROM inboxes WHERE id != ? GROUP BY kind "
                           "ORDER BY count(*) DESC LIMIT 1)", helpdesk, helpdesk)
    assert target is not None and all(
        _scalar(path, "SELECT inbox_id FROM conversations WHERE id = ?", c) == helpdesk
        for c in chosen)
    status = _scalar(path, "SELECT status_id FROM tickets WHERE id = ?", tickets[0])
    pipeline = _scalar(path, "SELECT pipeline_id FROM statuses WHERE id = ?", status)
    marks = ",".join("?" * len(chosen))
    comment = "Handed over in bulk."

    def after(path: Path, finished: bool) -> None:
        moved = _scalar(path, f"SELECT count(*) FROM conversations WHERE inbox_id = ? AND "
                              f"id IN ({marks})", target, *chosen)
        comments = _scalar(path, f"SELECT count(*) FROM messages WHERE body_text = ? AND "
                                 f"conversation_id IN ({marks})", comment, *chosen)
        assert moved in ((len(chosen),) if finished else (0, len(chosen)))
        assert comments == (1 if moved else 0) * len(chosen)
        # The tickets keep the chosen status only if the move happened (each had it or not).
        kept = _scalar(path, f"SELECT count(*) FROM tickets WHERE status_id = ? AND id IN "
                             f"({','.join('?' * len(tickets))})", status, *tickets)
        assert not moved or kept == len(tickets)
        # The undo entry is written in the move's own transaction: both or neither.
        entries = _scalar(path, "SELECT count(*) FROM undo_entries WHERE reversal LIKE ?",
                          '%"MoveBackMany"%')
        assert entries == (1 if moved else 0)

    _sweep(tmp_path, demo_file.copy,
           lambda p: ["--db", str(p), "conversations", "move", *map(str, chosen),
                      "--to", str(target), "--pipeline", str(pipeline), "--status",
                      str(status), "--comment", comment], after)


def _pg_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema (its URL), dropped afterwards."""
    with own_schema_url("hd_kill") as url:
        yield url


def _pg_workspace(url: str) -> tuple[Workspace, list[int]]:
    """The same small workspace in each schema (the same ids): three help desk tickets, two
    conversations each, followed by another agent (so the move notifies)."""
    database = open_database(url)
    ws = seed_workspace(database, FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
    tickets = [make_ticket(ws, f"Quote request {n}", owner="agent", conversations=2)
               for n in range(3)]
    ws.desk("lead").follow(tickets)
    return ws, tickets


def test_kill_during_bulk_move_on_postgresql(tmp_path: Path) -> None:
    """The same sweep on PostgreSQL: a client killed mid-transaction leaves nothing behind
    (the server rolls it back), the database passes ``check``, the move is all or nothing."""
    schemas: list[Iterator[str]] = []
    workspaces: list[Workspace] = []

    def fresh() -> tuple[str, Workspace, list[int]]:
        schemas.append(_pg_schema_url())
        url = next(schemas[-1])
        workspace, made = _pg_workspace(url)
        workspaces.append(workspace)
        return url, workspace, made

    try:
        clean_url, ws, tickets = fresh()
        kill_url, kill_ws, kill_tickets = fresh()
        assert kill_tickets == tickets

        def chosen_in(workspace: Workspace) -> list[int]:
            return [c.id for t in tickets for c in workspace.desk("admin").ticket(t).conversations]

        chosen = chosen_in(ws)
        assert chosen_in(kill_ws) == chosen
        target = ws.inboxes["Sales inbox"]
        status = ws.statuses["Support Pipeline/Waiting on us"]

        def argv(url: str) -> list[str]:
            return ["--db", url, "--as", "admin@example.com", "conversations", "move",
                    *map(str, chosen), "--to", str(target), "--pipeline",
                    str(ws.pipelines["Support Pipeline"]), "--status", str(status)]

        def moved(workspace: Workspace) -> int:
            inbox = {c.id for c in workspace.desk("admin").inbox_conversations(target)}
            return len(inbox & set(chosen))

        def problems(url: str) -> list[str]:
            database = open_database(url)
            try:
                return list(check_database(database).problems)
            finally:
                database.dispose()

        outcome = run_child(argv(clean_url), None, tmp_path)
        assert not outcome.killed and outcome.exit_code == 0 and outcome.events > 0
        assert moved(ws) == len(chosen) and problems(clean_url) == []
        rows = ws.desk("admin").rows(tickets)
        assert all(rows[t].status_id == status for t in tickets)
        points = kill_points(outcome.events)
        committed = 0
        for n in points:
            result = run_child(argv(kill_url), n, tmp_path)
            assert result.killed, f"event {n} of {outcome.events} was never reached"
            done = moved(kill_ws)
            assert done in (0, len(chosen)), f"kill at event {n}: {done} moved"
            assert problems(kill_url) == [], f"kill at event {n}"
            if done:  # killed after the commit (e.g. writing the undo entry): a fresh schema
                committed += 1
                rows = kill_ws.desk("admin").rows(tickets)
                assert all(rows[t].status_id == status for t in tickets)
                kill_url, kill_ws, _ = fresh()
        assert committed < len(points)  # the early points are inside the transaction
        again = run_child(argv(kill_url), None, tmp_path)  # the survivor still works
        assert again.exit_code == 0 and moved(kill_ws) == len(chosen)
        print(f"{len(points)} of {outcome.events} kill points tried (PostgreSQL), "
              f"{committed} after the commit")
    finally:
        for workspace in workspaces:
            workspace.db.dispose()
        for schema in schemas:
            schema.close()


def _mbox(path: Path) -> tuple[Path, list[str]]:
    """A mailbox of a new thread, a reply to it and a second new thread (with an attachment)."""
    box = mailbox.mbox(path)
    ids = [f"<kill-import-{n}@example.org>" for n in range(3)]
    for n, message_id in enumerate(ids):
        message = EmailMessage()
        message["From"] = f"Customer {n % 2} <kill{n % 2}@example.org>"
        message["To"] = "support@example.com"
        message["Message-ID"] = message_id
        message["Subject"] = "Re: Paper jam" if n == 1 else ("Paper jam" if n == 0 else "Invoice")
        if n == 1:
            message["In-Reply-To"] = ids[0]
        message.set_content(f"Message {n}: the tray jams again.")
        if n == 2:
            message.add_attachment(b"%PDF-1.4 invoice", maintype="application",
                                   subtype="pdf", filename="invoice.pdf")
        box.add(message)
    box.flush()
    box.close()
    return path, ids


def test_kill_during_import(tmp_path: Path, demo_file: DemoFile) -> None:
    source, ids = _mbox(tmp_path / "incoming.mbox")
    marks = ",".join("?" * len(ids))
    tickets_before = _scalar(demo_file.path, "SELECT count(*) FROM tickets")

    def imported(path: Path) -> int:
        return _scalar(path, f"SELECT count(*) FROM messages WHERE message_id_header IN "
                             f"({marks})", *ids)

    def after(path: Path, finished: bool) -> None:
        # Each message is taken whole or not at all; importing the mailbox again takes what
        # the kill left out and nothing twice: two new tickets, three messages, once each.
        if finished:
            assert imported(path) == len(ids)
        code, _, err = run_cli("--db", str(path), "import-mail", str(source))
        assert code == 0, err
        assert imported(path) == len(ids)
        assert _scalar(path, "SELECT count(*) FROM tickets") == tickets_before + 2
        assert _scalar(path, "SELECT count(*) FROM attachments WHERE filename = "
                             "'invoice.pdf'") == 1

    _sweep(tmp_path, demo_file.copy,
           lambda p: ["--db", str(p), "import-mail", str(source)], after)


def test_kill_during_backup(tmp_path: Path, demo_file: DemoFile) -> None:
    def prepare(tick: Callable[[], None]) -> None:
        # The backup's file steps are events too (its SQL runs on a raw connection).
        for name in ("verify_backup", "_fsync", "_fsync_dir", "apply_retention"):
            original = getattr(backups, name)

            def hooked(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
                tick()
                result = _original(*args, **kwargs)
                tick()
                return result

            setattr(backups, name, hooked)

    def after(path: Path, finished: bool) -> None:
        found = backups.list_backups(path)
        assert len(found) == (1 if finished else len(found))
        for backup in found:  # every file under a backup's name is a complete backup
            backups.verify_backup(backup.path)

    _sweep(tmp_path, demo_file.copy, lambda p: ["--db", str(p), "backup"], after, prepare)


@pytest.mark.parametrize("operation", ["init", "bulk"])
def test_disk_full_at_every_level(tmp_path: Path, demo_file: DemoFile, operation: str) -> None:
    """SQLITE_FULL (what SQLite reports on ENOSPC) at every size the file could grow to,
    by capping its page count: the operation is refused with a sentence, nothing is half
    done, and the file reopens."""
    from tests.faults.disk_full import run_capped

    run_capped(tmp_path, demo_file, operation)
