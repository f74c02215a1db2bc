"""The command line's --help and usage errors in French: every sentence translated (argparse's
own words included), the same exit codes, and --json output untouched."""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Iterator

import pytest

from helpdesk_desktop.cli import main as cli_main_module
from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.i18n import set_language
from tests.factories import Workspace, make_ticket

WIDTH = 80
#: An English sentence: two words of lowercase letters in a row (an option name, a choice
#: such as ``{mbox,json}`` or a metavar is not one).
SENTENCE = re.compile(r"\b[a-z]{2,}'?[a-z]* [a-z]{2,}\b")
#: Words of argparse's and the CLI's English that no French sentence holds.
ENGLISH = re.compile(r"\b(the|is|not|choose|from|required|invalid|expected|allowed|"
                     r"unrecognized|see|cannot|unknown|usage|error|whole|number)\b")


def _command_paths(parser: argparse.ArgumentParser,
                   prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _command_paths(sub, (*prefix, name))


def _speak(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)
    monkeypatch.setenv("COLUMNS", str(WIDTH))


def _run(argv: list[str], ws: Workspace | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, database=ws.db if ws else None, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _without_option_words(line: str) -> str:
    """``line`` without what stays English in any language: options, choices, values the
    user types (``all-open``, ``'none'``), paths and file names."""
    line = re.sub(r"(?<![\w-])--?[\w-]+|\{[^}]*\}|'[^']*'|«[^»]*»|\S*[/.]\S*", " ", line)
    return re.sub(r"\b[\w-]*[_-][\w-]*\b", " ", line)  # product_issue, assigned-to-me


def test_every_help_is_french_under_a_french_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    paths = list(_command_paths(cli_main_module.build_parser()))
    assert len(paths) > 40  # the walk reaches every sub-command
    english: dict[tuple[str, ...], tuple[int, str, str]] = {}
    _speak(monkeypatch, "C.UTF-8")
    for path in paths:
        english[path] = _run([*path, "--help"])
    _speak(monkeypatch, "fr_FR.UTF-8")
    left: list[str] = []
    for path in paths:
        code, out, err = _run([*path, "--help"])
        en_code, en_out, _en_err = english[path]
        assert (code, err) == (en_code, "") == (0, ""), path
        assert out.startswith("utilisation\u00a0: helpdesk-desktop"), path
        assert "options\u00a0:\n" in out, path
        french_lines = set(out.splitlines())
        for line in en_out.splitlines():
            if SENTENCE.search(_without_option_words(line)) and line in french_lines:
                left.append(f"{' '.join(path) or '(main)'}: {line.strip()}")
        for line in out.splitlines():
            if ENGLISH.search(_without_option_words(line)):
                left.append(f"{' '.join(path) or '(main)'}: {line.strip()}")
            # argparse does not break a mutually exclusive group in the usage; English has
            # the same long line.
            if len(line) > WIDTH:
                assert line.strip() in en_out, (path, line)
            # Broken at spaces only: not inside "last-activity:desc", not before the
            # no-break space of a French colon or closing quote.
            assert not re.search(r"\w-$", line), (path, line)
            assert not re.match(r"\s*[:;»]", line), (path, line)
    assert not left, "English left in the French --help:\n  " + "\n  ".join(left)


def test_the_french_main_help_reads_as_french(monkeypatch: pytest.MonkeyPatch) -> None:
    _speak(monkeypatch, "fr_FR.UTF-8")
    code, out, _err = _run(["--help"])
    assert code == 0
    assert "afficher cette aide et quitter" in out
    assert "arguments positionnels\u00a0:" in out and "COMMANDE" in out
    assert "Help Desk Desktop. Sans commande, ouvre la fenêtre." in out
    # The version line is not a sentence: the same in every language.
    assert _run(["--version"])[:2] == (0, f"helpdesk-desktop {cli_main_module.__version__}\n")


#: Command lines argparse refuses (or a type= reader refuses), one per kind of refusal.
USAGE_ERRORS = [
    ["frobnicate"],  # invalid choice
    ["tickets", "delete", "1"],  # a required option missing
    ["tickets", "reply", "1"],  # one of a required group missing
    ["tickets", "list", "--bogus"],  # unrecognized argument
    ["tickets", "list", "--limit"],  # expected one argument
    ["tickets", "list", "--limit", "0"],  # not a positive number
    ["tickets", "show", "abc"],  # not a ticket id
    ["tickets", "list", "--view", "nope"],  # unknown view
    ["tickets", "list", "--sort", "nope"],  # cannot sort on
    ["tickets", "list", "--priority", "none"],  # cannot be a filter
    ["tickets", "update", "1", "--priority", "huge"],  # not one of
    ["demo", "--tickets", "many"],  # not a whole number
    ["export", "--format", "xml", "-o", "out"],  # invalid choice of an option
    ["transcript", "1", "--pdf", "x.pdf", "--conversation", "2", "--all-conversations"],
    ["inbox", "connect", "x", "--imap-host", "h", "--smtp-host", "h", "--user", "u",
     "--address", "a@example.com", "--imap-security", "ssl"],
    ["tickets"],  # a group without its sub-command (main's own sentence)
    [],  # no command and no window to open
]


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=lambda argv: " ".join(argv) or "(none)")
def test_usage_errors_are_french_with_the_same_exit_code(
        argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _speak(monkeypatch, "C.UTF-8")
    en_code, en_out, en_err = _run(argv)
    _speak(monkeypatch, "fr_FR.UTF-8")
    code, out, err = _run(argv)
    assert code == en_code == 2
    assert out == en_out == ""
    assert en_err.startswith("error: ") and err.startswith("erreur\u00a0: ")
    assert err.count("\n") == 1 and err != en_err
    assert not ENGLISH.search(_without_option_words(err)), err


def test_json_output_and_exit_codes_do_not_depend_on_the_language(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = make_ticket(ws)
    commands = [["tickets", "list", "--json"], ["tickets", "show", str(ticket), "--json"],
                ["outbox", "list", "--json"], ["set-aside", "list", "--json"],
                ["inbox", "list", "--json"], ["sender-rules", "list", "Help Desk", "--json"],
                ["tickets", "show", "999999", "--json"]]
    _speak(monkeypatch, "C.UTF-8")
    english = [_run(argv, ws) for argv in commands]
    _speak(monkeypatch, "fr_FR.UTF-8")
    french = [_run(argv, ws) for argv in commands]
    for argv, (en_code, en_out, en_err), (code, out, err) in zip(commands, english, french,
                                                                 strict=True):
        assert code == en_code, argv
        assert out == en_out, argv
        if en_code == 0:
            json.loads(out)
            assert err == en_err == ""
        else:
            assert err.startswith("erreur\u00a0: ") and en_err.startswith("error: ")
    assert json.loads(english[1][1])["id"] == ticket
