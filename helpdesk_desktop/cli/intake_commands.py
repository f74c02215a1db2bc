"""``import-mail PATH...``: take in ``.eml`` files, mboxes and Maildirs, one outcome per
message (created, joined, duplicate, skipped, refused). ``set-aside``: what intake kept
aside, and its raw bytes. ``sender-rules``: an inbox's allow and deny lists."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import print_json
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _, ngettext

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk


#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("import-mail", "set-aside", "sender-rules")


def register(subparsers: Any) -> None:
    command = subparsers.add_parser(
        "import-mail", help=_("import .eml files, mbox mailboxes and Maildirs"),
        description=_("Import e-mail from files or folders (.eml, .mbox, Maildir) through "
                      "the same intake as IMAP. Prints what became of every message; a "
                      "refused message is kept aside with its reason. Exit status 0 unless "
                      "something crashed, whatever was refused."))
    command.add_argument("paths", nargs="+", metavar=_("PATH"), help=_("file or folder"))
    command.add_argument("--inbox", metavar=_("NAME"),
                         help=_("inbox name or id (default: the help desk)"))
    command.add_argument("--json", action="store_true",
                         help=_("print a JSON list: source, message_id, outcome, ticket_id, "
                                "reason"))
    command.set_defaults(handler=run_import)

    aside = subparsers.add_parser("set-aside", help=_("mail intake refused or skipped"))
    aside_commands = aside.add_subparsers(dest="aside_command", metavar=_("SUBCOMMAND"))
    aside_list = aside_commands.add_parser("list", help=_("newest first, with the reason"))
    aside_list.add_argument("--limit", type=resolve.positive_number, default=100, metavar="N",
                            help=_("at most N messages (default: %(default)s)"))
    aside_list.add_argument("--json", action="store_true", help=_("print JSON"))
    aside_list.set_defaults(handler=run_aside_list)
    aside_save = aside_commands.add_parser("save",
                                           help=_("write a message's raw bytes to a file"))
    aside_save.add_argument("item", type=resolve.id_argument("message"), metavar="ID",
                            help=_("the number 'set-aside list' shows"))
    aside_save.add_argument("file", metavar=_("FILE"),
                            help=_("where to write it ('-': stdout)"))
    aside_save.set_defaults(handler=run_aside_save)

    rules = subparsers.add_parser("sender-rules", help=_("an inbox's allow and deny lists"))
    commands = rules.add_subparsers(dest="rules_command", metavar=_("SUBCOMMAND"))
    listing = commands.add_parser("list", help=_("the allow and deny entries of an inbox"))
    listing.add_argument("inbox", metavar=_("INBOX"), help=_("inbox name or id"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_rules_list)
    for verb, helptext in (("allow", _("never file mail from this sender or domain as spam")),
                           ("deny", _("file new mail from this sender or domain as spam")),
                           ("remove", _("take a sender or domain off the lists"))):
        entry = commands.add_parser(verb, help=helptext)
        entry.add_argument("inbox", metavar=_("INBOX"), help=_("inbox name or id"))
        entry.add_argument("pattern", metavar=_("ADDRESS_OR_DOMAIN"),
                           help=_("an e-mail address, or a domain for all its addresses"))
        entry.set_defaults(handler=run_rule_change, verb=verb)


def run_import(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    from helpdesk_desktop.services.mail_import import summary  # the mail parser: only here

    inbox_id = resolve.inbox(desk, args.inbox).id if args.inbox is not None else None
    outcomes = desk.import_mail(args.paths, inbox_id)
    if args.json:
        print_json([o.as_json() for o in outcomes], out)
        return 0
    for o in outcomes:
        ticket = f"#{o.ticket_id}" if o.ticket_id is not None else "-"
        line = f"{o.outcome.value:<9} {ticket:>8}  {o.source}"
        if o.reason:
            line += f"  ({o.reason_text})"
        out.write(line + "\n")
    out.write(summary(outcomes) + "\n")
    return 0


def run_aside_list(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    items = desk.set_aside_mail(limit=args.limit)
    if args.json:
        print_json([{"id": i.id, "outcome": i.outcome, "source": i.source,
                     "message_id": i.message_id, "reason": i.reason,
                     "received_at": i.received_at, "inbox": i.inbox} for i in items], out)
        return 0
    out.writelines(f"{i.id:>6}  {i.outcome:<8} {i.source}  ({i.reason_text or i.reason})\n"
                   for i in items)
    return 0


def run_aside_save(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    raw = desk.set_aside_raw(args.item)
    if args.file == "-":
        out.write(raw.decode("utf-8", "replace"))
        return 0
    try:
        Path(args.file).write_bytes(raw)
    except OSError as error:
        raise InvalidInput(_("Cannot write {file}: {strerror}.").format(
                               file=args.file, strerror=error.strerror)) from None
    out.write(ngettext("Wrote {count} byte to {file}.", "Wrote {count} bytes to {file}.",
                       len(raw)).format(count=len(raw), file=args.file) + "\n")
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
        out.write(_("Removed {pattern} from the lists of {inbox_name}.").format(
                      pattern=args.pattern.strip().lower(), inbox_name=inbox.name) + "\n")
        return 0
    rule = desk.set_sender_rule(inbox.id, args.pattern, allow=args.verb == "allow")
    listed = (_("{pattern} is on the allow list of {inbox}.") if rule.allow
              else _("{pattern} is on the deny list of {inbox}."))
    out.write(listed.format(pattern=rule.pattern, inbox=inbox.name) + "\n")
    return 0
