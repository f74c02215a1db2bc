"""View › Outbox…: outgoing e-mail with its state, Retry and Cancel clicked; Sender Rules reached
from Settings and from the Inboxes dialog (one place for an inbox's settings)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import OutboxState
from helpdesk_desktop.domain.models import OutboxItem
from helpdesk_desktop.ui.dialogs.inbox_settings_dialog import InboxSettingsDialog
from helpdesk_desktop.ui.dialogs.outbox_dialog import OutboxDialog
from tests.gui.conftest import GuiWorkspace
from tests.services.test_composing import _connect_help_desk

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")]


def _states(gui_ws: GuiWorkspace) -> list[OutboxState]:
    return [entry.state for entry in gui_ws.ws.desk("admin").outbox()]


def test_outbox_lists_replies_and_retries_and_cancels(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    _connect_help_desk(gui_ws.ws)
    desk = gui_ws.ws.desk("admin")
    ticket_id = gui_ws.tickets["Printer on fire"]
    failed = desk.reply(ticket_id, "First answer").payload.outbox_id
    queued = desk.reply(ticket_id, "Second answer").payload.outbox_id
    with gui_ws.ws.db.session() as session:
        item = session.get(OutboxItem, failed)
        assert item is not None
        item.state, item.last_error = OutboxState.FAILED, "550 mailbox unavailable"
        session.commit()
    window = gui_ws.window("admin")
    window.view_actions["outbox"].trigger()
    dialog = window.findChild(OutboxDialog, "OutboxDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 2, timeout=5000)
    assert not dialog.retry_button.isEnabled()  # nothing selected yet
    states = {dialog.list.topLevelItem(i).text(0): dialog.list.topLevelItem(i).text(6)
              for i in range(2)}
    assert states == {"Failed": "550 mailbox unavailable", "Queued": ""}

    dialog.select(failed)
    assert dialog.retry_button.isEnabled()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result.text() == "The e-mail will be sent at the next "
                                                    "flush.", timeout=5000)
    assert _states(gui_ws) == [OutboxState.QUEUED, OutboxState.QUEUED]

    qtbot.waitUntil(lambda: not dialog.loading and dialog.list.topLevelItemCount() == 2)
    dialog.select(queued)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not sent" in dialog.result.text(), timeout=5000)
    qtbot.waitUntil(lambda: any(dialog.list.topLevelItem(i).text(0) == "Cancelled"
                                for i in range(dialog.list.topLevelItemCount())),
                    timeout=5000)
    assert sorted(_states(gui_ws)) == sorted([OutboxState.CANCELLED, OutboxState.QUEUED])
    assert window.open_outbox() is dialog  # one per window, raised
    item = dialog.list.currentItem()
    assert item is not None
    dialog.list.itemActivated.emit(item, 0)  # Enter or a double click: the ticket opens
    gui_ws.settle()
    assert window.ticket_view.ticket_id() == ticket_id


def test_sender_rules_sit_next_to_inboxes_in_settings(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    assert set(window.settings_actions) == {"mail_inboxes", "sender_rules"}
    dialog = window.open_mail_inboxes()
    assert isinstance(dialog, InboxSettingsDialog)
    dialog.inbox_combo.setCurrentIndex(dialog.inbox_combo.findText("Help Desk"))
    qtbot.mouseClick(dialog.rules_button, Qt.MouseButton.LeftButton)
    rules = dialog.rules_dialog
    assert rules.isVisible() and rules.inbox_combo.currentText() == "Help Desk"
    rules.reject()
    dialog.reject()


def test_outbox_fits_the_screen_and_shows_the_whole_error(gui_ws: GuiWorkspace,
                                                         qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    _connect_help_desk(gui_ws.ws)
    desk = gui_ws.ws.desk("admin")
    ticket_id = gui_ws.tickets["Printer on fire"]
    failed = desk.reply(ticket_id, "First answer").payload.outbox_id
    desk.reply(ticket_id, "Second answer")
    error = ("No password is stored for the SMTP account support; enter it in Settings › "
             "Inboxes. " * 3).strip()
    with gui_ws.ws.db.session() as session:
        item = session.get(OutboxItem, failed)
        assert item is not None
        item.state, item.last_error = OutboxState.FAILED, error
        session.commit()
    dialog = OutboxDialog(gui_ws.bridge("admin"))
    qtbot.addWidget(dialog)
    available = QApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= available.width() and dialog.height() <= available.height()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 2, timeout=5000)
    assert dialog.list.headerItem().text(5) == "Time"
    rows = {dialog.list.topLevelItem(i).text(0): dialog.list.topLevelItem(i)
            for i in range(2)}
    assert rows["Queued"].text(5).startswith("Next attempt ")
    assert rows["Failed"].text(5).startswith("Queued ")
    assert rows["Failed"].toolTip(6) == error
    assert dialog.list.header().stretchLastSection()
    assert not dialog.error_detail.isVisibleTo(dialog)
    dialog.select(failed)
    assert dialog.error_detail.isVisibleTo(dialog)
    assert dialog.error_detail.text() == f"Last error: {error}"
    assert dialog.error_detail.wordWrap()
