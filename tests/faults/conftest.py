"""Fixtures of the fault-injection suite: a small demo database made once, copied per run."""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpdesk_desktop.cli.main import main


@dataclass(frozen=True)
class DemoFile:
    path: Path
    live_email_tickets: list[int]  # live e-mail tickets with at least two messages
    messages: dict[int, list[int]]  # their message ids

    def copy(self, target: Path) -> Path:
        shutil.copyfile(self.path, target)
        target.chmod(0o600)
        return target


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> DemoFile:
    path = tmp_path_factory.mktemp("faults") / "demo.sqlite3"
    code, _, err = run_cli("--db", str(path), "demo", "--tickets", "12")
    assert code == 0, err
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT t.id, m.id FROM tickets t JOIN conversations c ON c.ticket_id = t.id "
            "JOIN messages m ON m.conversation_id = c.id "
            "WHERE t.state = 'live' AND t.source = 'email' AND c.spam_at IS NULL "
            "ORDER BY t.id, m.id").fetchall()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    messages: dict[int, list[int]] = {}
    for ticket_id, message_id in rows:
        messages.setdefault(ticket_id, []).append(message_id)
    tickets = [t for t, ms in messages.items() if len(ms) >= 2]
    assert len(tickets) >= 4
    return DemoFile(path, tickets, messages)


Copier = Callable[[Path], Path]
