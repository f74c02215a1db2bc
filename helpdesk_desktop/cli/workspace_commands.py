"""Workspace-level commands: ``init``, ``demo`` and ``purge``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import result_line
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _, ngettext, number

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk


#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("init", "demo", "purge", "branding")


def register(subparsers: Any) -> None:
    init = subparsers.add_parser("init", help=_("create a workspace with its first admin"))
    init.add_argument("--admin-name", required=True, metavar=_("NAME"),
                      help=_("the admin's full name"))
    init.add_argument("--admin-email", required=True, metavar=_("EMAIL"),
                      help=_("the admin's e-mail address"))
    init.set_defaults(handler=run_init, needs_user=False, creates_database=True)

    demo_parser = subparsers.add_parser(
        "demo", help=_("fill the database with realistic demo data"),
        description=_("Create the demo workspace (agents, inboxes, pipelines, customers) if "
                      "the database is empty, then add demo tickets. On a database that "
                      "already holds a workspace, the tickets are added to it."))
    demo_parser.add_argument("--tickets", type=resolve.integer, default=2000, metavar="N",
                             help=_("how many tickets to create (default: %(default)s)"))
    demo_parser.add_argument("--seed", type=resolve.integer, default=0, metavar="S",
                             help=_("random seed: the same seed gives the same data "
                                    "(default: %(default)s)"))
    demo_parser.set_defaults(handler=run_demo, needs_user=False, creates_database=True)

    purge = subparsers.add_parser(
        "purge", help=_("permanently delete tickets that were deleted more than 90 days ago"))
    purge.set_defaults(handler=run_purge)

    brand = subparsers.add_parser(
        "branding", help=_("show or set the company name and logo printed on transcripts"),
        description=_("Without options, show the company name and whether a logo is set."))
    brand.add_argument("--company-name", metavar=_("NAME"), default=None,
                       help=_("the company name ('' to remove it)"))
    logo = brand.add_mutually_exclusive_group()
    logo.add_argument("--logo", metavar=_("PATH"), type=Path, default=None,
                      help=_("a PNG or JPEG file (at most 1 MB)"))
    logo.add_argument("--no-logo", action="store_true", help=_("remove the logo"))
    brand.set_defaults(handler=run_branding)


def run_init(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    admin_id = desk.create_workspace(args.admin_name, args.admin_email)
    out.write(_("Workspace created; {admin_email} is its admin (user #{admin_id}).").format(
                  admin_email=args.admin_email.strip().lower(), admin_id=admin_id) + "\n")
    return 0


def run_demo(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    if args.tickets < 0:
        raise InvalidInput(_("--tickets cannot be negative."))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if total:
            out.write(_("  {done}/{total} tickets").format(done=number(done), total=number(total)) + "\n")
            out.flush()

    unfinished = desk.interrupted_demo()
    if unfinished is not None:
        out.write(_("An earlier demo build stopped after {done} of {tickets} "
                    "tickets; finishing it first.").format(
                      done=number(unfinished['done']),
                      tickets=number(unfinished['tickets'])) + "\n")
        desk.finish_demo(progress)
    summary = desk.generate_demo(args.tickets, progress, seed=args.seed)
    elapsed = time.perf_counter() - started
    if summary["created_workspace"]:
        added = _("Added {tickets} tickets ({spam} spam, {messages} messages, "
                  "{waiting} conversations waiting in conversations inboxes) to a new "
                  "demo workspace in {seconds} s.")
    else:
        added = _("Added {tickets} tickets ({spam} spam, {messages} messages, "
                  "{waiting} conversations waiting in conversations inboxes) to the "
                  "existing workspace in {seconds} s.")
    out.write(added.format(tickets=number(summary["tickets"]),
                           spam=number(summary["spam_tickets"]),
                           messages=number(summary["messages"]),
                           waiting=number(summary["inbox_conversations"]),
                           seconds=number(elapsed, decimals=1)) + "\n")
    if summary["created_workspace"]:
        out.write(_("Sign in as admin@example.com, lead@example.com, "
                    "agent@example.com or sales@example.com (--as EMAIL).") + "\n")
    return 0


def run_purge(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    out.write(result_line(desk.purge()) + "\n")
    return 0


def run_branding(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    if args.company_name is not None or args.logo is not None or args.no_logo:
        logo = None
        if args.logo is not None:
            try:
                logo = args.logo.read_bytes()
            except OSError as exc:
                raise InvalidInput(_("Cannot read {logo}: {strerror}.").format(
                                       logo=args.logo, strerror=exc.strerror or exc)) from exc
        desk.set_branding(company_name=args.company_name, logo=logo, clear_logo=args.no_logo)
    current = desk.branding()
    size = len(current.logo) if current.logo else 0
    logo = (ngettext("{count} byte", "{count} bytes", size).format(count=number(size)) if size
            else _("none"))
    out.write(_("Company name: {name}").format(name=current.company_name or _("(none)")) + "\n")
    out.write(_("Logo: {logo}").format(logo=logo) + "\n")
    return 0
