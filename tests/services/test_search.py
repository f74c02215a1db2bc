"""Full-text search in ticket lists: names, message texts, numbers, merged ids, hostile text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MessageKind, SortKey, TicketState, View
from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.models import Conversation, Ticket
from helpdesk_desktop.services import search, search_pg
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from helpdesk_desktop.services.search import fts5_query, ticket_number, tsquery, words
from helpdesk_desktop.storage.database import open_database
from tests.factories import Workspace, make_ticket
from tests.query_plans import capture


def found(ws: Workspace, text: str, user: str = "admin", view: View = View.ALL) -> set[int]:
    desk = ws.desk(user)
    query = TicketQuery(view=view, search=text)
    ids = {r.id for r in desk.list_tickets(query, limit=1000).rows}
    assert desk.count_tickets(query) == len(ids)
    return ids


@pytest.fixture
def corpus(ws: Workspace) -> dict[str, int]:
    return {
        "printer": make_ticket(ws, "Printer on fire", messages=(
            (MessageKind.EMAIL, "The toner smells of smoke."),)),
        "invoice": make_ticket(ws, "Invoice question", messages=(
            (MessageKind.EMAIL, "Wrong amount on invoice 2024-17, please check."),
            (MessageKind.NOTE, "Escalate to accounting"))),
        "accents": make_ticket(ws, "Problème résolu", messages=(
            (MessageKind.EMAIL, "Café crème à la réception"),)),
        "hidden": make_ticket(ws, "Printer in the sales office", owner="seller"),
    }


def test_name_and_message_body_match(ws: Workspace, corpus: dict[str, int]) -> None:
    assert found(ws, "printer") == {corpus["printer"], corpus["hidden"]}
    assert found(ws, "toner smoke") == {corpus["printer"]}  # last word as a prefix
    assert found(ws, "TONER") == {corpus["printer"]}
    assert found(ws, "accounting") == {corpus["invoice"]}  # internal notes are searchable
    assert found(ws, "toner invoice") == set()  # every word in the name or in one message
    assert found(ws, "invoice amount") == {corpus["invoice"]}
    assert found(ws, "nothing like this") == set()


def test_prefix_only_on_the_last_word(ws: Workspace, corpus: dict[str, int]) -> None:
    assert found(ws, "invoi") == {corpus["invoice"]}
    assert found(ws, "invoi question") == set()


def test_search_respects_scope_and_view(ws: Workspace, corpus: dict[str, int]) -> None:
    assert found(ws, "printer", user="agent") == {corpus["printer"]}
    ws.desk("admin").update(corpus["printer"], TicketChanges(status=ws.status("Closed")))
    assert found(ws, "printer", user="agent", view=View.ALL_OPEN) == set()
    assert found(ws, "printer", user="agent", view=View.CLOSED) == {corpus["printer"]}


def test_spam_conversations_are_not_searched(ws: Workspace, corpus: dict[str, int]) -> None:
    with ws.db.session() as session:
        session.execute(update(Conversation).where(Conversation.ticket_id == corpus["printer"])
                        .values(spam_at=ws.clock()))
        session.commit()
    assert found(ws, "toner") == set()
    assert found(ws, "printer") == {corpus["printer"], corpus["hidden"]}  # the name still is


def test_new_replies_and_renames_are_found(ws: Workspace, corpus: dict[str, int]) -> None:
    desk = ws.desk("admin")
    desk.reply(corpus["invoice"], "Refund issued yesterday")
    desk.update(corpus["printer"], TicketChanges(name="Laser jammed"))
    assert found(ws, "refund") == {corpus["invoice"]}
    assert found(ws, "jammed") == {corpus["printer"]}
    assert found(ws, "laser") == {corpus["printer"]}


def test_accents(ws: Workspace, corpus: dict[str, int], backend: str) -> None:
    assert found(ws, "résolu") == {corpus["accents"]}
    assert found(ws, "crème") == {corpus["accents"]}
    if backend == "sqlite":  # remove_diacritics; PostgreSQL's 'simple' config keeps accents
        assert found(ws, "resolu") == {corpus["accents"]}
        assert found(ws, "creme cafe") == {corpus["accents"]}
        assert found(ws, "PROBLEME") == {corpus["accents"]}


def test_numbers_find_ids_and_merged_ids(ws: Workspace, corpus: dict[str, int]) -> None:
    survivor = corpus["invoice"]
    old = make_ticket(ws, "Old duplicate")
    older = make_ticket(ws, "Older duplicate")
    with ws.db.session() as session:
        session.execute(update(Ticket).where(Ticket.id == old).values(
            state=TicketState.MERGED, merged_into_id=survivor))
        session.execute(update(Ticket).where(Ticket.id == older).values(
            state=TicketState.MERGED, merged_into_id=old))
        session.commit()
    assert found(ws, str(corpus["printer"])) == {corpus["printer"]}
    assert found(ws, f"#{corpus['printer']}") == {corpus["printer"]}
    assert found(ws, f"#{old}") == {survivor}
    assert found(ws, str(older)) == {survivor}
    assert found(ws, "2024") == {corpus["invoice"]}  # numbers in texts still match
    assert found(ws, "202") == set()  # ...whole, not as prefixes
    assert found(ws, "999999") == set()


@pytest.mark.parametrize("text", [
    '"', "*", "AND (", "OR", "NOT", '"unterminated', "a:b", "-x", "^", "NEAR(a b)",
    "' & | ! :*", "\\", "()", "%", "_", "🙂", "x" * 600, "'; DROP TABLE tickets; --",
])
def test_hostile_input_never_raises(ws: Workspace, corpus: dict[str, int], text: str) -> None:
    found(ws, text)
    assert found(ws, f"printer {text}") <= {corpus["printer"], corpus["hidden"]}


def test_hostile_text_is_searched_literally(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, "Error AND failure OR crash")
    assert found(ws, "AND") == {ticket_id}
    assert found(ws, "crash OR") == {ticket_id}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_text_is_a_valid_search(ws: Workspace, text: str) -> None:
    found(ws, text)


def test_query_builders() -> None:
    assert words("Hello, wörld! #42") == ["hello", "wörld", "42"]
    assert fts5_query('say "hi" AND (') == '"say" "hi" "and"*'
    assert tsquery("it's") == "'it' & 's':*"
    assert fts5_query("*** ()") is None and tsquery("") is None
    assert ticket_number("#123") == 123 and ticket_number(" 42 ") == 42
    assert ticket_number("12a") is None and ticket_number("") is None
    assert ticket_number("2147483647") == 2147483647 and ticket_number("2147483648") is None


@pytest.mark.parametrize("text", ["2147483648", "#99999999999999999", "99999999999999999999"])
def test_a_number_larger_than_any_id_finds_nothing(ws: Workspace, text: str) -> None:
    # PostgreSQL's ids are 32-bit: sending a larger number refused the whole search.
    make_ticket(ws, "Printer on fire")
    assert found(ws, text) == set()
    with pytest.raises(NotFound, match=f"#{text.lstrip('#')} does not exist"):
        ws.desk("admin").ticket(int(text.lstrip("#")))


def test_contact_name_and_email_find_their_tickets(ws: Workspace,
                                                   corpus: dict[str, int]) -> None:
    johns = make_ticket(ws, "Login trouble", contact="john")
    assert found(ws, "john smith") == {johns}
    assert found(ws, "smith.example") == {johns}
    assert found(ws, "Marie Dupont") == {corpus["printer"], corpus["invoice"], corpus["accents"],
                                         corpus["hidden"]}
    assert found(ws, "marie", user="agent") == {corpus["printer"], corpus["invoice"],
                                                corpus["accents"]}  # scope still applies
    assert found(ws, "john printer") == set()  # every word must match the same place
    assert found(ws, "100%_") == set()  # LIKE wildcards are searched literally


# The walk's three forms of the message test: the tickets of few hits; every hit; the newest
# hits, older messages looked up one by one (FEW_HITS, RECENT_HITS, MAX_TERMS); the last
# one also with the last word left to FTS5 as a prefix (its bound read from the exact terms
# first, where an expanded query is read itself).
_HIT_FORMS = {"few hits": (5000, 50000, 32), "all hits": (1, 50000, 32),
              "newest hits": (1, 2, 32), "newest hits, prefix": (1, 2, 0)}


@pytest.mark.parametrize("form", sorted(_HIT_FORMS))
@pytest.mark.parametrize("text", ["printer", "invoice", "café", "smoke", "accounting",
                                  "dupont", "<number>"])
def test_a_common_word_walks_the_list_and_finds_the_same_pages(
        ws: Workspace, corpus: dict[str, int], backend: str, text: str, form: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of a common word tests tickets in list order (an OR of tests per ticket)
    instead of collecting every match (a UNION; on PostgreSQL an array of ids): same rows,
    same order, every view, sort and direction, page after page, whichever form its message
    test takes (SQLite's forms; PostgreSQL has one)."""
    if backend != "sqlite" and form != "all hits":
        pytest.skip("the forms of the message test are SQLite's")
    spam = make_ticket(ws, "Marked as spam", messages=((MessageKind.EMAIL, "invoice smoke"),))
    with ws.db.session() as session:
        first = min(c.id for c in session.query(Conversation).filter_by(ticket_id=spam))
        session.execute(update(Conversation).where(Conversation.id == first)
                        .values(spam_at=ws.clock()))
        session.commit()
    for n in range(7):
        make_ticket(ws, f"Printer {n}", contact="john" if n % 2 else "marie")
    renamed = make_ticket(ws, "Unrelated", messages=((MessageKind.EMAIL, "Nothing here."),))
    with ws.db.session() as session:  # its messages keep the old subject: found by name only
        session.execute(update(Ticket).where(Ticket.id == renamed).values(name="Smokestack"))
        session.commit()
    desk = ws.desk("admin")
    text = str(corpus["invoice"]) if text == "<number>" else text

    def pages(walk: bool) -> list[list[int]]:
        monkeypatch.setattr(search, "WALK_MIN_HITS", 0 if walk else 10**9)
        monkeypatch.setattr(search, "WALK_SHARE", 10**9 if walk else 1)
        monkeypatch.setattr(search_pg, "PG_WALK_MIN_HITS", 0 if walk else 10**9)
        monkeypatch.setattr(search_pg, "PG_WALK_SHARE", 10**9 if walk else 1)
        monkeypatch.setattr(search, "FEW_HITS", _HIT_FORMS[form][0])
        monkeypatch.setattr(search, "RECENT_HITS", _HIT_FORMS[form][1])
        monkeypatch.setattr(search, "MAX_TERMS", _HIT_FORMS[form][2])
        seen: list[list[int]] = []
        with capture(ws.db.engine) as captured:
            for view in (View.ALL, View.ALL_OPEN, View.UNREAD):
                for sort in SortKey:
                    for descending in (False, True):
                        query = TicketQuery(view=view, search=text, sort=sort,
                                            descending=descending)
                        cursor = None
                        while True:
                            page = desk.list_tickets(query, limit=2, after=cursor)
                            seen.append([r.id for r in page.rows])
                            cursor = page.next_cursor
                            if cursor is None:
                                break
        # The walk's form tests the tickets it reaches (``tickets.id + 0``; on PostgreSQL
        # the ticket's own name vector) with an OR.
        mark = "tickets.id + " if backend == "sqlite" else "to_tsvector('simple', tickets.name)"
        walked = [s for s, _ in captured.statements if mark in s]
        assert bool(walked) is walk
        return seen

    collected = pages(walk=False)
    assert pages(walk=True) == collected
    assert any(collected), "the searches found nothing: the comparison would mean little"


def test_the_walks_bound_reads_an_expanded_query_itself_and_a_prefix_its_exact_terms_first(
        ws: Workspace, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The newest-hits bound of an expanded query ("invoice" OR "invoices") is read from that
    query alone (its exact term would be read whole in vain when the plural holds the hits);
    a prefix left to FTS5 reads its exact terms first. Both find the same pages (above)."""
    if backend != "sqlite":
        pytest.skip("SQLite's walk")
    for n in range(4):
        make_ticket(ws, f"Billing {n}", messages=((MessageKind.EMAIL, "two invoices"),))
    make_ticket(ws, "Billing 4", messages=((MessageKind.EMAIL, "one invoice"),))
    monkeypatch.setattr(search, "WALK_MIN_HITS", 0)
    monkeypatch.setattr(search, "WALK_SHARE", 10**9)
    monkeypatch.setattr(search, "FEW_HITS", 1)
    monkeypatch.setattr(search, "RECENT_HITS", 2)
    desk = ws.desk("admin")

    def bounds(max_terms: int) -> tuple[list[str], list[int]]:
        monkeypatch.setattr(search, "MAX_TERMS", max_terms)
        with capture(ws.db.engine) as captured:
            page = desk.list_tickets(TicketQuery(view=View.ALL, search="invoice"), limit=50)
        read = [str(params[0]) for statement, params in captured.statements
                if "ORDER BY message_fts.rowid DESC" in statement]
        return read, sorted(r.id for r in page.rows)

    expanded, found = bounds(32)
    assert expanded == ['("invoice" OR "invoices")'] * 2
    prefixed, found_again = bounds(0)
    assert prefixed[0] == '"invoice"' and '"invoice"*' in prefixed
    assert found == found_again and len(found) == 5


def test_how_common_a_word_is_counts_exact_terms_first_and_prefixes_after(
        ws: Workspace, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk is chosen when the words hit enough messages: a word common as itself is
    decided by its exact term (cheap in FTS5); one that is common only as a prefix
    ("invo" → invoice, invoices) by the prefix count; a rare one is not common."""
    if backend != "sqlite":
        pytest.skip("SQLite's choice of form")
    for n in range(4):
        make_ticket(ws, f"Billing {n}", messages=((MessageKind.EMAIL, "invoice invoices"),))
    monkeypatch.setattr(search, "WALK_MIN_HITS", 3)
    monkeypatch.setattr(search, "WALK_SHARE", 10**9)
    counted: list[str] = []
    real = search._count_hits

    def counting(session: Session, hits: Any, cap: int) -> int:
        counted.append(str(hits.compile(compile_kwargs={"literal_binds": True})))
        return real(session, hits, cap)

    monkeypatch.setattr(search, "_count_hits", counting)
    with ws.db.session() as session:
        assert search._common(session, '"invoice"*')
        assert len(counted) == 1 and "'\"invoice\"'" in counted[0]  # the exact term only
        counted.clear()
        assert search._common(session, '"invo"*')
        assert len(counted) == 2  # exact "invo": no hit; the prefix: enough
        counted.clear()
        assert not search._common(session, '"billing" "nothing"*')
        assert not search._common(session, '"12"')  # a number has no prefix form


_GENERATED = ("bonjour", "invo", "bon", "chevalier", "bonjour merc", "merci fact", "b")


def _generated_matches(database: Any) -> dict[str, list[int]]:
    """Every ticket each of :data:`_GENERATED` finds in View.ALL, in the list's order (the
    ids counted from the first ticket: a shared PostgreSQL schema's sequence runs on)."""
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    with database.session() as session:
        first = session.scalar(select(func.min(Ticket.id)))
    return {text: [r.id - first for r in desk.list_tickets(
                TicketQuery(view=View.ALL, search=text), limit=1000).rows]
            for text in _GENERATED}


def test_the_expanded_prefix_finds_what_the_prefix_finds(
        db: Any, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite searches the last word's prefix as the OR of the index's terms it begins: on a
    generated workspace, the same tickets in the same order as FTS5's own prefix query and
    as PostgreSQL (whose ``:*`` prefix is unchanged)."""
    generate_demo(db, tickets=300)
    if backend == "sqlite":
        with capture(db.engine) as captured:
            expanded = _generated_matches(db)
        # the expansion was used: an OR of exact terms, no prefix, for the message index
        assert any(" OR " in str(p) and "*" not in str(p) for _s, p in captured.statements)
        monkeypatch.setattr(search, "MAX_TERMS", 0)  # every prefix left to FTS5
        assert _generated_matches(db) == expanded
    else:
        reference = open_database(str(tmp_path / "reference.sqlite3"))
        try:
            generate_demo(reference, tickets=300)
            expanded = _generated_matches(reference)
        finally:
            reference.dispose()
        assert {k: set(v) for k, v in _generated_matches(db).items()} == \
            {k: set(v) for k, v in expanded.items()}
    assert all(expanded.values()), expanded  # each text finds something: a real comparison


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "collect"])
def test_rows_in_a_search_are_its_matches(ws: Workspace, corpus: dict[str, int], backend: str,
                                          walk: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """``rows_in`` (which of some tickets a searched list holds) agrees with the list, in
    either form of the search (on PostgreSQL it tests a common word on those tickets alone)."""
    monkeypatch.setattr(search_pg, "PG_WALK_MIN_HITS", 0 if walk else 10**9)
    monkeypatch.setattr(search_pg, "PG_WALK_SHARE", 10**9 if walk else 1)
    desk = ws.desk("admin")
    everything = [r.id for r in desk.list_tickets(TicketQuery(view=View.ALL), limit=1000).rows]
    for text in ("printer", "invoice", "smoke", "café", str(corpus["invoice"]), "zzz"):
        query = TicketQuery(view=View.ALL, search=text)
        listed = {r.id for r in desk.list_tickets(query, limit=1000).rows}
        assert set(desk.rows_in(query, everything)) == listed, text


def test_a_connection_holds_the_vocabularies_a_search_reads_from_its_opening(
        ws: Workspace, corpus: dict[str, int]) -> None:
    """Made in each search's transaction, they went with it, and every statement of the next
    search was prepared again (the connection's schema had changed twice)."""
    if ws.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 vocabularies")
    ws.db.engine.dispose()  # a new connection
    with ws.db.engine.connect() as connection:
        temp = {r[0] for r in connection.exec_driver_sql(
            "SELECT name FROM sqlite_temp_master WHERE type = 'table'")}
        assert {"message_fts_terms", "ticket_name_fts_terms"} <= temp
        before = connection.exec_driver_sql("PRAGMA temp.schema_version").scalar()
    assert found(ws, "printe") == {corpus["printer"], corpus["hidden"]}  # a prefix expanded
    with ws.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA temp.schema_version").scalar() == before
