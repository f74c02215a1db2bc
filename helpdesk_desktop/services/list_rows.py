"""The rows of a ticket list: a page's ids turned into :class:`TicketRow` objects.

One statement per page whatever its length (per chunk of 500 ids): the rows with their first
contact, the actor's read state and follow, the snippet, the followers' emails and the merged
ids. It is built once per back-end and takes the ids as one parameter: an array on PostgreSQL
(``= ANY(:ids)``: the same SQL text for any number of ids, so psycopg parses it once and the
server keeps it prepared), an expanding ``IN`` on SQLite.
"""


from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    SmallInteger,
    String,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    null,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from helpdesk_desktop.domain.enums import (
    MessageKind,
    Priority,
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
from helpdesk_desktop.services import list_rows_pg, list_rows_sqlite, row_values
from helpdesk_desktop.services.dto import (
    TicketRow,
)
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.retention import purge_date
from helpdesk_desktop.storage.database import PREPARED

SNIPPET_LENGTH = row_values.SNIPPET_LENGTH
_ROW_OWNER = aliased(User, name="row_owner")
_MERGED = aliased(Ticket, name="merged_ticket")
_SNIPPET_MESSAGE = aliased(Message, name="snippet_message")
_PREPARED = {PREPARED: True}
#: A priority by its stored rank (``PriorityType`` builds this list for each value it reads).
_PRIORITIES: tuple[Priority, ...] = tuple(Priority)



_snippet = row_values.snippet_of


def load_rows(session: Session, actor: User, ticket_ids: Sequence[int], *,
              snippets: bool = True) -> dict[int, TicketRow]:
    """Rows for these ids (no access check: the caller selected visible ids), in one
    statement per chunk of 500 ids. ``snippets=False``: each row's ``snippet`` is left empty,
    not read (the board's cards show it only as a tooltip; it was most of their SQL)."""
    rows: dict[int, TicketRow] = {}
    for chunk in chunks(list(dict.fromkeys(ticket_ids))):
        rows.update(_load_chunk(session, actor, chunk, snippets))
    return rows


# The statement is built once per back-end: building a statement of thirty columns and
# coercing a hundred literal ids cost more than running it. SQLAlchemy caches its compiled
# form by the statement's cache key, which a reused statement computes once.


def _ids_clause(column: Any, dialect: str, one: bool = False) -> ColumnElement[bool]:
    """``column`` is one of the bound ``:ids`` (``one``: equal to the bound ``:id``)."""
    if one:
        single: ColumnElement[bool] = column == bindparam("id", type_=Integer)
        return single
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # not loaded for a SQLite workspace

        condition: ColumnElement[bool] = column == any_(
            bindparam("ids", type_=ARRAY(Integer)))
        return condition
    expanding: ColumnElement[bool] = column.in_(bindparam("ids", expanding=True))
    return expanding


def _followers_column(dialect: str) -> Any:
    """The emails of the ticket's followers: an array in email order on PostgreSQL, a
    separated text on SQLite (3.40 has no ordered aggregate; sorted in Python, whose order is
    SQLite's binary collation)."""
    aggregate: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by

        aggregate = func.array_agg(aggregate_order_by(User.email, User.email),
                                   type_=ARRAY(String))
    else:
        aggregate = func.group_concat(User.email, literal_column("char(31)"))
    return (select(aggregate).select_from(Follower).join(User, User.id == Follower.user_id)
            .where(Follower.ticket_id == Ticket.id).correlate(Ticket).scalar_subquery())


def _merged_column(dialect: str) -> Any:
    """The ids of the tickets merged into the ticket (``ix_tickets_merged_into``)."""
    merged = _MERGED
    aggregate: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by

        aggregate = func.array_agg(aggregate_order_by(merged.id, merged.id),
                                   type_=ARRAY(Integer))
    else:
        aggregate = func.group_concat(merged.id)
    return (select(aggregate).where(merged.merged_into_id == Ticket.id).correlate(Ticket)
            .scalar_subquery())


@functools.cache
def _rows_statement(dialect: str, snippets: bool = True,
                    one: bool = False) -> Select[*tuple[Any, ...]]:
    """Each ticket of ``:ids`` (``one``: the ticket ``:id``) with its first contact (lowest
    contact id), the read state and follow of ``:actor_id``, the start of its newest
    customer-visible message (``NULL`` without ``snippets``), its followers' emails and the
    ids merged into it.

    It starts from the ids and seeks the rest per row: the snippet's sub-select is correlated
    with the row (a join over conversations filtered on ``spam_at`` alone would let the
    planner walk the ``spam_at`` index over every non-spam conversation of the workspace),
    and so are the followers (the followers' key) and the merged ids (their index).
    """
    owner = _ROW_OWNER
    first_contact = (select(func.min(ticket_contacts.c.contact_id))
                     .where(ticket_contacts.c.ticket_id == Ticket.id)
                     .correlate(Ticket)
                     .scalar_subquery())
    # The newest message's id first, then its text: cut after the sort, the text of every
    # message of the ticket was read and cut (1.9 ms of a page on PostgreSQL, now 1.1 ms).
    newest = (select(Message.id)
              .select_from(Conversation)
              .join(Message, Message.conversation_id == Conversation.id)
              .where(Conversation.ticket_id == Ticket.id, Conversation.spam_at.is_(None),
                     # Not NOT IN: its list is expanded into the SQL at every run.
                     *(Message.kind != k for k in MessageKind if k.is_internal))
              .order_by(Message.sent_at.desc(), Message.id.desc())
              .limit(1)
              .correlate(Ticket)
              .scalar_subquery())
    shown = _SNIPPET_MESSAGE
    snippet = (select(func.substr(shown.body_text, 1, SNIPPET_LENGTH * 3))
               .where(shown.id == newest)
               .correlate(Ticket)
               .scalar_subquery())
    # A LIMIT, not EXISTS or a join: PostgreSQL would hash every ticket the actor follows
    # (all of an agent's follows for a page of a hundred).
    following = (select(Follower.user_id)
                 .where(Follower.ticket_id == Ticket.id,
                        Follower.user_id == bindparam("actor_id"))
                 .limit(1).correlate(Ticket).scalar_subquery())
    return (select(Ticket.id, Ticket.name, Ticket.status_id, Status.name.label("status"),
                   Status.is_closed, Ticket.pipeline_id, Pipeline.name.label("pipeline"),
                   # The rank, turned into a Priority here (the column type rebuilds the
                   # list of priorities for each value).
                   type_coerce(Ticket.priority, SmallInteger).label("priority"),
                   Ticket.category, Ticket.owner_id, owner.name.label("owner"),
                   owner.email.label("owner_email"), Ticket.created_at, Ticket.last_activity_at,
                   Ticket.closed_at, Ticket.state, Ticket.source, Inbox.name.label("inbox"),
                   Ticket.version, Ticket.spam_at, Ticket.deleted_at,
                   Contact.name.label("contact"), Contact.email.label("contact_email"),
                   ReadState.read_at, ReadState.forced_unread,
                   (snippet if snippets else null()).label("snippet"),
                   following.label("following"),
                   _followers_column(dialect).label("followers"),
                   _merged_column(dialect).label("merged"))
            .join(Status, Status.id == Ticket.status_id)
            .join(Pipeline, Pipeline.id == Ticket.pipeline_id)
            .join(Inbox, Inbox.id == Ticket.inbox_id)
            .outerjoin(owner, owner.id == Ticket.owner_id)
            .outerjoin(Contact, Contact.id == first_contact)
            .outerjoin(ReadState, and_(ReadState.ticket_id == Ticket.id,
                                       ReadState.user_id == bindparam("actor_id")))
            .where(_ids_clause(Ticket.id, dialect, one)))



def _check_row_class() -> None:
    """TicketRow is a plain frozen dataclass (no ``__post_init__``, no slots), which
    :func:`_load_chunk` builds by filling ``__dict__``."""
    if (hasattr(TicketRow, "__post_init__") or hasattr(TicketRow, "__slots__")
            or not dataclasses.is_dataclass(TicketRow)):
        raise TypeError("TicketRow changed: build it with its __init__ in list_rows")


_check_row_class()


def _load_chunk(session: Session, actor: User, ids: list[int],
                snippets: bool = True) -> dict[int, TicketRow]:
    # Plain rows of columns: run on the session's connection, past the ORM's result layer
    # (loading per row, ~1 ms of a page of 100), in the session's transaction all the same.
    connection = session.connection()
    dialect = connection.dialect.name
    emails_of, ids_of = row_values.list_decoders(dialect)
    priorities = _PRIORITIES
    new_row = object.__new__
    result: dict[int, TicketRow] = {}
    # Unpacked by position: reading 29 columns by name from each row cost more than the rest
    # of building it. Each row is made with every field set in its ``__dict__``, as its
    # ``__init__`` would (``_check_row_class``): a frozen dataclass's ``__init__`` sets its 27
    # fields through ``object.__setattr__``, a third of the time of building a page's rows.
    # Prepared on PostgreSQL: its plan seeks the ids whatever they are, and planning it (five
    # sub-selects, six joins) took longer than running it (2.3 ms against 0.3 ms at 100k
    # tickets). A single ticket (an opened ticket, a row refreshed after a write) is read by
    # ``id = :id``: PostgreSQL plans a prepared ``= ANY(:ids)`` for ten ids when it weighs a
    # generic plan against the plans for the values, so for one id it kept planning anew.
    rows: Sequence[Sequence[Any]]
    if dialect == "sqlite":  # past SQLAlchemy's execution and result layers
        rows = list_rows_sqlite.fetch(connection, _rows_statement(dialect, snippets), ids,
                                      {"actor_id": actor.id})
    elif dialect == "postgresql" and connection.dialect.driver == "psycopg":
        # Past SQLAlchemy's execution and result layers too, prepared (list_rows_pg).
        rows = (list_rows_pg.fetch(connection, _rows_statement(dialect, snippets, one=True),
                                   {"id": ids[0], "actor_id": actor.id}) if len(ids) == 1
                else list_rows_pg.fetch(connection, _rows_statement(dialect, snippets),
                                        {"ids": ids, "actor_id": actor.id}))
    elif len(ids) == 1:
        rows = connection.execute(_rows_statement(dialect, snippets, one=True),
                                  {"id": ids[0], "actor_id": actor.id},
                                  execution_options=_PREPARED).all()
    else:
        rows = connection.execute(_rows_statement(dialect, snippets),
                                  {"ids": ids, "actor_id": actor.id},
                                  execution_options=_PREPARED).all()
    for (ticket_id, name, status_id, status, status_closed, pipeline_id, pipeline, priority,
         category, owner_id, owner_name, owner_email, created_at, last_activity_at, closed_at,
         state, source, inbox, version, spam_at, deleted_at, contact, contact_email, read_at,
         forced_unread, snippet, following, followers, merged) in rows:
        row = new_row(TicketRow)
        row.__dict__.update(
            id=ticket_id, name=name, status_id=status_id, status=status,
            status_closed=status_closed, pipeline_id=pipeline_id, pipeline=pipeline,
            priority=None if priority is None else priorities[priority], category=category,
            owner_id=owner_id, owner=owner_name,
            owner_email=owner_email, contact=contact, contact_email=contact_email,
            created_at=created_at, last_activity_at=last_activity_at, closed_at=closed_at,
            unread=row_values.is_unread_at(read_at, forced_unread, last_activity_at),
            following=following is not None, state=state, source=source, inbox=inbox,
            version=version, merged_ids=ids_of(merged),
            snippet=_snippet(snippet), followers=emails_of(followers),
            purge_at=purge_date(state, spam_at, deleted_at),
        )
        result[ticket_id] = row
    return result
