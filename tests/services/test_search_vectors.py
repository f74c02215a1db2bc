"""The search's per-ticket word sets (PostgreSQL's ``ticket_search_vectors``, migration 0013)
and the walk's cap: the same tickets, counts and pages as the messages themselves give.

On SQLite the table does not exist and the counts are those of FTS5; the comparisons run on
both back-ends (on SQLite both sides take the same form)."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update

from helpdesk_desktop.domain.enums import MessageKind, SortKey, View
from helpdesk_desktop.domain.models import Conversation
from helpdesk_desktop.services import search_pg
from helpdesk_desktop.services.dto import TicketQuery
from tests.factories import Workspace, make_ticket
from tests.query_plans import capture

TEXTS = ("printer", "print", "invoice", "smoke", "café", "unplug", "hello printer", "zzz",
         "marie", "accounting", "fire", "fire accounting",
         "hello accounting", "smells unplug", "foo_bar", "réception café")

# The set of lexemes each ticket's non-spam conversations' messages hold, from scratch.
_RECOMPUTED = """
SELECT c.ticket_id, array_to_tsvector(array_agg(DISTINCT w.lexeme))
FROM conversations c JOIN messages m ON m.conversation_id = c.id
CROSS JOIN LATERAL unnest(tsvector_to_array(m.search_vector)) AS w(lexeme)
WHERE c.ticket_id IS NOT NULL AND c.spam_at IS NULL GROUP BY c.ticket_id"""


def _writes(ws: Workspace) -> dict[str, int]:
    """Tickets, then every kind of write the triggers follow: a reply, a spam conversation,
    a merge, a split, a message edited and one deleted, a ticket marked spam."""
    desk = ws.desk("admin")
    made = {
        "printer": make_ticket(ws, "Printer on fire"),
        "invoice": make_ticket(ws, "Invoice question", messages=(
            (MessageKind.EMAIL, "Wrong amount on invoice 2024-17, please check."),
            (MessageKind.NOTE, "Escalate to accounting"))),
        "accents": make_ticket(ws, "Problème résolu", messages=(
            (MessageKind.EMAIL, "Café crème à la réception"),
            (MessageKind.REPLY, "The smoke is gone, see foo_bar."))),
        "merged": make_ticket(ws, "Another printer", messages=(
            (MessageKind.EMAIL, "Hello, the printer smells of smoke."),)),
        "spam": make_ticket(ws, "Buy now", messages=((MessageKind.EMAIL, "cheap invoice"),)),
        "split": make_ticket(ws, "Two questions", messages=(
            (MessageKind.EMAIL, "First about fire"), (MessageKind.EMAIL, "Then accounting"))),
    }
    desk.reply(made["printer"], "Unplug it and call accounting.")
    with ws.db.session() as session:
        first = min(c.id for c in session.query(Conversation).filter_by(
            ticket_id=made["invoice"]))
        session.execute(update(Conversation).where(Conversation.id == first)
                        .values(spam_at=ws.clock()))
        session.commit()
    desk.merge(made["printer"], made["merged"])
    with ws.db.session() as session:
        ids = [row[0] for row in session.execute(text(
            "SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id "
            "WHERE c.ticket_id = :t ORDER BY m.id"), {"t": made["split"]})]
        session.execute(text("UPDATE messages SET body_text = 'Edited: no more fire' "
                             "WHERE id = :m"), {"m": ids[0]})
        session.commit()
    desk.split(made["split"], [ids[-1]])
    with ws.db.session() as session:
        last = session.execute(text(
            "SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id "
            "WHERE c.ticket_id = :t ORDER BY m.id DESC LIMIT 1"),
            {"t": made["accents"]}).scalar_one()
        session.execute(text("DELETE FROM attachments WHERE message_id = :m"), {"m": last})
        session.execute(text("DELETE FROM messages WHERE id = :m"), {"m": last})
        session.commit()
    desk.mark_spam(made["spam"])
    return made


def test_the_triggers_keep_each_tickets_words(ws: Workspace, backend: str) -> None:
    """After every kind of write the table holds exactly what a computation from the
    messages gives (PostgreSQL; SQLite has no such table)."""
    if backend == "sqlite":
        pytest.skip("PostgreSQL's table")
    _writes(ws)
    with ws.db.session() as session:
        kept = {r[0]: r[1] for r in session.execute(text(
            "SELECT ticket_id, vector::text FROM ticket_search_vectors"))}
        recomputed = {r[0]: r[1] for r in session.execute(text(
            f"SELECT ticket_id, vector::text FROM ({_RECOMPUTED}) v(ticket_id, vector)"))}
    assert kept == recomputed
    assert len(kept) >= 5


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "collect"])
def test_counts_and_pages_are_those_of_the_messages(ws: Workspace, backend: str, walk: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A search read from the tickets' word sets (one word; several, checked message by
    message) finds, counts and pages the same tickets as one read from the messages (the
    former form), in several views; pages in either form of the search (PostgreSQL)."""
    monkeypatch.setattr(search_pg, "PG_WALK_MIN_HITS", 0 if walk else 10**9)
    monkeypatch.setattr(search_pg, "PG_WALK_SHARE", 10**9 if walk else 1)
    _writes(ws)
    for n in range(5):
        make_ticket(ws, f"Printer {n}", messages=((MessageKind.EMAIL, "invoice smoke"),))
    desk = ws.desk("admin")

    vector_form = search_pg._vector_form

    def results(narrow: bool) -> list[object]:
        monkeypatch.setattr(search_pg, "_vector_form",
                            vector_form if narrow else lambda *_args: None)
        seen: list[object] = []
        with capture(ws.db.engine) as captured:
            for text_ in TEXTS:
                for view in (View.ALL, View.ALL_OPEN, View.SPAM):
                    query = TicketQuery(view=view, search=text_, sort=SortKey.ID)
                    seen.append((text_, view, desk.count_tickets(query),
                                 [r.id for r in desk.list_tickets(query, limit=500).rows]))
        used = any("ticket_search_vectors" in s for s, _ in captured.statements)
        assert used is (narrow and backend != "sqlite")
        return seen

    before = results(narrow=False)
    assert results(narrow=True) == before
    assert sum(1 for r in before if r[2]) >= 10  # type: ignore[index]


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "collect"])
def test_a_walk_past_its_cap_collects_the_same_pages(
        ws: Workspace, backend: str, walk: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word common in the workspace and rare among the newest tickets: the walk stops at
    :data:`search_pg.PG_WALK_CAP` tickets and the page is collected; pages, order and counts
    are those of the collected form, page after page, in each sort and direction."""
    old = [make_ticket(ws, f"Old {n}", messages=((MessageKind.EMAIL, "bonjour invoice"),))
           for n in range(6)]
    for n in range(8):
        make_ticket(ws, f"Recent {n}", messages=((MessageKind.EMAIL, "nothing here"),))
    assert old
    desk = ws.desk("admin")
    monkeypatch.setattr(search_pg, "PG_WALK_CAP", 3)

    def pages(walking: bool) -> list[list[int]]:
        monkeypatch.setattr(search_pg, "PG_WALK_MIN_HITS", 0 if walking else 10**9)
        monkeypatch.setattr(search_pg, "PG_WALK_SHARE", 10**9 if walking else 1)
        seen: list[list[int]] = []
        with capture(ws.db.engine) as captured:
            for sort in (SortKey.LAST_ACTIVITY, SortKey.ID, SortKey.NAME):
                for descending in (False, True):
                    query = TicketQuery(view=View.ALL, search="bonjour", sort=sort,
                                        descending=descending)
                    cursor = None
                    while True:
                        page = desk.list_tickets(query, limit=2, after=cursor)
                        seen.append([r.id for r in page.rows])
                        cursor = page.next_cursor
                        if cursor is None:
                            break
                    seen.append([desk.count_tickets(query)])
        statements = [" ".join(s.split()) for s, _ in captured.statements]
        capped = [s for s in statements if "search_hit" in s]
        if backend != "sqlite":
            assert bool(capped) is walking
        return seen

    collected = pages(walking=False)
    assert pages(walking=walk) == collected
    assert [6] in collected


def test_moves_add_words_to_the_receiving_ticket_and_recompute_the_giving_one(
        ws: Workspace, backend: str) -> None:
    """Messages and conversations changing hands in every way (migration 0015: the ticket
    that only receives a conversation gets its words added, the one that gives it is
    computed again; messages moved have both computed again): after each statement the
    table is what the messages give."""
    if backend == "sqlite":
        pytest.skip("PostgreSQL's table")
    a = make_ticket(ws, "Alpha", messages=((MessageKind.EMAIL, "alpha printer shared"),
                                           (MessageKind.REPLY, "alpha toner")))
    b = make_ticket(ws, "Beta", messages=((MessageKind.EMAIL, "beta invoice shared"),
                                          (MessageKind.NOTE, "beta smoke")))
    c = make_ticket(ws, "Gamma", messages=((MessageKind.EMAIL, "gamma café"),))

    def conversations(ticket: int) -> list[int]:
        with ws.db.session() as session:
            return [r[0] for r in session.execute(text(
                "SELECT id FROM conversations WHERE ticket_id = :t ORDER BY id"), {"t": ticket})]

    def messages(ticket: int) -> list[int]:
        with ws.db.session() as session:
            return [r[0] for r in session.execute(text(
                "SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                "WHERE c.ticket_id = :t ORDER BY m.id"), {"t": ticket})]

    ca, cb, cc = conversations(a)[0], conversations(b)[0], conversations(c)[0]
    ma, mb = messages(a), messages(b)
    steps = [
        # One message of a to b's conversation (a gives, b receives).
        ("UPDATE messages SET conversation_id = :cb WHERE id = :m", {"cb": cb, "m": ma[0]}),
        # Both ways in one statement: a's other message to c, b's first to a.
        (("UPDATE messages SET conversation_id = CASE WHEN id = :m1 THEN :cc ELSE :ca END "
         "WHERE id IN (:m1, :m2)"), {"m1": ma[1], "m2": mb[0], "cc": cc, "ca": ca}),
        # b's conversation marked spam (b loses it), then cleared (b receives it back).
        ("UPDATE conversations SET spam_at = created_at WHERE id = :cb", {"cb": cb}),
        ("UPDATE messages SET conversation_id = :cb WHERE id = :m", {"cb": cb, "m": mb[1]}),
        ("UPDATE conversations SET spam_at = NULL WHERE id = :cb", {"cb": cb}),
        # A conversation moved to a ticket that has words (a receives all of c's).
        ("UPDATE conversations SET ticket_id = :a WHERE id = :cc", {"a": a, "cc": cc}),
        # Two conversations swapped between tickets in one statement.
        (("UPDATE conversations SET ticket_id = CASE WHEN id = :ca THEN :b ELSE :a END "
         "WHERE id IN (:ca, :cb)"), {"ca": ca, "cb": cb, "a": a, "b": b}),
        # An edit while moving.
        (("UPDATE messages SET conversation_id = :cc, body_text = 'edited words' "
         "WHERE id = :m"), {"cc": cc, "m": ma[0]}),
        # A conversation taken out of every ticket (a conversations inbox).
        ("UPDATE conversations SET ticket_id = NULL WHERE id = :cc", {"cc": cc}),
    ]
    for n, (sql, params) in enumerate(steps):
        with ws.db.session() as session:
            session.execute(text(sql), params)
            kept = {r[0]: r[1] for r in session.execute(text(
                "SELECT ticket_id, vector::text FROM ticket_search_vectors"))}
            recomputed = {r[0]: r[1] for r in session.execute(text(
                f"SELECT ticket_id, vector::text FROM ({_RECOMPUTED}) v(ticket_id, vector)"))}
            assert kept == recomputed, (n, sql)
            session.commit()
