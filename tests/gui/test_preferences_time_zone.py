"""Preferences › Time zone: chosen in the dialog, stored with the user, and the open window's
list and ticket view show their times in the new zone at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.models import User
from helpdesk_desktop.ui.dialogs.preferences_dialog import PreferencesDialog
from helpdesk_desktop.ui.models import labels
from helpdesk_desktop.ui.models.ticket_model import Column
from helpdesk_desktop.ui.ticket_view.labels import format_time
from tests.gui.conftest import GuiWorkspace

# The offscreen platform's warnings about what it cannot do (size hints, raise, keyboard grab).
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                        "does not support raise",
                                        "does not support grabbing the keyboard")]

# Tickets were created at 09:00 UTC: 10:00 in Paris, 22:00 the day before in Pago Pago (UTC-11),
# so the list's "Created" day changes.
FAR_WEST = "Pacific/Pago_Pago"


def _stored_zone(gui_ws: GuiWorkspace, user: str) -> str:
    with gui_ws.db.session() as session:
        found = session.get(User, gui_ws.ws.users[user])
        assert found is not None
        return found.time_zone


def _open_preferences(window: object) -> PreferencesDialog:
    window.edit_actions["preferences"].trigger()  # type: ignore[attr-defined]
    dialog = window.findChild(PreferencesDialog, "PreferencesDialog")  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_choosing_a_time_zone_stores_it_and_redraws_the_list_and_ticket(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("agent")
    ticket_id = gui_ws.tickets["Printer on fire"]
    window.open_ticket(ticket_id)
    gui_ws.settle()
    model = window.model
    index = model.index(model.row_of(ticket_id), Column.CREATED)
    created_at = model.row_for_id(ticket_id).created_at
    before = model.data(index)
    assert before == labels.short_time(created_at, time_zone="Europe/Paris")
    created_label = window.ticket_view.details_card.values["created"]
    assert created_label.text() == format_time(created_at, "Europe/Paris")
    changed: list[object] = []
    model.dataChanged.connect(lambda *args: changed.append(args))

    dialog = _open_preferences(window)
    combo = dialog.findChild(QComboBox, "timeZoneCombo")
    assert combo is dialog.zone_combo and combo.isEditable()
    assert combo.currentText() == "Europe/Paris"  # the user's zone
    assert combo.findText(FAR_WEST) >= 0
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), FAR_WEST)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    gui_ws.settle()

    assert _stored_zone(gui_ws, "agent") == FAR_WEST
    assert window.bridge.user.time_zone == FAR_WEST
    assert dialog.result_value.time_zone == FAR_WEST
    after = model.data(model.index(model.row_of(ticket_id), Column.CREATED))
    assert after == labels.short_time(created_at, time_zone=FAR_WEST)
    assert after != before  # Mar 2 → Mar 1: the visible day moved
    assert changed  # the view was told to draw again
    qtbot.waitUntil(lambda: created_label.text() == format_time(created_at, FAR_WEST))
    assert _stored_zone(gui_ws, "admin") == "Europe/Paris"


def test_an_unknown_zone_is_refused_in_the_dialog_and_nothing_changes(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("agent")
    dialog = _open_preferences(window)
    combo = dialog.zone_combo
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Mars/Olympus_Mons")
    record_updates = dialog.record_updates_check.isChecked()
    dialog.record_updates_check.setChecked(not record_updates)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.error_label.isVisibleTo(dialog))
    gui_ws.settle()
    assert dialog.isVisible() and dialog.result_value is None
    assert dialog.error_label.text() == ("'Mars/Olympus_Mons' is not a time zone; choose one "
                                         "such as Europe/Paris from the list.")
    assert _stored_zone(gui_ws, "agent") == "Europe/Paris"
    assert window.bridge.user.time_zone == "Europe/Paris"
    # refused before anything else was written
    assert gui_ws.desk("agent").me().notify_record_updates is record_updates


def test_the_computers_zone_is_offered(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("agent")
    dialog = _open_preferences(window)
    button = dialog.computer_zone_button
    if not button.isVisible():  # this computer's zone is not an IANA name the list knows
        assert dialog.zone_combo.findText(dialog.computer_zone) < 0
        return
    assert dialog.computer_zone in button.text()
    if dialog.computer_zone == "Europe/Paris":
        assert not button.isEnabled()
        return
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.zone_combo.currentText() == dialog.computer_zone
    assert not button.isEnabled()


def test_the_inbox_window_follows_a_new_zone(qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("agent")
    inboxes = window.open_inboxes()
    gui_ws.settle()
    model = inboxes.model
    assert model.user is not None and model.user.time_zone == "Europe/Paris"
    window.bridge.update_user(gui_ws.desk("agent").set_time_zone(FAR_WEST))
    gui_ws.settle()
    qtbot.waitUntil(lambda: model.user is not None and model.user.time_zone == FAR_WEST)
    inboxes.close()
