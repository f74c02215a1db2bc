"""PostgreSQL's query plans of the list, search, board and count queries: no full scan of a
big table (the checks of ``test_query_plans.py``, on PostgreSQL).

PostgreSQL rightly reads a table of a few pages whole, so the demo here is large enough for
its planner to seek when it should (:data:`TICKETS`, with statistics): at this size the
search's former ``IN (UNION ...)`` read every live ticket and every conversation. Runs when
``HELPDESK_TEST_DATABASE_URL`` is set, in a schema of its own (dropped afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.services import search_pg
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.storage.database import Database, open_database
from tests.pg_schemas import own_schema_url
from tests.query_plans import analyze, capture, full_scans, pg_plan
from tests.services.test_query_plans import (  # noqa: F401 (collected here, on PostgreSQL)
    _two_pages,
    assert_no_scan,
    test_board_column_counts_read_their_counter_rows,
    test_board_columns_and_their_counts_without_a_scan,
    test_each_sort_pages_without_a_scan,
    test_each_view_pages_without_a_scan,
    test_filters_and_counts_without_a_scan,
    test_per_agent_counts_read_their_counter_rows,
    test_view_counts_without_a_scan,
)

TICKETS = 6000


@pytest.fixture(scope="module")
def demo() -> Iterator[Database]:
    """A demo workspace of :data:`TICKETS` tickets with planner statistics, in its own
    schema of the test server."""
    with own_schema_url("hd_plans") as url:
        database = open_database(url)
        try:
            generate_demo(database, tickets=TICKETS)
            analyze(database.engine)
            yield database
        finally:
            database.dispose()


@pytest.fixture(scope="module")
def desk(demo: Database) -> Desk:
    user_id = startup.default_user_id(demo)
    assert user_id is not None
    return Desk(demo, user_id)


@pytest.mark.parametrize("text_", ["invoice", "bonjour merci", "12", "chevalier", "thread"])
def test_search_pages_without_a_scan(demo: Database, desk: Desk, text_: str) -> None:
    query = TicketQuery(view=View.ALL, search=text_)
    assert_no_scan(demo, lambda: _two_pages(desk, query))


@pytest.mark.parametrize("text_", ["12", "chevalier", "thread", "invoice", "bonjour",
                                   "bonjour merci"])
def test_search_counts_without_a_scan(demo: Database, desk: Desk, text_: str) -> None:
    """The count of a word collects its tickets by key; the tickets of a common word
    ("bonjour" is in 40 % of the messages, "invoice" in 15 %) come from the GIN index of
    ``ticket_search_vectors``, one narrow row per ticket, where reading the messages they hit
    was a scan of the messages table (here, and at 100,000 tickets)."""
    query = TicketQuery(view=View.ALL, search=text_)
    assert_no_scan(demo, lambda: desk.count_tickets(query))


def test_the_newest_hit_walk_finds_its_ranges_without_a_scan(
        demo: Database, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk that steps over the demo's inbox conversations looks for them by index (the
    conversations without a ticket, their messages' span). (Not checked here: the second
    page's look-up of the tickets listed before, whose plan at this size is a scan of
    ``conversations``, as before this walk stepped over anything.)"""
    from helpdesk_desktop.domain.enums import SortKey
    from helpdesk_desktop.services import search_order, search_skips

    monkeypatch.setattr(search_order, "FIRST_BATCH", 64)
    monkeypatch.setattr(search_skips, "MIN_RUN", 2)
    monkeypatch.setattr(search_skips, "MIN_STRETCH", 2)
    # "bonjour": most of the demo's newest hits are in its inbox conversations.
    query = TicketQuery(view=View.ALL, search="bonjour", sort=SortKey.NEWEST_HIT)
    with capture(demo.engine) as captured:
        _two_pages(desk, query)
    ranges = [(statement, parameters) for statement, parameters in captured.statements
              if "ticket_id IS NULL AND id BETWEEN" in statement
              or "WHERE conversation_id BETWEEN" in statement]
    assert ranges
    for statement, parameters in ranges:
        assert not full_scans(demo.engine, statement, parameters), statement


def _plans(demo: Database, work: object, marker: str) -> list[list[str]]:
    with capture(demo.engine) as captured:
        work()  # type: ignore[operator]
    return [pg_plan(demo.engine, s, p) for s, p in captured.statements
            if marker in " ".join(s.split())]


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "collect"])
def test_a_search_page_seeks_in_either_form(demo: Database, desk: Desk, walk: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk reads the list's index in its order and tests each ticket's word set
    (``ticket_search_vectors``) one ticket at a time (never a hashed set of every hit), with
    no sort (its cap is a LIMIT read lazily); the collected form reads the tickets by key
    from the array of matching ids."""
    monkeypatch.setattr(search_pg, "PG_WALK_MIN_HITS", 0 if walk else 10**9)
    monkeypatch.setattr(search_pg, "PG_WALK_SHARE", 10**9 if walk else 1)
    # (A word in 40% of the messages is collected by reading the messages table whole at
    # this size: the collected form is tried on a rarer one.)
    query = TicketQuery(view=View.ALL, search="bonjour" if walk else "thread")
    plans = _plans(demo, lambda: desk.list_tickets(query, limit=100), "last_activity_at DESC")
    assert plans
    for plan in plans:
        joined = "\n".join(plan)
        if walk:
            assert "Index Scan Backward using ix_tickets_state_activity" in joined, joined
            # Each reached ticket's row of words is read by its key and tested; the hits
            # are not gathered from a full-text index first. The walk stops at its cap.
            assert "Index Scan using pk_ticket_search_vectors" in joined, joined
            assert "Filter: (vector @@" in joined, joined
            assert "ix_messages_search_vector" not in joined, joined
            assert "ix_ticket_search_vectors_vector" not in joined, joined
            assert "Sort" not in joined, joined
        else:
            assert "= ANY ($" in joined or "= ANY($" in joined, joined
        assert not any("Seq Scan on tickets" in line or "Seq Scan on messages" in line
                       or "Seq Scan on conversations" in line for line in plan), joined


def test_the_message_vectors_are_stored_and_indexed(demo: Database) -> None:
    """Migration 0012: ``messages.search_vector`` is kept by the database for every message,
    and the search reads it through ``ix_messages_search_vector``."""
    with demo.engine.connect() as connection:
        missing = connection.execute(text(
            "SELECT count(*) FROM messages WHERE search_vector IS DISTINCT FROM "
            "to_tsvector('simple', coalesce(subject, '') || ' ' || body_text)")).scalar_one()
        assert missing == 0
        plan = connection.execute(text(
            "EXPLAIN SELECT id FROM messages WHERE search_vector @@ "
            "to_tsquery('simple', 'thread')")).scalars().all()
    assert any("ix_messages_search_vector" in line for line in plan), plan


def test_following_reads_the_users_follows_first(demo: Database, desk: Desk) -> None:
    """A Following page in another order than last activity starts from the user's followed
    ids (``ix_followers_user_id``) and reads those tickets by key, instead of probing the
    followers of every ticket the list's index reaches (17,000 for a page at 100,000
    tickets)."""
    query = TicketQuery(view=View.FOLLOWING, sort=SortKey.CREATED)
    plans = _plans(demo, lambda: desk.list_tickets(query, limit=50),
                   "FROM followers WHERE followers.user_id")
    assert plans
    for plan in plans:
        joined = "\n".join(plan)
        assert "ix_followers_user_id" in joined and "(id = ANY ($" in joined, joined


def test_following_by_activity_reads_one_range_of_the_follows(demo: Database,
                                                              desk: Desk) -> None:
    """Following in its own order (last activity) reads the user's follows of live tickets
    in that order from ``ix_followers_user_state_activity`` (migration 0017); a user who
    sees every ticket, with no filter, reads no ticket at all."""
    def two_pages() -> None:
        page = desk.list_tickets(TicketQuery(view=View.FOLLOWING), limit=50)
        assert page.next_cursor is not None
        desk.list_tickets(TicketQuery(view=View.FOLLOWING), limit=50, after=page.next_cursor)

    plans = _plans(demo, two_pages, "SELECT followers.ticket_id, followers.last_activity_at")
    assert len(plans) == 2
    for plan in plans:
        joined = "\n".join(plan)
        # (At this size, 65 follows, the planner may read them by ``ix_followers_user_id``
        # and sort them; at 100,000 tickets it reads the new index in order, no sort.)
        assert "ix_followers_user_" in joined, joined
        # (The admin sees every ticket and no filter is set: no ticket is read at all.)
        assert "tickets" not in joined and "Seq Scan" not in joined, joined
