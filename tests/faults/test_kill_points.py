"""SIGKILL at SQL event N of init, demo, merge, split, bulk delete, mail import and backup:
whatever the
moment, the file stays sound (integrity_check, foreign_key_check, FTS integrity), keeps the
program's invariants (``check``), reopens, and the operation is all or nothing.

The default run tries an even sample of the kill points of each operation; with
``HELPDESK_FAULTS_FULL=1`` (see ``--full`` in tests/faults/README) it tries every one.
"""

from __future__ import annotations

import mailbox
import sqlite3
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from helpdesk_desktop.storage import backups
from tests.faults.conftest import DemoFile, run_cli
from tests.faults.harness import kill_points, reopen_problems, run_child, sound_file_problems

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
