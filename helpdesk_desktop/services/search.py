"""Full-text search over ticket names and message texts.

SQLite uses the FTS5 tables ``ticket_name_fts`` and ``message_fts`` (kept up to date by
triggers, diacritics removed); PostgreSQL uses the GIN indexes on ``to_tsvector('simple', ...)``.
The SQL expressions below repeat the index expressions word for word: any difference (even a
bound parameter instead of the literal ``'simple'``) and PostgreSQL no longer uses the index.

User text never reaches the search syntax as is: it is split into words, and each word is
quoted, so text such as ``"``, ``*`` or ``AND (`` is searched for, never interpreted.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Select,
    and_,
    bindparam,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.orm import Session, aliased

from helpdesk_desktop.domain.enums import TicketState
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.models import Contact, Conversation, Message, Ticket, ticket_contacts
from helpdesk_desktop.domain.types import MAX_ID

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"^#?\s*(\d{1,18})$")
MAX_WORDS = 16
MAX_SEARCH = 1000  # characters: longer is a paste gone wrong, refused with a sentence

_ticket_name_fts = table("ticket_name_fts", column("rowid"), column("ticket_name_fts"))
_message_fts = table("message_fts", column("rowid"), column("message_fts"))

# PostgreSQL: the exact expressions of ix_tickets_name_fts and ix_messages_fts.
# (The name sub-select reads ``tickets`` under the alias "named", so that it is not correlated
# with the outer query's ``tickets``.)
_PG_NAME_VECTOR: ColumnClause[Any] = literal_column("to_tsvector('simple', named.name)")
_PG_MESSAGE_VECTOR: ColumnClause[Any] = literal_column(
    "to_tsvector('simple', coalesce(messages.subject, '') || ' ' || messages.body_text)")


# Made once (an alias and its columns cost more to build than a page's SQL).
_NUMBERED = aliased(Ticket, name="numbered")
_NAMED = aliased(Ticket, name="named")


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


def _survivor_ids(session: Session, ticket_id: int) -> set[int]:
    """``ticket_id`` and, if it was merged, the ticket(s) it was merged into (chains followed)."""
    ids = {ticket_id}
    current: int | None = ticket_id
    for _ in range(100):
        row = session.execute(select(Ticket.state, Ticket.merged_into_id)
                              .where(Ticket.id == current)).first()
        if row is None or row.state is not TicketState.MERGED or row.merged_into_id is None:
            break
        current = row.merged_into_id
        if current in ids:
            break
        ids.add(current)
    return ids


def search_clause(session: Session, text: str) -> ColumnElement[bool]:
    """SQL condition on ``Ticket``: its name, or one message of one of its non-spam
    conversations, holds every word of ``text``; or an associated contact's name or e-mail
    address holds every word; or ``text`` is its (or a merged) number.

    Each part is its own sub-select, joined by UNION, so that each can use its index (an OR
    of a name condition and a message sub-select would scan every ticket).
    """
    if len(text) > MAX_SEARCH:
        raise InvalidInput(f"A search can be at most {MAX_SEARCH:,} characters long; this one "
                           f"has {len(text):,}.")
    dialect = session.get_bind().dialect.name
    parts: list[Select[Any]] = []
    number = ticket_number(text)
    if number is not None:
        numbered = _NUMBERED
        parts.append(select(numbered.id).where(
            numbered.id.in_(sorted(_survivor_ids(session, number)))))
    message_tickets = (select(Conversation.ticket_id)
                       .join(Message, Message.conversation_id == Conversation.id)
                       .where(Conversation.spam_at.is_(None)))
    if dialect == "sqlite":
        query = fts5_query(text)
        if query is not None:
            parts.append(select(_ticket_name_fts.c.rowid).where(
                _ticket_name_fts.c.ticket_name_fts.op("MATCH")(query)))
            message_hits = select(_message_fts.c.rowid).where(
                _message_fts.c.message_fts.op("MATCH")(query))
            parts.append(message_tickets.where(Message.id.in_(message_hits)))
    else:
        query = tsquery(text)
        if query is not None:
            pg_query = _pg_tsquery(query)
            named = _NAMED
            parts.append(select(named.id).where(_PG_NAME_VECTOR.op("@@")(pg_query)))
            parts.append(message_tickets.where(_PG_MESSAGE_VECTOR.op("@@")(pg_query)))
    parts.extend(_contact_part(text))
    if not parts:
        return false()
    return Ticket.id.in_(union(*parts) if len(parts) > 1 else parts[0])


def _contact_part(text: str) -> list[Select[tuple[int]]]:
    """Tickets whose associated contact's name or e-mail contains every word (a LIKE scan of
    the contacts table, which is far smaller than the tickets and messages)."""
    found = words(text)
    if not found:
        return []
    conditions = []
    for word in found:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(func.lower(Contact.name).like(pattern, escape="\\"),
                              func.lower(Contact.email).like(pattern, escape="\\")))
    # The matching contacts first, then their tickets through ix_ticket_contacts_contact_id
    # (a join lets the planner walk every ticket_contacts row and look each contact up).
    contact_ids = select(Contact.id).where(and_(*conditions))
    return [select(ticket_contacts.c.ticket_id)
            .where(ticket_contacts.c.contact_id.in_(contact_ids))]


def _pg_tsquery(query: str) -> ColumnElement[object]:
    return func.to_tsquery(literal_column("'simple'"),
                           bindparam("search_tsquery", query, unique=True))
