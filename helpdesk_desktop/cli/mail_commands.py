"""``import-mail PATH...``: take in ``.eml`` files, mboxes and Maildirs, one outcome per
message (created, joined, duplicate, skipped, refused). ``sender-rules``: an inbox's allow
and deny lists."""

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

    rules = subparsers.add_parser("sender-rules", help="an inbox's allow and deny lists")
    commands = rules.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    listing = commands.add_parser("list", help="the allow and deny entries of an inbox")
    listing.add_argument("inbox", metavar="INBOX", help="inbox name or id")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_rules_list)
    for verb, helptext in (("allow", "never file mail from this sender or domain as spam"),
                           ("deny", "file new mail from this sender or domain as spam"),
                           ("remove", "take a sender or domain off the lists")):
        entry = commands.add_parser(verb, help=helptext)
        entry.add_argument("inbox", metavar="INBOX", help="inbox name or id")
        entry.add_argument("pattern", metavar="ADDRESS_OR_DOMAIN")
        entry.set_defaults(handler=run_rule_change, verb=verb)


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


def run_rules_list(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    inbox = resolve.inbox(desk, args.inbox)
    rules = desk.sender_rules(inbox.id)
    if args.json:
        print_json([{"pattern": r.pattern, "list": "allow" if r.allow else "deny"}
                    for r in rules], out)
        return 0
    out.writelines(f"{'allow' if rule.allow else 'deny':<6} {rule.pattern}\n" for rule in rules)
    return 0


def run_rule_change(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    inbox = resolve.inbox(desk, args.inbox)
    if args.verb == "remove":
        desk.remove_sender_rule(inbox.id, args.pattern)
        out.write(f"Removed {args.pattern.strip().lower()} from the lists of {inbox.name}.\n")
        return 0
    rule = desk.set_sender_rule(inbox.id, args.pattern, allow=args.verb == "allow")
    listed = "allow" if rule.allow else "deny"
    out.write(f"{rule.pattern} is on the {listed} list of {inbox.name}.\n")
    return 0
