"""The undo stack (Edit › Undo / Redo and the status bar's offer): each reversible result goes
on the stack; undo and redo run the reversal through the facade; a change made meanwhile by
someone else is not overwritten and the refusal is a sentence."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import InboxKind, Priority, TicketState
from helpdesk_desktop.services.dto import OpResult, TicketChanges
from helpdesk_desktop.ui import undo
from helpdesk_desktop.ui.bridge import DeskBridge
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS


def _offer(bridge: DeskBridge, result: OpResult[Any], reports: list[str]) -> Any:
    return undo.offer(bridge.undo_stack, bridge, result, reports.append)


def _wait(qtbot: QtBot, reports: list[str], count: int) -> None:
    qtbot.waitUntil(lambda: len(reports) >= count)


def test_undo_and_redo_a_property_change(qtbot: QtBot, dws: Workspace,
                                         make_bridge: object) -> None:
    ticket_id = make_ticket(dws, priority=Priority.LOW, owner="agent")
    bridge = make_bridge("lead")  # type: ignore[operator]
    result = bridge.desk.update(ticket_id, TicketChanges(priority=Priority.URGENT, owner=None))
    reports: list[str] = []
    callback = _offer(bridge, result, reports)
    assert callback is not None and bridge.undo_stack.canUndo()
    callback()
    _wait(qtbot, reports, 1)
    assert reports[0].startswith("Undone")
    row = dws.desk("admin").rows([ticket_id])[ticket_id]
    assert (row.priority, row.owner_id) == (Priority.LOW, dws.users["agent"])
    bridge.undo_stack.redo()
    _wait(qtbot, reports, 2)
    assert reports[1].startswith("Redone")
    row = dws.desk("admin").rows([ticket_id])[ticket_id]
    assert (row.priority, row.owner_id) == (Priority.URGENT, None)
    bridge.undo_stack.undo()  # and once more: the redo's result carries the next undo
    _wait(qtbot, reports, 3)
    assert dws.desk("admin").rows([ticket_id])[ticket_id].priority is Priority.LOW


def test_undo_does_not_overwrite_a_later_change(qtbot: QtBot, dws: Workspace,
                                                make_bridge: object) -> None:
    ticket_id = make_ticket(dws, priority=Priority.LOW)
    bridge = make_bridge("lead")  # type: ignore[operator]
    result = bridge.desk.update(ticket_id, TicketChanges(priority=Priority.HIGH))
    dws.desk("admin").update(ticket_id, TicketChanges(priority=Priority.URGENT))  # meanwhile
    reports: list[str] = []
    _offer(bridge, result, reports)
    bridge.undo_stack.undo()
    _wait(qtbot, reports, 1)
    assert reports[0].startswith("Could not undo: Someone else changed this ticket")
    assert dws.desk("admin").rows([ticket_id])[ticket_id].priority is Priority.URGENT


def test_nothing_to_undo_gives_no_offer(make_bridge: object) -> None:
    bridge = make_bridge("lead")  # type: ignore[operator]
    assert _offer(bridge, OpResult("Nothing to change."), []) is None
    assert not bridge.undo_stack.canUndo()


def test_undo_and_redo_delete_and_spam(qtbot: QtBot, dws: Workspace,
                                       make_bridge: object) -> None:
    deleted, spam = make_ticket(dws, "Old"), make_ticket(dws, "Cheap watches")
    bridge = make_bridge("lead")  # type: ignore[operator]
    reports: list[str] = []
    _offer(bridge, bridge.desk.delete([deleted], 1), reports)
    _offer(bridge, bridge.desk.mark_spam(spam), reports)
    bridge.undo_stack.undo()
    _wait(qtbot, reports, 1)
    bridge.undo_stack.undo()
    _wait(qtbot, reports, 2)
    rows = dws.desk("admin").rows([deleted, spam])
    assert rows[deleted].state is TicketState.LIVE and rows[spam].state is TicketState.LIVE
    bridge.undo_stack.redo()
    _wait(qtbot, reports, 3)
    rows = dws.desk("admin").rows([deleted, spam])
    assert rows[deleted].state is TicketState.DELETED


def test_undo_a_move_puts_owner_pipeline_and_status_back(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, owner="agent", status="Waiting on us")
    bridge = make_bridge("admin")  # type: ignore[operator]
    conversation = bridge.desk.ticket(ticket_id).conversations[0]
    result = bridge.desk.move_conversation(
        conversation.id, dws.inboxes["Shared inbox"], owner_id=None,
        pipeline_id=dws.pipelines["Escalations"], status_id=dws.status("Triage", "Escalations"))
    reports: list[str] = []
    _offer(bridge, result, reports)()
    _wait(qtbot, reports, 1)
    assert reports[0].startswith("Undone"), reports
    detail = dws.desk("admin").ticket(ticket_id)
    assert detail.conversations[0].inbox_kind is InboxKind.HELP_DESK
    assert (detail.row.owner_id, detail.row.status) == (dws.users["agent"], "Waiting on us")


def test_the_status_bar_offer_only_undoes_the_latest(qtbot: QtBot, dws: Workspace,
                                                     make_bridge: object) -> None:
    first, second = make_ticket(dws, "One"), make_ticket(dws, "Two")
    bridge = make_bridge("lead")  # type: ignore[operator]
    reports: list[str] = []
    older = _offer(bridge, bridge.desk.follow([first]), reports)
    _offer(bridge, bridge.desk.follow([second]), reports)
    older()
    assert reports == ["Undo the later changes first (Edit › Undo)."]
    assert bridge.undo_stack.index() == 2


def test_the_undo_text_names_the_command_not_its_report() -> None:
    result = OpResult("Updated 3 tickets.", changed_ticket_ids=(1, 2, 3))
    assert undo.undo_text(result, "Set Status") == "Set Status (3 tickets)"
    assert undo.undo_text(OpResult("Updated 1 ticket.", changed_ticket_ids=(4,)),
                          "Assign to Me") == "Assign to Me"
    # Without a menu command (an edit in the ticket header): the report, without its stop.
    assert undo.undo_text(result) == "Updated 3 tickets"


class _Window(QObject):
    """Stands for the window an undo offer reports to."""

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[str] = []

    def show_status(self, text: str) -> None:
        self.reports.append(text)


def test_an_undo_command_keeps_neither_its_bridge_nor_its_window_alive(
        dws: Workspace) -> None:
    # The stack belongs to the bridge and holds its commands; a command holding the bridge
    # or the window back made a cycle that only the garbage collector ended, in an order
    # that had the QUndoStack delete a command twice (a crash at exit). Without the
    # collector, both must go as soon as nothing else holds them.
    ticket_id = make_ticket(dws, "One")
    bridge = DeskBridge(dws.desk("lead"))
    window = _Window()
    assert undo.offer(bridge.undo_stack, bridge, bridge.desk.follow([ticket_id]),
                      window.show_status, "Follow", window) is not None
    bridge_ref, window_ref = weakref.ref(bridge), weakref.ref(window)
    gc.disable()
    try:
        del window
        assert window_ref() is None
        del bridge
        assert bridge_ref() is None
    finally:
        gc.enable()
