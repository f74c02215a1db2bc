"""The Delete dialog: counts, typed confirmation, background deletion with progress."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.ui.dialogs.delete_dialog import DeleteDialog
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS


def open_dialog(qtbot: QtBot, dialog: DeleteDialog) -> DeleteDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.counts is not None or dialog.error_label.isVisible())
    return dialog


def test_delete_needs_the_typed_count(qtbot: QtBot, dws: Workspace,
                                      make_bridge: object) -> None:
    ids = [make_ticket(dws, f"Ticket {i}", conversations=2) for i in range(3)]
    keep = make_ticket(dws, "Keep me")
    bridge = make_bridge("lead")  # type: ignore[operator]
    dialog = open_dialog(qtbot, DeleteDialog(bridge, ids))
    assert "To be deleted: 3 tickets and 6 conversations." in dialog.summary_label.text()
    assert "90 days" in dialog.summary_label.text()
    assert not dialog.accept_button.isEnabled()
    qtbot.keyClicks(dialog.count_edit, "4")
    assert not dialog.accept_button.isEnabled()  # wrong count: Delete stays disabled
    assert dialog.accept_button.toolTip() == "Type 3 to confirm."
    qtbot.keyClick(dialog.count_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.count_edit, "3")
    assert dialog.accept_button.isEnabled()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    desk = dws.desk("admin")
    assert desk.matching_ids(TicketQuery(view=View.ALL)) == [keep]
    assert sorted(desk.matching_ids(TicketQuery(view=View.RECENTLY_DELETED))) == sorted(ids)
    desk.restore(ids)
    assert sorted(desk.matching_ids(TicketQuery(view=View.ALL))) == sorted([*ids, keep])


def test_all_matching_this_view_is_counted_in_the_background(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ids = [make_ticket(dws, f"Ticket {i}") for i in range(5)]
    dialog = open_dialog(qtbot, DeleteDialog(make_bridge("lead"),  # type: ignore[operator]
                                             query=TicketQuery(view=View.ALL_OPEN)))
    assert sorted(dialog.ticket_ids) == sorted(ids)
    assert dialog.prompt_label.text() == "To confirm, type the number of tickets (5):"


def test_delete_permanently_erases(qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws)
    desk = dws.desk("admin")
    desk.delete([ticket_id], 1)
    dialog = open_dialog(qtbot, DeleteDialog(make_bridge("admin"), [ticket_id],  # type: ignore[operator]
                                             permanent=True))
    assert "erased for good" in dialog.summary_label.text()
    qtbot.keyClicks(dialog.count_edit, "1")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    assert desk.matching_ids(TicketQuery(view=View.RECENTLY_DELETED)) == []


def test_a_refusal_is_shown_in_the_dialog(qtbot: QtBot, dws: Workspace,
                                          make_bridge: object) -> None:
    ticket_id = make_ticket(dws)
    dialog = open_dialog(qtbot, DeleteDialog(make_bridge("agent"),  # type: ignore[operator]
                                             [ticket_id]))
    qtbot.keyClicks(dialog.count_edit, "1")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert dialog.error_label.text() == "Needs the delete permission."
    assert dws.desk("admin").matching_ids(TicketQuery(view=View.ALL)) == [ticket_id]


def test_bulk_delete_of_thousands_stays_responsive(qtbot: QtBot, dws: Workspace,
                                                   make_bridge: object) -> None:
    generate_demo(dws.db, tickets=3000, seed=4)
    bridge = make_bridge("admin")  # type: ignore[operator]
    query = TicketQuery(view=View.ALL)
    total = bridge.desk.count_tickets(query)
    assert total >= 2500
    dialog = DeleteDialog(bridge, query=query)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.counts is not None, timeout=60_000)
    assert dialog.expected_count == total
    qtbot.keyClicks(dialog.count_edit, str(total))

    # The UI thread keeps turning while the deletion runs on a worker thread.
    ticks_while_busy = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: ticks_while_busy.append(1) if dialog.busy else None)
    ticker.start()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.progress_bar.isVisible()
    assert not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=120_000)
    ticker.stop()
    assert ticks_while_busy, "the event loop never ran while deleting"
    assert dialog.progress_updates >= 2
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum()
    assert bridge.desk.count_tickets(query) == 0
    assert bridge.desk.count_tickets(TicketQuery(view=View.RECENTLY_DELETED)) == total
