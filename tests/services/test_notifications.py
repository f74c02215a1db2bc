"""Notifications through the Desk facade: who gets them, listing, counting, marking read."""

from __future__ import annotations

import pytest

from helpdesk_desktop.domain.enums import ActivityKind
from helpdesk_desktop.domain.errors import PermissionDenied
from helpdesk_desktop.services.dto import TicketChanges
from tests.factories import Workspace, make_ticket


def test_followers_are_notified_newest_first(ws: Workspace) -> None:
    first, second = make_ticket(ws, "First"), make_ticket(ws, "Second")
    lead = ws.desk("lead")
    lead.follow([first, second])
    agent = ws.desk("agent")
    agent.update(first, TicketChanges(priority="high"))
    agent.reply(second, "Hello")
    items = lead.notifications()
    assert [(n.ticket_id, n.activity_kind) for n in items] == [
        (second, ActivityKind.MESSAGE), (first, ActivityKind.PROPERTY_CHANGED)]
    assert items[0].actor == "Arno Agent" and items[0].ticket_name == "Second"
    assert "Priority: Medium → High" in items[1].summary
    assert not any(n.read for n in items)
    assert lead.unread_notification_count() == 2
    assert agent.notifications() == [] and agent.unread_notification_count() == 0
    assert len(lead.notifications(limit=1)) == 1


def test_own_activity_and_follows_do_not_notify(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    lead = ws.desk("lead")
    lead.follow([ticket_id])
    lead.add_note(ticket_id, "My own note")
    ws.desk("agent").follow([ticket_id])  # following notifies nobody
    assert lead.notifications() == []


def test_mark_read_some_or_all(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    lead, agent = ws.desk("lead"), ws.desk("agent")
    lead.follow([ticket_id])
    for text in ("one", "two", "three"):
        agent.add_note(ticket_id, text)
    newest, *older = lead.notifications()
    assert lead.mark_notifications_read([newest.id]) == 1
    assert lead.mark_notifications_read([newest.id]) == 0
    assert lead.unread_notification_count() == 2
    assert [n.id for n in lead.notifications(unread_only=True)] == [n.id for n in older]
    assert agent.mark_notifications_read([older[0].id]) == 0  # not theirs
    assert lead.mark_notifications_read([]) == 0
    assert lead.mark_notifications_read() == 2
    assert lead.unread_notification_count() == 0
    assert all(n.read for n in lead.notifications())


def test_preference_off_stops_notifications(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    lead, agent = ws.desk("lead"), ws.desk("agent")
    lead.follow([ticket_id])
    lead.set_record_update_notifications(False)
    assert not lead.me().notify_record_updates
    agent.add_note(ticket_id, "quiet")
    assert lead.notifications() == []
    lead.set_record_update_notifications(True)
    agent.add_note(ticket_id, "loud")
    assert len(lead.notifications()) == 1


def test_notifications_of_tickets_out_of_sight_are_hidden(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    sales = ws.desk("sales")
    sales.follow([ticket_id])
    ws.desk("agent").add_note(ticket_id, "seen by sales")
    assert sales.unread_notification_count() == 1
    ws.desk("agent").update(ticket_id, TicketChanges(owner=ws.users["agent"]))
    # sales (owned scope) can no longer see it: the old notification is hidden, no new one
    assert sales.notifications() == [] and sales.unread_notification_count() == 0
    ws.desk("agent").update(ticket_id, TicketChanges(owner=None))
    assert [n.activity_kind for n in sales.notifications()] == [
        ActivityKind.PROPERTY_CHANGED, ActivityKind.MESSAGE]


def test_outsider_has_no_notifications(ws: Workspace) -> None:
    desk = ws.desk("outsider")
    for call in (desk.notifications, desk.unread_notification_count,
                 desk.mark_notifications_read, lambda: desk.set_record_update_notifications(False)):
        with pytest.raises(PermissionDenied):
            call()
