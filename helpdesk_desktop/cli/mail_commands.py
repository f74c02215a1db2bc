"""``inbox ...`` and ``outbox ...``: connecting inboxes to mailboxes, fetching, sending."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import print_json, result_line
from helpdesk_desktop.domain.enums import MailAuth, MailSecurity, OutboxState
from helpdesk_desktop.domain.errors import HelpDeskError, InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.services.mail.accounts import MailAccountInfo, MailSettings
from helpdesk_desktop.services.mail.outbox import OutboxEntry

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk


def _security(value: str) -> MailSecurity:
    try:
        return MailSecurity(value.strip().lower())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not one of: {choices}").format(
                value=value, choices="tls, starttls, none")) from None


def _state(value: str) -> OutboxState:
    try:
        return OutboxState(value.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in OutboxState)
        raise argparse.ArgumentTypeError(
            _("'{value}' is not one of: {choices}").format(value=value, choices=choices)
        ) from None


#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("inbox", "outbox")


def register(subparsers: Any) -> None:
    inbox = subparsers.add_parser("inbox", help=_("connect inboxes to mailboxes, fetch mail"))
    commands = inbox.add_subparsers(dest="inbox_command", metavar=_("SUBCOMMAND"))

    connect = commands.add_parser(
        "connect", help=_("connect an inbox to a mailbox (IMAP in, SMTP out)"),
        description=_("Connect the inbox {name} to a mailbox. The password goes to the OS "
                      "keyring (--password-stdin reads it from the first line of standard "
                      "input).").format(name=_("NAME")))
    connect.add_argument("name", metavar=_("NAME"), help=_("inbox name or id"))
    connect.add_argument("--imap-host", required=True, metavar=_("HOST"),
                         help=_("the IMAP server that receives the mail"))
    connect.add_argument("--imap-port", type=resolve.positive_number, default=0, metavar="N",
                         help=_("default: 993 with tls, 143 with starttls or none"))
    connect.add_argument("--imap-security", type=_security, default=MailSecurity.TLS,
                         metavar="S", help=_("tls (default), starttls, or none (localhost "
                                             "only)"))
    connect.add_argument("--imap-user", default="", metavar=_("USER"),
                         help=_("default: --user"))
    connect.add_argument("--folder", default="INBOX", metavar=_("FOLDER"),
                         help=_("IMAP folder (default: %(default)s)"))
    connect.add_argument("--mark-seen", action="store_true",
                         help=_("mark fetched mail as read on the server (default: leave it)"))
    connect.add_argument("--poll-seconds", type=resolve.positive_number, default=60,
                         metavar="N", help=_("polling interval where IDLE is missing "
                                             "(default: %(default)s)"))
    connect.add_argument("--smtp-host", required=True, metavar=_("HOST"),
                         help=_("the SMTP server that sends the replies"))
    connect.add_argument("--smtp-port", type=resolve.positive_number, default=0, metavar="N",
                         help=_("default: 465 with tls, 587 with starttls, 25 with none"))
    connect.add_argument("--smtp-security", type=_security, default=MailSecurity.STARTTLS,
                         metavar="S", help=_("starttls (default), tls, or none (localhost "
                                             "only)"))
    connect.add_argument("--smtp-user", default="", metavar=_("USER"),
                         help=_("default: --user"))
    connect.add_argument("--user", required=True, metavar=_("USER"), help=_("mailbox login"))
    connect.add_argument("--address", required=True, metavar=_("EMAIL"),
                         help=_("sender address of replies"))
    connect.add_argument("--sender-name", default="", metavar=_("NAME"),
                         help=_("shown after the agent's name in From"))
    connect.add_argument("--undo-seconds", type=resolve.integer, default=10, metavar="N",
                         help=_("undo-send delay before a reply leaves (default: "
                                "%(default)s)"))
    connect.add_argument("--oauth2", metavar=_("PROVIDER"), choices=("microsoft", "google"),
                         help=_("sign in with OAuth2 (SASL XOAUTH2) instead of a password: "
                                "microsoft or google"))
    connect.add_argument("--password-stdin", action="store_true",
                         help=_("read the password from standard input"))
    connect.set_defaults(handler=run_connect)

    listing = commands.add_parser("list", help=_("inboxes connected to a mailbox"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_list)

    for name, help_text, handler in (("test", _("log in to both servers, say what fails"),
                                      run_test),
                                     ("fetch", _("fetch new mail once"), run_fetch)):
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("name", metavar=_("NAME"), help=_("inbox name or id"))
        parser.add_argument("--password-stdin", action="store_true",
                            help=_("use this password (for this command only)"))
        if name == "fetch":
            parser.add_argument("--json", action="store_true", help=_("print JSON"))
        parser.set_defaults(handler=handler)

    disconnect = commands.add_parser("disconnect", help=_("forget an inbox's mailbox"))
    disconnect.add_argument("name", metavar=_("NAME"), help=_("inbox name or id"))
    disconnect.set_defaults(handler=run_disconnect)

    outbox = subparsers.add_parser("outbox",
                                   help=_("outgoing mail: list, flush, retry, cancel"))
    out_commands = outbox.add_subparsers(dest="outbox_command", metavar=_("SUBCOMMAND"))
    out_list = out_commands.add_parser("list", help=_("outgoing mail, newest first"))
    out_list.add_argument("--state", type=_state, action="append", default=[], metavar="S",
                          help=_("only this state (queued, sending, sent, failed, "
                                 "cancelled)"))
    out_list.add_argument("--json", action="store_true", help=_("print JSON"))
    out_list.set_defaults(handler=run_outbox_list)
    flush = out_commands.add_parser("flush", help=_("send what is due now"))
    flush.add_argument("--json", action="store_true", help=_("print JSON"))
    flush.set_defaults(handler=run_flush)
    for name, help_text, handler in (("retry", _("send a failed e-mail at the next flush"),
                                      run_retry),
                                     ("cancel", _("undo send: keep an e-mail from leaving"),
                                      run_cancel)):
        parser = out_commands.add_parser(name, help=help_text)
        parser.add_argument("outbox_id", type=resolve.id_argument("outbox"), metavar="ID",
                            help=_("the number 'outbox list' shows"))
        parser.set_defaults(handler=handler)


def error_sentence(error: HelpDeskError, args: argparse.Namespace) -> str:
    """The error line, with the command line's own way to give a missing password (the
    services' sentence speaks of Settings › Inboxes only)."""
    # The mail servers' modules (imaplib, smtplib) only when a command failed.
    from helpdesk_desktop.services.mail.connect import is_missing_password
    from helpdesk_desktop.services.mail.errors import MailError

    text = str(error)
    if (isinstance(error, MailError) and hasattr(args, "password_stdin")
            and is_missing_password(text)):
        text += " " + _("Or give it to this command with --password-stdin.")
    return text


def _read_password() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidInput(_("--password-stdin read an empty password."))
    return line


def run_connect(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    settings = MailSettings(
        imap_host=args.imap_host, imap_port=args.imap_port, imap_security=args.imap_security,
        imap_user=args.imap_user, imap_folder=args.folder, mark_seen=args.mark_seen,
        poll_seconds=args.poll_seconds, smtp_host=args.smtp_host, smtp_port=args.smtp_port,
        smtp_security=args.smtp_security, smtp_user=args.smtp_user, user=args.user,
        sender_address=args.address, sender_name=args.sender_name,
        auth=MailAuth.XOAUTH2 if args.oauth2 else MailAuth.PASSWORD,
        oauth_provider=args.oauth2, undo_seconds=args.undo_seconds)
    password = _read_password() if args.password_stdin else None
    info, in_keyring = desk.connect_inbox(args.name, settings, password=password)
    out.write(_("Inbox '{inbox_name}' connected: IMAP "
                "{imap_user}@{imap_host}:{imap_port} ({imap_security_value}), SMTP "
                "{smtp_user}@{smtp_host}:{smtp_port} ({smtp_security_value}).").format(
                  inbox_name=info.inbox_name, imap_user=info.imap_user,
                  imap_host=info.imap_host, imap_port=info.imap_port,
                  imap_security_value=info.imap_security.value, smtp_user=info.smtp_user,
                  smtp_host=info.smtp_host, smtp_port=info.smtp_port,
                  smtp_security_value=info.smtp_security.value) + "\n")
    if password is not None and not in_keyring:
        out.write(_("Note: {problem} Give it again with --password-stdin to 'inbox test' "
                    "or 'inbox fetch'.").format(
                        problem=desk.keyring_problem() or _("no keyring")) + "\n")
    elif password is None and desk.needs_password(info):
        out.write(_("Note: no password is stored yet; run this again with "
                    "--password-stdin.") + "\n")
    return 0


def account_json(info: MailAccountInfo) -> dict[str, Any]:
    return {"inbox": info.inbox_name, "auth": info.auth.value,
            "oauth_provider": info.oauth_provider,
            "imap": {"host": info.imap_host, "port": info.imap_port,
                     "security": info.imap_security.value, "user": info.imap_user,
                     "folder": info.imap_folder, "mark_seen": info.mark_seen,
                     "poll_seconds": info.poll_seconds},
            "smtp": {"host": info.smtp_host, "port": info.smtp_port,
                     "security": info.smtp_security.value, "user": info.smtp_user},
            "sender_address": info.sender_address, "sender_name": info.sender_name,
            "undo_seconds": info.undo_seconds}


def run_list(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    accounts = desk.mail_accounts()
    if args.json:
        print_json([account_json(a) for a in accounts], out)
        return 0
    out.writelines(f"{a.inbox_name}: {a.imap_user}@{a.imap_host}:{a.imap_port} → "
                  f"{a.sender_address} via {a.smtp_host}:{a.smtp_port}\n" for a in accounts)
    if not accounts:
        out.write(_("No inbox is connected to a mailbox.") + "\n")
    return 0


def _use_password(args: argparse.Namespace, desk: Desk) -> None:
    if args.password_stdin:
        desk.remember_password(desk.mail_account(args.name), _read_password())


def run_test(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    _use_password(args, desk)
    from helpdesk_desktop.services.mail.errors import MailError, MailProblem

    result = desk.test_inbox(args.name)
    if not result.ok:
        raise MailError(result.sentence(), MailProblem.PROTOCOL)
    out.write(result.sentence() + "\n")
    return 0


def run_fetch(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    _use_password(args, desk)
    account = desk.mail_account(args.name)
    report = desk.fetch_inbox(args.name)
    if args.json:
        print_json([{"source": f"imap://{account.imap_user}@{account.imap_host}/"
                               f"{account.imap_folder};UID={m.uid}",
                     "uid": m.uid, "message_id": m.delivery.message_id,
                     "outcome": m.delivery.outcome, "ticket_id": m.delivery.ticket_id,
                     "reason": m.delivery.reason or None} for m in report.messages], out)
        return 0
    for m in report.messages:
        ticket = (_("ticket #{ticket_id}").format(ticket_id=m.delivery.ticket_id)
                  if m.delivery.ticket_id else "-")
        reason = f" ({m.delivery.reason_text})" if m.delivery.reason else ""
        out.write(f"UID {m.uid}: {m.delivery.outcome} {ticket}{reason}\n")
    out.write(report.sentence() + "\n")
    return 0


def run_disconnect(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    desk.disconnect_inbox(args.name)
    out.write(_("Inbox '{name}' disconnected; its passwords were removed from the "
                "keyring.").format(name=args.name) + "\n")
    return 0


def outbox_json(entry: OutboxEntry) -> dict[str, Any]:
    return {"id": entry.id, "message_id": entry.message_id, "ticket_id": entry.ticket_id,
            "inbox": entry.inbox, "to": entry.to, "cc": entry.cc, "subject": entry.subject,
            "state": entry.state.value, "attempts": entry.attempts,
            "next_attempt_at": entry.next_attempt_at.isoformat(),
            "last_error": entry.last_error, "created_at": entry.created_at.isoformat(),
            "sent_at": entry.sent_at.isoformat() if entry.sent_at else None}


def run_outbox_list(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    entries = desk.outbox(args.state)
    if args.json:
        print_json([outbox_json(e) for e in entries], out)
        return 0
    for e in entries:
        error = f"  ({e.error_text})" if e.error_text and e.state is not OutboxState.SENT else ""
        ticket = f"#{e.ticket_id}" if e.ticket_id else "-"
        out.write(f"{e.id:>6} {e.state.value:<9} {ticket:<8} {e.to[:30]:<30} "
                  f"{e.subject}{error}\n")
    if not entries:
        out.write(_("The outbox is empty.") + "\n")
    return 0


def run_flush(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    report = desk.flush_outbox()
    if args.json:
        print_json({"sent": report.sent, "retrying": report.retrying, "failed": report.failed,
                    "errors": report.errors}, out)
        return 0
    out.write(report.sentence() + "\n")
    return 0


def run_retry(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    out.write(result_line(desk.retry_outgoing(args.outbox_id)) + "\n")
    return 0


def run_cancel(args: argparse.Namespace, desk: Desk, out: TextIO) -> int:
    out.write(result_line(desk.cancel_outgoing(args.outbox_id)) + "\n")
    return 0
