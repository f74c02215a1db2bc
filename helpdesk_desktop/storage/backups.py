"""Backups of the embedded SQLite database: taken with ``VACUUM INTO`` (a consistent, compact
copy, even while other windows write), kept in a private ``backups`` folder beside the file,
thinned by a retention rule, and restored through SQLite's backup API after being verified.

PostgreSQL is backed up with its own tools (``pg_dump``/``pg_restore``, see docs/BACKUP.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpdesk_desktop.domain.errors import DatabaseError, InvalidInput, SchemaTooNew
from helpdesk_desktop.domain.i18n import N_, _
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import Database, make_private_dir

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_BEFORE = 5  # backups taken before risky work (upgrade, restore, permanent deletion)
_NAME = re.compile(r"^helpdesk-(\d{8}-\d{6})-([a-z]+(?:-[a-z]+)*)(?:-\d+)?\.sqlite3$")
PG_SENTENCE = N_("On PostgreSQL, back up and restore with pg_dump and pg_restore "
                 "(see docs/BACKUP.md).")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime  # local time, from the name
    kind: str  # "daily", "manual", "before-upgrade", "before-restore", "before-delete"
    size: int


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Backup]:
    """The backups of the database at ``db_path``, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            found.append(Backup(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def _sqlite_path(database: Database) -> Path:
    path = database.path
    if path is None:
        raise InvalidInput(_(PG_SENTENCE) if database.dialect == "postgresql"
                           else _("Only a database file can be backed up."))
    return path


def back_up(database: Database, kind: str = "manual", *,
            now: dt.datetime | None = None) -> Path:
    """Write a verified copy of the database into its backups folder (0600 in 0700) and
    apply the retention rule; returns the new file."""
    return back_up_file(_sqlite_path(database), kind, now=now)


def back_up_file(db_path: Path, kind: str = "manual", *,
                 now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(db_path)
    make_private_dir(folder)
    target = folder / f"helpdesk-{stamp}-{kind}.sqlite3"
    counter = 1
    while target.exists():  # two backups within a second
        counter += 1
        target = folder / f"helpdesk-{stamp}-{kind}-{counter}.sqlite3"
    partial = folder / f".{target.name}.partial"
    try:
        partial.unlink(missing_ok=True)
        # VACUUM INTO writes into an empty file that exists: created private first.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.execute("VACUUM INTO ?", (str(partial),))
        finally:
            source.close()
        verify_backup(partial, quick=True)
        _fsync(partial)
        os.replace(partial, target)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error, InvalidInput) as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, InvalidInput):  # (its sentences are about a file to restore)
            reason = _("the copy failed its check")
        else:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DatabaseError(_("The backup could not be written ({reason}); nothing "
                              "was changed.").format(reason=reason)) from None
    apply_retention(db_path)
    return target


def backup_due(db_path: Path, today: dt.date | None = None) -> bool:
    """Whether today's daily backup has not been taken yet."""
    day = today or dt.date.today()
    return not any(b.kind == "daily" and b.taken_at.date() == day
                   for b in list_backups(db_path))


def apply_retention(db_path: Path) -> list[Path]:
    """Thin the automatic backups: the newest of each of the last 7 days that have one, the
    newest of each of the last 4 weeks, and the last 5 taken before risky work. Backups made
    on request ("manual") are never removed. Returns the removed files."""
    backups = list_backups(db_path)
    keep: set[Path] = set()
    daily = [b for b in backups if b.kind == "daily"]
    days: dict[dt.date, Backup] = {}
    weeks: dict[tuple[int, int], Backup] = {}
    for b in daily:  # newest first: the first seen of a day or a week is its newest
        days.setdefault(b.taken_at.date(), b)
        weeks.setdefault(b.taken_at.isocalendar()[:2], b)
    keep.update(b.path for b in list(days.values())[:KEEP_DAILY])
    keep.update(b.path for b in list(weeks.values())[:KEEP_WEEKLY])
    keep.update(b.path for b in [b for b in backups if b.kind.startswith("before-")]
                [:KEEP_BEFORE])
    removed = []
    for b in backups:
        if b.kind != "manual" and b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def verify_backup(path: Path, *, quick: bool = False) -> str:
    """Refuse a file that is not a sound database of this program; returns its schema
    revision.

    ``quick`` (for a copy this program has just written with ``VACUUM INTO``, which builds
    every index again from its table's rows) checks pages and records (``quick_check``)
    without comparing each index with its table, which ``integrity_check`` does for a file
    of unknown origin: 17 s instead of 136 s on the 5 GB file of a million tickets."""
    if not path.is_file():
        raise InvalidInput(_("There is no file {path}.").format(path=path))
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput(_("{path} cannot be opened ({exc}).").format(path=path,
                                                                        exc=exc)) from None
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in connection.execute(f"PRAGMA {pragma}(5)")]
        if rows != ["ok"]:
            raise InvalidInput(_("{path} is damaged ({rows}); it cannot be restored.").format(
                                   path=path, rows=rows[0]))
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            revision = None
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(_("{path} is not a Help Desk Desktop database ({exc}).").format(
                               path=path, exc=exc)) from None
    finally:
        connection.close()
    if revision is None:
        raise InvalidInput(_("{path} is not a Help Desk Desktop database (no schema "
                             "revision).").format(path=path))
    if not migrations.is_known(revision[0]):
        raise SchemaTooNew(_("{path} was written by a newer version of Help Desk "
                             "Desktop (schema {revision}); update the program to "
                             "restore it.").format(path=path, revision=revision[0]))
    return str(revision[0])


def restore(db_path: Path, backup: Path, progress: Progress | None = None) -> Path:
    """Replace the database's content with ``backup``, after verifying the backup and
    backing up the current database; returns that safety backup.

    The copy goes through SQLite's backup API into the live file, under its locks, so a
    window that has the database open sees the restored content instead of a file swapped
    under it. The caller reopens the database afterwards (which upgrades an older schema).
    """
    backup = backup.expanduser().resolve()
    if backup == db_path.resolve():
        raise InvalidInput(_("That is the database itself, not a backup of it."))
    verify_backup(backup)
    safety = back_up_file(db_path, "before-restore") if db_path.exists() else None
    source = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(db_path, timeout=30)
        try:
            target.execute("PRAGMA busy_timeout=30000")

            if progress is not None:
                progress(0, 1)
            # All pages in one step: one write transaction on the target, so a crash half-way
            # leaves the old content (rolled back by SQLite), never a mix.
            source.backup(target)
            if progress is not None:
                progress(1, 1)
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise DatabaseError(
            _("The restore failed ({error}); the database is as it was (and backed up as "
              "{backup}).").format(error=exc, backup=safety) if safety else
            _("The restore failed ({error}); the database is as it was.").format(error=exc)
        ) from None
    finally:
        source.close()
    return safety if safety is not None else db_path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
