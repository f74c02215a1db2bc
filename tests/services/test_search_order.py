"""A search's newest-hit order (``SortKey.NEWEST_HIT``, ``services/search_order.py``): the
ticket named by its number first, then the tickets of the newest matching messages (one row
per ticket, at its newest hit), then the tickets found only by their name or a contact
(newest ticket first); keyset pages without gaps or repeats; permissions, views, deleted
tickets and spam conversations as in every other order. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import func, select, update

from helpdesk_desktop.domain.enums import MessageKind, SortKey, View
from helpdesk_desktop.domain.models import Conversation, Message
from helpdesk_desktop.services import search_order, search_skips
from helpdesk_desktop.services.dto import PageCursor, TicketChanges, TicketQuery
from tests.factories import Workspace, make_ticket

WORD = "zebra"


def renamed(ws: Workspace, name: str) -> int:
    """A ticket whose name alone holds the words (its messages' subjects keep the old one)."""
    ticket_id = make_ticket(ws, "Untitled", messages=((MessageKind.EMAIL, "hello"),))
    ws.desk("admin").update(ticket_id, TicketChanges(name=name))
    return ticket_id


def newest(text: str, view: View = View.ALL) -> TicketQuery:
    return TicketQuery(view=view, search=text, sort=SortKey.NEWEST_HIT)


def pages(ws: Workspace, query: TicketQuery, limit: int, user: str = "admin"
          ) -> list[list[int]]:
    """Every page of ``query`` in turn, ``limit`` tickets each."""
    desk = ws.desk(user)
    found: list[list[int]] = []
    cursor: PageCursor | None = None
    while True:
        page = desk.list_tickets(query, limit=limit, after=cursor)
        found.append([r.id for r in page.rows])
        cursor = page.next_cursor
        if cursor is None:
            return found


def expected_order(ws: Workspace, ticket_ids: list[int], word: str = WORD) -> list[int]:
    """``ticket_ids`` by the id of their newest non-spam message holding ``word`` (in its
    subject or its text)."""
    with ws.db.session() as session:
        rows = session.execute(
            select(Conversation.ticket_id, Message.id, Message.subject + " " + Message.body_text)
            .join(Message, Message.conversation_id == Conversation.id)
            .where(Conversation.ticket_id.in_(ticket_ids), Conversation.spam_at.is_(None)))
        newest_hit: dict[int, int] = {}
        for ticket_id, message_id, body in rows:
            if word in body.lower():
                newest_hit[ticket_id] = max(newest_hit.get(ticket_id, 0), message_id)
    return sorted(newest_hit, key=lambda t: -newest_hit[t])


@pytest.fixture
def spread(ws: Workspace) -> list[int]:
    """Twelve tickets holding the word, then notes holding it added in a shuffled order (a
    ticket's newest hit is not its first message) and notes without it."""
    tickets = [make_ticket(ws, f"Ticket {n}", messages=(
        (MessageKind.EMAIL, f"A {WORD} in the first message {n}"),
        (MessageKind.REPLY, "Nothing here"))) for n in range(12)]
    admin = ws.desk("admin")
    order = list(tickets)
    random.Random(11).shuffle(order)
    for n, ticket_id in enumerate(order[:8]):
        admin.add_note(ticket_id, f"Another {WORD}, note {n}" if n % 3 else "plain note")
    return tickets


def test_tickets_come_by_their_newest_matching_message(ws: Workspace,
                                                        spread: list[int]) -> None:
    shown = [r.id for r in ws.desk("admin").list_tickets(newest(WORD), limit=100).rows]
    assert shown == expected_order(ws, spread)
    assert len(shown) == len(set(shown)) == 12  # one row per ticket, two hits or one


@pytest.mark.parametrize("batch", [1, 2, 256], ids=["batch-1", "batch-2", "batch-256"])
@pytest.mark.parametrize("limit", [1, 2, 5])
def test_pages_follow_each_other_without_gaps_or_repeats(
        ws: Workspace, spread: list[int], limit: int, batch: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches of hits (each ticket's older hits in a later batch than its newest)
    and small pages (its older hits below a page's cursor) give the same list."""
    monkeypatch.setattr(search_order, "FIRST_BATCH", batch)
    monkeypatch.setattr(search_order, "LAST_BATCH", batch * 2)
    named = renamed(ws, f"The {WORD} enclosure")
    walked = pages(ws, newest(WORD), limit)
    flat = [ticket_id for page in walked for ticket_id in page]
    assert flat == [*expected_order(ws, spread), named]
    assert all(len(page) <= limit for page in walked)
    assert ws.desk("admin").count_tickets(newest(WORD)) == len(flat)
    assert ws.desk("admin").matching_ids(newest(WORD)) == flat


def test_the_number_comes_first_and_names_and_contacts_after_the_messages(
        ws: Workspace) -> None:
    older = make_ticket(ws, "Delivery", messages=((MessageKind.EMAIL, "about 7 parcels"),))
    johns = make_ticket(ws, "Login trouble", contact="john", messages=(
        (MessageKind.EMAIL, "cannot sign in"),))
    mention = make_ticket(ws, "Question", messages=(
        (MessageKind.EMAIL, "Smith told me to write"),))
    named = renamed(ws, "Smith account")
    desk = ws.desk("admin")
    # A message hit first, then name and contact hits by ticket id, newest first.
    shown = [r.id for r in desk.list_tickets(newest("smith"), limit=10).rows]
    assert shown == [mention, named, johns]
    # The ticket named by its number first, then the messages holding the number.
    number = str(older)
    mentions = make_ticket(ws, "Follow-up", messages=(
        (MessageKind.EMAIL, f"see ticket {number}"),))
    shown = [r.id for r in desk.list_tickets(newest(number), limit=10).rows]
    assert shown[0] == older and mentions in shown


def test_permissions_views_deleted_tickets_and_spam(ws: Workspace, spread: list[int]) -> None:
    hidden = make_ticket(ws, "Sales matter", owner="seller", messages=(
        (MessageKind.EMAIL, f"a {WORD} for sales"),))
    admin = ws.desk("admin")
    everything = [r.id for r in admin.list_tickets(newest(WORD), limit=100).rows]
    assert everything[0] == hidden
    # A scoped agent: the same order without the ticket it may not see, page after page.
    agent_pages = pages(ws, newest(WORD), 3, user="agent")
    agent_sees = [t for page in agent_pages for t in page]
    assert agent_sees == [t for t in everything if t != hidden]
    assert all(len(page) == 3 for page in agent_pages[:-1])  # filtered before the cut
    # A deleted ticket leaves the list; a ticket whose only hit is in a spam conversation
    # too (its name does not hold the word).
    deleted, spammed = spread[0], spread[1]
    admin.delete([deleted], 1)
    with ws.db.session() as session:
        session.execute(update(Conversation).where(Conversation.ticket_id == spammed)
                        .values(spam_at=ws.clock()))
        session.commit()
    shown = [r.id for r in admin.list_tickets(newest(WORD), limit=100).rows]
    assert deleted not in shown and spammed not in shown
    assert shown == [t for t in everything if t not in (deleted, spammed)]
    in_trash = [r.id for r in admin.list_tickets(newest(WORD, View.RECENTLY_DELETED),
                                                 limit=100).rows]
    assert in_trash == [deleted]


def test_a_search_in_the_spam_view(ws: Workspace, spread: list[int]) -> None:
    """The Spam view's conditions (subqueries on conversations) in the newest-hit walk,
    which joins the hits' conversations itself: on PostgreSQL the two were taken for one
    (an error, "no FROM clauses due to auto-correlation")."""
    admin = ws.desk("admin")
    admin.mark_spam(spread[1])
    query = newest(WORD, View.SPAM)
    assert [r.id for r in admin.list_tickets(query, limit=10).rows] == [spread[1]]
    assert admin.count_tickets(query) == 1


def test_without_search_words_it_is_the_default_order(ws: Workspace,
                                                      spread: list[int]) -> None:
    desk = ws.desk("admin")
    plain = [r.id for r in desk.list_tickets(TicketQuery(view=View.ALL), limit=100).rows]
    for text in ("", "  ", "!!"):
        query = TicketQuery(view=View.ALL, search=text, sort=SortKey.NEWEST_HIT)
        default = TicketQuery(view=View.ALL, search=text)
        shown = [r.id for r in desk.list_tickets(query, limit=100).rows]
        assert shown == [r.id for r in desk.list_tickets(default, limit=100).rows]
        assert shown == ([] if text.strip() else plain)  # "!!" has no word: nothing found


def test_a_cursor_of_another_order_is_refused(ws: Workspace, spread: list[int]) -> None:
    from helpdesk_desktop.domain.errors import InvalidInput

    for value in (("x",), ("x", "y"), (7, 1), (None, None)):
        with pytest.raises(InvalidInput, match="another sort order"):
            ws.desk("admin").list_tickets(newest(WORD), limit=5,
                                          after=PageCursor(sort_value=value, ticket_id=1))


# -- conversations without a ticket stepped over (search_skips.py, SQLite) ----------------


def inbox_conversations(ws: Workspace, count: int, word: str = WORD) -> list[int]:
    """``count`` conversations in a conversations inbox (no ticket), two messages each
    holding ``word``, one after the other (consecutive ids)."""
    from helpdesk_desktop.domain.enums import Channel, Direction

    with ws.db.session() as session:
        made = []
        for n in range(count):
            conversation = Conversation(
                ticket_id=None, inbox_id=ws.inboxes["Shared inbox"], channel=Channel.EMAIL,
                subject=f"Inbox mail {n}", created_at=ws.clock())
            session.add(conversation)
            session.flush()
            for part in ("first", "second"):
                session.add(inbox_message(ws, conversation.id, f"A {word}, {part} part",
                                          Direction, f"Inbox mail {n}"))
            session.flush()
            made.append(conversation.id)
        session.commit()
    return made


def inbox_message(ws: Workspace, conversation_id: int, body: str, direction: Any,
                  subject: str) -> Message:
    return Message(conversation_id=conversation_id, kind=MessageKind.EMAIL,
                   direction=direction.INCOMING, author_name="Someone",
                   author_email="someone@example.com", to_addresses="support@example.com",
                   cc_addresses="", sent_at=ws.clock(), subject=subject, body_text=body)


@pytest.fixture
def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of two conversations and two messages are stepped over (the demo's are
    thousands)."""
    monkeypatch.setattr(search_skips, "MIN_RUN", 2)
    monkeypatch.setattr(search_skips, "MIN_STRETCH", 2)


@pytest.fixture
def block(ws: Workspace, spread: list[int]) -> tuple[list[int], list[int]]:
    """``spread``'s tickets, then six inbox conversations holding the word, then three
    tickets more: their ids (every ticket, newest hit first) and the inbox conversations."""
    inbox = inbox_conversations(ws, 6)
    above = [make_ticket(ws, f"Later {n}", messages=(
        (MessageKind.EMAIL, f"A later {WORD} {n}"),)) for n in range(3)]
    return expected_order(ws, [*spread, *above]), inbox


def test_the_block_is_one_range_of_message_ids(ws: Workspace, block: tuple[list[int], list[int]],
                                              small_runs: None, backend: str) -> None:
    _tickets, inbox = block
    with ws.db.session() as session:
        ids = sorted(session.scalars(select(Message.id).where(
            Message.conversation_id.in_(inbox))))
        ranges = search_skips.find(session.connection())
        assert ranges == [(ids[0], ids[-1])]
        # Kept on SQLite's connection; found again by each walk on PostgreSQL.
        assert search_skips.cached(session.connection()) == (
            ranges if backend == "sqlite" else None)


def test_ranges_leave_out_a_ticket_message_among_them(ws: Workspace,
                                                     small_runs: None) -> None:
    """Messages of the inbox's conversations with a ticket's message between them (their
    ids not one span): the ranges are the runs around it."""
    from helpdesk_desktop.domain.enums import Direction

    inbox = inbox_conversations(ws, 3)
    ticket_id = make_ticket(ws, "Between", messages=((MessageKind.EMAIL, f"a {WORD}"),))
    with ws.db.session() as session:
        for conversation_id in inbox:
            session.add(inbox_message(ws, conversation_id, f"More {WORD}", Direction, "Re"))
        session.commit()
        between = session.scalars(select(Message.id).join(Conversation).where(
            Conversation.ticket_id == ticket_id)).one()
        ranges = search_skips.find(session.connection())
    assert len(ranges) == 2
    assert ranges[0][1] < between < ranges[1][0]
    assert ranges[1][1] - ranges[1][0] + 1 == 3  # the three later messages


def test_runs_of_conversations_apart_are_found_by_halving(ws: Workspace,
                                                         small_runs: None) -> None:
    """Two groups of inbox conversations with a ticket's conversation between them: two
    runs (found by counting halves of the ids), two ranges of messages."""
    older = inbox_conversations(ws, 3)
    between = make_ticket(ws, "Between", messages=((MessageKind.EMAIL, f"a {WORD}"),))
    newer = inbox_conversations(ws, 4)
    with ws.db.session() as session:
        spans = [tuple(session.execute(select(func.min(Message.id), func.max(Message.id))
                                       .where(Message.conversation_id.in_(group))).one())
                 for group in (older, newer)]
        ticket_message = session.scalars(select(Message.id).join(Conversation).where(
            Conversation.ticket_id == between)).one()
        assert search_skips.find(session.connection()) == spans
    assert spans[0][1] < ticket_message < spans[1][0]


@pytest.mark.parametrize("batch", [1, 2, 256], ids=["batch-1", "batch-2", "batch-256"])
@pytest.mark.parametrize("limit", [1, 2, 5])
def test_pages_step_over_conversations_without_a_ticket(
        ws: Workspace, block: tuple[list[int], list[int]], small_runs: None, limit: int,
        batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same list, page after page (a cursor at the block's edge), with the block
    stepped over: found in the walk, then kept from one page to the next."""
    monkeypatch.setattr(search_order, "FIRST_BATCH", batch)
    monkeypatch.setattr(search_order, "LAST_BATCH", batch * 2)
    tickets, _inbox = block
    for _twice in range(2):
        walked = pages(ws, newest(WORD), limit)
        assert [t for page in walked for t in page] == tickets
    assert ws.desk("admin").count_tickets(newest(WORD)) == len(tickets)


@pytest.mark.parametrize("writer", ["same engine", "another engine"])
def test_a_conversation_moved_into_the_help_desk_after_a_walk(
        ws: Workspace, block: tuple[list[int], list[int]], small_runs: None, writer: str,
        backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ticket that gains a conversation of the block after the ranges were found is
    listed at that conversation's newest hit (the ranges kept are out of date: a commit of
    this connection or of another one)."""
    from sqlalchemy import create_engine

    if writer == "another engine" and backend != "sqlite":
        pytest.skip("the ranges are kept per SQLite connection (the URL alone misses the "
                    "test's PostgreSQL schema)")
    monkeypatch.setattr(search_order, "FIRST_BATCH", 1)
    monkeypatch.setattr(search_order, "LAST_BATCH", 2)
    tickets, inbox = block
    assert [r.id for r in ws.desk("admin").list_tickets(newest(WORD), limit=100).rows] == tickets
    gaining = tickets[-1]  # the oldest hit: it moves up into the block's place
    moved = update(Conversation).where(Conversation.id == inbox[2]).values(ticket_id=gaining)
    if writer == "same engine":
        with ws.db.session() as session:
            assert session.execute(moved).rowcount == 1
            session.commit()
    else:
        engine = create_engine(ws.db.engine.url)
        with engine.begin() as connection:
            assert connection.execute(moved).rowcount == 1
        engine.dispose()
    shown = [r.id for r in ws.desk("admin").list_tickets(newest(WORD), limit=100).rows]
    assert shown == expected_order(ws, tickets)
    assert shown.index(gaining) == 3  # below the three later tickets, above the rest


def test_a_cursor_in_a_conversation_moved_out_of_the_help_desk(
        ws: Workspace, spread: list[int], small_runs: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's last ticket loses its conversation to the inbox, which makes the range of
    the block end above the page's cursor: the next page goes on below the cursor."""
    monkeypatch.setattr(search_order, "FIRST_BATCH", 1)
    monkeypatch.setattr(search_order, "LAST_BATCH", 2)
    inbox_conversations(ws, 4)
    edge = make_ticket(ws, "Edge", messages=((MessageKind.EMAIL, f"the {WORD} at the edge"),))
    top = [make_ticket(ws, f"Top {n}", messages=((MessageKind.EMAIL, f"{WORD} {n}"),))
           for n in range(2)]
    desk = ws.desk("admin")
    first = desk.list_tickets(newest(WORD), limit=3)
    assert [r.id for r in first.rows] == [top[1], top[0], edge]
    with ws.db.session() as session:
        session.execute(update(Conversation).where(Conversation.ticket_id == edge)
                        .values(ticket_id=None))
        session.commit()
    # The first page again (the ranges found anew, the edge's messages in them), then the
    # next one from the old cursor.
    assert [r.id for r in desk.list_tickets(newest(WORD), limit=3).rows] == [
        top[1], top[0], *expected_order(ws, spread)[:1]]
    rest = desk.list_tickets(newest(WORD), limit=100, after=first.next_cursor)
    assert [r.id for r in rest.rows] == expected_order(ws, spread)


def test_step_moves_below_the_range_holding_the_start() -> None:
    ranges = [(10, 19), (40, 59)]
    assert search_skips.step(ranges, None) == (None, 59)
    assert search_skips.step(ranges, 80) == (80, 59)
    assert search_skips.step(ranges, 60) == (40, 19)  # 59 is in the range: from under it
    assert search_skips.step(ranges, 45) == (40, 19)  # a start inside the range
    assert search_skips.step(ranges, 40) == (40, 19)  # just under it already
    assert search_skips.step(ranges, 30) == (30, 19)
    assert search_skips.step(ranges, 11) == (10, None)
    assert search_skips.step(ranges, 5) == (5, None)
    assert search_skips.step([], 7) == (7, None)


def test_a_prefix_kept_on_the_connection_takes_new_terms_after_a_write(
        ws: Workspace) -> None:
    """The last word's terms are kept on the connection until something is written: a term
    that arrives later is searched for too."""
    desk = ws.desk("admin")
    zebra = make_ticket(ws, "Stripes", messages=((MessageKind.EMAIL, "a zebra"),))
    assert [r.id for r in desk.list_tickets(newest("zeb"), limit=10).rows] == [zebra]
    assert [r.id for r in desk.list_tickets(newest("zeb"), limit=10).rows] == [zebra]
    zebu = make_ticket(ws, "Humps", messages=((MessageKind.EMAIL, "a zebu"),))
    assert [r.id for r in desk.list_tickets(newest("zeb"), limit=10).rows] == [zebu, zebra]
    assert desk.count_tickets(TicketQuery(view=View.ALL, search="zeb")) == 2

