"""The command line: ``helpdesk-desktop [--db URL] [--as EMAIL] COMMAND ...``.

Every command module in :data:`COMMAND_MODULES` registers its sub-commands (the contract is
in :mod:`helpdesk_desktop.cli`). Errors become one ``error: ...`` line on stderr and an exit
status: 2 for bad input or unknown ids, 3 for a permission refusal, 4 for a conflict.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from sqlalchemy.exc import SQLAlchemyError

from helpdesk_desktop import __version__, startup_gc
from helpdesk_desktop.application.startup import (
    default_user_id,
    demo_url,
    finish_demo,
    generate_demo,
    open_database,
)
from helpdesk_desktop.cli import (
    argparse_i18n,
    conversation_commands,
    intake_commands,
    mail_commands,
    resolve,
    safety_commands,
    ticket_commands,
    transcript,
    workspace_commands,
)
from helpdesk_desktop.cli.safe_text import EscapingWriter
from helpdesk_desktop.domain.errors import (
    DatabaseError,
    HelpDeskError,
    InvalidInput,
    NotFound,
    database_detail,
)
from helpdesk_desktop.domain.i18n import _, language_from_environment, set_language

if TYPE_CHECKING:
    from helpdesk_desktop.storage.database import Database

#: The command modules, each exposing ``register(subparsers)``. Imported statically so that a
#: frozen build (PyInstaller) sees every one of them and tests/test_layers.py sees every arrow.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    workspace_commands,
    ticket_commands,
    conversation_commands,
    safety_commands,
    transcript,
    mail_commands,
    intake_commands,
)

EXIT_USAGE = 2
DEMO_TICKETS = 2000
EXIT_INTERNAL = 1
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a closed pipe
Gui = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """A command line argparse could not make sense of (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse_i18n.HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # argparse would print and exit
        raise UsageError(_("{message} (see '{prog} --help')").format(
                             message=message, prog=self.prog))


def command_modules() -> list[ModuleType]:
    """The command modules, in the order their commands appear in ``--help``."""
    return list(COMMAND_MODULES)


#: Top-level options that take a value (a command word never follows them directly).
_VALUE_OPTIONS = ("--db", "--as", "--ticket")


def command_word(argv: Sequence[str]) -> str | None:
    """The command named on the command line, or ``None`` when there is none or when help is
    asked for before it (the full parser then answers)."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            return argv[index + 1] if index + 1 < len(argv) else None
        if token == "-h" or (len(token) > 2 and "--help".startswith(token)):
            return None
        if token.startswith("-"):
            takes_value = "=" not in token and len(token) > 2 and any(
                option.startswith(token) for option in _VALUE_OPTIONS)
            index += 2 if takes_value else 1
            continue
        return token
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only the module that registers that command adds its
    sub-parsers (about 0.03 s saved; every command, as for ``--help``, when none says so). Its
    texts are in the current language (:func:`main` sets it from the environment first;
    argparse's own words follow it through :mod:`.argparse_i18n`)."""
    argparse_i18n.install()
    parser = _Parser(
        prog="helpdesk-desktop",
        description=_("Help Desk Desktop. Without a command, opens the window."))
    parser.add_argument("--version", action="version", version=f"helpdesk-desktop {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--db", metavar="URL",
                        help=_("database: a SQLite file path or a postgresql:// URL "
                               "(default: $HELPDESK_DATABASE_URL, else the user data folder)"))
    parser.add_argument("--as", dest="as_user", metavar=_("EMAIL"),
                        help=_("act as this user (default: the first super admin)"))
    parser.add_argument("--demo", action="store_true",
                        help=_("use the demo workspace (created with 2,000 tickets if missing) "
                               "unless --db is given"))
    parser.add_argument("--ticket", type=resolve.integer, metavar="ID",
                        help=_("open this ticket in the window (handed to the window already "
                               "open on the same database, if there is one)"))
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"),
                                       parser_class=_Parser)
    modules = command_modules()
    owner = [m for m in modules if command in getattr(m, "COMMANDS", ())]
    for module in owner or modules:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, *, database: Database | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None,
         gui: Gui | None = None) -> int:
    """Run one command and return its exit status.

    Tests pass an open ``database`` and capture ``stdout``/``stderr``. Without a command the
    ``gui`` callable is run with the parsed arguments (the composition root passes the Qt
    window); without one, a command is required.
    """
    # The sentences speak the language the environment asks for (LANGUAGE, LC_ALL, LANG…);
    # the window, when it opens, switches to its own choice (Preferences or the system).
    set_language(language_from_environment())
    raw_out = stdout if stdout is not None else sys.stdout
    out: TextIO = EscapingWriter(raw_out)  # type: ignore[assignment]
    err: TextIO = EscapingWriter(stderr if stderr is not None else sys.stderr)  # type: ignore[assignment]
    arguments = list(argv) if argv is not None else sys.argv[1:]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                args = build_parser(command_word(arguments)).parse_args(arguments)
            except UsageError:  # the full parser says it as it always did
                args = build_parser().parse_args(arguments)
    except UsageError as exc:
        return _fail(err, str(exc), EXIT_USAGE)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.command is None:
        if gui is not None:
            return gui(args)
        return _fail(err, _("a command is required (see 'helpdesk-desktop --help')"), EXIT_USAGE)
    handler = getattr(args, "handler", None)
    if handler is None:  # a command group without its sub-command, e.g. "tickets"
        return _fail(err, _("'{command}' needs a sub-command (see 'helpdesk-desktop "
                            "{command} --help')").format(command=args.command), EXIT_USAGE)

    # The facade is imported only once a command will run (not for --help or a usage error).
    from helpdesk_desktop.application.desk import Desk

    startup_gc.resume()  # paused by the entry point while the program was imported

    opened: Database | None = None
    try:
        if database is None:
            url = args.db or (demo_url() if args.demo else None)
            # Only the commands that make a database (init, demo, --demo) may create one; a
            # read command on a mistyped --db gets a sentence, not a new file and folders.
            creates = bool(getattr(args, "creates_database", False)) or (
                args.demo and not args.db)
            database = opened = open_database(
                url, create=creates, quick_check=getattr(args, "quick_check", True))
            if args.demo and not args.db and getattr(args, "needs_user", True):
                ensure_demo(database, DEMO_TICKETS)
        desk = Desk(database, _actor_id(database, args))
        return int(handler(args, desk, out))
    except HelpDeskError as exc:
        return _fail(err, mail_commands.error_sentence(exc, args), exc.exit_code)
    except SQLAlchemyError as exc:
        return _fail(err, _("The database failed: {detail}").format(
            detail=database_detail(exc)), DatabaseError.exit_code)
    except KeyboardInterrupt:
        return _fail(err, _("interrupted"), 130)
    except BrokenPipeError:
        # The reader went away (e.g. "| head"): stop quietly, as Unix tools do. Point stdout
        # at /dev/null so that Python's own flush at exit does not complain either.
        if raw_out is sys.stdout:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        return _fail(err, _("unexpected failure: {name}: {exc}").format(
                              name=type(exc).__name__, exc=exc), EXIT_INTERNAL)
    finally:
        if opened is not None:
            opened.dispose()


def ensure_demo(database: Database, tickets: int = DEMO_TICKETS) -> None:
    """Fill an empty demo database with the demo workspace (``--demo``), or finish a build
    that was interrupted."""
    if default_user_id(database) is None:
        generate_demo(database, tickets)
    else:
        finish_demo(database)


def _actor_id(database: Database, args: argparse.Namespace) -> int:
    """Who acts: ``--as EMAIL``, else the first super admin. Commands that run on an empty
    database (``needs_user=False``) get 0 when nobody exists yet."""
    if args.as_user is not None and not args.as_user.strip():
        # e.g. --as "$EMAIL" with EMAIL unset: acting as the first super admin would surprise.
        raise InvalidInput(_("--as needs an e-mail address."))
    actor = default_user_id(database, args.as_user)
    if actor is None:
        if not getattr(args, "needs_user", True):
            return 0
        raise NotFound(_("This database holds no workspace yet; run 'helpdesk-desktop "
                         "init' or 'helpdesk-desktop demo' first."))
    return actor


_LINE_BREAKS_AND_SPACES = re.compile(r"(?:(?![\u00a0\u202f])\s)+")


def _fail(err: TextIO, message: str, code: int) -> int:
    # One line, whatever the message held; the no-break spaces of French typography stay.
    text = _LINE_BREAKS_AND_SPACES.sub(" ", message).strip()
    err.write(_("error: {text}").format(text=text) + "\n")
    err.flush()
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
