"""PostgreSQL's form of the search condition (see :func:`search.search_clause`).

Two forms, the same tickets:

- **Collect** (counts, rarer words): the matching ticket ids are gathered first, from the GIN
  indexes and ``ix_ticket_contacts_contact_ticket``, into an array, and the tickets are read
  by their key (``tickets.id = ANY(ARRAY(...))``). An ``IN (UNION ...)`` let the planner
  hash the union and join it to every live ticket (a scan of ``tickets``, and of
  ``conversations`` for the message part), which it does as soon as it estimates the hits
  at a few thousand.
- **Walk** (a page of a common word): the list's own index is read in its order and each
  ticket is tested (its name, its row of ``ticket_search_vectors``, its contacts), so the
  page stops at its last row. A word found in one message of three fills a page after a few
  hundred tickets, where collecting reads every hit first (45,000 tickets for "bonjour" at
  100,000 tickets). The walk of a page stops after :data:`PG_WALK_CAP` tickets
  (``listing``): a word common in the workspace but rare in the list is then collected.

The messages' words are read from ``ticket_search_vectors`` (migration 0013): one narrow row
per ticket holding the lexemes of its non-spam conversations' messages. For one word a
ticket's row holds it exactly when one of those messages does; for several words (all of
them in one message) the row is a first filter and the messages' stored vectors
(``messages.search_vector``, migration 0012) are checked, the tickets it passes alone.

The choice is made on the planner's estimate of the hits (its statistics of the full-text
indexes: an ``EXPLAIN``, nothing is run) against :data:`PG_WALK_SHARE`.

The name test repeats the expression of ``ix_tickets_name_fts`` word for word (any
difference, even a bound ``'simple'``, and PostgreSQL no longer uses the index).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy import text as text_clause
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from helpdesk_desktop.domain.models import (
    Conversation,
    Message,
    Ticket,
    TicketCount,
    ticket_contacts,
)
from helpdesk_desktop.services import search
from helpdesk_desktop.storage.database import WRITES_NOTHING

#: A page of a search whose words are estimated to hit at least one ticket name, message or
#: contact's ticket per this many tickets walks the list (:func:`_walk_clause`); rarer words
#: are collected. Tests change it to check that both forms find the same tickets.
PG_WALK_SHARE = 8
PG_WALK_MIN_HITS = 1000
#: A walk tests at most this many tickets for a page (``listing``); a page it has not filled
#: by then is collected (a word in a ticket of three reaches a page of 100 after ~300).
PG_WALK_CAP = 10_000

_WRITES_NOTHING = {WRITES_NOTHING: True}
_NAMED = aliased(Ticket, name="named")
_NUMBERED = aliased(Ticket, name="numbered")
# The expression of ix_tickets_name_fts; the column of ix_messages_search_vector.
_NAME_VECTOR: ColumnClause[Any] = literal_column("to_tsvector('simple', named.name)")
_MESSAGE_VECTOR: ColumnClause[Any] = literal_column("messages.search_vector")
# The walked ticket's own name (no index: one short text per ticket reached).
_WALKED_NAME_VECTOR: ColumnClause[Any] = literal_column("to_tsvector('simple', tickets.name)")
#: Migration 0013 (PostgreSQL only, not mapped): each ticket's message lexemes.
ticket_vectors = table("ticket_search_vectors", column("ticket_id", Integer),
                       column("vector"))
#: A plain word is one lexeme to the 'simple' parser (other words may become several, or a
#: phrase, which a vector without positions never matches: PostgreSQL is asked).
_PLAIN = re.compile(r"[a-z0-9]+")


def search_clause(session: Session, text: str, *, first_rows: bool = False
                  ) -> ColumnElement[bool]:
    """The search condition on ``Ticket`` (``text`` already checked for length)."""
    if first_rows:
        walk = walk_clause(session, text)
        if walk is not None:
            return walk
    query = search.tsquery(text)
    number = search.ticket_number(text)
    survivors = sorted(search.survivor_ids(session, number)) if number is not None else []
    contacts = search.matching_contacts(text)
    parts: list[Select[Any]] = []
    if survivors:
        parts.append(select(_NUMBERED.id).where(_NUMBERED.id.in_(survivors)))
    if query is not None:
        parts.append(select(_NAMED.id).where(_NAME_VECTOR.op("@@")(_tsquery(query))))
        form = _vector_form(session, text)
        if form is not None:
            # The tickets whose words hold the query; for several words, those with one
            # message holding them all (checked on these tickets alone: OFFSET 0, never a
            # read of every message hit).
            rows = select(ticket_vectors.c.ticket_id).where(
                ticket_vectors.c.vector.op("@@")(_tsquery(query)))
            if form == "all":
                rows = rows.where(_message_test(query, ticket_vectors.c.ticket_id))
            parts.append(rows)
        else:
            parts.append(select(Conversation.ticket_id).where(
                in_array(Conversation.id, select(Message.conversation_id).where(
                    _MESSAGE_VECTOR.op("@@")(_tsquery(query)))),
                Conversation.spam_at.is_(None)))
    if contacts is not None:
        parts.append(_contact_tickets(contacts))
    if not parts:
        return false()
    return in_array(Ticket.id, union(*parts) if len(parts) > 1 else parts[0])


def walk_clause(session: Session, text: str) -> ColumnElement[bool] | None:
    """The walk's test of each ticket when ``text``'s words are common enough for a page to
    walk the list; ``None``: they are to be collected."""
    query = search.tsquery(text)
    if query is None:
        return None
    contacts = search.matching_contacts(text)
    if not _common(session, query, contacts):
        return None
    number = search.ticket_number(text)
    survivors = sorted(search.survivor_ids(session, number)) if number is not None else []
    return _walk_clause(query, search.words(text), survivors, contacts,
                        _vector_form(session, text))



def _vector_form(session: Session, text: str) -> str | None:
    """How ``ticket_search_vectors`` answers ``text``'s query: ``"one"``, one lexeme (a
    ticket's row holds it exactly when one of its messages does); ``"all"``, several lexemes
    joined by ``&`` (a row holding them all is a ticket to check message by message);
    ``None``, a query with a phrase (a word the parser splits, such as "foo_bar"), which a
    vector without positions never matches: the messages are read."""
    found = search.words(text)
    if all(_PLAIN.fullmatch(word) for word in found):
        return "one" if len(found) == 1 else "all"
    # Each word's own query: a phrase when the parser splits it (more than one node).
    sizes = session.execute(
        text_clause("SELECT max(numnode(to_tsquery('simple', q))), "
                    "count(*) FILTER (WHERE numnode(to_tsquery('simple', q)) = 1) "
                    "FROM unnest(CAST(:queries AS text[])) AS q")
        .execution_options(**_WRITES_NOTHING),
        {"queries": [search.tsquery(word) for word in found]}).one()
    if (sizes[0] or 0) > 1:
        return None
    return "all" if sizes[1] > 1 else "one"


def _message_test(query: str, ticket_id: Any) -> ColumnElement[bool]:
    """One of the non-spam messages of ticket ``ticket_id`` holds ``query`` (read through
    the ticket's conversations, one ticket at a time)."""
    return exists(
        select(Message.id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.ticket_id == ticket_id, Conversation.spam_at.is_(None),
               _MESSAGE_VECTOR.op("@@")(_tsquery(query)))
        .offset(0))


def in_array(column: Any, ids: Any) -> ColumnElement[bool]:
    """``column = ANY(ARRAY(ids))``: ``ids`` is run once (an init plan) and the rows are then
    read by ``column``'s index, whatever the planner estimates of their number."""
    array = func.array(ids.scalar_subquery(), type_=ARRAY(Integer))
    condition: ColumnElement[bool] = column == any_(array)
    return condition


def _contact_tickets(contacts: Select[tuple[int]]) -> Select[Any]:
    """The tickets of the matching contacts, read by contact from the contact indexes."""
    return select(ticket_contacts.c.ticket_id).where(
        in_array(ticket_contacts.c.contact_id, contacts))


def _tsquery(query: str) -> ColumnElement[object]:
    return func.to_tsquery(literal_column("'simple'"),
                           bindparam("search_tsquery", query, unique=True))


# -- how common -----------------------------------------------------------------------------


def _common(session: Session, query: str, contacts: Select[Any] | None) -> bool:
    """Whether the words are estimated to hit at least one name, message or contact's
    ticket per :data:`PG_WALK_SHARE` tickets."""
    tickets = int(session.scalar(select(func.coalesce(func.sum(TicketCount.n), 0))) or 0)
    wanted = max(PG_WALK_MIN_HITS, tickets // PG_WALK_SHARE)
    # One EXPLAIN for both indexes: an Append's rows are the sum of its parts'.
    found = _estimate(session, "SELECT 1 FROM messages WHERE search_vector @@ "
                               "to_tsquery('simple', :query) UNION ALL "
                               "SELECT 1 FROM tickets WHERE to_tsvector('simple', name) @@ "
                               "to_tsquery('simple', :query)", query)
    if found >= wanted or contacts is None:
        return found >= wanted
    capped = _contact_tickets(contacts).limit(wanted - found).subquery()
    found += int(session.scalar(select(func.count()).select_from(capped)) or 0)
    return found >= wanted


def _estimate(session: Session, sql: str, query: str) -> int:
    """The planner's estimate of the rows of ``sql`` (an ``EXPLAIN``: nothing is run)."""
    # Writes nothing: the read-only unit still ends with COMMIT, which keeps the prepared
    # statements of the connection (the page's rows; ``UnitOfWork._ends_by_commit``).
    plan = session.execute(text_clause("EXPLAIN (FORMAT JSON) " + sql)
                           .execution_options(**_WRITES_NOTHING),
                           {"query": query}).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


# -- the walk -------------------------------------------------------------------------------


def _walk_clause(query: str, words: list[str], survivors: list[int],
                 contacts: Select[Any] | None, form: str | None) -> ColumnElement[bool]:
    """The same tickets as the collected form, as an OR of tests on each ticket the list's
    index reaches: its number, its name, its row of ``ticket_search_vectors`` (and for
    several words one of its non-spam messages' stored vector; :func:`_vector_form`), a
    matching contact (a hashed set of their tickets, read once)."""
    tests: list[ColumnElement[bool]] = []
    if survivors:
        tests.append(Ticket.id.in_(survivors))
    # OFFSET 0 (here and in _message_test): else the planner may turn the EXISTS into a
    # hashed set of every ticket with a hit (all 45,000 tickets of "bonjour" read before the
    # first row).
    if form is None:
        tests.append(_message_test(query, Ticket.id))
    else:
        row = exists(select(ticket_vectors.c.ticket_id)
                     .where(ticket_vectors.c.ticket_id == Ticket.id,
                            ticket_vectors.c.vector.op("@@")(_tsquery(query)))
                     .offset(0))
        tests.append(row if form == "one" else and_(row, _message_test(query, Ticket.id)))
    # The name's vector is computed only for a name that holds each plain word (its lexeme,
    # or the lexeme it begins, is a piece of the lower-cased name; a word the parser splits
    # may match across pieces, "foo_bar" in "foo bar", and is not tested so): ~10 µs a
    # ticket otherwise, most of a walk's time.
    tests.append(and_(*(func.lower(literal_column("tickets.name")).like(
        bindparam("search_word", f"%{word}%", unique=True))
        for word in words if _PLAIN.fullmatch(word)),
        _WALKED_NAME_VECTOR.op("@@")(_tsquery(query))))
    if contacts is not None:
        tests.append(Ticket.id.in_(_contact_tickets(contacts)))
    return or_(*tests)
