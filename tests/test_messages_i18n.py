"""The sentences built below the window speak French too (gettext, helpdesk_desktop.domain.i18n).

The catalogue is checked against the code (every sentence translated, every placeholder kept,
every plural complete, the compiled .mo up to date), the language choice against gettext's
rules, and the command line in a French environment against its English exit codes.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import importlib.util
import io
import json
import re
import string
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.cli import argparse_i18n
from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain import i18n
from helpdesk_desktop.domain.i18n import _, language_from_environment, ngettext, set_language
from helpdesk_desktop.services.dto import Refusal
from helpdesk_desktop.services.ticket_edits import bulk_sentence
from helpdesk_desktop.storage.database import Database
from helpdesk_desktop.transcripts.formats import format_moment
from tests.factories import Workspace, make_ticket

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("domain", "services", "application", "storage", "cli")
#: Calls whose first argument is a sentence shown to the user.
SENTENCE_CALLS = {"InvalidInput", "NotFound", "PermissionDenied", "Conflict", "StaleState",
                  "DatabaseError", "SchemaTooNew", "MailError", "NoDatabase", "HelpDeskError",
                  "OpResult", "ArgumentTypeError"}
#: Keywords of argparse calls whose value is a text shown in --help.
HELP_KEYWORDS = {"help", "description", "epilog", "title", "usage"}
#: A %-placeholder as argparse and printf-style code write them (argparse's own words).
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_messages",
                                                  ROOT / "packaging" / "update_messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tool()


@pytest.fixture(scope="module")
def french(tool: ModuleType) -> Catalog:
    with tool.po_file("fr").open("rb") as stream:
        return read_po(stream, locale="fr")


def _fields(text: str) -> set[str]:
    """The placeholders of ``text`` with their format specs (``{count:,}``), and its
    %-placeholders (``%(default)s``, ``%r``: argparse fills those in)."""
    if "%" in text and "{" not in text:
        return set(PERCENT.findall(text))
    return {f"{name}:{spec}!{conversion}" for _, name, spec, conversion
            in string.Formatter().parse(text) if name is not None}


def test_every_sentence_of_the_code_has_a_french_translation(tool: ModuleType,
                                                             french: Catalog) -> None:
    template = tool.extract()
    assert len(template) > 300  # the extraction itself works
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = french.get(message.id)
        forms = [] if translated is None else (
            [translated.string] if isinstance(translated.string, str)
            else list(translated.string))
        if not forms or not all(forms):
            missing.append(message.id)
    assert not missing, ("sentences without a French translation (add them to "
                         "resources/translations/messages_fr.po):\n  "
                         + "\n  ".join(map(str, missing)))


def test_translations_keep_exactly_their_placeholders(french: Catalog) -> None:
    wrong = []
    for message in french:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set().union(*(_fields(i) for i in ids))
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in forms:
            if _fields(form) != expected:
                wrong.append(f"{ids[0]!r} → {form!r}")
    assert not wrong, "translations that drop or add a placeholder:\n  " + "\n  ".join(wrong)


def test_plurals_have_every_form(french: Catalog) -> None:
    assert french.num_plurals == 2
    plurals = [m for m in french if m.id and m.pluralizable]
    assert len(plurals) > 40
    for message in plurals:
        assert len(message.string) == french.num_plurals and all(message.string), message.id


def test_the_compiled_catalogue_is_up_to_date(tool: ModuleType) -> None:
    assert tool.main(["--check"]) == 0, "run 'python packaging/update_messages.py'"


def test_refusals_and_results_are_marked_for_translation() -> None:
    """A refusal or a result written as a bare string would stay English in French."""
    bare = []
    for layer in LAYERS:
        for path in sorted((ROOT / "helpdesk_desktop" / layer).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and node.args
                        and _called_name(node) in SENTENCE_CALLS):
                    continue
                first = node.args[0]
                literal = isinstance(first, ast.JoinedStr) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str)
                    and any(c.isalpha() for c in first.value))
                if literal:
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, "sentences not wrapped in _() or ngettext():\n  " + "\n  ".join(bare)


def _called_name(node: ast.Call) -> str | None:
    """``f`` of ``f(...)`` and of ``module.f(...)``."""
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _is_translated(node: ast.expr) -> bool:
    """``_("...")``, ``ngettext(...)``, or one of them ``.format(...)``-ed."""
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _is_translated(node.func.value)
    return _called_name(node) in ("_", "ngettext")


def _has_words(node: ast.expr) -> bool:
    """Whether ``node`` writes English words itself: a string literal with letters, an
    f-string, or a concatenation holding one."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    return False


def bare_help_texts(source: str) -> list[int]:
    """The lines of ``source`` where an argparse text (``help=``, ``description=``,
    ``epilog=``…) is written without ``_()``: a literal, an f-string, a concatenation, or a
    name that a ``for`` over literal tuples (``for name, help_text in (("follow",
    "follow tickets"), ...)``) or an assignment gives a literal."""
    tree = ast.parse(source)
    literal_names: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _has_words(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    literal_names[target.id] = node.lineno
        if (isinstance(node, ast.For) and isinstance(node.target, ast.Tuple)
                and isinstance(node.iter, ast.Tuple | ast.List)):
            for row in node.iter.elts:
                if not isinstance(row, ast.Tuple):
                    continue
                for target, value in zip(node.target.elts, row.elts, strict=False):
                    if isinstance(target, ast.Name) and _has_words(value):
                        literal_names[target.id] = value.lineno
    bare = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg not in HELP_KEYWORDS or _is_translated(keyword.value):
                continue
            value = keyword.value
            if _has_words(value):
                bare.append(value.lineno)
            elif isinstance(value, ast.Name) and value.id in literal_names:
                bare.append(literal_names[value.id])
    return sorted(set(bare))


def test_cli_help_texts_are_marked_for_translation() -> None:
    """A help text written as a bare string would stay English in a French --help."""
    files = sorted((ROOT / "helpdesk_desktop" / "cli").glob("*.py"))
    assert len(files) > 8
    bare = [f"{path.relative_to(ROOT)}:{line}" for path in files
            for line in bare_help_texts(path.read_text(encoding="utf-8"))]
    assert not bare, "argparse texts not wrapped in _():\n  " + "\n  ".join(bare)


def test_the_help_text_ratchet_sees_each_way_of_writing_a_bare_text() -> None:
    source = '''
p.add_argument("--a", help="plain words")
p.add_argument("--b", help=f"{x} words")
p.add_argument("--c", help="words: " + ", ".join(xs))
p.add_parser("d", description="A sentence.")
for name, help_text in (("e", "follow tickets"), ("f", "unfollow")):
    p.add_parser(name, help=help_text)
text = "assigned words"
p.add_argument("--g", help=text)
p.add_argument("--ok", help=_("words"), metavar="N")
p.add_argument("--ok2", help=_("at most {n}").format(n=3))
p.add_argument("--ok3", help=argparse.SUPPRESS)
'''
    assert bare_help_texts(source) == [2, 3, 4, 5, 6, 8]


def test_argparse_words_of_this_python_are_in_the_catalogue(french: Catalog) -> None:
    """Every text the running Python's argparse passes to gettext is marked in
    cli/argparse_i18n.py (and so translated): a new Python that adds one fails here."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    asked: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext") and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            asked.add(node.args[0].value)
    assert len(asked) > 25  # the walk finds argparse's calls
    marked = set(argparse_i18n.WORDS) | {singular for singular, _p in argparse_i18n.PLURALS}
    assert asked - marked == set()
    for word in marked:
        assert french.get(word) is not None and french.get(word).string, word


def test_argparse_speaks_the_current_language() -> None:
    argparse_i18n.install()
    set_language("fr")
    parser = argparse.ArgumentParser(prog="p", formatter_class=argparse_i18n.HelpFormatter,
                                     exit_on_error=False)
    parser.add_argument("count", type=int)
    text = parser.format_help()
    assert text.startswith("utilisation\u00a0: p [-h] count\n")
    assert "arguments positionnels\u00a0:\n" in text and "\noptions\u00a0:\n" in text
    assert "afficher cette aide et quitter" in text
    with pytest.raises(argparse.ArgumentError, match="valeur de type int invalide"):
        parser.parse_args(["x"])
    set_language("en")
    assert argparse.ArgumentParser(prog="p").format_help().startswith("usage: p [-h]")


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_CA"}, "fr"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),  # LC_ALL wins over LANG
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, "fr"),  # a list of preferences
    ({"LANGUAGE": "en", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANGUAGE": "", "LANG": "fr_FR.UTF-8"}, "fr"),  # empty means unset
])
def test_the_language_comes_from_the_environment_in_gettexts_order(
        environ: dict[str, str], expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_french_plural_forms_and_english_fallback() -> None:
    assert set_language("fr_FR.UTF-8") == "fr"
    assert ngettext("Deleted {count} ticket.", "Deleted {count} tickets.", 0) \
        == "{count} ticket supprimé."
    assert ngettext("Deleted {count} ticket.", "Deleted {count} tickets.", 1) \
        == "{count} ticket supprimé."
    assert ngettext("Deleted {count} ticket.", "Deleted {count} tickets.", 2) \
        == "{count} tickets supprimés."
    assert _("Nothing to change.") == "Rien à modifier."
    assert i18n.current_language() == "fr"
    # A language without a catalogue speaks English.
    assert set_language("de") == "en"
    assert _("Nothing to change.") == "Nothing to change."
    assert ngettext("Deleted {count} ticket.", "Deleted {count} tickets.", 0) \
        == "Deleted {count} tickets."


def test_bulk_results_are_whole_sentences_in_each_language() -> None:
    refusals = [Refusal(7, "Ticket #7 is in the spam.")]

    def sentence(done: int) -> str:
        return bulk_sentence(done, ngettext("Deleted {count} ticket.", "Deleted {count} tickets.",
                                            done).format(count=done), refusals)

    assert sentence(2) == "Deleted 2 tickets. 1 refused: Ticket #7 is in the spam."
    assert sentence(0) == "Nothing to change. 1 refused: Ticket #7 is in the spam."
    set_language("fr")
    assert sentence(1) == "1 ticket supprimé. 1 refus\u00a0: Ticket #7 is in the spam."
    assert sentence(3) == "3 tickets supprimés. 1 refus\u00a0: Ticket #7 is in the spam."


def _cli(ws: Workspace, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), database=ws.db, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_cli_speaks_french_under_a_french_locale_with_the_same_exit_codes(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    english = _cli(ws, "tickets", "show", "999999")
    assert english[2] == "error: Ticket #999999 does not exist or you cannot see it.\n"
    unknown_user = _cli(ws, "--as", "nobody@example.com", "tickets", "list")

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    french = _cli(ws, "tickets", "show", "999999")
    assert french[0] == english[0] == 2
    assert french[2] == ("erreur\u00a0: Le ticket n° 999999 n'existe pas ou vous ne pouvez pas "
                         "le voir.\n")
    french_user = _cli(ws, "--as", "nobody@example.com", "tickets", "list")
    assert french_user[0] == unknown_user[0] != 0
    assert french_user[2].startswith("erreur\u00a0: ") and french_user[2] != unknown_user[2]

    code, out, err = _cli(ws, "tickets", "list")
    assert (code, out, err) == (0, "0 ticket\n", "")  # French counts 0 in the singular
    # Machine output stays as it is: the same keys and values as in English.
    assert _cli(ws, "tickets", "list", "--json") == (0, "[]\n", "")


#: Sentences allowed to keep a format spec (none left).
ENGLISH_NUMBER_FORMAT_KNOWN: set[str] = set()


def test_numbers_are_written_by_the_language_not_by_a_format_spec(french: Catalog) -> None:
    """``{count:,}`` and ``{s:.1f}`` write 12,500 and 2.5 in every language; French writes
    12 500 and 2,5 (``i18n.number``)."""
    english_numbers = sorted(
        str(message.id) for message in french if message.id
        for text in ((message.id,) if isinstance(message.id, str) else message.id)
        if any(spec and spec[-1:] in ",f" for _t, _n, spec, _c in string.Formatter().parse(text))
        and str(message.id) not in ENGLISH_NUMBER_FORMAT_KNOWN)
    assert not english_numbers, english_numbers
    set_language("fr")
    assert i18n.number(12500) == "12\u202f500" and i18n.number(2.25, decimals=1) == "2,2"
    set_language("en")
    assert i18n.number(12500) == "12,500" and i18n.number(2.25, decimals=1) == "2.2"


def test_tickets_show_writes_times_in_the_agents_zone_by_the_languages_rules(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    code, out, _err = _cli(ws, "tickets", "show", str(ticket_id), "--json")
    created = dt.datetime.fromisoformat(json.loads(out)["created_at"])
    assert code == 0 and created.utcoffset() == dt.timedelta(0)  # --json stays UTC ISO 8601
    code, out, _err = _cli(ws, "tickets", "show", str(ticket_id))
    paris = created.astimezone(ZoneInfo("Europe/Paris"))  # every test user's zone
    expected = format_moment(paris, "fr")
    assert code == 0 and "Créé le" in out and expected in out, out
    assert paris.strftime("%H:%M") in expected and expected.endswith(paris.tzname() or "?")
    # The demo's refusal groups its limit the French way.
    assert _cli(ws, "demo", "--tickets", "2000000")[2] == (
        "erreur\u00a0: La démo crée au plus 1\u202f000\u202f000 tickets à la fois.\n")


def test_a_workspace_made_in_french_is_named_in_french_in_the_computers_zone(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Montreal")
    set_language("fr")
    desk = Desk(db, startup.create_workspace(db, "Ada Admin", "ada@example.com"))
    assert desk.me().time_zone == "America/Montreal"  # not UTC: the list shows local times
    [pipeline] = desk.pipelines()
    assert pipeline.name == "Pipeline Support"
    assert [s.name for s in pipeline.statuses] == [
        "Nouveau", "En attente du contact", "À traiter", "Fermé"]
    assert [s.is_closed for s in pipeline.statuses] == [False, False, False, True]
    assert "Boîte partagée" in [inbox.name for inbox in desk.inboxes()]
    monkeypatch.setenv("TZ", "Not/AZone")
    assert startup.machine_time_zone() == "UTC"


def test_a_demo_built_in_french_names_its_pipelines_and_inboxes_in_french(db: Database) -> None:
    set_language("fr")
    startup.generate_demo(db, 5, seed=1)
    desk = Desk(db, startup.default_user_id(db) or 0)
    assert [p.name for p in desk.pipelines()] == ["Pipeline Support", "Escalades", "Mise en route"]
    assert [s.name for s in desk.pipelines()[1].statuses] == ["Tri", "En cours", "Résolu"]
    assert {"Boîte partagée", "Chat du site web"} <= {i.name for i in desk.inboxes()}
