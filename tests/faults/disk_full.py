"""A full disk at every level: SQLite reports ENOSPC as SQLITE_FULL, which a page cap
(``PRAGMA max_page_count``) produces at an exact size. The child process opens every
connection with the cap; each level is one more page the file may grow to."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from tests.faults.conftest import DemoFile, run_cli
from tests.faults.harness import FULL_ENV, reopen_problems, run_child, sound_file_problems

INIT = ["init", "--admin-name", "Ada Admin", "--admin-email", "ada@example.com"]


def _pages(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA page_count").fetchone()[0])
    finally:
        connection.close()


def _capped(pages: int) -> Any:
    def prepare(_tick: Any) -> None:
        def cap(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        event.listen(Engine, "connect", cap)
    return prepare


def run_capped(tmp_path: Path, demo_file: DemoFile, operation: str) -> None:
    if operation == "init":
        start, make = 1, (lambda p: p)
        argv = INIT
    else:
        start = _pages(demo_file.path)
        make = demo_file.copy
        # A bulk write that grows the file: 40 more demo tickets in one batch.
        argv = ["demo", "--tickets", "40", "--seed", "7"]
    refused = 0
    # Every level in full mode; every 9th otherwise (the last refused level is then not
    # necessarily the largest, but each one tried is a real disk-full point).
    stride = 1 if os.environ.get(FULL_ENV) == "1" else 9
    for pages in range(start, start + 600, stride):
        path = make(tmp_path / f"full-{operation}-{pages}.sqlite3")
        # A cap takes effect on a file that exists; an absent file is created by the child.
        outcome = run_child(["--db", str(path), *argv], None, tmp_path, _capped(pages))
        assert not outcome.killed
        assert outcome.exit_code in (0, 2), f"{pages} pages: exit {outcome.exit_code}"
        assert sound_file_problems(path) == [], f"{pages} pages"
        assert reopen_problems(path) == [], f"{pages} pages"
        if outcome.exit_code == 0:
            break
        refused += 1
        # Nothing half done: with room again, the operation succeeds in full.
        code, _, err = run_cli("--db", str(path), *argv)
        assert code == 0, f"{pages} pages: {err}"
    else:
        raise AssertionError("the operation never fitted")
    assert refused > 0
    print(f"{operation}: refused cleanly at {refused} disk-full levels, fitted at {pages} pages")
