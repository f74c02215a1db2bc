"""File › Import Mail… and files dropped on the main window: the import runs in the background
with progress and Cancel, and ends with what became of every message."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from helpdesk_desktop.domain.models import Message, Ticket
from helpdesk_desktop.services.intake import Outcome
from helpdesk_desktop.ui.dialogs.import_dialog import ImportMailDialog
from helpdesk_desktop.ui.dialogs.sender_rules_dialog import SenderRulesDialog
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS


def _mail(number: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Importer {number} <imp{number}@example.org>"
    message["Subject"] = f"Imported question {number}"
    message["Message-ID"] = f"<imp{number}@example.org>"
    message.set_content(f"Question {number}.")
    return message


def _count(gui_ws: GuiWorkspace, model: object, *where: object) -> int:
    with gui_ws.ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)  # type: ignore[arg-type]
                                  .where(*where)) or 0)  # type: ignore[arg-type]


def test_file_import_runs_in_the_background_and_ends_with_a_summary(
        gui_ws: GuiWorkspace, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    eml = tmp_path / "question.eml"
    eml.write_bytes(_mail(1).as_bytes())
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"Subject: no sender\r\n\r\nbody")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *_args, **_kwargs: ([str(eml), str(broken)], ""))
    window = gui_ws.window("agent")
    before = _count(gui_ws, Ticket)
    action = window.findChild(QAction, "action.import_mail")
    assert action is not None
    action.trigger()
    dialog = window.import_dialog
    assert isinstance(dialog, ImportMailDialog) and dialog.isVisible()
    assert not dialog.import_button.isEnabled()  # nothing chosen yet
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    assert dialog.paths() == [str(eml), str(broken)]
    assert dialog.inbox_combo.currentText() == "Help Desk"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcomes is not None, timeout=10_000)
    assert dialog.outcomes is not None
    assert [o.outcome for o in dialog.outcomes] == [Outcome.CREATED, Outcome.REFUSED]
    assert dialog.status_label.text() == ("2 messages imported. New ticket: 1; "
                                          "Refused (kept aside): 1.")
    assert dialog.results.topLevelItemCount() == 2
    assert dialog.results.topLevelItem(1).text(3) == "The message has no usable sender address."
    assert dialog.cancel_button.text() == "Close"
    assert _count(gui_ws, Ticket) == before + 1
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_dropping_files_on_the_window_opens_the_import(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                       tmp_path: Path) -> None:
    eml = tmp_path / "dropped.eml"
    eml.write_bytes(_mail(7).as_bytes())
    window = gui_ws.window("agent")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(eml))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    dialog = window.import_dialog
    assert dialog is not None and dialog.paths() == [str(eml)]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcomes is not None, timeout=10_000)
    assert _count(gui_ws, Message, Message.message_id_header == "<imp7@example.org>") == 1


def test_cancel_stops_a_large_mailbox_between_messages(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    box = mailbox.mbox(path)
    for number in range(1000):
        box.add(_mail(10000 + number))
    box.flush()
    box.close()
    window = gui_ws.window("agent")
    dialog = window.import_mail([str(path)])
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress_bar.maximum() == 1000
                    and dialog.progress_bar.value() >= 3, timeout=20_000)
    assert dialog.status_label.text().endswith("of 1000 messages…")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # Cancel stops the import, not the dialog
    qtbot.waitUntil(lambda: dialog.outcomes is not None, timeout=20_000)
    assert dialog.outcomes is not None
    taken = len(dialog.outcomes)
    assert 3 <= taken < 1000
    assert dialog.status_label.text().startswith(f"Cancelled after {taken} messages.")
    # Each message was its own transaction: exactly those reported are in the database.
    assert _count(gui_ws, Message, Message.message_id_header.like("<imp1%@example.org>")) == taken


def test_sender_rules_dialog_edits_the_lists(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    action = window.findChild(QAction, "action.sender_rules")
    assert action is not None
    action.trigger()
    dialog = window.findChild(SenderRulesDialog, "SenderRulesDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Help Desk"))
    qtbot.keyClicks(dialog.pattern_edit, "@Spam.example")
    qtbot.mouseClick(dialog.deny_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 1)
    assert (dialog.rules.topLevelItem(0).text(0), dialog.rules.topLevelItem(0).text(1)) == (
        "spam.example", "Deny")
    qtbot.keyClicks(dialog.pattern_edit, "not a domain")
    qtbot.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert dialog.error_label.text() == "'not a domain' is neither an e-mail address nor a domain."
    inbox_id = gui_ws.ws.inboxes["Help Desk"]
    assert [(r.pattern, r.allow) for r in gui_ws.desk("admin").sender_rules(inbox_id)] == [
        ("spam.example", False)]


def test_sender_rules_are_read_only_without_account_access(gui_ws: GuiWorkspace,
                                                           qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    dialog = window.open_sender_rules()
    assert not dialog.deny_button.isEnabled() and not dialog.pattern_edit.isEnabled()
    assert "account access" in dialog.deny_button.toolTip()


def test_the_import_dialog_says_what_to_drop_and_takes_dropped_files(
        gui_ws: GuiWorkspace, qtbot: QtBot, tmp_path: Path) -> None:
    eml = tmp_path / "dropped.eml"
    eml.write_bytes(_mail(8).as_bytes())
    dialog = ImportMailDialog(gui_ws.bridge("agent"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path_hint.isVisible()
    assert dialog.path_hint.text().startswith("Drop .eml or .mbox files or Maildir folders here")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(eml))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()
    for _ in range(2):  # a second drop of the same file adds nothing
        drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                          Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(dialog, drop)
    assert dialog.paths() == [str(eml)]
    assert not dialog.path_hint.isVisible() and dialog.import_button.isEnabled()


def test_sender_rules_say_spam_by_its_name_and_explain_an_empty_list(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    dialog = SenderRulesDialog(gui_ws.bridge("admin"))
    qtbot.addWidget(dialog)
    dialog.show()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "goes to Spam." in texts and "the spam" not in texts
    qtbot.waitUntil(lambda: dialog.rules_hint.isVisible())
    assert dialog.rules_hint.text().startswith("No rules: mail from every sender")
