"""Full-text search over ticket names and message texts.

SQLite uses the FTS5 tables ``ticket_name_fts`` and ``message_fts`` (kept up to date by
triggers, diacritics removed); PostgreSQL (``search_pg.py``) the GIN indexes on
``to_tsvector('simple', name)`` and on the messages' stored ``search_vector``.

User text never reaches the search syntax as is: it is split into words, and each word is
quoted, so text such as ``"``, ``*`` or ``AND (`` is searched for, never interpreted.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    exists,
    false,
    func,
    or_,
    select,
    table,
    union,
)
from sqlalchemy import (
    text as text_clause,
)
from sqlalchemy.orm import Session, aliased

from helpdesk_desktop.domain.enums import TicketState
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.i18n import number as written_number
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Message,
    Ticket,
    TicketCount,
    ticket_contacts,
)
from helpdesk_desktop.domain.rules import MAX_ID
from helpdesk_desktop.storage.database import fts_vocabulary_ddl

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"^#?\s*(\d{1,18})$")
MAX_WORDS = 16
#: A last word made of these alone is one term to the tokenizer, unchanged (unicode61 lowers
#: and removes diacritics; ASCII letters and digits have neither): its prefix can be expanded
#: into the index's own terms (see :func:`_expand_prefix`).
_PLAIN = re.compile(r"[a-z0-9]+")
#: A prefix that covers more terms than this is left to FTS5 as a prefix query.
MAX_TERMS = 32
MAX_SEARCH = 1000  # characters: longer is a paste gone wrong, refused with a sentence

_ticket_name_fts = table("ticket_name_fts", column("rowid"), column("ticket_name_fts"))
_message_fts = table("message_fts", column("rowid"), column("message_fts"))

# Made once (an alias and its columns cost more to build than a page's SQL).
_NUMBERED = aliased(Ticket, name="numbered")


def words(text: str) -> list[str]:
    """The words of a search text, lower-cased, at most :data:`MAX_WORDS`."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_WORDS]


def fts5_query(text: str) -> str | None:
    """A safe FTS5 query: every word quoted, all required, the last one as a prefix (unless
    it is a number: "12" should not find "1203")."""
    found = words(text)
    if not found:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in found]
    if not found[-1].isdigit():
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(text: str) -> str | None:
    """A safe PostgreSQL ``to_tsquery`` text: quoted lexemes joined by ``&``, last one prefix."""
    found = words(text)
    if not found:
        return None
    quoted = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in found]
    if not found[-1].isdigit():
        quoted[-1] += ":*"
    return " & ".join(quoted)


def ticket_number(text: str) -> int | None:
    """The ticket id a search text names ("123" or "#123"), if it is one."""
    match = _NUMBER.match((text or "").strip())
    return int(match.group(1)) if match and int(match.group(1)) <= MAX_ID else None


def survivor_ids(session: Session, ticket_id: int) -> set[int]:
    """``ticket_id`` and, if it was merged, the ticket(s) it was merged into (chains followed)."""
    ids = {ticket_id}
    current: int | None = ticket_id
    for _hop in range(100):
        row = session.execute(select(Ticket.state, Ticket.merged_into_id)
                              .where(Ticket.id == current)).first()
        if row is None or row.state is not TicketState.MERGED or row.merged_into_id is None:
            break
        current = row.merged_into_id
        if current in ids:
            break
        ids.add(current)
    return ids


#: On SQLite, a page of a search whose words hit at least one ticket name or message per
#: this many tickets walks the list in its order and tests each ticket (see
#: :func:`search_clause`); fewer hits are collected first. Tests lower it to check that both
#: forms find the same tickets.
WALK_SHARE = 50
WALK_MIN_HITS = 1000
#: The walk reads this many of the newest message hits of a common word into a temporary
#: index (all of them are 260,000 for "bonjour" at 200,000 tickets: 40 ms); a ticket without
#: one of them is tested message by message against the full-text index, ~25 µs a message
#: (so a word with fewer hits, 39,000 for "invoice" at 100,000 tickets, is read whole: 8 ms
#: for its first page where 20,000 newest and probes for the rest took 50 ms).
RECENT_HITS = 50000
#: Up to this many message hits, the walk reads their tickets into the temporary index.
FEW_HITS = 5000


def search_clause(session: Session, text: str, *, first_rows: bool = False
                  ) -> ColumnElement[bool]:
    """SQL condition on ``Ticket``: its name, or one message of one of its non-spam
    conversations, holds every word of ``text``; or an associated contact's name or e-mail
    address holds every word; or ``text`` is its (or a merged) number.

    Each part is its own sub-select, joined by UNION, so that each can use its index (an OR
    of a name condition and a message sub-select would scan every ticket). That collects
    every match before the first row: for a common word on SQLite (tens of thousands of
    messages), a page (``first_rows``) instead walks the list's index in its order and tests
    each ticket against the full-text hits (read once into a temporary index), stopping when
    the page is full — :func:`_walk_clause`. Which form is decided by counting the hits, up
    to the share that makes the walk the cheaper one.
    """
    check_length(text)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from helpdesk_desktop.services import search_pg  # it builds on this module

        return search_pg.search_clause(session, text, first_rows=first_rows)
    queries = _sqlite_queries(session, text)
    if queries is not None and first_rows and _common(session, *queries, text):
        return _walk_clause(session, text, *queries)
    parts: list[Select[Any]] = []
    number = ticket_number(text)
    if number is not None:
        numbered = _NUMBERED
        parts.append(select(numbered.id).where(
            numbered.id.in_(sorted(survivor_ids(session, number)))))
    if queries is not None:
        message_query, name_query = queries
        parts.append(_name_hits(name_query))
        parts.append(select(Conversation.ticket_id)
                     .join(Message, Message.conversation_id == Conversation.id)
                     .where(Conversation.spam_at.is_(None),
                            Message.id.in_(_message_hits(message_query))))
    parts.extend(_contact_part(text))
    if not parts:
        return false()
    return Ticket.id.in_(union(*parts) if len(parts) > 1 else parts[0])


def check_length(text: str) -> None:
    """Refuse a search text longer than :data:`MAX_SEARCH`, with a sentence."""
    if len(text) > MAX_SEARCH:
        raise InvalidInput(_("A search can be at most {maximum} characters long; "
                             "this one has {length}.").format(
                               maximum=written_number(MAX_SEARCH), length=written_number(len(text))))


def _sqlite_queries(session: Session, text: str) -> tuple[str, str] | None:
    """The FTS5 queries of ``text`` for ``message_fts`` and ``ticket_name_fts``: those of
    :func:`fts5_query`, the last word's prefix expanded into the terms each index holds.

    FTS5 answers a prefix query by reading every hit of every term it covers before its first
    row (14 ms for "bonjour"* at 200,000 tickets), where an exact term gives its newest hits at
    once (0.06 ms). The terms that extend the word are listed from the index's vocabulary
    (an ``fts5vocab`` table) and searched for exactly, with the word itself: the same rows."""
    query = fts5_query(text)
    if query is None:
        return None
    found = words(text)
    last = found[-1]
    if last.isdigit() or not _PLAIN.fullmatch(last):
        return query, query
    # Kept on the connection until something is written: the probe of the vocabulary
    # reads the next term's hits (~3 ms for "bonjour" at a million tickets, whose next term
    # is the common "bonne"), and a search's page, count and next pages ask again.
    from helpdesk_desktop.services import sqlite_memo

    key = ("search.prefix", tuple(found), MAX_TERMS)
    return sqlite_memo.kept(session.connection(), key, lambda: (
        _expand_prefix(session, "message_fts", found) or query,
        _expand_prefix(session, "ticket_name_fts", found) or query))


#: The statement that makes ``temp.<index>_terms`` (each connection makes them when it
#: opens: ``storage.database``).
vocabulary_ddl = fts_vocabulary_ddl


def _expand_prefix(session: Session, index: str, found: list[str]) -> str | None:
    """``found`` as an FTS5 query on ``index`` with the last word as the OR of every term of
    the index it begins (itself included); ``None`` when they are more than
    :data:`MAX_TERMS`. The vocabulary table lives in the connection's temporary schema
    (nothing is added to the database file): made when the connection opened, or else in
    this transaction, and gone with it."""
    vocabulary = f"temp.{index}_terms"
    session.execute(text_clause(vocabulary_ddl(index)))
    last = found[-1]
    # The terms after the word (no token holds U+0000) and before its successor, one seek
    # each: the first occurrence of the first term after the previous one. (A "row"
    # vocabulary counts every hit of each term it lists: 3 ms for "invoices" at 200,000
    # tickets, 50 ms for the terms of "b"; this, 0.1 ms and 3 ms.)
    first_after = text_clause(f"SELECT term FROM {vocabulary} "
                              f"WHERE term >= :low AND term < :high LIMIT 1")
    high = last[:-1] + chr(ord(last[-1]) + 1)
    longer: list[str] = []
    while len(longer) < MAX_TERMS:
        term = session.scalar(first_after, {"low": (longer[-1] if longer else last) + "\x01",
                                            "high": high})
        if term is None:
            break
        longer.append(str(term))
    else:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in found[:-1]]
    terms = ['"' + term.replace('"', '""') + '"' for term in [last, *longer]]
    quoted.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    return " AND ".join(quoted)


def _name_hits(query: str) -> Select[Any]:
    return select(_ticket_name_fts.c.rowid).where(
        _ticket_name_fts.c.ticket_name_fts.op("MATCH")(query))


def _message_hits(query: str) -> Select[Any]:
    return select(_message_fts.c.rowid).where(_message_fts.c.message_fts.op("MATCH")(query))


def _common(session: Session, query: str, name_query: str | None = None,
            text: str | None = None) -> bool:
    """Whether the words hit at least one name or message per :data:`WALK_SHARE` tickets.

    The counts stop at that number, so a common word costs a bounded count and a rare one
    almost nothing."""
    tickets = int(session.scalar(select(func.coalesce(func.sum(TicketCount.n), 0))) or 0)
    wanted = max(WALK_MIN_HITS, tickets // WALK_SHARE)
    # The words as exact terms first: their hits are some of the query's (the last word is a
    # prefix there), and FTS5 reads an exact term's first hits at once (0.3 ms for 4,000 at
    # 200,000 tickets) where a prefix first opens every term it covers (5-6 ms). A common
    # word is decided there; only the others pay for the prefix count.
    exact = query[:-1] if query.endswith("*") else None
    if exact is not None and _count_hits(session, _message_hits(exact), wanted) >= wanted:
        return True
    found = 0
    for hits in (_message_hits(query), _name_hits(name_query or query),
                 *(_contact_part(text) if text is not None else ())):
        found += _count_hits(session, hits, wanted - found)
        if found >= wanted:
            return True
    return False


def _count_hits(session: Session, hits: Select[Any], cap: int) -> int:
    """How many rows ``hits`` has, counting up to ``cap``."""
    capped = hits.limit(cap).subquery()
    return int(session.scalar(select(func.count()).select_from(capped)) or 0)


def _walk_clause(session: Session, text: str, query: str, name_query: str
                 ) -> ColumnElement[bool]:
    """The same tickets as the UNION form, as an OR of tests on each ticket: its id among the
    name hits, one of its non-spam conversations' messages among the message hits, a
    matching contact, or the number. SQLite reads each hit list once into a temporary index
    and walks the list's own index in its order, so a page stops after its last row."""
    tests: list[ColumnElement[bool]] = []
    # ``+tickets.id``: these tests are made on the tickets the walk reaches, never a way in
    # (an OR of IN lists on the id would let SQLite collect them all and sort them).
    walked = Ticket.id + 0
    number = ticket_number(text)
    if number is not None:
        tests.append(walked.in_(sorted(survivor_ids(session, number))))
    tests.append(walked.in_(_name_hits(name_query)))
    messages = (select(Conversation.id)
                .join(Message, Message.conversation_id == Conversation.id)
                .where(Conversation.ticket_id == Ticket.id, Conversation.spam_at.is_(None)))
    # A prefix left to FTS5 ("b"*) reads every hit before its first; the words as exact
    # terms find some of them, and FTS5 reads those newest first at once. Any split point
    # gives the same tickets; this one comes cheaply. A query without a prefix (the last
    # word expanded into an OR of terms, merged as it goes: 3 ms for the 20,000th newest of
    # "invoice" or "invoices") is read itself: once, where the exact terms first read
    # "invoice"'s 30,000 hits in vain at 100,000 tickets.
    exact = " ".join('"' + w.replace('"', '""') + '"' for w in words(text))

    def nth_newest(n: int) -> int | None:
        found = _nth_newest_hit(session, exact, n) if query.endswith("*") else None
        return found if found is not None else _nth_newest_hit(session, query, n)

    bound = nth_newest(FEW_HITS)
    if bound is None:
        # Few hits: their tickets in the temporary index, one look-up per ticket walked.
        tests.append(walked.in_(
            select(Conversation.ticket_id)
            .join(Message, Message.conversation_id == Conversation.id)
            .where(Conversation.spam_at.is_(None), Message.id.in_(_message_hits(query)))))
    elif (bound := nth_newest(RECENT_HITS)) is None:
        tests.append(exists(messages.where(Message.id.in_(_message_hits(query)))))
    else:
        # The newest hits in the temporary index (FTS5 reads them first, in rowid order);
        # a message older than them is looked up in the full-text index itself.
        recent = _message_hits(query).where(_message_fts.c.rowid >= bound)
        tests.append(exists(messages.where(Message.id >= bound, Message.id.in_(recent))))
        tests.append(exists(messages.where(
            Message.id < bound,
            exists(_message_hits(query).where(_message_fts.c.rowid == Message.id)))))
    tests.extend(walked.in_(part) for part in _contact_part(text))
    return or_(*tests)


def _nth_newest_hit(session: Session, query: str, n: int) -> int | None:
    """The id of the ``n``-th newest message ``query`` hits (``None``: fewer hits)."""
    newest = _message_hits(query).order_by(_message_fts.c.rowid.desc())
    found = session.scalar(newest.offset(n - 1).limit(1))
    return None if found is None else int(found)


def _contact_part(text: str) -> list[Select[tuple[int]]]:
    """Tickets whose associated contact's name or e-mail contains every word."""
    contact_ids = matching_contacts(text)
    if contact_ids is None:
        return []
    # The matching contacts first, then their tickets from ix_ticket_contacts_contact_ticket
    # (a join lets the planner walk every ticket_contacts row and look each contact up).
    return [select(ticket_contacts.c.ticket_id)
            .where(ticket_contacts.c.contact_id.in_(contact_ids))]


def matching_contacts(text: str) -> Select[Any] | None:
    """The ids of the contacts whose name or e-mail contains every word (a LIKE scan of the
    contacts table, which is far smaller than the tickets and messages); ``None``: no word."""
    found = words(text)
    if not found:
        return None
    conditions = []
    for word in found:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(func.lower(Contact.name).like(pattern, escape="\\"),
                              func.lower(Contact.email).like(pattern, escape="\\")))
    return select(Contact.id).where(and_(*conditions))
