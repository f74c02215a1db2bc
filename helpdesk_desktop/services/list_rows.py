"""The rows of a ticket list: a page's ids turned into :class:`TicketRow` objects.

A fixed number of queries per page whatever its length: one statement for the rows with their
first contact, the actor's read state and the snippet, and one ``IN`` query each for the
followers and the merged ids (statements built once, the ids bound as one expanding
parameter).
"""


from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    and_,
    bindparam,
    column,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from helpdesk_desktop.domain.enums import (
    MessageKind,
)
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Follower,
    Inbox,
    Message,
    Pipeline,
    ReadState,
    Status,
    Ticket,
    User,
    ticket_contacts,
)
from helpdesk_desktop.services import read_state
from helpdesk_desktop.services.dto import (
    TicketRow,
)
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.retention import purge_date

SNIPPET_LENGTH = 140
_ROW_OWNER = aliased(User, name="row_owner")



def _snippet(text: str | None) -> str:
    flat = " ".join((text or "").split())  # the same whitespace as ``\\s``, without a regex
    return flat if len(flat) <= SNIPPET_LENGTH else flat[:SNIPPET_LENGTH - 1].rstrip() + "…"


def load_rows(session: Session, actor: User, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
    """Rows for these ids (no access check: the caller selected visible ids).

    Three queries whatever the number of ids (per chunk of 500): the rows with their first
    contact, the actor's read state and the snippet; the followers; the merged ids.
    """
    rows: dict[int, TicketRow] = {}
    for chunk in chunks(list(dict.fromkeys(ticket_ids))):
        rows.update(_load_chunk(session, actor, chunk))
    return rows


# The row statements are built once and take the ids as one expanding parameter: building a
# statement of twenty columns and coercing a hundred literal ids cost more than running it.
# SQLAlchemy caches the compiled form by the statement's cache key, which a reused statement
# computes once.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


@functools.cache
def _rows_statement() -> Select[*tuple[Any, ...]]:
    """Each ticket of ``:ids`` with its first contact (lowest contact id), the read state of
    ``:actor_id`` and the start of its newest customer-visible message.

    It starts from the ids and seeks the rest per row: the snippet's sub-select is correlated
    with the row (a join over conversations filtered on ``spam_at`` alone would let the
    planner walk the ``spam_at`` index over every non-spam conversation of the workspace).
    """
    owner = _ROW_OWNER
    first_contact = (select(func.min(ticket_contacts.c.contact_id))
                     .where(ticket_contacts.c.ticket_id == Ticket.id)
                     .correlate(Ticket)
                     .scalar_subquery())
    snippet = (select(func.substr(Message.body_text, 1, SNIPPET_LENGTH * 3))
               .select_from(Conversation)
               .join(Message, Message.conversation_id == Conversation.id)
               .where(Conversation.ticket_id == Ticket.id, Conversation.spam_at.is_(None),
                      Message.kind.not_in([k for k in MessageKind if k.is_internal]))
               .order_by(Message.sent_at.desc(), Message.id.desc())
               .limit(1)
               .correlate(Ticket)
               .scalar_subquery())
    return (select(Ticket.id, Ticket.name, Ticket.status_id, Status.name.label("status"),
                   Status.is_closed, Ticket.pipeline_id, Pipeline.name.label("pipeline"),
                   Ticket.priority, Ticket.category, Ticket.owner_id, owner.name.label("owner"),
                   owner.email.label("owner_email"), Ticket.created_at, Ticket.last_activity_at,
                   Ticket.closed_at, Ticket.state, Ticket.source, Inbox.name.label("inbox"),
                   Ticket.version, Ticket.spam_at, Ticket.deleted_at,
                   Contact.name.label("contact"), Contact.email.label("contact_email"),
                   ReadState.read_at, ReadState.forced_unread, snippet.label("snippet"))
            .join(Status, Status.id == Ticket.status_id)
            .join(Pipeline, Pipeline.id == Ticket.pipeline_id)
            .join(Inbox, Inbox.id == Ticket.inbox_id)
            .outerjoin(owner, owner.id == Ticket.owner_id)
            .outerjoin(Contact, Contact.id == first_contact)
            .outerjoin(ReadState, and_(ReadState.ticket_id == Ticket.id,
                                       ReadState.user_id == bindparam("actor_id")))
            .where(Ticket.id.in_(_IDS)))


@functools.cache
def _followers_statement() -> Select[int, int, str]:
    return (select(Follower.ticket_id, User.id, User.email)
            .join(User, User.id == Follower.user_id)
            .where(Follower.ticket_id.in_(_IDS))
            .order_by(Follower.ticket_id, User.email))


@functools.cache
def _merged_statement(dialect: str) -> Select[Any, Any]:
    """(merged id, survivor id) pairs for the survivors ``:ids``."""
    if dialect == "sqlite":
        # After ANALYZE, SQLite sees merged_into_id as one value (NULL) shared by every row
        # and scans the table instead of using the index: name the index explicitly.
        merged_id, into_id = column("id", Integer), column("merged_into_id", Integer)
        return (select(merged_id, into_id)
                .select_from(text("tickets INDEXED BY ix_tickets_merged_into"))
                .where(into_id.in_(_IDS)).order_by(merged_id))
    return (select(Ticket.id, Ticket.merged_into_id)
            .where(Ticket.merged_into_id.in_(_IDS)).order_by(Ticket.id))


def _load_chunk(session: Session, actor: User, ids: list[int]) -> dict[int, TicketRow]:
    # Plain rows of columns: run on the session's connection, past the ORM's result layer
    # (loading per row, ~1 ms of a page of 100), in the session's transaction all the same.
    connection = session.connection()
    base = connection.execute(_rows_statement(), {"ids": ids, "actor_id": actor.id}).all()
    if not base:
        return {}

    followers: dict[int, list[str]] = {}
    following: set[int] = set()
    for ticket_id, user_id, email in connection.execute(_followers_statement(), {"ids": ids}):
        followers.setdefault(ticket_id, []).append(email)
        if user_id == actor.id:
            following.add(ticket_id)

    merged: dict[int, list[int]] = {}
    for merged_id, into_id in connection.execute(
            _merged_statement(connection.dialect.name), {"ids": ids}):
        merged.setdefault(into_id, []).append(merged_id)

    result: dict[int, TicketRow] = {}
    # Unpacked by position: reading 26 columns by name from each row cost more than the rest
    # of building it.
    for (ticket_id, name, status_id, status, status_closed, pipeline_id, pipeline, priority,
         category, owner_id, owner_name, owner_email, created_at, last_activity_at, closed_at,
         state, source, inbox, version, spam_at, deleted_at, contact, contact_email, read_at,
         forced_unread, snippet) in base:
        result[ticket_id] = TicketRow(
            id=ticket_id, name=name, status_id=status_id, status=status,
            status_closed=status_closed, pipeline_id=pipeline_id, pipeline=pipeline,
            priority=priority, category=category, owner_id=owner_id, owner=owner_name,
            owner_email=owner_email, contact=contact, contact_email=contact_email,
            created_at=created_at, last_activity_at=last_activity_at, closed_at=closed_at,
            unread=read_state.is_unread_at(read_at, forced_unread, last_activity_at),
            following=ticket_id in following, state=state, source=source, inbox=inbox,
            version=version, merged_ids=tuple(merged.get(ticket_id, ())),
            snippet=_snippet(snippet), followers=tuple(followers.get(ticket_id, ())),
            purge_at=purge_date(state, spam_at, deleted_at),
        )
    return result
