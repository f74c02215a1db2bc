"""Merging one ticket into another."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk_desktop.domain.enums import ActivityKind, Category, Priority, TicketState
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.models import (
    Activity,
    Conversation,
    Follower,
    ReadState,
    Ticket,
    User,
    ticket_deals,
)
from helpdesk_desktop.services import access, read_state
from tests.factories import Workspace, make_ticket
from tests.services.test_invariants import all_problems, attachment_owners, message_ids


def conversations_of(ws: Workspace, ticket_id: int) -> dict[int, int | None]:
    """conversation id -> origin ticket id."""
    with ws.db.session() as session:
        return {c.id: c.origin_ticket_id for c in session.scalars(
            select(Conversation).where(Conversation.ticket_id == ticket_id))}


def follow(ws: Workspace, ticket_id: int, user: str) -> None:
    with ws.db.session() as session:
        session.add(Follower(ticket_id=ticket_id, user_id=ws.users[user], since=ws.clock()))
        session.commit()


def read(ws: Workspace, ticket_id: int, user: str, *, unread: bool = False) -> None:
    with ws.db.session() as session:
        if unread:
            read_state.set_unread(session, ticket_id, ws.users[user])
        else:
            read_state.set_read(session, ticket_id, ws.users[user], ws.clock())
        session.commit()


def is_unread(ws: Workspace, ticket_id: int, user: str) -> bool:
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        return read_state.is_unread(session.get(ReadState, (ticket_id, ws.users[user])),
                                    ticket.last_activity_at)


def test_merge_keeps_the_primary_and_leaves_a_tombstone(ws: Workspace) -> None:
    older = make_ticket(ws, "Older", priority=Priority.LOW, category=Category.BILLING_ISSUE,
                        owner="seller", contact="john", conversations=2, attachment=True)
    primary = make_ticket(ws, "Primary", priority=Priority.HIGH, status="Waiting on us")
    with ws.db.session() as session:
        session.execute(ticket_deals.insert().values(ticket_id=older,
                                                     deal_id=ws.deals["renewal"]))
        session.commit()
    follow(ws, older, "agent")
    follow(ws, primary, "lead")
    follow(ws, older, "lead")
    messages, attachments = message_ids(ws.db), attachment_owners(ws.db)
    conversations = {**conversations_of(ws, older), **conversations_of(ws, primary)}

    result = ws.desk("lead").merge(primary, older)

    assert result.changed_ticket_ids == (primary,)
    assert result.removed_ticket_ids == (older,)
    assert conversations_of(ws, primary) == conversations  # origins kept
    assert message_ids(ws.db) == messages
    assert attachment_owners(ws.db) == attachments
    with ws.db.session() as session:
        survivor, tombstone = session.get(Ticket, primary), session.get(Ticket, older)
        assert (survivor.name, survivor.priority, survivor.status_id, survivor.owner_id) == (
            "Primary", Priority.HIGH, ws.status("Waiting on us"), None)
        assert survivor.created_at == tombstone.created_at  # the older of the two
        assert survivor.state is TicketState.LIVE
        assert (tombstone.state, tombstone.merged_into_id) == (TicketState.MERGED, primary)
        assert {c.id for c in survivor.contacts} == {ws.contacts["marie"], ws.contacts["john"]}
        assert [c.id for c in survivor.companies] == [ws.companies["dupont"]]
        assert [d.id for d in survivor.deals] == [ws.deals["renewal"]]
        followers = set(session.scalars(select(Follower.user_id).where(
            Follower.ticket_id == primary)))
        assert followers == {ws.users["agent"], ws.users["lead"]}
        merged = session.scalars(select(Activity).where(
            Activity.ticket_id == primary, Activity.kind == ActivityKind.MERGED)).one()
        assert merged.data["ticket_id"] == older
        overwritten = merged.data["overwritten"]
        assert (overwritten["name"], overwritten["priority"], overwritten["category"],
                overwritten["owner_id"], overwritten["status"], overwritten["pipeline"]) == (
            "Older", "low", "billing_issue", ws.users["seller"], "New", "Support Pipeline")
        assert overwritten["description"] == "About: Older"
        # Opening the old id lands on the survivor.
        lead = session.get(User, ws.users["lead"])
        assert access.get_visible_ticket(session, lead, older).id == primary
    assert all_problems(ws.db) == []


def test_merged_ids_stay_transitive(ws: Workspace) -> None:
    a, b, c = (make_ticket(ws, name) for name in "ABC")
    desk = ws.desk("lead")
    desk.merge(b, a)
    desk.merge(c, b)
    with ws.db.session() as session:
        assert set(session.scalars(select(Ticket.id).where(Ticket.merged_into_id == c))) == {a, b}
        lead = session.get(User, ws.users["lead"])
        assert access.get_visible_ticket(session, lead, a).id == c
    # Opening an old id shows the survivor, which lists every id merged into it.
    detail = desk.ticket(a)
    assert detail.id == c
    assert detail.row.merged_ids == (a, b)
    assert {conversation.origin_ticket_id for conversation in detail.conversations} == {a, b, c}
    assert all_problems(ws.db) == []


def test_the_survivor_is_unread_for_whoever_had_either_unread(ws: Workspace) -> None:
    primary, secondary = make_ticket(ws, "P"), make_ticket(ws, "S")
    for user in ("lead", "agent", "admin"):
        read(ws, primary, user)
    read(ws, secondary, "lead", unread=True)  # the actor marked it unread
    read(ws, secondary, "admin")
    ws.desk("lead").merge(primary, secondary)
    assert is_unread(ws, primary, "lead")
    assert is_unread(ws, primary, "agent")  # never read the secondary
    assert is_unread(ws, primary, "seller")  # read neither


def test_the_actor_who_had_both_read_stays_up_to_date(ws: Workspace) -> None:
    primary, secondary = make_ticket(ws, "P"), make_ticket(ws, "S")
    read(ws, primary, "lead")
    read(ws, secondary, "lead")
    ws.desk("lead").merge(primary, secondary)
    assert not is_unread(ws, primary, "lead")


def test_refused_merges(ws: Workspace) -> None:
    a, b = make_ticket(ws, "A"), make_ticket(ws, "B")
    tombstone, deleted, spam = (make_ticket(ws, n) for n in ("T", "D", "S"))
    desk = ws.desk("lead")
    desk.merge(a, tombstone)
    desk.delete([deleted], confirm_count=1)
    desk.mark_spam(spam)
    with ws.db.session() as session:
        before = session.execute(select(Ticket.id, Ticket.state, Ticket.merged_into_id,
                                        Ticket.updated_at)).all()
    for primary, secondary, reason in (
        (a, a, "into itself"),
        (b, tombstone, "already merged"),
        (tombstone, b, "already merged"),
        (b, deleted, "deleted; only live"),
        (spam, b, "spam; only live"),
    ):
        with pytest.raises(InvalidInput, match=reason):
            desk.merge(primary, secondary)
    with pytest.raises(NotFound):
        desk.merge(a, 999_999)
    with ws.db.session() as session:
        after = session.execute(select(Ticket.id, Ticket.state, Ticket.merged_into_id,
                                       Ticket.updated_at)).all()
    assert after == before


def test_merge_needs_both_tickets_in_sight(ws: Workspace) -> None:
    mine, sales = make_ticket(ws, "Mine", owner="agent"), make_ticket(ws, "Sales", owner="seller")
    with pytest.raises(NotFound):
        ws.desk("agent").merge(mine, sales)
    with pytest.raises(NotFound):
        ws.desk("agent").merge(sales, mine)
    with pytest.raises(PermissionDenied):
        ws.desk("outsider").merge(mine, sales)
    with pytest.raises(NotFound):
        ws.desk("sales").merge(mine, sales)  # owned scope: sees neither
    ws.desk("admin").merge(mine, sales)
    with ws.db.session() as session:
        assert session.get(Ticket, sales).merged_into_id == mine


def test_the_merge_journal_reads_what_the_queries_of_one_table_at_a_time_read(
        ws: Workspace) -> None:
    """``MergeJournal.before`` reads both tickets' followers and the three link tables in two
    statements; its data is what one query per table and ticket gave (the old reads)."""
    from helpdesk_desktop.domain.models import ticket_companies, ticket_contacts
    from helpdesk_desktop.services.unmerge import ASSOCIATIONS, MergeJournal
    from helpdesk_desktop.services.uow import UnitOfWork

    primary = make_ticket(ws, "Primary", contact="john")
    secondary = make_ticket(ws, "Secondary", contact="marie")
    for user in ("seller", "agent", "lead"):  # not in user id order
        follow(ws, secondary, user)
    follow(ws, primary, "agent")
    with ws.db.session() as session:
        session.execute(ticket_deals.insert(), [{"ticket_id": secondary, "deal_id":
                                                 ws.deals["renewal"]}])
        session.execute(ticket_contacts.insert(), [{"ticket_id": primary,
                                                    "contact_id": ws.contacts["marie"]}])
        session.execute(ticket_companies.insert(), [{"ticket_id": primary,
                                                     "company_id": ws.companies["dupont"]}])
        session.commit()
    with UnitOfWork(ws.db, ws.users["admin"], ws.clock) as uow:
        session = uow.session
        first, second = session.get(Ticket, primary), session.get(Ticket, secondary)
        assert first is not None and second is not None
        data = MergeJournal.before(uow, first, second).data
        mine = set(session.scalars(select(Follower.user_id).where(Follower.ticket_id == primary)))
        theirs = session.execute(select(Follower.user_id, Follower.since).where(
            Follower.ticket_id == secondary).order_by(Follower.user_id)).all()
        expected = {"followers": [[u, since.isoformat()] for u, since in theirs],
                    "followers_added": sorted(u for u, _ in theirs if u not in mine)}
        for attribute, table, column in ASSOCIATIONS:
            ids: dict[int, list[int]] = {primary: [], secondary: []}
            for ticket_id, row_id in session.execute(
                    select(table.c.ticket_id, table.c[column])
                    .where(table.c.ticket_id.in_((primary, secondary)))
                    .order_by(table.c[column])):
                ids[ticket_id].append(row_id)
            expected[attribute] = ids[secondary]
            expected[f"{attribute}_added"] = [i for i in ids[secondary]
                                              if i not in set(ids[primary])]
    assert {key: data[key] for key in expected} == expected
    assert data["followers_added"] == sorted([ws.users["seller"], ws.users["lead"]])
    assert data["contacts_added"] == [] and data["deals_added"] == [ws.deals["renewal"]]
