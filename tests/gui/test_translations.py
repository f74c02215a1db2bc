"""Every UI text reaches the translators in the context the code looks it up in.

pyside6-lupdate files ``self.tr("…")`` under the class, ``translate("Context", "…")`` under its
context, and ``tr("…")`` of a module-level helper under no context at all (while the helper
looks it up in a named one at run time), and ``window.tr("…")`` under "window".
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from helpdesk_desktop.ui.i18n import effective_language, install_translations

UI = Path(__file__).resolve().parents[2] / "helpdesk_desktop" / "ui"
LUPDATE = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)) \
    or shutil.which("pyside6-lupdate")


@pytest.mark.skipif(LUPDATE is None, reason="pyside6-lupdate is not installed")
def test_every_text_is_extracted_under_a_real_context(tmp_path: Path) -> None:
    assert LUPDATE is not None
    ts = tmp_path / "ui.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    subprocess.run([LUPDATE, *sources, "-ts", str(ts)], check=True, capture_output=True)
    contexts = {}
    for name, body in re.findall(r"<context>\s*<name>(.*?)</name>(.*?)</context>",
                                 ts.read_text(encoding="utf-8"), re.DOTALL):
        contexts[name] = re.findall(r"<source>(.*?)</source>", body, re.DOTALL)
    wrong = {name: texts[:3] for name, texts in contexts.items()
             if not re.fullmatch(r"[A-Z][A-Za-z]+", name)}
    assert not wrong, f"texts filed under a context the code does not use: {wrong}"
    # The action texts and reasons (translated at run time from variables) are marked.
    assert {"&amp;Merge Ticket…", "Needs the delete permission.", "Set S&amp;tatus…",
            "Select tickets of one pipeline."} <= set(contexts["TicketActions"])


# --- The French catalogue: complete, faithful to the placeholders, compiled, loaded ----------

ROOT = UI.parents[1]
PLACEHOLDER = re.compile(r"%L?n|%\d+|\{[a-z0-9_]*\}")


def _update_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "packaging" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_texts() -> set[tuple[str, str]]:
    """(context, text) of every literal the UI code translates, read from the syntax tree, so
    that a text pyside6-lupdate fails to extract is noticed too."""
    found: set[tuple[str, str]] = set()
    for path in UI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                            and call.func.attr == "tr" and isinstance(call.func.value, ast.Name) \
                            and call.func.value.id == "self" and call.args \
                            and isinstance(call.args[0], ast.Constant):
                        found.add((node.name, str(call.args[0].value)))
            if isinstance(node, ast.Call) and len(node.args) >= 2 \
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                            for a in node.args[:2]):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else \
                    node.func.id if isinstance(node.func, ast.Name) else ""
                if name in ("translate", "QT_TRANSLATE_NOOP"):
                    context, text = (a.value for a in node.args[:2])  # type: ignore[attr-defined]
                    found.add((str(context), str(text)))
    return found


def catalogue(ts: Path) -> dict[tuple[str, str], tuple[list[str], bool]]:
    """(context, source) → (translations — one, or the plural forms —, finished)."""
    result = {}
    root = ElementTree.parse(ts).getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = [f.text or "" for f in translation.iter("numerusform")] \
                if message.get("numerus") == "yes" else [translation.text or ""]
            result[(context.findtext("name") or "", message.findtext("source") or "")] = (
                forms, translation.get("type") not in ("unfinished", "vanished", "obsolete"))
    return result


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str],
                                                            tuple[list[str], bool]]:
    """The committed French catalogue, refreshed from today's code in a scratch copy."""
    if LUPDATE is None:
        pytest.skip("pyside6-lupdate is not installed")
    tool = _update_tool()
    ts = tmp_path_factory.mktemp("ts") / "helpdesk_fr.ts"
    shutil.copy(tool.ts_file("fr"), ts)
    tool.lupdate(ts, "fr")
    return catalogue(ts)


def test_every_text_has_a_french_translation(
        french: dict[tuple[str, str], tuple[list[str], bool]]) -> None:
    missing = sorted(f"{ctx}: {text!r}" for (ctx, text), (forms, done) in french.items()
                     if not done or not all(f.strip() for f in forms))
    missing += sorted(f"{ctx}: {text!r} (not even extracted)"
                      for ctx, text in code_texts() - set(french))
    assert not missing, (
        f"{len(missing)} text(s) without a French translation — run "
        "'python packaging/update_translations.py', translate them in "
        "resources/translations/helpdesk_fr.ts (pyside6-linguist), run it again:\n  "
        + "\n  ".join(missing))


def test_every_plural_has_its_english_forms(tmp_path: Path) -> None:
    # English needs its catalogue too: without it "%n tickets" reads "1 tickets".
    if LUPDATE is None:
        pytest.skip("pyside6-lupdate is not installed")
    tool = _update_tool()
    ts = tmp_path / "helpdesk_en.ts"
    shutil.copy(tool.ts_file("en"), ts)
    tool.lupdate(ts, "en")
    missing = sorted(f"{ctx}: {text!r}" for (ctx, text), (forms, done) in catalogue(ts).items()
                     if not done or len(forms) != 2 or not all(f.strip() for f in forms))
    assert not missing, ("plural texts without their English singular and plural in "
                         "resources/translations/helpdesk_en.ts:\n  " + "\n  ".join(missing))


def test_translations_keep_every_placeholder(
        french: dict[tuple[str, str], tuple[list[str], bool]]) -> None:
    wrong = []
    for (ctx, text), (forms, _done) in french.items():
        expected = sorted(PLACEHOLDER.findall(text))
        for index, form in enumerate(forms):
            got = sorted(PLACEHOLDER.findall(form))
            if len(forms) > 1 and index < len(forms) - 1:
                # A singular may say "one" instead of the number: %n is optional there.
                expected_here = [p for p in expected if p not in ("%n", "%Ln")]
                got = [p for p in got if p not in ("%n", "%Ln")]
            else:
                expected_here = expected
            if got != expected_here:
                wrong.append(f"{ctx}: {text!r} → {form!r} (expected {expected_here}, got {got})")
        if "&" in text.replace("&&", "") and not all("&" in f for f in forms):
            wrong.append(f"{ctx}: {text!r} → {forms!r} lost its keyboard mnemonic (&)")
    assert not wrong, "translations that drop or change a placeholder:\n  " + "\n  ".join(wrong)


def test_compiled_catalogues_are_up_to_date() -> None:
    if shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("pyside6-lrelease is not installed")
    stale = _update_tool().stale_catalogues()
    assert not stale, f"run 'python packaging/update_translations.py': {stale} out of date"


def test_french_loads_with_plurals_and_qts_own_dialogs(qapp: QApplication) -> None:
    translators = install_translations(qapp, "fr")
    try:
        assert QCoreApplication.translate("MainWindow", "&File") == "&Fichier"
        assert QCoreApplication.translate("Dialogs", "%n tickets", None, 0) == "0 ticket"
        assert QCoreApplication.translate("Dialogs", "%n tickets", None, 1) == "1 ticket"
        assert QCoreApplication.translate("Dialogs", "%n tickets", None, 3) == "3 tickets"
        # Qt's own texts (standard buttons, file and print dialogs) come from qtbase_fr.
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
        assert QLocale().language() == QLocale.Language.French
        assert QLocale().toString(1234567) == "1\u202f234\u202f567"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        install_translations(qapp, "en")
    assert QCoreApplication.translate("Dialogs", "%n tickets", None, 1) == "1 ticket"
    assert QCoreApplication.translate("Dialogs", "%n tickets", None, 2) == "2 tickets"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


@pytest.mark.parametrize(("ui_languages", "expected"), [
    (["fr-CA", "en-US"], "fr"), (["de-DE", "fr-FR"], "fr"), (["de-DE"], "en"),
    (["en-GB", "fr-FR"], "en")])
def test_the_language_follows_the_system_unless_chosen(ui_languages: list[str],
                                                       expected: str) -> None:
    class FakeLocale:
        def uiLanguages(self) -> list[str]:  # Qt's name
            return ui_languages

    assert effective_language("", FakeLocale()) == expected  # type: ignore[arg-type]
    assert effective_language("fr", FakeLocale()) == "fr"  # type: ignore[arg-type]


def test_french_transcripts_and_mail_presets(qapp: QApplication) -> None:
    from helpdesk_desktop.domain.enums import MessageKind
    from helpdesk_desktop.services.dto import AttachmentInfo
    from helpdesk_desktop.services.mail.presets import PRESETS
    from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
    from helpdesk_desktop.transcripts.pdf import pdf_bytes
    from helpdesk_desktop.ui.transcript_print.labels import missing_warning, qt_labels
    from tests.transcripts.builders import T0, agent, conversation, message, ticket
    from tests.transcripts.pdftext import all_text

    translators = install_translations(qapp, "fr")
    try:
        files = (AttachmentInfo(2, "facture.pdf", "application/pdf", 2_500_000),)
        detail = ticket([conversation(1, [message(1, MessageKind.EMAIL, "Bonjour", minutes=0,
                                                  attachments=files)])])
        transcript = build_transcript(detail, TranscriptOptions(), labels=qt_labels(),
                                      viewer=agent(time_zone="Europe/Paris"), printed_at=T0)
        text = all_text(pdf_bytes(transcript, paper="A4"))
        # The engine's every "label: value" line takes the French colon, dates and sizes.
        assert "Ticket n°\u00a042\u00a0: Printer on fire" in text
        assert "De\u00a0: Marie Dupont" in text and "Statut\u00a0: Waiting on us" in text
        assert "Imprimé par Arno Agent le lun. 2 mars 2026, 10:00 CET" in text
        assert "Pièces jointes\u00a0: facture.pdf (2,4 Mo)" in text
        assert "(message reçu)" in text
        assert missing_warning(1).startswith("1 caractère n'a pas pu être imprimé")
        assert missing_warning(3).startswith("3 caractères n'ont pas pu être imprimés")
        # The mail presets' English words (in the service layer) are found in the catalogue.
        for preset in PRESETS:
            assert QCoreApplication.translate("InboxSettingsDialog", preset.note) != preset.note
        assert QCoreApplication.translate("InboxSettingsDialog", "Other (IMAP/SMTP)") \
            == "Autre (IMAP/SMTP)"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        install_translations(qapp, "en")
    assert missing_warning(1).startswith("1 character could not be printed")
