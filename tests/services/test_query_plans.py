"""Query plans of the list, search, board and count queries: no full scan of a big table.

A scan costs time in proportion to the workspace: harmless at a thousand tickets, seconds at a
million. The statements each operation sends are captured and explained on a small SQLite
demo database with planner statistics (ANALYZE), so that a change that brings a scan back
fails here instead of in a user's hands.

PostgreSQL is checked where it means something: at this size its planner rightly reads a
table of a few pages whole, so the same checks run on its 100,000-ticket benchmark database
(``python tests/benchmarks/run.py --pg --tickets 100000`` prints every scan it finds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Priority, SortKey, View
from helpdesk_desktop.services import search
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import TicketFilters, TicketQuery
from helpdesk_desktop.storage.database import Database, open_database
from tests.query_plans import analyze, capture, full_scans, sqlite_plan

TICKETS = 1500


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A demo workspace of :data:`TICKETS` tickets with planner statistics."""
    path: Path = tmp_path_factory.mktemp("plans") / "plans.sqlite3"
    database = open_database(str(path))
    generate_demo(database, tickets=TICKETS)
    analyze(database.engine)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def desk(demo: Database) -> Desk:
    user_id = startup.default_user_id(demo)
    assert user_id is not None
    return Desk(demo, user_id)


def assert_no_scan(database: Database, work: Callable[[], object]) -> None:
    with capture(database.engine) as captured:
        work()
    assert captured.statements, "the operation ran no query"
    found = []
    for statement, parameters in captured.statements:
        scans = full_scans(database.engine, statement, parameters)
        if scans:
            found.append(f"{' '.join(statement.split())[:300]}\n    -> {scans}")
    assert not found, "full scans:\n" + "\n".join(found)


def _two_pages(desk: Desk, query: TicketQuery) -> None:
    page = desk.list_tickets(query, limit=50)
    if page.next_cursor is not None:
        desk.list_tickets(query, limit=50, after=page.next_cursor)


@pytest.mark.parametrize("view", [v for v in View])
def test_each_view_pages_without_a_scan(demo: Database, desk: Desk, view: View) -> None:
    assert_no_scan(demo, lambda: _two_pages(desk, TicketQuery(view=view)))


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", [s for s in SortKey])
def test_each_sort_pages_without_a_scan(demo: Database, desk: Desk, sort: SortKey,
                                        descending: bool) -> None:
    query = TicketQuery(view=View.ALL_OPEN, sort=sort, descending=descending)
    assert_no_scan(demo, lambda: _two_pages(desk, query))


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("view", [View.ALL_OPEN, View.ALL, View.CLOSED])
def test_the_contact_sort_walks_its_index_in_order(demo: Database, desk: Desk, view: View,
                                                   descending: bool) -> None:
    """Sort by contact reads ``tickets.contact_sort`` (migration 0009) through an index in
    the list's order: no sort of every matching ticket (no temporary B-tree), no scan."""
    query = TicketQuery(view=view, sort=SortKey.CONTACT, descending=descending)
    with capture(demo.engine) as captured:
        _two_pages(desk, query)
    pages = [(s, p) for s, p in captured.statements if "contact_sort" in s]
    assert pages
    for statement, parameters in pages:
        plan = sqlite_plan(demo.engine, statement, parameters)
        assert any("ix_tickets_state_closed_contact" in line
                   or "ix_tickets_state_contact" in line for line in plan), plan
        assert not any("TEMP B-TREE" in line for line in plan), plan


def test_the_spam_view_walks_the_spam_tickets_in_order(demo: Database, desk: Desk) -> None:
    """A Spam page reads the spam tickets through the state index in the list's order and
    stops at the page's end (one condition for both halves of the view made the database
    collect and sort every spam ticket first: 15,000 at a million)."""
    with capture(demo.engine) as captured:
        _two_pages(desk, TicketQuery(view=View.SPAM))
    pages = [(s, p) for s, p in captured.statements if "UNION ALL" in s]
    assert pages, "the Spam page is not the merge of its two halves"
    for statement, parameters in pages:
        plan = sqlite_plan(demo.engine, statement, parameters)
        assert any("USING COVERING INDEX ix_tickets_state_activity (state=?)" in line
                   for line in plan), plan


_ONE_RANGE = {
    "assigned to me": (TicketQuery(view=View.ASSIGNED_TO_ME),
                       "COVERING INDEX ix_tickets_state_closed_owner_activity"),
    "unassigned": (TicketQuery(view=View.UNASSIGNED),
                   "COVERING INDEX ix_tickets_state_closed_owner_activity"),
    "owner filter": (None, "COVERING INDEX ix_tickets_state_closed_owner_activity"),
    "priority filter": (TicketQuery(filters=TicketFilters(priorities=(Priority.HIGH,))),
                        "COVERING INDEX ix_tickets_state_closed_priority_activity"),
    "closed": (TicketQuery(view=View.CLOSED), "COVERING INDEX ix_tickets_closed_activity"),
}


@pytest.mark.parametrize("name", list(_ONE_RANGE))
def test_a_view_of_one_owner_or_priority_reads_one_range(demo: Database, desk: Desk,
                                                         name: str) -> None:
    """The pages of one owner's or one priority's open tickets, and of Closed, read the
    indexes of migration 0016 in the list's order: no ticket's row read to test its owner,
    priority or closing (at a million tickets up to thousands per page), no sort."""
    query, index = _ONE_RANGE[name]
    if query is None:
        query = TicketQuery(filters=TicketFilters(owner_ids=(desk.actor_id,)))
    with capture(demo.engine) as captured:
        _two_pages(desk, query)
    pages = [(s, p) for s, p in captured.statements
             if s.lstrip().startswith("SELECT tickets.id, tickets.last_activity_at")]
    assert pages
    for statement, parameters in pages:
        plan = sqlite_plan(demo.engine, statement, parameters)
        assert any(index in line for line in plan), plan
        assert not any("TEMP B-TREE" in line for line in plan), plan


def test_following_by_activity_reads_one_range_of_the_follows(demo: Database,
                                                              desk: Desk) -> None:
    """Following in last-activity order reads the user's follows of live tickets in that
    order from ``ix_followers_user_state_activity`` (migration 0017), each ticket by its
    key when a filter (or the user's scope) tests it: no walk of every live ticket probing
    its follows, no sort."""
    filtered = TicketQuery(view=View.FOLLOWING, filters=TicketFilters(
        priorities=tuple(Priority)))
    for query in (TicketQuery(view=View.FOLLOWING), filtered):
        with capture(demo.engine) as captured:
            page = desk.list_tickets(query, limit=5)
            assert page.next_cursor is not None
            desk.list_tickets(query, limit=5, after=page.next_cursor)
        pages = [(s, p) for s, p in captured.statements if s.lstrip().startswith(
            "SELECT followers.ticket_id, followers.last_activity_at")]
        assert len(pages) == 2
        for statement, parameters in pages:
            plan = sqlite_plan(demo.engine, statement, parameters)
            assert any("COVERING INDEX ix_followers_user_state_activity" in line
                       for line in plan), plan
            # The admin sees every ticket: the tickets are read for the filter alone.
            assert any("tickets USING INTEGER PRIMARY KEY" in line
                       for line in plan) == (query is filtered), plan
            assert not any("TEMP B-TREE" in line for line in plan), plan


def test_the_contact_part_of_a_search_reads_its_index_alone(demo: Database, desk: Desk) -> None:
    """The tickets of the matching contacts come from ``ix_ticket_contacts_contact_ticket``
    (migration 0011) without a lookup in the table per link (5,000 links for one company's
    contacts at 200,000 tickets: 39 ms through the single-column index, 1.6 ms)."""
    with capture(demo.engine) as captured:
        desk.list_tickets(TicketQuery(view=View.ALL, search="chevalier"), limit=50)
    lines = [line for statement, parameters in captured.statements
             if "ticket_contacts.contact_id IN" in statement
             for line in sqlite_plan(demo.engine, statement, parameters)
             if "ticket_contacts" in line and "contact_id=?" in line]
    assert lines and all("COVERING INDEX ix_ticket_contacts_contact_ticket" in line
                         for line in lines), lines


@pytest.mark.parametrize("sort", [SortKey.LAST_ACTIVITY, SortKey.NEWEST_HIT])
@pytest.mark.parametrize("text_", ["invoice", "bonjour merci", "12", "chevalier"])
def test_search_without_a_scan(demo: Database, desk: Desk, text_: str, sort: SortKey) -> None:
    query = TicketQuery(view=View.ALL, search=text_, sort=sort)
    assert_no_scan(demo, lambda: (_two_pages(desk, query), desk.count_tickets(query)))


@pytest.mark.parametrize("view", [View.ALL_OPEN, View.FOLLOWING, View.SPAM, View.UNREAD])
@pytest.mark.parametrize("text_", ["invoice", "chevalier", "12"])
def test_the_newest_hit_order_reads_the_hits_by_key(demo: Database, desk: Desk, text_: str,
                                                    view: View,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The newest-hit order reads the full-text index newest first and the tickets by key,
    in every view: no scan, and no page of the message hits sorted after reading them all."""
    from helpdesk_desktop.services import search_order

    query = TicketQuery(view=view, search=text_, sort=SortKey.NEWEST_HIT)
    # The batches run on the driver's connection (no engine event): recorded where made.
    batches: list[tuple[str, Any]] = []

    def recorded(*args: Any) -> tuple[str, Any]:
        batches.append(made(*args))
        return batches[-1]

    made = search_order.sqlite_batch
    monkeypatch.setattr(search_order, "sqlite_batch", recorded)
    _two_pages(desk, query)
    assert batches
    for statement, parameters in batches:
        plan = sqlite_plan(demo.engine, statement, parameters)
        assert not any("TEMP B-TREE" in line for line in plan), plan
        assert not full_scans(demo.engine, statement, parameters), plan
    assert_no_scan(demo, lambda: _two_pages(desk, query))


def test_the_ranges_without_a_ticket_are_found_by_index(demo: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The message ids the newest-hit walk steps over come from the conversations' indexes
    and ``ix_messages_conversation_sent`` (no scan of a table), and a batch bounded on both
    sides reads the full-text index by rowid without a sort."""
    from helpdesk_desktop.services import search_order, search_skips

    monkeypatch.setattr(search_skips, "MIN_RUN", 2)
    monkeypatch.setattr(search_skips, "MIN_STRETCH", 2)
    for statement in (search_skips.CONVERSATIONS_SPAN, search_skips.MESSAGES_SPAN,
                      search_skips.MESSAGE_IDS):
        plan = sqlite_plan(demo.engine, statement, (100, 200))
        assert all("COVERING INDEX" in line for line in plan), plan
    with demo.session() as session:
        ranges = search_skips.find(session.connection())
        assert ranges  # the demo's inbox conversations
        low, high = ranges[-1]
        hits = search_order._Search(session, "bonjour")
        assert hits.query is not None
        batch = search_order.sqlite_batch(hits.query, high + 10_000, low, 50)
        assert hits.message_batch(high + 10_000, 50, [], above=low) == [
            row for row in hits.message_batch(high + 10_000, 10**6, [])
            if row[0] > low][:50]
    plan = sqlite_plan(demo.engine, *batch)
    assert not any("TEMP B-TREE" in line for line in plan), plan
    assert any("message_fts VIRTUAL TABLE" in line for line in plan), plan
    assert not full_scans(demo.engine, *batch)


@pytest.mark.parametrize("hits", [(5000, 20000), (1, 20000), (1, 2)])
@pytest.mark.parametrize("sort", [SortKey.LAST_ACTIVITY, SortKey.NAME, SortKey.STATUS])
def test_the_walk_of_a_common_word_seeks(demo: Database, desk: Desk, sort: SortKey,
                                         hits: tuple[int, int],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of a common word walks the list's index and tests each ticket: no scan, in
    each form of the message test (the tickets of few hits, every hit, the newest hits and
    older messages one by one)."""
    monkeypatch.setattr(search, "WALK_MIN_HITS", 0)
    monkeypatch.setattr(search, "WALK_SHARE", 10**9)
    monkeypatch.setattr(search, "FEW_HITS", hits[0])
    monkeypatch.setattr(search, "RECENT_HITS", hits[1])
    query = TicketQuery(view=View.ALL, search="invoice", sort=sort)
    with capture(demo.engine) as captured:
        desk.list_tickets(query, limit=50)
    assert any("tickets.id + " in s for s, _ in captured.statements)
    if hits == (1, 2):  # the newest hits by rowid, the older messages by rowid look-up
        assert any("message_fts.rowid >= " in s and "message_fts.rowid = messages.id" in s
                   for s, _ in captured.statements)
    assert_no_scan(demo, lambda: _two_pages(desk, query))


def test_the_prefix_is_listed_from_the_vocabulary_by_term(demo: Database, desk: Desk) -> None:
    """The last word's terms come from the fts5vocab table by a range of terms (its index
    constraint), and the searches then carry no prefix query."""
    query = TicketQuery(view=View.ALL, search="invo")
    with capture(demo.engine) as captured:
        _two_pages(desk, query)
    listed = [(s, p) for s, p in captured.statements if "_fts_terms" in s]
    assert listed
    for statement, parameters in listed:
        assert sqlite_plan(demo.engine, statement, parameters) == [
            f"SCAN {statement.split('FROM ')[1].split()[0]} VIRTUAL TABLE INDEX 6:"]
    matched = [p for _s, p in captured.statements if any("invoice" in str(v) for v in p)]
    assert matched and not any("*" in str(v) for p in matched for v in p)


def test_board_columns_and_their_counts_without_a_scan(demo: Database, desk: Desk) -> None:
    pipeline = desk.pipelines()[0]
    for status in pipeline.statuses:
        query = TicketQuery(filters=TicketFilters(status_ids=(status.id,),
                                                  pipeline_ids=(pipeline.id,)))
        assert_no_scan(demo, lambda q=query: (desk.list_tickets(q, limit=50),
                                              desk.count_tickets(q)))


def test_filters_and_counts_without_a_scan(demo: Database, desk: Desk) -> None:
    me = desk.me().id
    base = TicketQuery()
    for filters in (TicketFilters(owner_ids=(me,)), TicketFilters(owner_ids=(None,))):
        query = dataclasses.replace(base, filters=filters)
        assert_no_scan(demo, lambda q=query: (desk.list_tickets(q), desk.count_tickets(q)))
    assert_no_scan(demo, lambda: desk.count_tickets(base))


def test_view_counts_without_a_scan(demo: Database, desk: Desk) -> None:
    """The per-view counts read ``ticket_counts`` and the actor's own small sets."""
    assert_no_scan(demo, desk.view_counts)


def test_per_agent_counts_read_their_counter_rows(demo: Database, desk: Desk) -> None:
    """Unread and Following are counted from ``read_counts`` and ``follow_counts`` (kept by
    triggers, migration 0011): no statement walks the actor's read states or follows (720,000
    read states for an agent at a million tickets)."""
    with capture(demo.engine) as captured:
        desk.view_counts()
    statements = [" ".join(s.split()) for s, _ in captured.statements]
    assert any("FROM read_counts" in s for s in statements), statements
    assert any("FROM follow_counts" in s for s in statements), statements
    assert not any("read_states" in s or "followers" in s for s in statements), statements


def test_board_column_counts_read_their_counter_rows(demo: Database, desk: Desk) -> None:
    """A board column's count (a view narrowed to one status, maybe to owners) sums rows of
    ``ticket_status_counts`` (migration 0011) instead of counting the status's tickets."""
    pipeline = desk.pipelines()[0]
    me = desk.me().id
    for status in pipeline.statuses:
        for owners in ((), (me, None)):
            query = TicketQuery(filters=TicketFilters(status_ids=(status.id,),
                                                      pipeline_ids=(pipeline.id,),
                                                      owner_ids=owners))
            with capture(demo.engine) as captured:
                desk.count_tickets(query)
            statements = [" ".join(s.split()) for s, _ in captured.statements]
            assert any("FROM ticket_status_counts" in s for s in statements), statements
            assert not any("FROM tickets" in s for s in statements), statements


def test_a_long_thread_is_read_from_its_end_by_key_without_a_scan(demo: Database,
                                                                  desk: Desk) -> None:
    """Opening a ticket reads the newest messages of each conversation, and earlier ones a
    chunk at a time, on ``ix_messages_conversation_sent`` (the demo's longest ticket)."""
    with demo.session() as session:
        ticket_id = session.execute(text(
            "SELECT c.ticket_id FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " WHERE c.ticket_id IS NOT NULL AND c.spam_at IS NULL"
            " GROUP BY c.ticket_id ORDER BY count(*) DESC LIMIT 1")).scalar_one()
    detail = desk.ticket(ticket_id, last_messages=2)
    conversation = max(detail.conversations, key=lambda c: c.earlier)
    assert conversation.earlier > 0
    assert_no_scan(demo, lambda: desk.ticket(ticket_id, last_messages=2))
    assert_no_scan(demo, lambda: desk.earlier_messages(conversation.id,
                                                       conversation.messages[0].id, 2))


def test_the_bulk_writes_seek(demo: Database, desk: Desk) -> None:
    """B9's writes: a split of many messages (their ids as one JSON parameter), the merge
    back, a status edit of many tickets and its undo: every statement seeks by key."""
    from helpdesk_desktop.services.dto import TicketChanges

    with demo.session() as session:
        ticket_id = session.execute(text(
            "SELECT c.ticket_id FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " JOIN tickets t ON t.id = c.ticket_id WHERE c.spam_at IS NULL AND t.state = 'live'"
            " AND t.source = 'email' GROUP BY c.ticket_id ORDER BY count(*) DESC LIMIT 1")
        ).scalar_one()
    messages = [m.id for c in desk.ticket(ticket_id).conversations for m in c.messages]
    assert len(messages) > 2
    made: list[int] = []
    assert_no_scan(demo, lambda: made.append(
        max(desk.split(ticket_id, messages[:-1]).created_ticket_ids)))
    assert_no_scan(demo, lambda: desk.merge(ticket_id, made[0]))
    from tests.benchmarks.bench_writes import status_pair

    tickets, status = status_pair(demo)  # tickets of one pipeline, another open status
    assert tickets
    assert_no_scan(demo, lambda: desk.update_many(tickets, TicketChanges(status=status)))
    assert_no_scan(demo, lambda: desk.undo_last())
