"""``tickets ...``: listing, showing and acting on tickets."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import (
    print_json,
    result_line,
    ticket_detail_json,
    ticket_line,
    ticket_row_json,
    ticket_text,
)
from helpdesk_desktop.domain.enums import Category, Priority, SortKey, View
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.services.dto import (
    Bulk,
    BulkResult,
    Erased,
    OpResult,
    PageCursor,
    TicketChanges,
    TicketFilters,
    TicketQuery,
    TicketRow,
)

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk

PAGE = 500


def _view(value: str) -> View:
    try:
        return View(value.strip().lower().replace("-", "_"))
    except ValueError:
        choices = ", ".join(v.value.replace("_", "-") for v in View)
        raise argparse.ArgumentTypeError(
            _("unknown view '{value}' (choose from {choices})").format(
                value=value, choices=choices)) from None


_ticket_id = resolve.id_argument("ticket")


def _choice(kind: type[Priority | Category]) -> Any:
    def parse(value: str) -> Priority | Category | None:
        text = value.strip().lower().replace("-", "_").replace(" ", "_")
        if resolve.is_none(text):
            return None
        try:
            return kind(text)
        except ValueError:
            choices = ", ".join(m.value for m in kind)
            raise argparse.ArgumentTypeError(
                _("'{value}' is not one of: {choices}").format(
                    value=value, choices=f"{choices}, none")) from None
    return parse


#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("tickets",)


def register(subparsers: Any) -> None:
    tickets = subparsers.add_parser("tickets", help=_("list, show and change tickets"))
    one, several = _("the ticket's number"), _("the tickets' numbers")
    commands = tickets.add_subparsers(dest="tickets_command", metavar=_("SUBCOMMAND"))

    listing = commands.add_parser("list", help=_("list tickets of a view"))
    listing.add_argument("--view", type=_view, default=View.ALL_OPEN, metavar=_("VIEW"),
                         help=_("all-open (default), assigned-to-me, unassigned, following, "
                                "unread, spam, recently-deleted, closed, all"))
    listing.add_argument("--search", default="", metavar=_("TEXT"),
                         help=_("only tickets whose name or messages match"))
    listing.add_argument("--status", metavar="S", help=_("only this status (name or id)"))
    listing.add_argument("--priority", type=_filter_choice(Priority), action="append",
                         default=[], metavar="P",
                         help=_("only this priority (repeat for several): {choices}").format(
                             choices=", ".join(p.value for p in Priority)))
    listing.add_argument("--owner", action="append", default=[], metavar=_("EMAIL"),
                         help=_("only tickets owned by this user; 'none': unassigned "
                                "(repeat for several)"))
    listing.add_argument("--category", type=_filter_choice(Category), action="append",
                         default=[], metavar="C",
                         help=_("only this category (repeat for several): {choices}").format(
                             choices=", ".join(c.value for c in Category)))
    listing.add_argument("--pipeline", action="append", default=[], metavar="P",
                         help=_("only this pipeline, by name or id (repeat for several)"))
    listing.add_argument("--inbox", action="append", default=[], metavar="I",
                         help=_("only this inbox, by name or id (repeat for several)"))
    listing.add_argument("--sort", type=_sort, default=(SortKey.LAST_ACTIVITY, True),
                         metavar=_("COLUMN[:desc]"),
                         help=_("sort on {columns}; ascending unless ':desc' follows "
                                "(default: last-activity:desc, as in the window)").format(
                             columns=", ".join(k.value.replace("_", "-") for k in SortKey)))
    listing.add_argument("--limit", type=resolve.positive_number, default=50, metavar="N",
                         help=_("at most N tickets (default: %(default)s)"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_list)

    show = commands.add_parser("show", help=_("show a ticket and its conversations"))
    show.add_argument("ticket", type=_ticket_id, metavar="ID", help=one)
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=run_show)

    update = commands.add_parser("update",
                                 help=_("change the properties of one or more tickets"))
    update.add_argument("tickets", type=_ticket_id, nargs="+", metavar="ID",
                        help=several)
    update.add_argument("--owner", metavar=_("EMAIL"), help=_("new owner; 'none' unassigns"))
    # SUPPRESS: an absent option leaves no attribute, so "--priority none" (None) differs.
    update.add_argument("--priority", type=_choice(Priority), metavar="P",
                        default=argparse.SUPPRESS, help=_("low, medium, high, urgent or none"))
    update.add_argument("--category", type=_choice(Category), metavar="C",
                        default=argparse.SUPPRESS,
                        help=_("product_issue, billing_issue, feature_request, "
                               "general_inquiry or none"))
    update.add_argument("--status", metavar="S", help=_("status name or id"))
    update.add_argument("--name", metavar=_("TEXT"), help=_("new ticket name"))
    update.set_defaults(handler=run_update)

    for name, help_text, handler in (
        ("follow", _("follow tickets"), run_follow),
        ("unfollow", _("stop following tickets"), run_unfollow),
        ("mark-read", _("mark tickets as read"), run_mark_read),
        ("mark-unread", _("mark tickets as unread"), run_mark_unread),
    ):
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("tickets", type=_ticket_id, nargs="+", metavar="ID",
                        help=several)
        parser.set_defaults(handler=handler)

    reply = commands.add_parser(
        "reply", help=_("reply to the customer (queued; 'outbox flush' sends it)"))
    reply.add_argument("ticket", type=_ticket_id, metavar="ID", help=one)
    text = reply.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", metavar="T", help=_("the reply"))
    text.add_argument("--text-file", metavar="F",
                      help=_("read the reply from a UTF-8 file ('-': standard input)"))
    reply.add_argument("--to", action="extend", nargs="+", metavar=_("EMAIL"),
                       help=_("recipient (default: the conversation's contact); repeatable"))
    reply.add_argument("--cc", action="extend", nargs="+", default=[], metavar=_("EMAIL"),
                       help=_("copy to this address; repeatable"))
    reply.add_argument("--conversation", type=resolve.id_argument("conversation"),
                       metavar="ID", help=_("conversation to answer (default: the latest)"))
    reply.set_defaults(handler=run_reply)

    note = commands.add_parser("note", help=_("add an internal note"))
    note.add_argument("ticket", type=_ticket_id, metavar="ID", help=one)
    note.add_argument("--text", required=True, metavar="T", help=_("the note"))
    note.add_argument("--conversation", type=resolve.id_argument("conversation"),
                      metavar="ID", help=_("conversation (default: the latest)"))
    note.set_defaults(handler=run_note)

    split = commands.add_parser("split", help=_("move messages to a new ticket"))
    split.add_argument("ticket", type=_ticket_id, metavar="ID", help=one)
    split.add_argument("--messages", required=True, metavar="M1,M2",
                       help=_("comma-separated message ids"))
    split.add_argument("--name", metavar=_("TEXT"), help=_("name of the new ticket"))
    split.set_defaults(handler=run_split)

    primary, secondary = _("PRIMARY"), _("SECONDARY")
    merge = commands.add_parser("merge", help=_("merge {secondary} into {primary}").format(
        secondary=secondary, primary=primary))
    merge.add_argument("primary", type=_ticket_id, metavar=primary,
                       help=_("the ticket that stays"))
    merge.add_argument("secondary", type=_ticket_id, metavar=secondary,
                       help=_("the ticket merged into it, which then redirects to it"))
    merge.set_defaults(handler=run_merge)

    spam = commands.add_parser("spam", help=_("mark a ticket, or some of its conversations, "
                                              "as spam"))
    spam.add_argument("ticket", type=_ticket_id, metavar="ID", help=one)
    spam.add_argument("--conversations", metavar="C1,C2",
                      help=_("only these conversations (comma-separated ids)"))
    spam.set_defaults(handler=run_spam)

    not_spam = commands.add_parser("not-spam", help=_("bring a spam ticket back"))
    not_spam.add_argument("ticket", type=_ticket_id, metavar="ID", help=one)
    not_spam.set_defaults(handler=run_not_spam)

    delete = commands.add_parser("delete",
                                 help=_("move tickets to the recently deleted view"))
    delete.add_argument("tickets", type=_ticket_id, nargs="+", metavar="ID",
                        help=several)
    delete.add_argument("--confirm-count", type=resolve.integer, required=True, metavar="N",
                        help=_("the number of tickets you expect to delete (a safety check)"))
    delete.set_defaults(handler=run_delete)

    restore = commands.add_parser("restore", help=_("restore deleted tickets"))
    restore.add_argument("tickets", type=_ticket_id, nargs="+", metavar="ID",
                        help=several)
    restore.set_defaults(handler=run_restore)

    erase = commands.add_parser("delete-permanently",
                                help=_("erase tickets in the trash or the spam for good"))
    erase.add_argument("tickets", type=_ticket_id, nargs="+", metavar="ID",
                        help=several)
    erase.set_defaults(handler=run_delete_permanently)

    unmerge = commands.add_parser("unmerge", help=_("undo the merge of ticket ID (the merged "
                                                    "ticket's old number; super admins)"))
    unmerge.add_argument("ticket", type=_ticket_id, metavar="ID",
                         help=_("the merged ticket's old number"))
    unmerge.set_defaults(handler=run_unmerge)

    undo = commands.add_parser("undo", help=_("undo your latest reversible operation"))
    undo.set_defaults(handler=run_undo)


# -- reading -------------------------------------------------------------------------------


def _filter_choice(kind: type[Priority | Category]) -> Any:
    parse = _choice(kind)

    def parse_value(value: str) -> Priority | Category:
        chosen = parse(value)
        if chosen is None:
            raise argparse.ArgumentTypeError(
                _("'{value}' cannot be a filter; choose one of: {choices}").format(
                    value=value, choices=", ".join(m.value for m in kind)))
        return chosen  # type: ignore[no-any-return]
    return parse_value


def _sort(value: str) -> tuple[SortKey, bool]:
    column, _colon, direction = value.strip().lower().partition(":")
    if direction not in ("", "asc", "desc"):
        raise argparse.ArgumentTypeError(
            _("'{value}': the direction is 'asc' or 'desc'").format(value=value))
    try:
        key = SortKey(column.replace("-", "_"))
    except ValueError:
        choices = ", ".join(k.value.replace("_", "-") for k in SortKey)
        raise argparse.ArgumentTypeError(
            _("cannot sort on '{column}' (choose from {choices})").format(
                column=column, choices=choices)) from None
    return key, direction == "desc"


def _owner_ids(desk: Desk, values: list[str]) -> tuple[int | None, ...]:
    users = {u.email.casefold(): u.id for u in desk.users()}
    found: list[int | None] = []
    for value in values:
        if resolve.is_none(value):
            found.append(None)
        elif value.strip().casefold() in users:
            found.append(users[value.strip().casefold()])
        else:
            raise NotFound(_("No user with the e-mail address '{value}'.").format(value=value))
    return tuple(found)


def _list_filters(args: argparse.Namespace, desk: Desk) -> TicketFilters:
    return TicketFilters(
        status_ids=_status_ids(desk, args.status) if args.status else (),
        priorities=tuple(args.priority),
        owner_ids=_owner_ids(desk, args.owner),
        categories=tuple(args.category),
        pipeline_ids=tuple(resolve.pipeline(desk, p).id for p in args.pipeline),
        inbox_ids=tuple(resolve.inbox(desk, i).id for i in args.inbox),
    )


def run_list(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    sort, descending = args.sort
    query = TicketQuery(view=args.view, filters=_list_filters(args, desk),
                        search=args.search or "", sort=sort, descending=descending)
    rows: list[TicketRow] = []
    cursor: PageCursor | None = None
    while len(rows) < args.limit:
        page = desk.list_tickets(query, limit=min(PAGE, args.limit - len(rows)), after=cursor)
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    if args.json:
        print_json([ticket_row_json(row) for row in rows], out)
    else:
        out.writelines(ticket_line(row) + "\n" for row in rows)
        count = len(rows)
        line = ngettext("{count} ticket", "{count} tickets", count).format(count=count)
        if cursor is not None:
            line = ngettext("{count} ticket (more not shown; raise --limit)",
                            "{count} tickets (more not shown; raise --limit)",
                            count).format(count=count)
        out.write(line + "\n")
    return 0


def _status_ids(desk: Desk, value: str) -> tuple[int, ...]:
    """Every status with this name (in any pipeline), or the one with this id."""
    statuses = [s for p in desk.pipelines() for s in p.statuses]
    text, number = value.strip(), resolve.parse_number(value)
    found = tuple(s.id for s in statuses
                  if s.id == number or s.name.casefold() == text.casefold())
    if not found:
        names = ", ".join(sorted({f"'{s.name}'" for s in statuses}))
        raise NotFound(_("No status '{value}' (choose from {names}).").format(
                           value=value, names=names))
    return found


def run_show(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    detail = desk.ticket(args.ticket)
    if args.json:
        print_json(ticket_detail_json(detail), out)
    else:
        out.write(ticket_text(detail, desk.me().time_zone) + "\n")
    return 0


# -- writing -------------------------------------------------------------------------------


def _report(result: OpResult[Any], out: TextIO) -> int:
    out.write(result_line(result) + "\n")
    return 0


def run_update(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    changes = TicketChanges()
    if args.name is not None:
        changes = replace(changes, name=args.name)
    if args.owner is not None:
        changes = replace(changes, owner=resolve.user_id(desk, args.owner))
    if hasattr(args, "priority"):
        changes = replace(changes, priority=args.priority)
    if hasattr(args, "category"):
        changes = replace(changes, category=args.category)
    if args.status is not None:
        rows = desk.rows(args.tickets[:1])
        pipelines = desk.pipelines()
        first = rows.get(args.tickets[0])
        prefer = next((p for p in pipelines if first is not None
                       and p.id == first.pipeline_id), None)
        status = resolve.status(args.status, pipelines, prefer=prefer)
        changes = replace(changes, pipeline=status.pipeline_id, status=status.id)
    if not changes:
        raise InvalidInput(_("Nothing to change: give --owner, --priority, "
                             "--category, --status or --name."))
    if len(args.tickets) == 1:
        return _report(desk.update(args.tickets[0], changes), out)
    return _report_bulk(desk.update_many(args.tickets, changes), out)


def _report_bulk(result: BulkResult | OpResult[Erased], out: TextIO) -> int:
    """The summary line, then one line per refused ticket; exit 2 when every one refused
    (the services raise the first refusal then, so its own exit code wins)."""
    payload = result.payload
    done = payload.done if isinstance(payload, Bulk) else payload.ticket_ids
    out.write(result_line(result) + "\n")
    out.writelines(f"  #{refusal.ticket_id}: {refusal.reason}\n" for refusal in payload.refusals)
    return 2 if payload.refusals and not done else 0


def run_follow(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.follow(args.tickets), out)


def run_unfollow(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.unfollow(args.tickets), out)


def run_mark_read(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.mark_read(args.tickets), out)


def run_mark_unread(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.mark_unread(args.tickets), out)


def run_split(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    message_ids = resolve.id_list(args.messages, "message")
    details: dict[str, Any] = {}
    if args.name is not None:
        details["name"] = args.name
    result = desk.split(args.ticket, message_ids, **details)
    _report(result, out)
    if result.created_ticket_ids:
        ids = ", ".join(f"#{i}" for i in result.created_ticket_ids)
        out.write(ngettext("New ticket: {ids}", "New tickets: {ids}",
                           len(result.created_ticket_ids)).format(ids=ids) + "\n")
    return 0


def run_merge(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report(desk.merge(args.primary, args.secondary), out)


def run_spam(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    conversations = (resolve.id_list(args.conversations, "conversation")
                     if args.conversations is not None else None)
    return _report(desk.mark_spam(args.ticket, conversations), out)


def run_not_spam(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report(desk.not_spam(args.ticket), out)


def run_delete(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.delete(args.tickets, args.confirm_count), out)


def run_restore(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.restore(args.tickets), out)


def _reply_text(args: argparse.Namespace) -> str:
    if args.text is not None:
        return str(args.text)
    try:
        if args.text_file == "-":
            return sys.stdin.read()
        with open(args.text_file, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(_("Cannot read the reply from '{text_file}' ({exc}).").format(
                               text_file=args.text_file,
                               exc=getattr(exc, "strerror", None) or exc)) from None


def run_reply(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    result = desk.reply(args.ticket, _reply_text(args), args.conversation,
                        to=args.to, cc=args.cc)
    line = result_line(result)
    if result.payload.outbox_id is not None:
        line += f" (outbox #{result.payload.outbox_id})"
    out.write(line + "\n")
    return 0


def run_note(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report(desk.add_note(args.ticket, args.text, args.conversation), out)


def run_delete_permanently(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report_bulk(desk.delete_permanently(args.tickets), out)


def run_unmerge(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    return _report(desk.unmerge(args.ticket), out)


def run_undo(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    result = desk.undo_last()
    out.write(_("Undone: {result}").format(result=result_line(result)) + "\n")
    return 0
