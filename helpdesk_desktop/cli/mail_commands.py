"""``import-mail PATH...``: take in ``.eml`` files, mboxes and Maildirs, one outcome per
message (created, joined, duplicate, skipped, refused)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import print_json
from helpdesk_desktop.services.mail_import import summary


def register(subparsers: Any) -> None:
    command = subparsers.add_parser(
        "import-mail", help="import .eml files, mbox mailboxes and Maildirs",
        description="Import e-mail from files or folders (.eml, .mbox, Maildir) through the "
                    "same intake as IMAP. Prints what became of every message; a refused "
                    "message is kept aside with its reason. Exit status 0 unless something "
                    "crashed, whatever was refused.")
    command.add_argument("paths", nargs="+", metavar="PATH", help="file or folder")
    command.add_argument("--inbox", metavar="NAME", help="inbox name or id (default: the "
                                                         "help desk)")
    command.add_argument("--json", action="store_true",
                         help="print a JSON list: source, message_id, outcome, ticket_id, "
                              "reason")
    command.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    inbox_id = resolve.inbox(desk, args.inbox).id if args.inbox is not None else None
    outcomes = desk.import_mail(args.paths, inbox_id)
    if args.json:
        print_json([o.as_json() for o in outcomes], out)
        return 0
    for o in outcomes:
        ticket = f"#{o.ticket_id}" if o.ticket_id is not None else "-"
        line = f"{o.outcome.value:<9} {ticket:>8}  {o.source}"
        if o.reason:
            line += f"  ({o.reason})"
        out.write(line + "\n")
    out.write(summary(outcomes) + "\n")
    return 0
