"""The window's command line read without the full command line (cli/window_args.py): the
same answers as the full parser, or none at all."""

from __future__ import annotations

import argparse

import pytest

from helpdesk_desktop.cli import main as cli_main
from helpdesk_desktop.cli import window_args

WINDOW = [[], ["--db", "x.sqlite3"], ["--db=postgresql://h/db", "--as", "a@b.c"],
          ["--demo"], ["--demo", "--ticket", "12"], ["--ticket=7", "--db", "y"],
          ["--de"], ["--ti", "3"]]
NOT_WINDOW = [["tickets", "list"], ["--db", "x", "tickets", "show", "1"], ["--help"], ["-h"],
              ["--db", "x", "--he"], ["--version", "--db", "x"], ["--d", "x"],
              ["--ticket", "abc"], ["--ticket"], ["--db"], ["--unknown"], ["init"],
              ["--", "tickets"], ["--"], ["--db", "x", "--"], ["--demo", "extra"],
              ["--as=x@y.z", "--db", "--weird-name"]]


def _full(arguments: list[str]) -> argparse.Namespace | None:
    """What the full command line hands to the window, or None when it does not open it."""
    opened: list[argparse.Namespace] = []

    def gui(args: argparse.Namespace) -> int:
        opened.append(args)
        return 0

    cli_main.main(arguments, gui=gui, stdout=_Sink(), stderr=_Sink())
    return opened[0] if opened else None


class _Sink:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("arguments", WINDOW)
def test_the_window_s_arguments_are_the_full_parser_s(arguments: list[str]) -> None:
    full = _full(arguments)
    assert full is not None
    quick = window_args.parse(arguments)
    assert quick is not None
    for name in ("db", "as_user", "demo", "ticket", "command"):
        assert getattr(quick, name) == getattr(full, name), name


@pytest.mark.parametrize("arguments", NOT_WINDOW)
def test_anything_else_is_left_to_the_full_command_line(arguments: list[str]) -> None:
    assert _full(arguments) is None  # a command, help, the version or a usage error
    assert window_args.parse(arguments) is None
