"""Keeping the data safe: ``check``, ``backup``, ``restore FILE`` and ``export``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.application import startup
from helpdesk_desktop.cli.safe_text import one_line
from helpdesk_desktop.domain.i18n import _, ngettext, number

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk

EXIT_PROBLEMS = 5  # ``check`` found problems that are still there


#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("check", "backup", "restore", "export")


def register(subparsers: Any) -> None:
    check = subparsers.add_parser(
        "check", help=_("check the database's integrity and the program's invariants"),
        description=_("Checks the database file (SQLite integrity_check, foreign keys, search "
                      "indexes) and the program's rules (every message reachable, merge "
                      "chains ending at a ticket, states consistent). Exit status {code} when "
                      "problems remain.").format(code=EXIT_PROBLEMS))
    check.add_argument("--repair", action="store_true",
                       help=_("fix what can be fixed (a backup is taken first)"))
    check.set_defaults(handler=run_check, needs_user=False, quick_check=False)

    backup = subparsers.add_parser(
        "backup",
        help=_("back up the database now (SQLite; PostgreSQL: see docs/BACKUP.md)"))
    backup.add_argument("--list", action="store_true", help=_("list the backups instead"))
    backup.set_defaults(handler=run_backup, needs_user=False)

    restore = subparsers.add_parser(
        "restore", help=_("replace the database with a backup (verified first; the current "
                          "database is backed up before it is replaced)"))
    restore.add_argument("file", type=Path, metavar=_("FILE"), help=_("the backup file"))
    restore.set_defaults(handler=run_restore, needs_user=False, quick_check=False,
                         creates_database=True)

    export = subparsers.add_parser(
        "export",
        help=_("write every ticket with its messages, notes and attachments to a file"))
    export.add_argument("--format", choices=("mbox", "json"), required=True,
                        help=_("mbox (for a mail program) or json"))
    export.add_argument("--output", "-o", type=Path, required=True, metavar=_("FILE"),
                        help=_("the file to write"))
    export.add_argument("--force", action="store_true", help=_("replace an existing file"))
    export.set_defaults(handler=run_export)




def run_check(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    if args.repair and desk.backup_folder() is not None:  # a file: back it up first
        out.write(_("Backed up to {path}.").format(path=desk.back_up("before-repair")) + "\n")
    report = desk.check(repair=args.repair)
    checks = ", ".join(report.checks + ("invariants",))
    out.write(_("Checked: {checks}.").format(checks=checks) + "\n")
    out.writelines(_("repaired: {problem}").format(problem=one_line(line)) + "\n"
                   for line in report.repaired)
    out.writelines(_("problem: {problem}").format(problem=one_line(line)) + "\n"
                   for line in report.problems)
    if report.damaged:
        out.write(_("The file itself is damaged: restore a backup with "
                    "'helpdesk-desktop restore FILE' (see 'helpdesk-desktop backup "
                    "--list').") + "\n")
    if report.ok:
        out.write((_("No problems found.") if not report.repaired
                   else _("All problems repaired.")) + "\n")
        return 0
    if not args.repair and not report.damaged:
        out.write(_("Run 'helpdesk-desktop check --repair' to fix what can be fixed.") + "\n")
    return EXIT_PROBLEMS


def run_backup(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    if args.list:
        found = desk.list_backups()
        out.writelines(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.kind:<15} {b.size / 1e6:8.1f} MB  "
                      f"{b.path}\n" for b in found)
        out.write(ngettext("{count} backup", "{count} backups",
                           len(found)).format(count=len(found)) + "\n")
        return 0
    path = desk.back_up("manual")
    out.write(_("Backed up to {path} (verified).").format(path=path) + "\n")
    return 0


def run_restore(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    safety = desk.restore_backup(args.file)
    desk.close()
    # Reopened as the window would: upgrades a backup of an older version, checks it.
    startup.open_database(desk.database_location()).dispose()
    out.write(_("Restored {file}. The previous content was backed up to {safety}.").format(
                  file=args.file, safety=safety) + "\n")
    return 0


def run_export(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    summary = desk.export(args.format, args.output, overwrite=args.force)
    tickets = ngettext("{count} ticket", "{count} tickets",
                       summary.tickets).format(count=number(summary.tickets))
    messages = ngettext("{count} message", "{count} messages",
                        summary.messages).format(count=number(summary.messages))
    attachments = ngettext("{count} attachment", "{count} attachments",
                           summary.attachments).format(count=number(summary.attachments))
    # Translators: "Exported 3 tickets (12 messages, 2 attachments) to FILE."
    out.write(_("Exported {tickets} ({messages}, {attachments}) to {path}.").format(
        tickets=tickets, messages=messages, attachments=attachments, path=summary.path) + "\n")
    return 0
