"""``conversations ...``: conversations in the inboxes, and moving them between inboxes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import conversation_json, print_json, result_line
from helpdesk_desktop.cli.safe_text import one_line
from helpdesk_desktop.domain.i18n import _, ngettext

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk


#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("conversations",)


def register(subparsers: Any) -> None:
    conversations = subparsers.add_parser("conversations",
                                          help=_("list and move conversations"))
    commands = conversations.add_subparsers(dest="conversations_command",
                                            metavar=_("SUBCOMMAND"))

    listing = commands.add_parser("list", help=_("conversations of an inbox"))
    listing.add_argument("inbox", metavar=_("INBOX"), help=_("inbox name or id"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_list)

    move = commands.add_parser(
        "move", help=_("move conversations to another inbox"),
        description=_("Move a conversation to another inbox. Into the help desk it gets a "
                      "ticket; out of the help desk give --pipeline and --status for the "
                      "ticket it leaves."))
    move.add_argument("conversations", type=resolve.id_argument("conversation"), nargs="+",
                      metavar="ID", help=_("the conversations' numbers"))
    move.add_argument("--to", required=True, metavar=_("INBOX"), help=_("inbox name or id"))
    move.add_argument("--owner", metavar=_("EMAIL"), help=_("ticket owner; 'none' unassigns"))
    move.add_argument("--pipeline", metavar="P", help=_("pipeline name or id"))
    move.add_argument("--status", metavar="S", help=_("status name or id"))
    move.add_argument("--comment", metavar=_("TEXT"),
                      help=_("an internal comment left on the move"))
    move.set_defaults(handler=run_move)


def run_list(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    inbox = resolve.inbox(desk, args.inbox)
    conversations = desk.inbox_conversations(inbox.id)
    if args.json:
        print_json([{**conversation_json(c), "ticket_id": c.ticket_id} for c in conversations],
                   out)
        return 0
    for c in conversations:
        ticket = (_("ticket #{ticket_id}").format(ticket_id=c.ticket_id) if c.ticket_id
                  else _("no ticket"))
        contact = c.contact.email if c.contact and c.contact.email else "-"
        out.write(f"{c.id:>7}  {ticket:<14} {one_line(contact)[:30]:<30} "
                  f"{one_line(c.subject)}\n")
    out.write(ngettext("{count} conversation in {inbox}", "{count} conversations in {inbox}",
                       len(conversations)).format(count=len(conversations),
                                                  inbox=inbox.name) + "\n")
    return 0


def run_move(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    inbox = resolve.inbox(desk, args.to)
    options: dict[str, Any] = {}
    if args.owner is not None:
        options["owner_id"] = resolve.user_id(desk, args.owner)
    pipelines = desk.pipelines()
    pipeline = resolve.pipeline(desk, args.pipeline) if args.pipeline is not None else None
    if pipeline is not None:
        options["pipeline_id"] = pipeline.id
    if args.status is not None:
        scope = [pipeline] if pipeline is not None else pipelines
        status = resolve.status(args.status, scope, prefer=pipeline)
        options["status_id"] = status.id
        options.setdefault("pipeline_id", status.pipeline_id)
    if args.comment is not None:
        options["comment"] = args.comment
    if len(args.conversations) == 1:
        result = desk.move_conversation(args.conversations[0], inbox.id, **options)
        out.write(result_line(result) + "\n")
        return 0
    moved = desk.move_many(args.conversations, inbox.id, **options)
    out.write(result_line(moved) + "\n")
    out.writelines("  " + _("conversation #{conversation_id}: {reason}").format(
                       conversation_id=refusal.ticket_id, reason=refusal.reason) + "\n"
                   for refusal in moved.payload.refusals)
    return 0
