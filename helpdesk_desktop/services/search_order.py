"""A search's own order (``SortKey.NEWEST_HIT``): the tickets of the newest matching messages
first, one row per ticket, paged by key.

The full-text index gives its hits newest first at once (FTS5 ``ORDER BY rowid DESC``; on
PostgreSQL the messages' primary key read backwards, each message's stored vector tested),
where sorting the matching tickets by their own recency first collects every match (the
issue's trap: 180-375 ms for a common word at a million tickets). So a ticket's place is
its newest hit, in three tiers, each newest first:

1. **The number** (tier 2): the ticket a search text names by its number ("123", "#123") and
   the ticket(s) it was merged into, by id.
2. **Message hits** (tier 1): tickets with a non-spam message holding every word, by the id
   of the newest such message (ids follow arrival). The hits are read in batches, newest
   first, mapped to their tickets (conversation → ticket), each ticket kept at its first
   (newest) hit, then the tickets of the batch checked against the list's own conditions
   (permissions, view, filters) in one statement, before the page is cut.
3. **Name and contact hits** (tier 0): tickets whose name or a contact holds every word and
   with no message hit, by ticket id (newest ticket first): the ids come from the name index
   and ``ix_ticket_contacts_contact_ticket`` (ids alone, no ticket row read), then the tickets
   are read by key in that order until the page is full.

A page's cursor is ``(tier, key)`` and the last ticket's id. A later page of tier 1 starts
below the cursor's message id; a ticket found there whose newest hit is at or above the
cursor was on an earlier page and is skipped (its messages from the cursor on are checked
against the index, a few per ticket). No ticket is listed twice, none is skipped.

``listing.py`` reads this order through :func:`as_read`, :func:`page_ids` and
:func:`all_ids`; positional reads (``listing.list_slice``) refuse it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    column,
    exists,
    literal_column,
    select,
    table,
    union,
)
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import SortKey
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Conversation, Message, Ticket, ticket_contacts
from helpdesk_desktop.services import search, search_skips
from helpdesk_desktop.services.dto import PageCursor, TicketQuery

NUMBER_TIER, MESSAGE_TIER, NAME_TIER = 2, 1, 0
#: The first batch of message hits read; each further batch is twice as large, up to
#: :data:`LAST_BATCH` (a ticket holds a common word in several messages, and conversations
#: without a ticket have hits too).
FIRST_BATCH = 256
LAST_BATCH = 4096

_message_fts = table("message_fts", column("rowid"), column("message_fts"))

#: A batch of hits on SQLite: the hits between two message ids, newest first (FTS5 takes
#: both rowid bounds and the order), each with its ticket (``NULL`` for a conversation
#: without a ticket or marked as spam).
_SQLITE_BATCH = """
SELECT hit.id, CASE WHEN conversations.spam_at IS NULL THEN conversations.ticket_id END
FROM (SELECT message_fts.rowid AS id FROM message_fts
      WHERE message_fts MATCH ? AND message_fts.rowid < ? AND message_fts.rowid > ?
      ORDER BY message_fts.rowid DESC LIMIT ?) AS hit
JOIN messages ON messages.id = hit.id
JOIN conversations ON conversations.id = messages.conversation_id
"""
_NEWEST = 2**63 - 1  # above every message id


def sqlite_batch(query: str, below: int | None, above: int | None, size: int
                 ) -> tuple[str, tuple[Any, ...]]:
    """The statement and parameters of a batch of hits on SQLite (see
    :meth:`_Search.message_batch`)."""
    return _SQLITE_BATCH, (query, _NEWEST if below is None else below,
                           0 if above is None else above, size)


class _Search:
    """The search text's queries for one dialect."""

    def __init__(self, session: Session, text: str) -> None:
        self.session = session
        self.text = text
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        number = search.ticket_number(text)
        self.survivors = (sorted(search.survivor_ids(session, number))
                          if number is not None else [])
        self.contacts = search.matching_contacts(text)
        if self.postgresql:
            self.query = search.tsquery(text)
            self.name_query = self.query
        else:
            queries = search._sqlite_queries(session, text)
            self.query, self.name_query = queries if queries is not None else (None, None)

    # -- message hits ---------------------------------------------------------------------

    def message_batch(self, below: int | None, size: int,
                      clauses: list[ColumnElement[bool]], above: int | None = None
                      ) -> list[tuple[int, int | None]]:
        """Up to ``size`` of the newest message hits below ``below`` (``None``: from the
        newest) and above ``above`` (``None``: down to the first), newest
        first, each as (message id, its ticket's id), the ticket ``None`` for a
        conversation without a ticket or marked as spam (read, not searched: the lowest id
        read is where the next batch starts). On PostgreSQL the ticket is also ``None``
        when ``clauses`` (the list's conditions) refuse it: tested in the same statement,
        one round trip a batch; SQLite tests each batch's distinct tickets after it
        (:func:`_message_tier`), in process."""
        if self.query is None:
            return []
        if self.postgresql:
            from helpdesk_desktop.services import search_pg

            hits = select(Message.id.label("id"), Message.conversation_id.label("cid")).where(
                literal_column("messages.search_vector").op("@@")(
                    search_pg._tsquery(self.query)))
            if below is not None:
                hits = hits.where(Message.id < below)
            if above is not None:
                hits = hits.where(Message.id > above)
            batch = hits.order_by(Message.id.desc()).limit(size).subquery()
            statement = (select(batch.c.id, Ticket.id).select_from(batch)
                         .join(Conversation, Conversation.id == batch.c.cid)
                         .outerjoin(Ticket, and_(Ticket.id == Conversation.ticket_id,
                                                 Conversation.spam_at.is_(None), *clauses)))
        else:
            # One fixed statement on the driver's connection: building, keying and running
            # it through SQLAlchemy cost ~1 ms a batch, SQLite itself 0.03 ms for an empty
            # range and ~0.5 ms for 256 hits (at a million tickets).
            driver: Any = self.session.connection().connection.driver_connection
            cursor = driver.cursor()
            try:
                cursor.execute(*sqlite_batch(self.query, below, above, size))
                found: list[tuple[int, int | None]] = cursor.fetchall()
            finally:
                cursor.close()
            found.sort(reverse=True)
            return found
        # Core rows (two integers each), newest first.
        rows = [(int(r[0]), r[1]) for r in self.session.connection().execute(statement).all()]
        rows.sort(reverse=True, key=lambda r: r[0])
        return rows

    def skips(self, build: bool) -> search_skips.Ranges | None:
        """The message ids the walk steps over: those kept on the connection if still
        current (SQLite), else found when ``build`` (else ``None``)."""
        if self.query is None:
            return None
        connection = self.session.connection()
        ranges = search_skips.cached(connection)
        if ranges is None and build:
            ranges = search_skips.find(connection)
        return ranges

    def among(self, column: Any, ids: list[int]) -> ColumnElement[bool]:
        """``column`` is one of ``ids`` (on PostgreSQL one array parameter: an IN list of a
        few hundred parameters took ~9 ms to send and plan at 100,000 tickets)."""
        if self.postgresql:
            from sqlalchemy import Integer, any_, bindparam
            from sqlalchemy.dialects.postgresql import ARRAY

            condition: ColumnElement[bool] = column == any_(
                bindparam("hit_tickets", ids, type_=ARRAY(Integer)))
            return condition
        return column.in_(ids)  # type: ignore[no-any-return]

    def not_among(self, column: Any, ids: list[int]) -> ColumnElement[bool]:
        """``column`` is none of ``ids``, as one parameter (an array on PostgreSQL, a JSON
        list read by ``json_each`` on SQLite: thousands of ids are one value to bind)."""
        if self.postgresql:
            from sqlalchemy import Integer, all_, bindparam
            from sqlalchemy.dialects.postgresql import ARRAY

            condition: ColumnElement[bool] = column != all_(
                bindparam("with_hits", ids, type_=ARRAY(Integer)))
            return condition
        import json

        from sqlalchemy import bindparam, func

        listed: Select[Any] = select(literal_column("value")).select_from(
            func.json_each(bindparam("with_hits", json.dumps(ids))))
        return column.not_in(listed)  # type: ignore[no-any-return]

    def holds(self, message_id: Any) -> ColumnElement[bool]:
        """Message ``message_id`` (a column) holds the words (one look-up in the index)."""
        if self.postgresql:
            from helpdesk_desktop.services import search_pg

            assert self.query is not None
            return literal_column("messages.search_vector").op("@@")(
                search_pg._tsquery(self.query))
        return exists(select(_message_fts.c.rowid).where(
            _message_fts.c.message_fts.op("MATCH")(self.query),
            _message_fts.c.rowid == message_id))

    def hit_messages(self, ticket_id: Any) -> Select[Any]:
        """The non-spam messages of ticket ``ticket_id`` (a column) that hold the words."""
        return (select(Message.id)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.ticket_id == ticket_id, Conversation.spam_at.is_(None),
                       self.holds(Message.id)))

    def listed_before(self, ticket_ids: list[int], key: int) -> set[int]:
        """Those of ``ticket_ids`` with a message hit at or above message id ``key``."""
        if not ticket_ids or self.query is None:
            return set()
        statement = (select(Conversation.ticket_id).distinct()
                     .join(Message, Message.conversation_id == Conversation.id)
                     .where(self.among(Conversation.ticket_id, ticket_ids),
                            Conversation.spam_at.is_(None), Message.id >= key,
                            self.holds(Message.id)))
        return set(self.session.scalars(statement))

    # -- name and contact hits ----------------------------------------------------------

    def name_or_contact_ids(self) -> Select[Any] | CompoundSelect[Any] | None:
        """The ids of the tickets whose name or a contact holds every word (ids only)."""
        parts: list[Select[Any]] = []
        if self.name_query is not None:
            if self.postgresql:
                from helpdesk_desktop.services import search_pg

                named = search_pg._NAMED
                parts.append(select(named.id.label("id")).where(
                    search_pg._NAME_VECTOR.op("@@")(search_pg._tsquery(self.name_query))))
            else:
                parts.append(search._name_hits(self.name_query))
        if self.contacts is not None:
            parts.append(select(ticket_contacts.c.ticket_id).where(
                ticket_contacts.c.contact_id.in_(self.contacts)))
        if not parts:
            return None
        return union(*parts) if len(parts) > 1 else parts[0]


# -- a list's pages in this order (listing.py) ---------------------------------------------


def as_read(query: TicketQuery) -> TicketQuery:
    """``query`` as it is read: the newest-hit order without search words is the list's
    default order (last activity, newest first)."""
    if query.sort is SortKey.NEWEST_HIT and not search.words(query.search):
        return replace(query, sort=SortKey.LAST_ACTIVITY, descending=True)
    return query


def page_ids(session: Session, text: str, clauses: list[ColumnElement[bool]],
             after: PageCursor | None, limit: int) -> tuple[list[int], PageCursor | None]:
    """The ids of one page of the search ``text`` among the tickets ``clauses`` admit (the
    list's conditions without the search) after ``after``, and the cursor of the next page
    (``None``: this page is the last)."""
    found = newest_hit_page(session, text, clauses,
                            tuple(after.sort_value or ()) if after is not None else None,
                            after.ticket_id if after is not None else None, limit + 1)
    page = found[:limit]
    cursor = None
    if len(found) > limit and page:
        ticket_id, tier, key = page[-1]
        cursor = PageCursor(sort_value=(tier, key), ticket_id=ticket_id)
    return [r[0] for r in page], cursor


def all_ids(session: Session, text: str, clauses: list[ColumnElement[bool]],
            page_size: int) -> list[int]:
    """Every id :func:`page_ids` gives, page after page of ``page_size``, in that order."""
    found: list[int] = []
    cursor: PageCursor | None = None
    while True:
        ids, cursor = page_ids(session, text, clauses, cursor, page_size)
        found.extend(ids)
        if cursor is None:
            return found


def newest_hit_page(session: Session, text: str, clauses: list[ColumnElement[bool]],
                    cursor_value: tuple[Any, ...] | None, cursor_id: int | None,
                    want: int) -> list[tuple[int, int, int]]:
    """Up to ``want`` rows (ticket id, tier, key) of the search ``text`` among the tickets
    ``clauses`` admit (the list's conditions without the search), in the newest-hit order,
    after the cursor ((tier, key), ticket id; ``None``: from the first)."""
    search.check_length(text)
    if cursor_value is not None:
        try:
            tier, key = (int(value) for value in cursor_value)
        except (TypeError, ValueError):  # not two numbers: another order's position
            tier = -1
        if tier not in (NUMBER_TIER, MESSAGE_TIER, NAME_TIER) or cursor_id is None:
            raise InvalidInput(_("This page position belongs to another sort order."))
    else:
        tier, key = NUMBER_TIER + 1, 0
    hits = _Search(session, text)
    found: list[tuple[int, int, int]] = []
    numbered = set(hits.survivors)
    if tier >= NUMBER_TIER and hits.survivors:
        statement = select(Ticket.id).where(Ticket.id.in_(hits.survivors), *clauses)
        if tier == NUMBER_TIER:
            statement = statement.where(Ticket.id < cursor_id)
        for ticket_id in session.scalars(statement.order_by(Ticket.id.desc()).limit(want)):
            found.append((ticket_id, NUMBER_TIER, ticket_id))
    # The tickets with a message hit, when this call read every hit (tier 1 from its first):
    # tier 0 leaves them out by that list instead of looking their messages up.
    with_hits: set[int] | None = None
    if len(found) < want and tier >= MESSAGE_TIER:
        cursor_key = key if tier == MESSAGE_TIER else None
        listed, seen, complete = _message_tier(session, hits, clauses, numbered, cursor_key,
                                               want - len(found))
        found.extend(listed)
        if complete and cursor_key is None:
            with_hits = seen
    if len(found) < want:
        found.extend(_name_tier(session, hits, clauses, numbered, with_hits,
                                cursor_id if tier == NAME_TIER else None, want - len(found)))
    return found


def _message_tier(session: Session, hits: _Search, clauses: list[ColumnElement[bool]],
                  numbered: set[int], cursor_key: int | None, want: int
                  ) -> tuple[list[tuple[int, int, int]], set[int], bool]:
    """Up to ``want`` rows of tier 1 below message id ``cursor_key`` (``None``: from the
    newest hit); the tickets of the hits read (with ``numbered``); whether the hits were
    read to the last."""
    found: list[tuple[int, int, int]] = []
    seen: set[int] = set(numbered)
    below = cursor_key
    size = FIRST_BATCH
    # Runs of messages in conversations without a ticket are stepped over: those kept
    # from an earlier walk if nothing was written since (SQLite), else found once a batch
    # reads mostly such hits (search_skips.py).
    skips = hits.skips(build=False)
    while len(found) < want:
        floor = None
        if skips:
            below, floor = search_skips.step(skips, below)
        rows = hits.message_batch(below, size, clauses, floor)
        if not rows and floor is None:
            return found, seen, True
        candidates: list[tuple[int, int]] = []
        dropped = 0
        for message_id, ticket_id in rows:
            if ticket_id is None:
                dropped += 1
                continue
            if ticket_id in seen:
                continue
            seen.add(ticket_id)
            candidates.append((message_id, ticket_id))
        if candidates:
            ids = [ticket_id for _m, ticket_id in candidates]
            admitted = set(ids) if hits.postgresql else set(session.scalars(
                select(Ticket.id).where(hits.among(Ticket.id, ids), *clauses)))
            if cursor_key is not None:
                # Their newest hit at or above the cursor: listed on an earlier page.
                admitted -= hits.listed_before(sorted(admitted), cursor_key)
            for message_id, ticket_id in candidates:
                if ticket_id in admitted:
                    found.append((ticket_id, MESSAGE_TIER, message_id))
                    if len(found) >= want:
                        break
        if len(rows) < size:
            if floor is None:
                return found, seen, True
            below = floor + 1  # this stretch is read: on under the range ending at floor
        else:
            below = rows[-1][0]
            # SQLite keeps the ranges until a write: worth finding once half a batch is
            # dropped. PostgreSQL finds them for each walk (~1.6 ms at 100,000 tickets):
            # only once a whole batch is.
            if skips is None and dropped >= (len(rows) if hits.postgresql else len(rows) / 2):
                skips = hits.skips(build=True)
            size = min(size * 2, LAST_BATCH)
    return found, seen, False


def _name_tier(session: Session, hits: _Search, clauses: list[ColumnElement[bool]],
               numbered: set[int], with_hits: set[int] | None, after_id: int | None,
               want: int) -> list[tuple[int, int, int]]:
    """Up to ``want`` rows of tier 0 below ticket id ``after_id``: tickets named or of a
    matching contact, without a message hit. ``with_hits``: every ticket with a message hit
    (or ``None``: each candidate's messages are looked up in the full-text index)."""
    ids = hits.name_or_contact_ids()
    if ids is None:
        return []
    named = ids.subquery()
    id_column = next(iter(named.c))
    conditions: list[ColumnElement[bool]] = list(clauses)
    if after_id is not None:
        conditions.append(id_column < after_id)
    if with_hits is not None:
        if with_hits:
            conditions.append(hits.not_among(Ticket.id, sorted(with_hits | numbered)))
    else:
        if numbered:
            conditions.append(Ticket.id.not_in(sorted(numbered)))
        if hits.query is not None:
            conditions.append(~exists(hits.hit_messages(Ticket.id)))
    statement = (select(Ticket.id).select_from(named)
                 .join(Ticket, Ticket.id == id_column)
                 .where(*conditions).order_by(id_column.desc()).limit(want))
    return [(ticket_id, NAME_TIER, ticket_id) for ticket_id in session.scalars(statement)]
