"""Running the CLI's ``main()`` in a forked child that dies by SIGKILL at SQL event N, and
checking what it leaves behind.

An *event* is one statement about to run (``before_cursor_execute``) or a commit about to be
sent, on any engine; extra events (``tick``) mark file operations of the backup. The child
counts them and kills itself at event N, mid-operation, exactly as a power cut or ``kill -9``
would. A run without N reports the total, so a test can try every point (``--full``) or an
even sample of them.

Import support for the e-mail import (issue 8) only needs its CLI command in ``argv``: its
statements are SQL events like any other.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from helpdesk_desktop.cli.main import main
from helpdesk_desktop.services.integrity import check_database
from helpdesk_desktop.storage.database import open_database

FULL_ENV = "HELPDESK_FAULTS_FULL"
DEFAULT_SAMPLES = 6


@dataclass(frozen=True)
class ChildOutcome:
    killed: bool
    exit_code: int | None
    events: int  # events counted by a run that was not killed


class _Counter:
    def __init__(self, kill_at: int | None, count_file: Path) -> None:
        self.kill_at = kill_at
        self.count = 0
        self.count_file = count_file

    def tick(self, *_args: Any, **_kwargs: Any) -> None:
        self.count += 1
        if self.kill_at is not None and self.count >= self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


#: How long a fork waits for threads an earlier test left running (a window's backup) to end.
ALONE_WAIT_S = 10.0


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


#: The threads this test process runs of its own (pytest-xdist's worker has one more than the
#: main thread), counted when the tests are collected, before any test started one.
_OWN_THREADS = _threads()
_waited_in_vain = False


def fork_alone() -> int:
    """``os.fork()``, once the threads an earlier test started have ended. A child forked
    beside a thread that holds a lock (SQLite's allocator mutex, in a backup that an earlier
    test's window left running in the same test process) blocks on it for good: this waits
    up to :data:`ALONE_WAIT_S` for such threads to end. Some stay for the whole test process
    and hold no such lock (the mail tests' SMTP server): after one wait in vain, the forks of
    this process no longer wait."""
    global _waited_in_vain
    deadline = time.monotonic() + ALONE_WAIT_S
    while not _waited_in_vain and _threads() > _OWN_THREADS:
        if time.monotonic() >= deadline:
            _waited_in_vain = True
            break
        time.sleep(0.05)
    return os.fork()


def run_child(argv: Sequence[str], kill_at: int | None, workdir: Path,
              prepare: Callable[[Callable[[], None]], None] | None = None) -> ChildOutcome:
    """Fork, run ``main(argv)`` in the child with the kill hook, and wait for it.

    ``prepare(tick)`` runs in the child before ``main`` (to hook non-SQL steps).
    """
    count_file = workdir / f".events-{os.getpid()}"
    count_file.unlink(missing_ok=True)
    pid = fork_alone()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            counter = _Counter(kill_at, count_file)
            event.listen(Engine, "before_cursor_execute", counter.tick)
            event.listen(Engine, "commit", counter.tick)
            if prepare is not None:
                prepare(counter.tick)
            code = main(list(argv), stdout=io.StringIO(), stderr=io.StringIO())
            count_file.write_text(str(counter.count))
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return ChildOutcome(True, None, 0)
    events = int(count_file.read_text()) if count_file.exists() else 0
    count_file.unlink(missing_ok=True)
    return ChildOutcome(False, os.WEXITSTATUS(status), events)


def kill_points(total: int, *, samples: int = DEFAULT_SAMPLES) -> list[int]:
    """Every event 1..total in full mode, else an even sample with the first and the last."""
    if os.environ.get(FULL_ENV) == "1" or total <= samples:
        return list(range(1, total + 1))
    step = (total - 1) / (samples - 1)
    return sorted({1 + round(i * step) for i in range(samples)})


def sound_file_problems(path: Path) -> list[str]:
    """The engine-level checks, on a raw connection: integrity, foreign keys."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    connection = sqlite3.connect(path)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")
                    if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in connection.execute(
            "PRAGMA foreign_key_check")]
    finally:
        connection.close()
    return problems


def reopen_problems(path: Path) -> list[str]:
    """Reopen as the program does (repairs a half-created schema), then run ``check``:
    integrity, FTS integrity and the invariants."""
    try:
        database = open_database(str(path))
    except Exception as exc:  # noqa: BLE001 - the finding is the point
        return [f"reopen failed: {exc}"]
    try:
        report = check_database(database)
        return list(report.problems)
    finally:
        database.dispose()
