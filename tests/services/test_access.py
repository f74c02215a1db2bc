"""Every refusal, per role: capabilities (seat, delete permission, help desk access) and
scope (a ticket out of scope is "not found", so that its existence does not leak)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import TicketState, View
from helpdesk_desktop.domain.errors import NotFound, PermissionDenied
from helpdesk_desktop.domain.models import Activity, Follower, Message, ReadState, Ticket
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from tests.factories import Workspace, make_ticket

# Every ticket operation of this module, as (name, call on a desk and a ticket id).
Operation = Callable[[Desk, int, Workspace], Any]
TICKET_OPERATIONS: list[tuple[str, Operation]] = [
    ("open", lambda d, t, ws: d.ticket(t)),
    ("open and mark read", lambda d, t, ws: d.ticket(t, mark_read=True)),
    ("update", lambda d, t, ws: d.update(t, TicketChanges(priority="low"))),
    ("associations", lambda d, t, ws: d.set_associations(t, add_deal_ids=[ws.deals["renewal"]])),
    ("follow", lambda d, t, ws: d.follow([t])),
    ("unfollow", lambda d, t, ws: d.unfollow([t])),
    ("mark read", lambda d, t, ws: d.mark_read([t])),
    ("mark unread", lambda d, t, ws: d.mark_unread([t])),
    ("reply", lambda d, t, ws: d.reply(t, "hi")),
    ("note", lambda d, t, ws: d.add_note(t, "hi")),
]
OPERATION_IDS = [name for name, _ in TICKET_OPERATIONS]
OPERATIONS = [op for _, op in TICKET_OPERATIONS]


def footprint(ws: Workspace) -> tuple[int, ...]:
    """Counts that any of the operations above would change."""
    with ws.db.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0
                     for model in (Activity, Follower, Message, ReadState)) + (
            session.scalar(select(func.sum(Ticket.version))) or 0,)


# (role, owner of the ticket) pairs where the ticket is out of the role's scope
OUT_OF_SCOPE = [
    ("agent", "seller"), ("agent", "sales"),  # team scope: other team
    ("seller", "agent"), ("seller", "lead"),
    ("sales", "agent"), ("sales", "seller"),  # owned scope: someone else's, even a team mate's
]
IN_SCOPE = [
    ("agent", "lead"), ("agent", None), ("agent", "agent"),
    ("seller", "sales"), ("sales", "sales"), ("sales", None), ("lead", "seller"),
    ("admin", "sales"),
]


@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATION_IDS)
@pytest.mark.parametrize(("role", "owner"), OUT_OF_SCOPE)
def test_out_of_scope_ticket_is_not_found(ws: Workspace, operation: Operation,
                                          role: str, owner: str) -> None:
    ticket_id = make_ticket(ws, owner=owner)
    before = footprint(ws)
    with pytest.raises(NotFound, match=f"#{ticket_id} does not exist or you cannot see it"):
        operation(ws.desk(role), ticket_id, ws)
    assert footprint(ws) == before
    assert ticket_id not in ws.desk(role).rows([ticket_id])


@pytest.mark.parametrize(("role", "owner"), IN_SCOPE)
def test_in_scope_ticket_allows_every_operation(ws: Workspace, role: str,
                                                owner: str | None) -> None:
    ticket_id = make_ticket(ws, owner=owner)
    desk = ws.desk(role)
    for operation in OPERATIONS:
        operation(desk, ticket_id, ws)
    assert ticket_id in desk.rows([ticket_id])


@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATION_IDS)
def test_unknown_ticket_is_not_found(ws: Workspace,
                                     operation: Operation) -> None:
    with pytest.raises(NotFound):
        operation(ws.desk("admin"), 424_242, ws)


@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATION_IDS)
def test_user_without_help_desk_access_is_refused(
        ws: Workspace, operation: Operation) -> None:
    ticket_id = make_ticket(ws)
    before = footprint(ws)
    with pytest.raises(PermissionDenied, match="no access to the help desk"):
        operation(ws.desk("outsider"), ticket_id, ws)
    assert footprint(ws) == before


def test_user_without_help_desk_access_cannot_list(ws: Workspace) -> None:
    make_ticket(ws)
    desk = ws.desk("outsider")
    for call in (lambda: desk.list_tickets(TicketQuery()), lambda: desk.count_tickets(
            TicketQuery()), lambda: desk.matching_ids(TicketQuery()), desk.view_counts,
            lambda: desk.rows([1]), desk.saved_views):
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("role", ["agent", "sales", "seller"])
@pytest.mark.parametrize("view", [View.SPAM, View.RECENTLY_DELETED])
def test_trash_views_need_the_delete_permission(ws: Workspace, role: str, view: View) -> None:
    with pytest.raises(PermissionDenied, match="Needs the delete permission."):
        ws.desk(role).list_tickets(TicketQuery(view=view))
    with pytest.raises(PermissionDenied):
        ws.desk(role).matching_ids(TicketQuery(view=view))
    assert view not in ws.desk(role).view_counts()


@pytest.mark.parametrize("role", ["admin", "lead"])
@pytest.mark.parametrize("state", [TicketState.SPAM, TicketState.DELETED])
def test_delete_permission_opens_spam_and_deleted(ws: Workspace, role: str,
                                                  state: TicketState) -> None:
    ticket_id = make_ticket(ws, owner="seller")
    with ws.db.session() as session:
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(state=state))
        session.commit()
    assert ws.desk(role).ticket(ticket_id).row.state is state
    assert ticket_id in ws.desk(role).rows([ticket_id])
    # ...but they are not edited as if live
    with pytest.raises(NotFound):
        ws.desk(role).update(ticket_id, TicketChanges(priority="low"))
    for other in ("agent", "seller"):
        with pytest.raises(NotFound):
            ws.desk(other).ticket(ticket_id)


def test_saved_views_need_a_service_seat(ws: Workspace) -> None:
    desk = ws.desk("sales")
    with pytest.raises(PermissionDenied, match="Needs a service seat."):
        desk.save_view("Mine", TicketQuery())
    with pytest.raises(PermissionDenied, match="Needs a service seat."):
        desk.saved_views()
    with pytest.raises(PermissionDenied, match="Needs a service seat."):
        desk.delete_saved_view(1)
    for role in ("admin", "lead", "agent", "seller"):
        assert ws.desk(role).save_view("Mine", TicketQuery()).name == "Mine"
