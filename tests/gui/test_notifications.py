"""Notifications: followers are told, the author is not; the bell, its list, the tray message,
the poll, and the preference that turns them off."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QPushButton, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import ActivityKind, Priority
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.ui.dialogs.preferences_dialog import PreferencesDialog
from helpdesk_desktop.ui.i18n import preferred_language
from helpdesk_desktop.ui.notifications import NotificationBell, NotificationCenter
from tests.factories import Workspace, make_ticket
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS, click_index

pytestmark = GUI_MARKS


class RecordingTray(QSystemTrayIcon):
    """A tray icon that remembers its messages (the offscreen platform has no tray)."""

    def __init__(self) -> None:
        super().__init__(QIcon())
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title: str, body: str, *_args: object) -> None:  # type: ignore[override]
        self.messages.append((title, body))


def test_followers_are_notified_and_the_author_is_not(dws: Workspace) -> None:
    ticket_id = make_ticket(dws, "Printer on fire", owner="agent")
    agent, lead = dws.desk("agent"), dws.desk("lead")
    agent.follow([ticket_id])
    lead.follow([ticket_id])
    lead.update(ticket_id, TicketChanges(priority=Priority.URGENT.value))
    assert lead.unread_notification_count() == 0  # the author
    assert agent.unread_notification_count() == 1
    [note] = agent.notifications()
    assert (note.ticket_id, note.actor, note.activity_kind) == (
        ticket_id, "Léa Lead", ActivityKind.PROPERTY_CHANGED)
    assert dws.desk("admin").unread_notification_count() == 0  # not a follower


def test_bell_badge_list_open_and_mark_all_read(qtbot: QtBot, dws: Workspace,
                                                make_bridge: object) -> None:
    first = make_ticket(dws, "Printer on fire", owner="agent")
    second = make_ticket(dws, "Invoice wrong", owner="agent")
    dws.desk("agent").follow([first, second])
    lead = dws.desk("lead")
    lead.update(first, TicketChanges(priority=Priority.URGENT.value))
    lead.add_note(second, "Called the customer.")
    opened: list[int] = []
    tray = RecordingTray()
    center = NotificationCenter(make_bridge("agent"), opened.append, tray=tray)  # type: ignore[operator]
    bell = NotificationBell(center)
    qtbot.addWidget(bell)
    bell.show()
    qtbot.waitUntil(lambda: bell.badge_text() == "2")  # counted off the UI thread
    assert "2 unread" in bell.toolTip()
    assert tray.messages == []  # what was unread at start is not news

    qtbot.mouseClick(bell, Qt.MouseButton.LeftButton)
    popup = bell.popup
    assert popup.isVisible() and popup.list.count() == 2
    newest = popup.list.item(0).text()
    assert "Called the customer" in newest or "note" in newest.lower()
    assert "Léa Lead" in newest and f"#{second} Invoice wrong" in newest
    assert popup.list.item(0).font().bold()

    click_index(qtbot, popup.list, popup.list.model().index(1, 0))
    assert opened == [first]
    assert not popup.isVisible()
    qtbot.waitUntil(lambda: bell.badge_text() == "1")

    qtbot.mouseClick(bell, Qt.MouseButton.LeftButton)
    assert not bell.popup.list.item(1).font().bold()
    qtbot.mouseClick(bell.popup.mark_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bell.badge_text() == "")
    assert dws.desk("agent").unread_notification_count() == 0
    assert not bell.popup.mark_all_button.isEnabled()
    assert not bell.popup.list.item(0).font().bold()  # the list was read again after


def test_the_poll_picks_up_other_agents_changes_and_tells_the_tray(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Printer on fire", owner="agent")
    dws.desk("agent").follow([ticket_id])
    tray = RecordingTray()
    center = NotificationCenter(make_bridge("agent"), lambda _id: None,  # type: ignore[operator]
                                poll_ms=20, tray=tray)
    center.bridge.wait_for_idle()
    qtbot.wait(10)
    assert center.count == 0
    with qtbot.waitSignal(center.countChanged, timeout=5000) as signal:
        dws.desk("lead").add_note(ticket_id, "Spare part ordered.")  # in "another program"
    assert signal.args == [1]
    assert tray.messages and tray.messages[0][0] == f"#{ticket_id} Printer on fire"
    assert "Léa Lead" in tray.messages[0][1]
    center.poll_timer.stop()  # it has no parent: its jobs' callbacks may keep it alive
    center.deleteLater()


def test_a_write_here_refreshes_the_count_without_waiting_for_the_poll(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Printer on fire", owner="agent")
    bridge = make_bridge("agent")  # type: ignore[operator]
    bridge.desk.follow([ticket_id])
    center = NotificationCenter(bridge, lambda _id: None)
    bridge.wait_for_idle()
    qtbot.wait(10)  # the first count, read in the background
    dws.desk("lead").add_note(ticket_id, "Spare part ordered.")
    assert center.count == 0  # the 30 s poll has not run
    with qtbot.waitSignal(center.countChanged, timeout=2000):
        bridge.desk.mark_read([ticket_id])  # any write through this window's facade
    assert center.count == 1


def test_preferences_turn_record_update_notifications_off(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, "Printer on fire", owner="agent")
    bridge = make_bridge("agent")  # type: ignore[operator]
    bridge.desk.follow([ticket_id])
    dialog = PreferencesDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.record_updates_check.isChecked()
    qtbot.mouseClick(dialog.record_updates_check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.record_updates_check.height() // 2))
    assert not dialog.record_updates_check.isChecked()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    assert dws.desk("agent").me().notify_record_updates is False
    dws.desk("lead").add_note(ticket_id, "Spare part ordered.")
    assert dws.desk("agent").unread_notification_count() == 0


def test_the_main_window_has_the_bell_in_its_tool_bar(qtbot: QtBot,
                                                      gui_ws: GuiWorkspace) -> None:
    ticket_id = gui_ws.tickets["Printer on fire"]
    gui_ws.desk("agent").follow([ticket_id])
    gui_ws.desk("lead").add_note(ticket_id, "On my way.")
    window = gui_ws.window("agent")
    bell = window.findChild(NotificationBell, "NotificationBell")
    assert bell is not None and bell.isVisible()
    assert bell.parent() is window.tool_bar
    assert bell.badge_text() == "1"
    qtbot.mouseClick(bell, Qt.MouseButton.LeftButton)
    click_index(qtbot, bell.popup.list, bell.popup.list.model().index(0, 0))
    gui_ws.settle()
    assert window.ticket_view.ticket_id() == ticket_id


def test_preferences_open_from_the_edit_menu(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("agent")
    action = window.edit_actions["preferences"]
    assert action.objectName() == "action.preferences"
    assert action in window.menuBar().actions()[1].menu().actions()  # Edit
    action.trigger()
    dialog = window.findChild(PreferencesDialog, "PreferencesDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.record_updates_check.isChecked()
    qtbot.mouseClick(dialog.record_updates_check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.record_updates_check.height() // 2))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    assert gui_ws.desk("agent").me().notify_record_updates is False


def test_account_admins_set_the_transcript_branding_in_the_preferences(
        qtbot: QtBot, dws: Workspace, make_bridge: object, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk_desktop.ui.dialogs import preferences_dialog
    from tests.transcripts.test_branding import _png

    agent_dialog = PreferencesDialog(make_bridge("agent"))  # type: ignore[operator]
    qtbot.addWidget(agent_dialog)
    assert agent_dialog.branding_group is None  # not an account admin: no workspace settings

    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    monkeypatch.setattr(preferences_dialog.QFileDialog, "getOpenFileName",
                        lambda *args: (str(logo), "Images (*.png *.jpg *.jpeg)"))
    dialog = PreferencesDialog(make_bridge("admin"))  # type: ignore[operator]
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.branding_group is not None and not dialog.remove_logo.isEnabled()
    qtbot.keyClicks(dialog.company_edit, "Dupont Support")
    qtbot.mouseClick(dialog.findChild(QPushButton, "chooseLogoButton"), Qt.MouseButton.LeftButton)
    assert not dialog.logo_label.pixmap().isNull() and dialog.remove_logo.isEnabled()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    assert dws.desk("agent").transcript_branding() == ("Dupont Support", _png())


def test_preferences_choose_the_language_for_the_next_start(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    bridge = make_bridge("agent")  # type: ignore[operator]
    dialog = PreferencesDialog(bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.language_combo
    assert combo.currentData() == ""  # follows the system until chosen
    assert "next time" in dialog.findChild(QLabel, "languageNote").text()
    combo.setFocus()
    while combo.currentText() != "Français":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    assert preferred_language() == "fr"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"  # not before a restart


def test_the_count_is_read_off_the_ui_thread(qtbot: QtBot, dws: Workspace,
                                             make_bridge: object,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(dws, "Printer on fire", owner="agent")
    dws.desk("agent").follow([ticket_id])
    dws.desk("lead").add_note(ticket_id, "Spare part ordered.")
    ui_thread = threading.current_thread()
    threads: list[bool] = []
    for name in ("unread_notification_count", "notifications", "mark_notifications_read"):
        original = getattr(Desk, name)

        def spy(self: Desk, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            threads.append(threading.current_thread() is ui_thread)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, spy)
    bridge = make_bridge("agent")  # type: ignore[operator]
    center = NotificationCenter(bridge, lambda _id: None)
    assert center.count == 0  # not yet: it is being read
    qtbot.waitUntil(lambda: center.count == 1)
    with qtbot.waitSignal(center.countChanged, timeout=5000) as signal:
        center.mark_read(None)
    assert threads and not any(threads)  # count, list and mark-read: all in the background
    assert signal.args == [0] and dws.desk("agent").unread_notification_count() == 0
