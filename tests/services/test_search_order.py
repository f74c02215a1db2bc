"""A search's newest-hit order (``SortKey.NEWEST_HIT``, ``services/search_order.py``): the
ticket named by its number first, then the tickets of the newest matching messages (one row
per ticket, at its newest hit), then the tickets found only by their name or a contact
(newest ticket first); keyset pages without gaps or repeats; permissions, views, deleted
tickets and spam conversations as in every other order. On SQLite and PostgreSQL."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, update

from helpdesk_desktop.domain.enums import MessageKind, SortKey, View
from helpdesk_desktop.domain.models import Conversation, Message
from helpdesk_desktop.services import search_order
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
