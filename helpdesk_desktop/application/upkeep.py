"""The program's own upkeep: the day's backup, then the 90-day purge of the spam and the
trash. The window runs it at start and again while it stays open (ui/upkeep.py); it is one
call here so the CLI and the tests run exactly the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from helpdesk_desktop.domain.errors import DatabaseError
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.services import trash
from helpdesk_desktop.services.dto import Erased, OpResult
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage import backups
from helpdesk_desktop.storage.database import Database


@dataclass(frozen=True)
class UpkeepReport:
    backup: Path | None  # the day's backup, when this run took it
    purge: OpResult[Erased] | None  # None when the purge did not run (no backup today)
    problem: str = ""  # why something was skipped, as a sentence


def daily_upkeep(database: Database, *, today: dt.date | None = None) -> UpkeepReport:
    """Take today's backup if it is due (SQLite), then purge what has been in the spam or the
    trash for more than 90 days. Without a backup today, nothing is purged."""
    backup: Path | None = None
    path = database.path
    if path is not None and backups.backup_due(path, today):
        try:
            backup = backups.back_up(database, "daily")
        except DatabaseError as exc:
            return UpkeepReport(None, None, _("The daily backup failed, so nothing was purged: "
                                              "{error}").format(error=exc))
    result = trash.purge(UnitOfWork(database, None), scheduled=True)
    return UpkeepReport(backup, result)
