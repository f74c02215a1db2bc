"""The status bar's Undo: property changes, deletion, spam and moves are put back through the
facade; a change made meanwhile by someone else is not overwritten."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import InboxKind, Priority, TicketState
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.ui import undo
from tests.factories import Workspace, make_ticket
from tests.gui.dialog_support import GUI_MARKS

pytestmark = GUI_MARKS


def test_undo_a_property_change(qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, priority=Priority.LOW, owner="agent")
    bridge = make_bridge("lead")  # type: ignore[operator]
    result = bridge.desk.update(ticket_id, {"priority": "urgent", "owner_id": None})
    reports: list[str] = []
    callback = undo.property_change_undo(bridge, result, reports.append)
    assert callback is not None
    callback()
    qtbot.waitUntil(lambda: bool(reports))
    assert reports[0].startswith("Undone")
    row = dws.desk("admin").rows([ticket_id])[ticket_id]
    assert (row.priority, row.owner_id) == (Priority.LOW, dws.users["agent"])


def test_undo_does_not_overwrite_a_later_change(qtbot: QtBot, dws: Workspace,
                                                make_bridge: object) -> None:
    ticket_id = make_ticket(dws, priority=Priority.LOW)
    bridge = make_bridge("lead")  # type: ignore[operator]
    result = bridge.desk.update(ticket_id, {"priority": "high"})
    dws.desk("admin").update(ticket_id, {"priority": "urgent"})  # someone else, meanwhile
    reports: list[str] = []
    undo.undo_property_change(bridge, result, reports.append)
    qtbot.waitUntil(lambda: bool(reports))
    assert reports[0].startswith("Could not undo: Someone else changed this ticket")
    assert dws.desk("admin").rows([ticket_id])[ticket_id].priority is Priority.URGENT


def test_nothing_to_undo_gives_no_offer(make_bridge: object) -> None:
    bridge = make_bridge("lead")  # type: ignore[operator]
    assert undo.property_change_undo(bridge, OpResult("Nothing to change.")) is None
    assert not undo.can_undo_property_change(
        OpResult("x", changed_ticket_ids=(1,), detail={"previous": {}, "version": 2}))


def test_undo_delete_and_spam(qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    deleted, spam = make_ticket(dws, "Old"), make_ticket(dws, "Cheap watches")
    bridge = make_bridge("lead")  # type: ignore[operator]
    bridge.desk.delete([deleted], 1)
    bridge.desk.mark_spam(spam)
    reports: list[str] = []
    undo.delete_undo(bridge, [deleted], reports.append)()
    undo.spam_undo(bridge, spam, reports.append)()
    qtbot.waitUntil(lambda: len(reports) == 2)
    rows = dws.desk("admin").rows([deleted, spam])
    assert rows[deleted].state is TicketState.LIVE and rows[spam].state is TicketState.LIVE


def test_undo_a_move_puts_owner_pipeline_and_status_back(
        qtbot: QtBot, dws: Workspace, make_bridge: object) -> None:
    ticket_id = make_ticket(dws, owner="agent", status="Waiting on us")
    bridge = make_bridge("admin")  # type: ignore[operator]
    conversation = bridge.desk.ticket(ticket_id).conversations[0]
    bridge.desk.move_conversation(conversation.id, dws.inboxes["Shared inbox"],
                                  owner_id=None, pipeline_id=dws.pipelines["Escalations"],
                                  status_id=dws.status("Triage", "Escalations"))
    reports: list[str] = []
    undo.move_undo(bridge, conversation.id, dws.inboxes["Help Desk"],
                   owner_id=dws.users["agent"], pipeline_id=dws.pipelines["Support Pipeline"],
                   status_id=dws.status("Waiting on us"), report=reports.append)()
    qtbot.waitUntil(lambda: bool(reports))
    detail = dws.desk("admin").ticket(ticket_id)
    assert detail.conversations[0].inbox_kind is InboxKind.HELP_DESK
    assert (detail.row.owner_id, detail.row.status) == (dws.users["agent"], "Waiting on us")
