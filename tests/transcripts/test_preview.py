"""The Qt side: the preview document, the native print preview and the export flow."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
from helpdesk_desktop.transcripts.pdf import pdf_bytes
from helpdesk_desktop.ui.transcript_print import export as pdf_export
from helpdesk_desktop.ui.transcript_print import worker_process
from helpdesk_desktop.ui.transcript_print.export import export_pdf
from helpdesk_desktop.ui.transcript_print.options import load_options, load_paper
from helpdesk_desktop.ui.transcript_print.preview import TranscriptPreview, print_preview
from helpdesk_desktop.ui.transcript_print.rendering import (
    TranscriptDocument,
    default_page_layout,
    paint_page,
)
from tests.factories import Workspace, make_ticket
from tests.transcripts.builders import agent, conversation, long_conversation, message, ticket
from tests.transcripts.pdftext import all_text, pages_text
from tests.transcripts.test_pdf import MULTILINGUAL

# The offscreen platform warns about size hints when a dialog shows; harmless there.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _preview_pages(document: TranscriptDocument, qtbot: QtBot) -> int:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(default_page_layout("A4"))
    widget = QPrintPreviewWidget(printer)
    qtbot.addWidget(widget)
    widget.paintRequested.connect(document.paint)
    widget.updatePreview()
    return widget.pageCount()


def test_the_preview_renders_the_expected_number_of_pages(qtbot: QtBot) -> None:
    short = TranscriptDocument(build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, "Just one line")])]),
        TranscriptOptions(), viewer=agent()), "A4")
    assert short.page_count == 1
    assert _preview_pages(short, qtbot) == 1

    long = TranscriptDocument(build_transcript(long_conversation(150), TranscriptOptions(),
                                               viewer=agent()), "A4")
    assert long.page_count > 10
    assert _preview_pages(long, qtbot) == long.page_count


def test_preview_and_pdf_show_the_same_words_on_the_same_pages(qtbot: QtBot,
                                                               tmp_path: Path) -> None:
    messages = [message(i, MessageKind.EMAIL, text)
                for i, text in enumerate(MULTILINGUAL.values(), start=1)]
    messages += [message(100 + i, MessageKind.REPLY, f"Filler reply {i}. " + "Lorem ipsum " * 40)
                 for i in range(30)]
    transcript = build_transcript(ticket([conversation(1, messages)]), TranscriptOptions(),
                                  viewer=agent())
    document = TranscriptDocument(transcript, "A4")
    # Qt's printer gets one page per laid-out page …
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "qt.pdf"))
    printer.setPageLayout(default_page_layout("A4"))
    document.paint(printer)
    assert len(PdfReader(tmp_path / "qt.pdf").pages) == document.page_count > 1
    # … and each page the preview paints holds the lines the exported PDF has on that page,
    # in the same order.
    ours = [re.sub(r"\s+", " ", page) for page in pages_text(pdf_bytes(transcript, paper="A4"))]
    assert len(ours) == document.page_count
    for page, laid_out in zip(ours, document.pages.pages, strict=True):
        at = 0
        for placed in laid_out.lines:
            if placed.line.text.isascii():
                at = page.find(re.sub(r"\s+", " ", placed.line.text).strip(), at)
                assert at >= 0, placed.line.text
    # The preview draws the very glyphs the PDF has: never the missing-glyph box.
    assert document.pages.missing == 0
    for page in document.pages.pages:
        for placed in page.lines:
            assert all(0 not in run.glyphs for run in placed.line.runs), placed.line.text


def test_the_preview_page_as_a_picture_has_ink_in_the_text_frame(qtbot: QtBot) -> None:
    document = TranscriptDocument(build_transcript(ticket([conversation(1, [
        message(1, MessageKind.EMAIL, "مرحبا بكم [رقم 123] — नमस्ते — 👨‍👩‍👧")])]),
        TranscriptOptions(), viewer=agent()), "A4")
    image = QImage(595, 842, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_page(painter, document.pages, 0, 72)
    painter.end()
    inked = [(x, y) for y in range(0, 842, 2) for x in range(0, 595, 2)
             if image.pixelColor(x, y).lightness() < 128]
    assert inked
    margin = 18 * 72 / 25.4
    assert min(x for x, _ in inked) >= margin - 4 and max(x for x, _ in inked) <= 595 - margin + 4


def test_print_preview_opens_and_rebuilds_with_remembered_options(
        ws: Workspace, qtbot: QtBot, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=(
        (MessageKind.EMAIL, "Customer says hello"),
        (MessageKind.NOTE, "Secret note about the customer"),
        (MessageKind.REPLY, "Agent says hello back"),
    ), conversations=2)
    settings = _settings(tmp_path)
    preview = print_preview(None, ws.desk("agent"), ticket_id, settings=settings)
    qtbot.waitUntil(lambda: preview.dialog is not None and preview.dialog.isVisible(),
                    timeout=20000)
    dialog = preview.dialog
    assert dialog is not None
    assert dialog.objectName() == "TranscriptPreviewDialog"
    assert dialog.view.page_count() == preview.document.page_count >= 1
    text = preview.document.text()
    assert text.count("Customer says hello") == 2 and "Agent says hello back" in text
    assert "Secret note" not in text and "Printer on fire (2)" in text  # every thread
    assert preview.options_box is not None and preview.options_box.scope.isEnabled()

    preview.options_box.notes.setChecked(True)
    qtbot.waitUntil(lambda: preview.document is not None and "Secret note"
                    in preview.document.text() and dialog.isEnabled(), timeout=20000)
    preview.options_box.scope.setCurrentIndex(1)  # this conversation only
    qtbot.waitUntil(lambda: preview.document.text().count(
        "Customer says hello") == 1 and dialog.isEnabled(), timeout=20000)
    preview.options_box.paper.setCurrentIndex(preview.options_box.paper.findData("Letter"))
    qtbot.waitUntil(lambda: preview.document.paper == "Letter" and dialog.isEnabled(),
                    timeout=20000)
    assert load_options(settings) == TranscriptOptions(
        all_conversations=False, include_notes=True)
    assert load_paper(settings) == "Letter"
    dialog.reject()
    qtbot.waitUntil(lambda: preview.dialog is None)

    again = print_preview(None, ws.desk("agent"), ticket_id, settings=settings)
    qtbot.waitUntil(lambda: again.dialog is not None, timeout=20000)
    assert again.options_box.notes.isChecked() and again.options_box.scope.currentIndex() == 1
    assert again.options_box.chosen_paper() == "Letter"
    again.dialog.reject()


def test_export_pdf_remembers_the_folder_and_names_the_file(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    settings = _settings(tmp_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    asked: list[str] = []

    def save_dialog(_parent, _title, start, _filter):
        asked.append(start)
        return str(folder / "chosen"), "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    export = export_pdf(None, ws.desk("agent"), ticket_id,
                        options=TranscriptOptions(mask_contacts=True), settings=settings)
    assert export is not None
    with qtbot.waitSignal(export.done, timeout=20000) as done:
        pass
    assert done.args == [str(folder / "chosen.pdf")]
    assert asked == [str(Path.home() / f"Ticket-{ticket_id}-Printer-on-fire.pdf")]
    text = all_text((folder / "chosen.pdf").read_bytes())
    assert "Hello, my printer is on fire." in text and "Please unplug it." in text

    export = export_pdf(None, ws.desk("agent"), ticket_id, settings=settings,
                        options=TranscriptOptions())
    assert export is not None
    qtbot.waitSignal(export.done, timeout=20000).wait()
    assert asked[-1] == str(folder / f"Ticket-{ticket_id}-Printer-on-fire.pdf")
    assert load_options(settings) == TranscriptOptions()


def test_export_pdf_cancelled_in_the_file_dialog_writes_nothing(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: ("", ""))
    assert export_pdf(None, ws.desk("agent"), ticket_id, options=TranscriptOptions(),
                      settings=_settings(tmp_path)) is None
    assert not list(tmp_path.glob("*.pdf"))


def test_a_refused_preview_says_why(ws: Workspace, qtbot: QtBot, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    preview = print_preview(None, ws.desk("sales"), ticket_id, settings=_settings(tmp_path))
    with qtbot.waitSignal(preview.failed, timeout=20000) as failed:
        pass
    # The service's sentence, also shown in a (non-blocking) box.
    assert failed.args == [f"Ticket #{ticket_id} does not exist or you cannot see it."]
    assert preview.dialog is None


def test_cancelling_an_export_writes_no_file(ws: Workspace, qtbot: QtBot,
                                             tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Long thread", owner="agent", messages=tuple(
        (MessageKind.EMAIL if i % 2 else MessageKind.REPLY, f"Message {i} " + "text " * 60)
        for i in range(400)))
    path = tmp_path / "cancelled.pdf"
    export = export_pdf(None, ws.desk("agent"), ticket_id, options=TranscriptOptions(),
                        path=path, settings=_settings(tmp_path))
    assert export is not None and export.task is not None
    cancel = export.task.progress.findChild(QPushButton)
    assert cancel is not None
    cancel.click()  # as the user would, in the progress dialog
    with qtbot.waitSignal(export.failed, timeout=20000) as failed:
        pass
    assert failed.args == [""]  # cancelled: nothing to report
    assert not path.exists()


def test_an_export_that_cannot_write_says_why_in_one_sentence(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The export runs as a ui.jobs.Job: an OSError that escapes the writing in the worker
    # process (write_atomically turns its own into a refusal) is the transcript's sentence,
    # not a traceback. A stand-in worker that met a full disk:
    answer = json.dumps({"oserror": [28, "No space left on device"]})
    script = f"import sys; sys.stdin.buffer.read(); print({answer!r})"
    monkeypatch.setattr(worker_process, "worker_command",
                        lambda: [sys.executable, "-c", script])
    path = tmp_path / "full.pdf"
    export = export_pdf(None, ws.desk("agent"), make_ticket(ws, owner="agent"),
                        options=TranscriptOptions(), path=path, settings=_settings(tmp_path))
    assert export is not None
    with qtbot.waitSignal(export.failed, timeout=20000) as failed:
        pass
    assert failed.args == ["The file could not be written: No space left on device"]
    assert not path.exists()


def test_an_export_of_a_ticket_out_of_sight_says_why(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    warned: list[str] = []
    monkeypatch.setattr(pdf_export, "show_warning",
                        lambda _parent, _title, message: warned.append(message))
    assert export_pdf(None, ws.desk("sales"), ticket_id, settings=_settings(tmp_path)) is None
    assert len(warned) == 1 and warned[0]  # the service's sentence, not a traceback
    assert not list(tmp_path.glob("*.pdf"))


def test_the_preview_shows_pages_warns_of_missing_glyphs_and_prints(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=tuple(
        (MessageKind.EMAIL if i % 2 else MessageKind.REPLY,
         f"Message {i}: مرحبا [رقم {i}] — नमस्ते — \U00013000 " + "text " * 80)
        for i in range(40)))
    preview = print_preview(None, ws.desk("agent"), ticket_id, settings=_settings(tmp_path))
    qtbot.waitUntil(lambda: preview.dialog is not None and preview.complete, timeout=20000)
    dialog = preview.dialog
    assert dialog is not None
    # The one-line warning counts the characters no font has (one per message).
    assert dialog.warning.isVisible()
    assert dialog.warning.text() == ("40 characters could not be printed: no font has them "
                                     "(shown as boxes).")
    assert dialog.view.page_count() == preview.document.page_count > 3
    assert dialog.page_label.text() == f"Page 1 of {preview.document.page_count}"
    # The page on screen has ink inside the white page.
    image = dialog.view.viewport().grab().toImage()
    assert any(image.pixelColor(x, y).lightness() < 100
               for y in range(0, image.height(), 3) for x in range(0, image.width(), 3))
    zoom = dialog.view.canvas.zoom
    dialog.zoom_in.click()
    assert dialog.view.canvas.zoom > zoom
    dialog.view.show_page(2)
    assert dialog.page_label.text().startswith("Page 3 of")
    # Print…: the system's dialog (accepted here), then every page from a worker thread.
    target = tmp_path / "printed.pdf"

    def accept(self: QPrintDialog) -> int:
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    preview.print_button.click()
    qtbot.waitUntil(lambda: preview.print_task.finished, timeout=20000)
    assert len(PdfReader(target).pages) == preview.document.page_count
    dialog.reject()


def test_a_long_ticket_shows_its_first_page_before_the_rest_is_laid_out(
        ws: Workspace, qtbot: QtBot, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Long thread", owner="agent", messages=tuple(
        (MessageKind.EMAIL if i % 2 else MessageKind.REPLY, f"Message {i} " + "text " * 60)
        for i in range(200)))
    preview = print_preview(None, ws.desk("agent"), ticket_id, settings=_settings(tmp_path))
    states: list[tuple[bool, int]] = []
    preview.ready.connect(lambda: states.append((preview.complete,
                                                 preview.dialog.view.page_count())))
    qtbot.waitUntil(lambda: preview.complete, timeout=30000)
    assert states and states[0][0] is False and 1 <= states[0][1] < preview.document.page_count
    assert preview.dialog.view.page_count() == preview.document.page_count
    preview.dialog.reject()


def test_the_first_page_is_read_from_the_start_of_the_ticket_and_stays_the_same(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first page comes from a read of the oldest messages only (fast on a 1,000-message
    # ticket); the complete layout then shows the same first page, with its footer.
    ticket_id = make_ticket(ws, "Long thread", owner="agent", conversations=2, messages=tuple(
        (MessageKind.EMAIL if i % 2 else MessageKind.REPLY, f"Message {i} " + "text " * 60)
        for i in range(60)))
    reads: list[int | None] = []
    original = Desk.ticket

    def counted(self: Desk, ticket_id: int, **kwargs: Any) -> Any:
        reads.append(kwargs.get("first_messages"))
        return original(self, ticket_id, **kwargs)

    monkeypatch.setattr(Desk, "ticket", counted)
    preview = print_preview(None, ws.desk("agent"), ticket_id, settings=_settings(tmp_path))
    first: list[str] = []
    preview.ready.connect(lambda: first.append(
        "\n".join(p.line.text for p in preview.document.pages.pages[0].lines)))
    qtbot.waitUntil(lambda: preview.complete, timeout=30000)
    assert reads == [TranscriptPreview.FIRST_MESSAGES, None]
    assert len(first) == 1 and "Message 0" in first[0]
    final = "\n".join(p.line.text for p in preview.document.pages.pages[0].lines)
    assert final.startswith(first[0])  # the same lines, then the page's footer
    assert preview.dialog is not None
    preview.dialog.reject()
