"""The Merge dialog: search, choose the primary, read what happens, merge."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Priority, TicketState
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.dialogs.merge_dialog import MergeDialog
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS, click_index

pytestmark = GUI_MARKS


def open_dialog(qtbot: QtBot, bridge: object, ticket_id: int) -> MergeDialog:
    dialog = MergeDialog(bridge, bridge.desk.ticket(ticket_id))  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def search(qtbot: QtBot, dialog: MergeDialog, text: str) -> None:
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, text)
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)


def test_search_finds_visible_live_tickets_but_not_itself(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    this = make_ticket(dws, "Printer jam", owner="agent")
    other = make_ticket(dws, "Printer on fire", owner="agent")
    sales_only = make_ticket(dws, "Printer quote", owner="sales")
    deleted = make_ticket(dws, "Printer manual", owner="agent")
    dws.desk("admin").delete([deleted], 1)
    dialog = open_dialog(qtbot, make_bridge("agent"), this)  # type: ignore[operator]
    search(qtbot, dialog, "printer")
    # Arno (team scope, Support) cannot see Sam's ticket; deleted ones and itself never show.
    assert dialog.result_ids() == [other]
    search(qtbot, dialog, f"#{other}")
    assert dialog.result_ids() == [other]
    search(qtbot, dialog, str(sales_only))
    assert dialog.result_ids() == []
    assert not dialog.results_list.item(0).flags() & Qt.ItemFlag.ItemIsSelectable


def test_merge_with_the_other_ticket_as_primary(qtbot: QtBot, dws: Workspace,
                                                make_bridge: object) -> None:
    this = make_ticket(dws, "Login fails", priority=Priority.LOW, conversations=1)
    other = make_ticket(dws, "Cannot log in", priority=Priority.URGENT, conversations=2)
    bridge = make_bridge("admin")  # type: ignore[operator]
    dialog = open_dialog(qtbot, bridge, this)
    assert not dialog.accept_button.isEnabled()
    assert dialog.accept_button.toolTip() == "Choose the ticket to merge with."
    search(qtbot, dialog, "log")
    click_index(qtbot, dialog.results_list,
                dialog.results_list.model().index(dialog.result_ids().index(other), 0))
    assert dialog.other is not None and dialog.other.id == other
    assert dialog.other_panel.values["number"].text() == f"#{other}"
    qtbot.waitUntil(lambda: dialog.other_panel.values["conversations"].text() == "2")

    qtbot.mouseClick(dialog.primary_other_radio, Qt.MouseButton.LeftButton)
    assert dialog.primary_other_radio.isChecked()
    assert not dialog.explain_label.isVisible()
    qtbot.mouseClick(dialog.explain_button, Qt.MouseButton.LeftButton)
    assert dialog.explain_label.isVisible()
    text = dialog.explain_label.text()
    assert f"#{this} is merged into #{other}" in text
    assert "Only a super admin can undo a merge" in text
    assert f"The conversation of #{this} moves to #{other}, as its own thread" in text

    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    desk = dws.desk("admin")
    survivor = desk.ticket(other)
    assert survivor.row.priority is Priority.URGENT  # the primary's values are kept
    assert len(survivor.conversations) == 3  # both threads, for the conversation switcher
    assert this in survivor.row.merged_ids
    # Opening the old number opens the survivor.
    assert desk.ticket(this).id == other
    assert this not in desk.matching_ids(TicketQuery())


def test_a_refused_merge_leaves_the_dialog_open_with_the_reason(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    this = make_ticket(dws, "Login fails")
    other = make_ticket(dws, "Cannot log in")
    dialog = open_dialog(qtbot, make_bridge("admin"), this)  # type: ignore[operator]
    dialog.choose(other)
    dws.desk("lead").mark_spam(other)  # meanwhile, elsewhere
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert f"#{other}" in dialog.error_label.text()
    assert dialog.isVisible()
    rows = dws.desk("admin").rows([this])
    assert rows[this].state is TicketState.LIVE and not rows[this].merged_ids


def test_choosing_the_other_ticket_reads_one_count_not_its_details(
        qtbot: QtBot, dws: Workspace, make_bridge: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The count of the other ticket's conversations is one light read in the background,
    never its full details (the dialog used to read them three times for a number)."""
    this = make_ticket(dws, "Login fails", conversations=1)
    other = make_ticket(dws, "Cannot log in", conversations=2)
    bridge = make_bridge("admin")  # type: ignore[operator]
    dialog = open_dialog(qtbot, bridge, this)
    calls: Counter[str] = Counter()
    ui_thread = threading.current_thread()
    for name in ("ticket", "conversation_counts"):
        original = getattr(Desk, name)

        def counted(self: Desk, *args: Any, _original: Any = original, _name: str = name,
                    **kwargs: Any) -> Any:
            calls[_name if threading.current_thread() is not ui_thread else "ui: " + _name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, counted)
    search(qtbot, dialog, "log")
    click_index(qtbot, dialog.results_list,
                dialog.results_list.model().index(dialog.result_ids().index(other), 0))
    qtbot.waitUntil(lambda: dialog.other_panel.values["conversations"].text() == "2")
    bridge.wait_for_idle()  # type: ignore[attr-defined]
    assert calls == Counter({"conversation_counts": 1})
