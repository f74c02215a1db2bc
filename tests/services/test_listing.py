"""Ticket lists through the Desk facade: views, filters, sorting with keyset paging, rows,
counts, saved views, and a constant number of queries per page."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sqlalchemy import delete, event, select, update

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import (
    Category,
    MessageKind,
    Priority,
    SortKey,
    TicketState,
    View,
)
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Follower,
    ReadState,
    Ticket,
    User,
    ticket_contacts,
)
from helpdesk_desktop.services import list_rows
from helpdesk_desktop.services.dto import PageCursor, TicketFilters, TicketQuery, TicketRow
from helpdesk_desktop.services.read_state import is_unread
from helpdesk_desktop.services.saved_views import query_from_json, query_to_json
from helpdesk_desktop.services.uow import UnitOfWork
from tests.factories import Workspace, make_ticket


def set_ticket(ws: Workspace, ticket_id: int, **values: Any) -> None:
    with ws.db.session() as session:
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(**values))
        session.commit()


def all_pages(desk: Desk, query: TicketQuery, limit: int) -> list[int]:
    """Every id of ``query`` by walking the pages, checking page sizes on the way."""
    ids: list[int] = []
    cursor: PageCursor | None = None
    for _ in range(1000):
        page = desk.list_tickets(query, limit=limit, after=cursor)
        assert len(page.rows) <= limit
        ids.extend(r.id for r in page.rows)
        if page.next_cursor is None:
            return ids
        assert len(page.rows) == limit
        cursor = page.next_cursor
    raise AssertionError("paging never ended")


def ids_of(desk: Desk, query: TicketQuery) -> set[int]:
    return {r.id for r in desk.list_tickets(query, limit=1000).rows}


# -- views ---------------------------------------------------------------------------------


def test_each_builtin_view(ws: Workspace) -> None:
    mine = make_ticket(ws, "mine", owner="agent")
    unassigned = make_ticket(ws, "unassigned")
    leads = make_ticket(ws, "leads", owner="lead")
    closed = make_ticket(ws, "closed", owner="agent", status="Closed")
    set_ticket(ws, closed, closed_at=ws.clock())
    spam = make_ticket(ws, "spam")
    set_ticket(ws, spam, state=TicketState.SPAM, spam_at=ws.clock())
    deleted = make_ticket(ws, "deleted")
    set_ticket(ws, deleted, state=TicketState.DELETED, deleted_at=ws.clock())
    partly_spam = make_ticket(ws, "partly spam", conversations=2)
    with ws.db.session() as session:
        first_conversation = min(c.id for c in session.query(Conversation).filter_by(
            ticket_id=partly_spam))
        session.execute(update(Conversation).where(Conversation.id == first_conversation)
                        .values(spam_at=ws.clock()))
        session.commit()
    merged = make_ticket(ws, "merged")
    set_ticket(ws, merged, state=TicketState.MERGED, merged_into_id=mine)

    agent = ws.desk("agent")
    agent.follow([leads])
    agent.mark_read([mine, unassigned, closed, partly_spam])
    live_open = {mine, unassigned, leads, partly_spam}
    assert ids_of(agent, TicketQuery(view=View.ALL_OPEN)) == live_open
    assert ids_of(agent, TicketQuery(view=View.ASSIGNED_TO_ME)) == {mine}
    assert ids_of(agent, TicketQuery(view=View.UNASSIGNED)) == {unassigned, partly_spam}
    assert ids_of(agent, TicketQuery(view=View.FOLLOWING)) == {leads}
    assert ids_of(agent, TicketQuery(view=View.UNREAD)) == {leads}
    assert ids_of(agent, TicketQuery(view=View.CLOSED)) == {closed}
    assert ids_of(agent, TicketQuery(view=View.ALL)) == live_open | {closed}
    lead = ws.desk("lead")
    assert ids_of(lead, TicketQuery(view=View.SPAM)) == {spam, partly_spam}
    assert ids_of(lead, TicketQuery(view=View.RECENTLY_DELETED)) == {deleted}
    for view in (View.SPAM, View.RECENTLY_DELETED):
        with pytest.raises(PermissionDenied, match="delete permission"):
            agent.list_tickets(TicketQuery(view=view))
        with pytest.raises(PermissionDenied):
            agent.count_tickets(TicketQuery(view=view))

    counts = agent.view_counts()
    assert View.SPAM not in counts and View.RECENTLY_DELETED not in counts
    assert counts[View.ALL_OPEN] == 4 and counts[View.CLOSED] == 1 and counts[View.UNREAD] == 1
    lead_counts = lead.view_counts()
    assert lead_counts[View.SPAM] == 2 and lead_counts[View.RECENTLY_DELETED] == 1
    # Every count is the length of the list it stands for.
    for desk, every in ((agent, counts), (lead, lead_counts)):
        assert every == {view: len(ids_of(desk, TicketQuery(view=view))) for view in every}


def test_lists_respect_scope(ws: Workspace) -> None:
    agents = make_ticket(ws, owner="agent")
    sellers = make_ticket(ws, owner="seller")
    sales = make_ticket(ws, owner="sales")
    unassigned = make_ticket(ws)
    query = TicketQuery(view=View.ALL)
    assert ids_of(ws.desk("admin"), query) == {agents, sellers, sales, unassigned}
    assert ids_of(ws.desk("agent"), query) == {agents, unassigned}
    assert ids_of(ws.desk("seller"), query) == {sellers, sales, unassigned}
    assert ids_of(ws.desk("sales"), query) == {sales, unassigned}
    assert ws.desk("sales").count_tickets(query) == 2
    assert set(ws.desk("sales").matching_ids(query)) == {sales, unassigned}
    with pytest.raises(PermissionDenied):
        ws.desk("outsider").list_tickets(query)


def test_each_filter(ws: Workspace) -> None:
    a = make_ticket(ws, "a", owner="agent", priority=Priority.HIGH,
                    category=Category.BILLING_ISSUE)
    b = make_ticket(ws, "b", priority=None, category=None, status="Waiting on us")
    c = make_ticket(ws, "c", owner="lead", pipeline="Escalations", status="Triage")
    desk = ws.desk("admin")

    def matching(**filters: Any) -> set[int]:
        return ids_of(desk, TicketQuery(view=View.ALL, filters=TicketFilters(**filters)))

    assert matching(status_ids=(ws.status("Waiting on us"),)) == {b}
    assert matching(priorities=(Priority.HIGH,)) == {a}
    assert matching(priorities=(Priority.MEDIUM, Priority.HIGH)) == {a, c}
    assert matching(owner_ids=(None,)) == {b}
    assert matching(owner_ids=(None, ws.users["lead"])) == {b, c}
    assert matching(categories=(Category.BILLING_ISSUE,)) == {a}
    assert matching(pipeline_ids=(ws.pipelines["Escalations"],)) == {c}
    assert matching(inbox_ids=(ws.inboxes["Help Desk"],)) == {a, b, c}
    assert matching(inbox_ids=(ws.inboxes["Shared inbox"],)) == set()
    assert matching(priorities=(Priority.HIGH,), owner_ids=(None,)) == set()


# -- sorting and paging --------------------------------------------------------------------


@pytest.fixture
def varied(ws: Workspace) -> list[int]:
    """30 tickets with many equal sort values and nulls in every nullable column."""
    priorities = [None, Priority.LOW, Priority.HIGH]
    owners = [None, "agent", "lead", None]
    categories = [None, Category.BILLING_ISSUE, Category.PRODUCT_ISSUE]
    statuses = ["New", "Closed", "Waiting on contact"]
    names = ["alpha", "bravo", "alpha", "charlie", "bravo"]
    contacts = ["marie", "john"]
    ids = []
    for i in range(30):
        ids.append(make_ticket(
            ws, names[i % 5], priority=priorities[i % 3], owner=owners[i % 4],
            category=categories[(i // 2) % 3], status=statuses[(i // 3) % 3],
            contact=contacts[(i // 4) % 2], messages=()))
    with ws.db.session() as session:  # some tickets without any contact
        session.execute(delete(ticket_contacts).where(ticket_contacts.c.ticket_id.in_(ids[::7])))
        # equal timestamps, so that only the id breaks the tie
        session.execute(update(Ticket).where(Ticket.id.in_(ids[:10]))
                        .values(created_at=ws.clock.now, last_activity_at=ws.clock.now))
        session.commit()
    return ids


def _python_key(sort: SortKey, row: TicketRow, positions: dict[int, int]) -> tuple[Any, ...]:
    value: Any = {
        SortKey.NAME: row.name,
        SortKey.STATUS: (positions[row.status_id], row.status),
        SortKey.PRIORITY: row.priority.rank if row.priority else None,
        SortKey.OWNER: row.owner,
        SortKey.CATEGORY: row.category.value if row.category else None,
        SortKey.CONTACT: row.contact,
        SortKey.CREATED: row.created_at,
        SortKey.LAST_ACTIVITY: row.last_activity_at,
        SortKey.ID: 0,
        # A search's order; without a search, last activity (newest first: see the test)
        SortKey.NEWEST_HIT: row.last_activity_at,
    }[sort]
    # nulls are the largest value, in both directions
    return (value is None, value if value is not None else 0, row.id)


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_paging_returns_every_row_once_in_order(
        ws: Workspace, varied: list[int], sort: SortKey, descending: bool) -> None:
    desk = ws.desk("admin")
    query = TicketQuery(view=View.ALL, sort=sort, descending=descending)
    full = desk.matching_ids(query)
    assert sorted(full) == sorted(varied)
    positions = {s.id: s.position for p in desk.pipelines() for s in p.statuses}
    rows = desk.rows(varied)
    expected = sorted(varied, key=lambda i: _python_key(sort, rows[i], positions),
                      reverse=descending or sort is SortKey.NEWEST_HIT)
    assert full == expected
    for limit in (1, 4, 7, 30, 50):
        assert all_pages(desk, query, limit) == full


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_slices_next_to_any_row_match_the_list(
        ws: Workspace, varied: list[int], sort: SortKey, descending: bool) -> None:
    """``list_slice`` (the window jumping to a position): rows after or before any known
    row, or from either end, past a skip, are the list's rows at those positions, each with
    the key a next slice reads from."""
    desk = ws.desk("admin")
    query = TicketQuery(view=View.ALL, sort=sort, descending=descending)
    full = desk.matching_ids(query)
    total = len(full)
    start = desk.list_slice(query, limit=total)
    assert [r.id for r in start.rows] == full and not start.more
    keys = start.keys
    assert [k.ticket_id for k in keys] == full
    for skip, limit in ((0, 4), (3, 5), (11, 7), (total - 2, 5), (total, 3)):
        forward = desk.list_slice(query, skip=skip, limit=limit)
        assert [r.id for r in forward.rows] == full[skip:skip + limit]
        assert forward.more == (skip + limit < total)
        backward = desk.list_slice(query, backward=True, skip=skip, limit=limit)
        end = total - skip
        assert [r.id for r in backward.rows] == full[max(0, end - limit):max(0, end)]
        assert backward.more == (end - limit > 0)
    for at in (0, 5, 13, total - 1):
        for skip in (0, 2, 9):
            after = desk.list_slice(query, after=keys[at], skip=skip, limit=4)
            assert [r.id for r in after.rows] == full[at + 1 + skip:at + 5 + skip]
            assert list(after.keys) == list(keys[at + 1 + skip:at + 5 + skip])
            before = desk.list_slice(query, after=keys[at], backward=True, skip=skip, limit=4)
            end = max(0, at - skip)
            assert [r.id for r in before.rows] == full[max(0, end - 4):end]
            assert list(before.keys) == list(keys[max(0, end - 4):end])


def test_paging_with_filters_and_search(ws: Workspace, varied: list[int]) -> None:
    desk = ws.desk("agent")
    query = TicketQuery(view=View.ALL_OPEN, search="bravo", sort=SortKey.OWNER,
                        filters=TicketFilters(owner_ids=(None, ws.users["agent"])))
    full = desk.matching_ids(query)
    assert full and len(full) == desk.count_tickets(query)
    assert all_pages(desk, query, 2) == full


def test_bad_limit_and_cursor_are_refused(ws: Workspace) -> None:
    make_ticket(ws)
    desk = ws.desk("agent")
    with pytest.raises(InvalidInput):
        desk.list_tickets(TicketQuery(), limit=0)
    with pytest.raises(InvalidInput):
        desk.list_tickets(TicketQuery(sort=SortKey.STATUS), after=PageCursor(("x",), 1))
    with pytest.raises(InvalidInput):
        desk.list_slice(TicketQuery(), skip=-1)
    with pytest.raises(InvalidInput, match="another sort order"):
        desk.list_tickets(TicketQuery(sort=SortKey.OWNER),
                          after=PageCursor((dt.datetime(2026, 1, 1, tzinfo=dt.UTC),), 1))


# -- rows ----------------------------------------------------------------------------------


def test_row_contents(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, "Row", owner="agent", messages=(
        (MessageKind.EMAIL, "First   line\nof the customer."),
        (MessageKind.NOTE, "internal only"),
    ))
    merged = make_ticket(ws, "Old")
    set_ticket(ws, merged, state=TicketState.MERGED, merged_into_id=ticket_id)
    ws.desk("lead").follow([ticket_id])
    row = ws.desk("agent").list_tickets(TicketQuery(view=View.ALL)).rows[0]
    assert (row.id, row.owner, row.owner_email, row.contact, row.contact_email) == (
        ticket_id, "Arno Agent", "agent@example.com", "Marie Dupont", "marie@dupont.fr")
    assert (row.status, row.pipeline, row.inbox, row.version) == (
        "New", "Support Pipeline", "Help Desk", 1)
    assert row.snippet == "First line of the customer."
    assert row.merged_ids == (merged,)
    assert row.followers == ("lead@example.com",)
    assert row.unread and not row.following


def test_long_snippet_is_cut(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, messages=((MessageKind.EMAIL, "word " * 100),))
    snippet = ws.desk("agent").rows([ticket_id])[ticket_id].snippet
    assert 100 < len(snippet) <= 140 and snippet.endswith("…")


def test_get_rows_only_returns_what_the_actor_may_see(ws: Workspace) -> None:
    visible = make_ticket(ws)
    hidden = make_ticket(ws, owner="seller")
    deleted = make_ticket(ws)
    set_ticket(ws, deleted, state=TicketState.DELETED)
    assert set(ws.desk("agent").rows([visible, hidden, deleted, 999_999])) == {visible}
    assert set(ws.desk("lead").rows([visible, hidden, deleted])) == {visible, hidden, deleted}


def _expected_row_parts(ws: Workspace, actor: str, ticket_id: int) -> tuple[Any, ...]:
    """What a row says about a ticket, read from the tables with the ORM, one ticket at a
    time (the reference the one-statement page is held to)."""
    user_id = ws.users[actor]
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        first = session.scalars(select(ticket_contacts.c.contact_id)
                                .where(ticket_contacts.c.ticket_id == ticket_id)
                                .order_by(ticket_contacts.c.contact_id)).first()
        contact = session.get(Contact, first) if first is not None else None
        state = session.get(ReadState, (ticket_id, user_id))
        following = session.scalars(select(Follower.user_id)
                                    .where(Follower.ticket_id == ticket_id)).all()
        emails = sorted(session.get_one(User, f).email for f in following)
        merged = session.scalars(select(Ticket.id).where(Ticket.merged_into_id == ticket_id)
                                 .order_by(Ticket.id)).all()
        shown = [m for c in session.scalars(select(Conversation)
                                            .where(Conversation.ticket_id == ticket_id))
                 if c.spam_at is None for m in c.messages if not m.kind.is_internal]
        newest = max(shown, key=lambda m: (m.sent_at, m.id), default=None)
        return (contact.name if contact else None, contact.email if contact else None,
                is_unread(state, ticket.last_activity_at),
                user_id in following,
                tuple(emails), tuple(merged),
                " ".join(newest.body_text.split()) if newest else "")


@pytest.mark.parametrize("actor", ["agent", "lead"])
def test_rows_match_the_tables(ws: Workspace, actor: str) -> None:
    """Contact, read state, following, followers, merged ids and snippet of every row equal
    what the tables say, for tickets that differ in each of them."""
    plain = make_ticket(ws, "plain")
    two_contacts = make_ticket(ws, "two contacts", contact="john")
    note_last = make_ticket(ws, "note last", messages=(
        (MessageKind.EMAIL, "  customer\n\ttext  "), (MessageKind.NOTE, "internal")))
    only_notes = make_ticket(ws, "only notes", messages=((MessageKind.NOTE, "internal"),))
    spam_part = make_ticket(ws, "spam part", conversations=2)
    survivor = make_ticket(ws, "survivor", owner="agent")
    merged_a, merged_b = make_ticket(ws, "merged a"), make_ticket(ws, "merged b")
    for merged in (merged_a, merged_b):
        set_ticket(ws, merged, state=TicketState.MERGED, merged_into_id=survivor)
    with ws.db.session() as session:
        # Marie was created before John: she is the first contact, though added second.
        session.execute(ticket_contacts.insert().values(ticket_id=two_contacts,
                                                        contact_id=ws.contacts["marie"]))
        last = max(c.id for c in session.scalars(select(Conversation)
                                                  .where(Conversation.ticket_id == spam_part)))
        session.execute(update(Conversation).where(Conversation.id == last)
                        .values(spam_at=ws.clock()))
        session.commit()
    desk = ws.desk(actor)
    desk.mark_read([plain, note_last])
    desk.mark_unread([note_last])
    desk.mark_read([survivor])
    make_ticket_activity = ws.desk("lead" if actor == "agent" else "agent")
    make_ticket_activity.add_note(survivor, "Later activity by someone else.")
    desk.follow([two_contacts])
    ws.desk("lead").follow([two_contacts, spam_part])
    ids = [plain, two_contacts, note_last, only_notes, spam_part, survivor]
    rows = desk.rows(ids)
    page = {r.id: r for r in desk.list_tickets(TicketQuery(view=View.ALL), limit=100).rows}
    assert set(rows) == set(ids)
    for ticket_id in ids:
        for row in (rows[ticket_id], page[ticket_id]):
            got = (row.contact, row.contact_email, row.unread, row.following, row.followers,
                   row.merged_ids, row.snippet)
            assert got == _expected_row_parts(ws, actor, ticket_id), ticket_id
    # The cases differ where they should (so that the comparison above means something).
    assert rows[plain].unread is False and rows[note_last].unread is True
    assert rows[survivor].unread is True and rows[survivor].merged_ids == (merged_a, merged_b)
    assert rows[two_contacts].following and rows[only_notes].snippet == ""
    assert rows[note_last].snippet == "customer text"
    assert rows[two_contacts].contact == "Marie Dupont"


def test_rows_are_one_statement_with_followers_and_merged_ids(ws: Workspace) -> None:
    """The rows of a page are read in one statement; its followers come in email order
    whatever the order they followed in, the merged ids in id order, the actor's own follow
    apart from the others'."""
    followed, merged_into, plain = (make_ticket(ws, "followed"), make_ticket(ws, "survivor"),
                                    make_ticket(ws, "plain"))
    for user in ("seller", "lead", "admin"):  # against the email order
        ws.desk(user).follow([followed])
    merged = [make_ticket(ws, f"merged {i}") for i in range(3)]
    for ticket_id in reversed(merged):
        set_ticket(ws, ticket_id, state=TicketState.MERGED, merged_into_id=merged_into)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    desk = ws.desk("lead")
    event.listen(ws.db.engine, "before_cursor_execute", count)
    try:
        with UnitOfWork(ws.db, ws.users["lead"]).read_only() as uow:
            rows = list_rows.load_rows(uow.session, uow.actor, [followed, merged_into, plain])
            statements.clear()
            driver = uow.session.connection().connection.driver_connection
            if ws.db.dialect == "sqlite":  # the rows are read past SQLAlchemy's events there
                driver.set_trace_callback(statements.append)  # type: ignore[union-attr]
            list_rows.load_rows(uow.session, uow.actor, [followed, merged_into, plain])
            if ws.db.dialect == "sqlite":
                driver.set_trace_callback(None)  # type: ignore[union-attr]
            read = list(statements)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", count)
    assert len(read) == 1
    assert rows[followed].followers == ("admin@example.com", "lead@example.com",
                                        "seller@example.com")
    assert rows[followed].following and not rows[merged_into].following
    assert rows[merged_into].merged_ids == tuple(merged)
    assert rows[plain].followers == () and rows[plain].merged_ids == ()
    assert desk.rows([followed])[followed].followers == rows[followed].followers


def test_page_costs_a_constant_number_of_queries(ws: Workspace) -> None:
    ids = [make_ticket(ws, f"t{i}", conversations=2) for i in range(60)]
    for ticket_id in ids[::3]:
        ws.desk("lead").follow([ticket_id])
    set_ticket(ws, ids[-1], state=TicketState.MERGED, merged_into_id=ids[0])
    desk = ws.desk("agent")
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    def statements_for(limit: int) -> int:
        statements.clear()
        event.listen(ws.db.engine, "before_cursor_execute", count)
        try:
            page = desk.list_tickets(TicketQuery(view=View.ALL, sort=SortKey.CONTACT),
                                     limit=limit)
        finally:
            event.remove(ws.db.engine, "before_cursor_execute", count)
        assert len(page.rows) == limit
        return len(statements)

    statements_for(5)  # the signed-in user is loaded once, then reused while unchanged
    assert statements_for(5) == statements_for(50)
    assert statements_for(50) <= 12


# -- saved views ---------------------------------------------------------------------------


def test_saved_views(ws: Workspace) -> None:
    high = make_ticket(ws, priority=Priority.HIGH)
    make_ticket(ws, priority=Priority.LOW)
    desk = ws.desk("agent")
    query = TicketQuery(view=View.ALL, filters=TicketFilters(priorities=(Priority.HIGH,)),
                        sort=SortKey.NAME, descending=False)
    saved = desk.save_view("Hot", query)
    assert saved.query == query
    assert [v.name for v in desk.saved_views()] == ["Hot"]
    assert ids_of(desk, TicketQuery(saved_view_id=saved.id)) == {high}
    assert desk.count_tickets(TicketQuery(saved_view_id=saved.id)) == 1
    with pytest.raises(InvalidInput, match="already"):
        desk.save_view("Hot", TicketQuery())
    with pytest.raises(NotFound):
        ws.desk("lead").list_tickets(TicketQuery(saved_view_id=saved.id))
    with pytest.raises(NotFound):
        ws.desk("lead").delete_saved_view(saved.id)
    with pytest.raises(PermissionDenied, match="service seat"):
        ws.desk("sales").save_view("Mine", TicketQuery())
    with pytest.raises(PermissionDenied, match="service seat"):
        ws.desk("sales").saved_views()
    with pytest.raises(PermissionDenied, match="delete permission"):
        desk.save_view("Bin", TicketQuery(view=View.RECENTLY_DELETED))
    desk.delete_saved_view(saved.id)
    assert desk.saved_views() == []


def test_query_json_round_trip() -> None:
    query = TicketQuery(view=View.UNREAD, filters=TicketFilters(
        status_ids=(3,), priorities=(Priority.URGENT,), owner_ids=(None, 4),
        categories=(Category.FEATURE_REQUEST,), pipeline_ids=(1,), inbox_ids=(2,)),
        search="printer", sort=SortKey.PRIORITY, descending=False)
    assert query_from_json(query_to_json(query)) == query
    assert query_from_json({}) == TicketQuery()
    with pytest.raises(InvalidInput):
        query_from_json({"view": "nonsense"})


def test_every_view_pages_cleanly_for_every_role(ws: Workspace) -> None:
    for owner in (None, "agent", "seller", "sales", "lead"):
        make_ticket(ws, owner=owner)
    for role, view in itertools.product(("admin", "agent", "sales", "seller"), View):
        desk = ws.desk(role)
        query = TicketQuery(view=view)
        if view in (View.SPAM, View.RECENTLY_DELETED) and role != "admin":
            continue
        assert all_pages(desk, query, 2) == desk.matching_ids(query)
        assert desk.count_tickets(query) == len(desk.matching_ids(query))


@pytest.mark.parametrize("sort", [SortKey.LAST_ACTIVITY, SortKey.NAME, SortKey.CREATED,
                                  SortKey.ID, SortKey.STATUS, SortKey.CONTACT])
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_the_spam_view_pages_as_its_one_condition_orders(ws: Workspace, sort: SortKey,
                                                         descending: bool) -> None:
    """The Spam view's page is the first rows of its two halves (spam tickets; live ones
    with a spam conversation) merged: the same rows in the same order, page after page, as
    the one condition ``matching_ids`` sorts whole — ties of the sort value included."""
    same_time = ws.clock()
    spam_ids = []
    for n in range(5):
        ticket = make_ticket(ws, f"spam {n % 2}")
        set_ticket(ws, ticket, state=TicketState.SPAM, spam_at=ws.clock(),
                   last_activity_at=same_time if n % 2 else ws.clock())
        spam_ids.append(ticket)
    partly = []
    for n in range(3):
        ticket = make_ticket(ws, f"partly {n % 2}", conversations=2)
        set_ticket(ws, ticket, last_activity_at=same_time if n == 1 else ws.clock())
        with ws.db.session() as session:
            first = min(c.id for c in session.query(Conversation).filter_by(ticket_id=ticket))
            session.execute(update(Conversation).where(Conversation.id == first)
                            .values(spam_at=ws.clock()))
            session.commit()
        partly.append(ticket)
    make_ticket(ws, "not spam")
    lead = ws.desk("lead")
    query = TicketQuery(view=View.SPAM, sort=sort, descending=descending)
    whole = lead.matching_ids(query)
    assert sorted(whole) == sorted(spam_ids + partly)
    for limit in (1, 2, 3, 50):
        assert all_pages(lead, query, limit) == whole
