"""Refresh the gettext catalogue of the sentences built below the window, and compile it.

    python packaging/update_messages.py          # extract, merge into the .po, compile the .mo
    python packaging/update_messages.py --check  # exit 1 when the .po or the .mo is out of date

The sentences of the services, the application facade, storage and the command line are marked
with ``_()``, ``ngettext()``, ``N_()`` and ``N_plural()`` (:mod:`helpdesk_desktop.domain.i18n`;
argparse's own words are marked in ``helpdesk_desktop/cli/argparse_i18n.py``). Babel extracts
them; ``resources/translations/messages_<lang>.po`` is the source of truth (translate there,
then run this script); ``helpdesk_desktop/assets/translations/messages_<lang>.mo`` is what the
program loads, committed so that a wheel builds without tools. The .po keeps no source
locations, so moving code does not make it stale. ``tests/test_messages_i18n.py`` fails when a
sentence has no translation or a translation drops a placeholder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gettext
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "resources" / "translations"
COMPILED = ROOT / "helpdesk_desktop" / "assets" / "translations"
#: The layers that build sentences with gettext (the window's own texts use Qt's catalogues).
PACKAGES = ("domain", "services", "application", "storage", "cli")
LANGUAGES = ("fr",)
HEADER = ("# The sentences of Help Desk Desktop built below the window (services, CLI).\n"
          "# Translate here, then run: python packaging/update_messages.py")
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "N_plural": (1, 2)}
PROJECT = "Help Desk Desktop"
#: Fixed header dates, so that the files change only when a sentence does.
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def po_file(language: str) -> Path:
    return SOURCES / f"messages_{language}.po"


def mo_file(language: str) -> Path:
    return COMPILED / f"messages_{language}.mo"


def extract() -> Catalog:
    """Every marked sentence of the code, as a template catalogue."""
    template = Catalog(project=PROJECT, fuzzy=False, creation_date=STAMP)
    for package in PACKAGES:
        folder = ROOT / "helpdesk_desktop" / package
        found: Iterable[tuple[str, int, str | tuple[str, ...], list[str], str | None]]
        found = extract_from_dir(str(folder), method_map=[("**.py", "python")],
                                 keywords=KEYWORDS, comment_tags=("Translators:",))
        for filename, lineno, message, comments, context in found:
            template.add(message, None, [(f"{package}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def merged(language: str, template: Catalog) -> Catalog:
    """The language's catalogue brought up to the template: new sentences added empty,
    vanished ones dropped (no fuzzy guessing: a changed sentence is translated again)."""
    path = po_file(language)
    if path.exists():
        with path.open("rb") as stream:
            catalog = read_po(stream, locale=language)
    else:
        catalog = Catalog(locale=language, project=PROJECT)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date = STAMP
    catalog.header_comment = HEADER
    catalog.version = "1"
    catalog.msgid_bugs_address = ""
    catalog.fuzzy = False
    # The plural rule gettext tools use for French (CLDR adds a "many" form for millions,
    # "1 000 000 de tickets", which a help desk never counts).
    catalog.mime_headers = [*(h for h in catalog.mime_headers if h[0] != "Plural-Forms"),
                            ("Plural-Forms", PLURAL_FORMS[language])]
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, no_location=True, sort_output=True, width=100,
             ignore_obsolete=True, include_previous=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a .po or .mo is out of date")
    args = parser.parse_args(argv)
    template = extract()
    stale: list[str] = []
    for language in LANGUAGES:
        catalog = merged(language, template)
        po, mo = po_bytes(catalog), mo_bytes(catalog)
        for path, content in ((po_file(language), po), (mo_file(language), mo)):
            current = path.read_bytes() if path.exists() else b""
            if _same(path, current, content):
                continue
            if args.check:
                stale.append(str(path.relative_to(ROOT)))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                print(f"wrote {path.relative_to(ROOT)}")
        untranslated = [m.id for m in catalog if m.id and not _translated(m.string)]
        if untranslated:
            print(f"{language}: {len(untranslated)} sentence(s) without a translation",
                  file=sys.stderr)
    if stale:
        print("out of date (run python packaging/update_messages.py): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


def _same(path: Path, current: bytes, wanted: bytes) -> bool:
    """Whether ``current`` says what ``wanted`` says (the Babel version in the header aside)."""
    if path.suffix == ".po":
        return _without_tool(current) == _without_tool(wanted)
    try:
        return _messages(current) == _messages(wanted)
    except (OSError, ValueError):
        return False


def _without_tool(content: bytes) -> bytes:
    return re.sub(rb'"Generated-By: [^"]*"\n', b"", content)


def _messages(mo: bytes) -> dict[object, str]:
    catalog = dict(gettext.GNUTranslations(io.BytesIO(mo))._catalog)  # type: ignore[attr-defined]
    header = catalog.pop("", "")
    catalog[""] = re.sub(r"Generated-By: [^\n]*\n", "", header)
    return catalog


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    forms = [string] if isinstance(string, str) or string is None else list(string)
    return all(forms)


if __name__ == "__main__":
    raise SystemExit(main())
