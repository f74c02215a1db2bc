"""The window's command line (``helpdesk-desktop [--db URL] [--as EMAIL] [--demo]
[--ticket ID]``) without the full command line.

:mod:`helpdesk_desktop.cli.main` imports every command module before it parses anything, and
with them the services and the mapped classes (``domain.models``): ~40 modules and 7-10 MB
at a window's first frame, for a parser whose only answer is "no command". The composition
root offers the arguments to :func:`parse` first: when they are only the window's options,
the window opens with them. Anything else — a command, help, ``--version`` among other
options, an unknown or mistyped option — returns ``None`` and the full command line parses
them and answers as it always did (its parser defines the same options:
``tests/test_cli_window_args.py`` holds both to the same answers).

This module imports nothing beyond the standard library.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn


class _Refused(Exception):
    """The arguments are not only the window's options."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print and exit
        raise _Refused(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _Refused(message or "")


def _parser() -> argparse.ArgumentParser:
    # The full parser's top-level options (cli/main.py build_parser) but --version and
    # --help, which the full parser answers.
    parser = _Parser(prog="helpdesk-desktop", add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--as", dest="as_user")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--ticket", type=int)
    return parser


def parse(arguments: Sequence[str]) -> argparse.Namespace | None:
    """The window's arguments (as the full parser gives them, ``command`` None), when
    ``arguments`` hold no command and nothing but the window's options; else ``None``."""
    if "--" in arguments:  # what follows is a command's (the full parser says so)
        return None
    try:
        args = _parser().parse_args(list(arguments))
    except (_Refused, ValueError):
        return None
    args.command = None
    return args
