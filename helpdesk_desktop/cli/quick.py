"""``helpdesk-desktop [--db URL] [--as EMAIL] tickets show ID [--json]`` without the full
command line.

:mod:`helpdesk_desktop.cli.main` imports every command module and the facade (mail, board,
search, the keyring…) before it parses anything. Showing one ticket is what scripts run most
often, so the composition root first offers the arguments to :func:`run`: when they are
exactly that command, it reads the ticket through
:mod:`helpdesk_desktop.application.ticket_reading` (plain SQL on the database's own driver,
no SQLAlchemy: see :mod:`helpdesk_desktop.services.ticket_sheet`) and prints it with the
same :mod:`.output` functions. Anything else — another command, another option, an
abbreviation, ``--help``, and any failure (an unknown id, a refusal, a database that cannot
open or is not plainly up to date) — returns ``None`` before a byte is written, and the
full command line runs and says it as it always did.

This module imports nothing beyond the standard library until the arguments match.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    from helpdesk_desktop.storage.database import Database

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # as cli.main: 128 + SIGPIPE


class ShowRequest(NamedTuple):
    """The parts of a ``tickets show`` command line."""

    ticket: str
    db: str | None = None
    as_user: str | None = None
    json: bool = False


def _option(token: str, name: str) -> tuple[bool, str | None]:
    """Whether ``token`` is ``name`` (the value follows) or ``name=VALUE`` (the value)."""
    if token == name:
        return True, None
    if token.startswith(name + "="):
        return True, token[len(name) + 1:]
    return False, None


def parse(arguments: Sequence[str]) -> ShowRequest | None:
    """The request, when ``arguments`` are plainly ``tickets show`` (exact option names, each
    at most once, no ``--``); else ``None``."""
    values: dict[str, str] = {}
    index = 0
    while index < len(arguments) and arguments[index].startswith("-"):
        token = arguments[index]
        for name in ("--db", "--as"):
            matched, value = _option(token, name)
            if matched:
                break
        else:
            return None
        if value is None:
            if index + 1 >= len(arguments) or arguments[index + 1].startswith("-"):
                return None
            value = arguments[index + 1]
            index += 1
        if name in values:
            return None
        values[name] = value
        index += 1
    if list(arguments[index:index + 2]) != ["tickets", "show"]:
        return None
    rest = list(arguments[index + 2:])
    as_json = rest.count("--json")
    ids = [token for token in rest if token != "--json"]
    if as_json > 1 or len(ids) != 1 or ids[0].startswith("-"):
        return None
    return ShowRequest(ticket=ids[0], db=values.get("--db"), as_user=values.get("--as"),
                       json=bool(as_json))


def run(arguments: Sequence[str], *, database: Database | None = None,
        stdout: TextIO | None = None, stderr: TextIO | None = None) -> int | None:
    """Show the ticket and return the exit status, or ``None`` when the full command line
    must run instead (nothing was written then)."""
    request = parse(arguments)
    if request is None:
        return None
    from helpdesk_desktop.cli.resolve import parse_number

    ticket_id = parse_number(request.ticket)
    if ticket_id is None or (request.as_user is not None and not request.as_user.strip()):
        return None
    # One read, then the process ends: the cyclic garbage collector would only walk the
    # ~100,000 objects SQLAlchemy's import creates, again and again (~15 ms).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _show(request, ticket_id, database, stdout, stderr)
    finally:
        if collecting:
            gc.enable()


def _show(request: ShowRequest, ticket_id: int, database: Database | None,
          stdout: TextIO | None, stderr: TextIO | None) -> int | None:
    from helpdesk_desktop.application import ticket_reading
    from helpdesk_desktop.cli.output import print_json, ticket_detail_json, ticket_text
    from helpdesk_desktop.cli.safe_text import EscapingWriter
    from helpdesk_desktop.domain.i18n import _, language_from_environment, set_language

    set_language(language_from_environment())  # as cli.main: the sentences and the dates
    raw_out = stdout if stdout is not None else sys.stdout
    out: TextIO = EscapingWriter(raw_out)  # type: ignore[assignment]
    try:
        try:
            if database is None:
                sheet = ticket_reading.sheet_at(request.db, ticket_id, request.as_user)
            else:
                sheet = ticket_reading.sheet(database, ticket_id, request.as_user)
        except Exception:  # noqa: BLE001 - the full command line says what went wrong
            return None
        if sheet is None:
            return None
        if request.json:
            print_json(ticket_detail_json(sheet), out)
        else:
            out.write(ticket_text(sheet, sheet.time_zone) + "\n")
        return 0
    except KeyboardInterrupt:
        err = EscapingWriter(stderr if stderr is not None else sys.stderr)
        err.write(_("error: {text}").format(text=_("interrupted")) + "\n")
        err.flush()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # As cli.main: the reader went away ("| head"); stop quietly.
        if raw_out is sys.stdout:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
