"""Refresh the translation catalogues from the code and compile them.

    python packaging/update_translations.py          # lupdate, then lrelease
    python packaging/update_translations.py --check  # exit 1 when a .qm is out of date

``resources/translations/helpdesk_<lang>.ts`` are the sources (edit them with
``pyside6-linguist``); ``helpdesk_desktop/assets/translations/helpdesk_<lang>.qm`` are what the
program loads. The English catalogue holds only the plural forms. The .qm files
are committed (so a wheel builds without Qt's tools) and ``tests/gui/test_translations.py``
fails when one is stale.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "resources" / "translations"
COMPILED = ROOT / "helpdesk_desktop" / "assets" / "translations"
UI = ROOT / "helpdesk_desktop" / "ui"
LANGUAGES = ("en", "fr")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed (it comes with PySide6).")
    return found


def ts_file(language: str) -> Path:
    return SOURCES / f"helpdesk_{language}.ts"


def qm_file(language: str) -> Path:
    return COMPILED / f"helpdesk_{language}.qm"


def ui_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py"))


def lupdate(ts: Path, language: str) -> None:
    """Add the code's new texts to ``ts`` (keeping every translation), drop vanished ones."""
    plurals = plural_translations(ts) if ts.exists() else {}
    subprocess.run([tool("pyside6-lupdate"), *ui_sources(), "-no-obsolete",
                    "-locations", "none", "-target-language", language,
                    "-ts", str(ts)], check=True, capture_output=True, cwd=ROOT)
    mark_plurals(ts, plurals, plurals_only=language == "en")


Plurals = dict[tuple[str, str], tuple[list[str], bool]]


def plural_translations(ts: Path) -> Plurals:
    """(context, source) → (plural forms, finished) of every plural message in ``ts``."""
    found: Plurals = {}
    for context in ElementTree.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if message.get("numerus") == "yes" and translation is not None:
                forms = [f.text or "" for f in translation.iter("numerusform")]
                found[(name, message.findtext("source") or "")] = (
                    forms, translation.get("type") != "unfinished")
    return found


def mark_plurals(ts: Path, previous: Plurals, *, plurals_only: bool) -> None:
    """Make every text with ``%n`` a plural (numerus) message, with its earlier forms.

    pyside6-lupdate marks ``translate(ctx, text, None, count)`` as plural only when the count is
    a literal (and then drops the forms it had), so the catalogue is corrected here.
    ``plurals_only`` keeps nothing else (the English catalogue).
    """
    tree = ElementTree.parse(ts)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in list(context.iter("message")):
            source = message.findtext("source") or ""
            if "%n" not in source:
                if plurals_only:
                    context.remove(message)
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ElementTree.SubElement(message, "translation")
            forms, finished = previous.get((name, source), ([translation.text or ""] * 2, False))
            message.set("numerus", "yes")
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            translation.attrib.pop("type", None)
            if not finished:
                translation.set("type", "unfinished")
            for form in forms:
                ElementTree.SubElement(translation, "numerusform").text = form
    for context in list(tree.getroot().iter("context")):
        if context.find("message") is None:
            tree.getroot().remove(context)
    write_ts(tree, ts)


def write_ts(tree: ElementTree.ElementTree, ts: Path) -> None:
    ElementTree.indent(tree, space="    ")
    body = ElementTree.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  encoding="utf-8")


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, capture_output=True)


def stale_catalogues() -> list[Path]:
    """The committed .qm files that differ from what their .ts compiles to."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in LANGUAGES:
            fresh = Path(tmp) / f"{language}.qm"
            lrelease(ts_file(language), fresh)
            if not qm_file(language).exists() or \
                    fresh.read_bytes() != qm_file(language).read_bytes():
                stale.append(qm_file(language))
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the .qm files")
    args = parser.parse_args()
    if args.check:
        stale = stale_catalogues()
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    COMPILED.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        lupdate(ts_file(language), language)
        lrelease(ts_file(language), qm_file(language))
        print(f"{ts_file(language).relative_to(ROOT)} -> {qm_file(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
