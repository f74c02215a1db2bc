"""A ticket's detail in a few Core statements (what the ticket view, print and export show).

The ORM read this replaces took about twenty statements for a ticket of two conversations: per
conversation its newest messages, their attachments and outbox rows, then lazy loads of the
pipeline and its statuses, the contacts, companies and deals. Here, after the ticket itself:

1. the conversations with their inbox, contact and the contact's company;
2. the chosen messages of every conversation with their outbox row: one ``UNION ALL`` of a
   seek on ``ix_messages_conversation_sent`` per conversation (newest or oldest ``n``), or
   every message of the ticket's conversations;
3. the attachments of those messages (and, only when a conversation was cut, its count);
4. the activities with their actor's name;
5. the list row (``list_rows.load_rows``);
6. the pipeline with its statuses;
7. the contacts, companies and deals linked to the ticket, in one ``UNION ALL``.

The plain data objects are the same as :mod:`.mapping` builds from ORM rows;
``tests/services/test_detail_read.py`` holds them equal to the ORM read for every ticket of the
seeded workspace, user and mode, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Company,
    Contact,
    Conversation,
    Deal,
    Inbox,
    Message,
    OutboxItem,
    Pipeline,
    Status,
    Ticket,
    User,
    ticket_companies,
    ticket_contacts,
    ticket_deals,
)
from helpdesk_desktop.domain.sentences import shown
from helpdesk_desktop.services.activity import summary_text
from helpdesk_desktop.services.dto import (
    ActivityInfo,
    AttachmentInfo,
    CompanyInfo,
    ContactInfo,
    ConversationInfo,
    DealInfo,
    MessageInfo,
    PipelineInfo,
    StatusInfo,
    TicketDetail,
)
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.list_rows import load_rows
from helpdesk_desktop.storage.database import PREPARED

#: Conversations per ``UNION ALL`` of message seeks (SQLite allows 500 terms in a compound).
_PARTS = 100
#: Every statement here seeks by key (a ticket, its conversations, messages, a pipeline): its
#: best plan does not depend on the values bound, so on PostgreSQL it is prepared, parsed and
#: planned once per connection (``storage.database.PREPARED``).
_PREPARED = {PREPARED: True}

_MESSAGE_COLUMNS = (
    Message.id, Message.conversation_id, Message.kind, Message.direction, Message.author_name,
    Message.author_email, Message.author_user_id, Message.to_addresses, Message.cc_addresses,
    Message.sent_at, Message.subject, Message.body_text, Message.body_html,
    Message.message_id_header, Message.intake_note,
    OutboxItem.id.label("outbox_id"), OutboxItem.state.label("outbox_state"),
    OutboxItem.last_error.label("outbox_error"),
    OutboxItem.error_sentence.label("outbox_sentence"),
)

# The statements are built once, their values bound: building them (coercing columns,
# computing the cache key of a union) cost more than running them. SQLAlchemy caches the
# compiled form of a reused statement by the cache key it computed once.


@cache
def _conversations_statement() -> Select[*tuple[Any, ...]]:
    return (
        select(Conversation.id, Conversation.ticket_id, Conversation.inbox_id,
               Inbox.name.label("inbox"), Inbox.kind.label("inbox_kind"),
               Conversation.origin_ticket_id, Conversation.channel, Conversation.subject,
               Conversation.created_at, Conversation.spam_at,
               Contact.id.label("contact_id"), Contact.name.label("contact_name"),
               Contact.email.label("contact_email"), Contact.phone.label("contact_phone"),
               Contact.company_id.label("contact_company_id"),
               Company.name.label("contact_company"))
        .join(Inbox, Inbox.id == Conversation.inbox_id)
        .outerjoin(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Company, Company.id == Contact.company_id)
        .where(Conversation.ticket_id == bindparam("ticket_id"),
               Conversation.spam_at.is_(None))
        .order_by(Conversation.created_at, Conversation.id)
        .execution_options(**_PREPARED))


def _one_of(column: Any, name: str, dialect: str) -> Any:
    """``column`` is one of the bound list ``name``: on PostgreSQL ``= ANY`` of one array,
    the same text for any number of values (so one prepared statement); elsewhere ``IN``."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # not loaded for a SQLite workspace

        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


@lru_cache(maxsize=4)
def _counts_statement(dialect: str) -> Select[*tuple[Any, ...]]:
    return (select(Message.conversation_id, func.count())
            .where(_one_of(Message.conversation_id, "conversation_ids", dialect))
            .group_by(Message.conversation_id).execution_options(**_PREPARED))


@cache
def _activities_statement() -> Select[*tuple[Any, ...]]:
    return (select(Activity.id, Activity.ticket_id, Activity.kind, Activity.actor_id,
                   User.name.label("actor"), Activity.created_at, Activity.summary,
                   Activity.data)
            .outerjoin(User, User.id == Activity.actor_id)
            .where(Activity.ticket_id == bindparam("ticket_id"))
            .order_by(Activity.created_at.desc(), Activity.id.desc())
            .execution_options(**_PREPARED))


@lru_cache(maxsize=4)
def _all_messages_statement(dialect: str) -> Select[*tuple[Any, ...]]:
    return (select(*_MESSAGE_COLUMNS)
            .outerjoin(OutboxItem, OutboxItem.message_id == Message.id)
            .where(_one_of(Message.conversation_id, "conversation_ids", dialect))
            .order_by(Message.conversation_id, Message.sent_at, Message.id)
            .execution_options(**_PREPARED))


@lru_cache(maxsize=64)
def _seeks_statement(parts: int, newest: bool) -> Select[*tuple[Any, ...]]:
    """The newest (or oldest) ``:limit`` messages of each of ``parts`` conversations
    (``:c0``, ``:c1``…), a seek on ``ix_messages_conversation_sent`` each, in one statement:
    the part's number, then the messages in the seek's order."""
    order = ((Message.sent_at.desc(), Message.id.desc()) if newest
             else (Message.sent_at, Message.id))
    limit = bindparam("limit", type_=Integer)
    seeks = [select(literal_column(str(n), Integer).label("part"), *_MESSAGE_COLUMNS)
             .outerjoin(OutboxItem, OutboxItem.message_id == Message.id)
             .where(Message.conversation_id == bindparam(f"c{n}"))
             .order_by(*order).limit(limit).subquery()
             for n in range(parts)]
    every = union_all(*(select(s) for s in seeks)).subquery()
    columns = every.c
    return select(every).order_by(
        columns.part, *((columns.sent_at.desc(), columns.id.desc()) if newest
                        else (columns.sent_at, columns.id))).execution_options(**_PREPARED)


@lru_cache(maxsize=4)
def _attachments_statement(dialect: str) -> Select[*tuple[Any, ...]]:
    return (select(Attachment.message_id, Attachment.id, Attachment.filename,
                   Attachment.content_type, Attachment.size)
            .where(_one_of(Attachment.message_id, "message_ids", dialect))
            .order_by(Attachment.message_id, Attachment.id).execution_options(**_PREPARED))


@cache
def _pipeline_statement() -> Select[*tuple[Any, ...]]:
    return (select(Pipeline.id, Pipeline.name, Status.id.label("status_id"),
                   Status.name.label("status"), Status.position, Status.is_closed)
            .outerjoin(Status, Status.pipeline_id == Pipeline.id)
            .where(Pipeline.id == bindparam("pipeline_id"))
            .order_by(Status.position, Status.id).execution_options(**_PREPARED))


@cache
def _links_statement() -> Select[*tuple[Any, ...]]:
    """The ticket's contacts (with their company's name), companies and deals, each kind in
    id order: a part per kind with the columns each needs."""
    text, number = cast(null(), String), cast(null(), Integer)
    ticket_id: Any = bindparam("ticket_id")
    parts = union_all(
        select(literal_column("0", Integer).label("kind"), Contact.id, Contact.name,
               Contact.email.label("a"), Contact.phone.label("b"),
               Contact.company_id.label("n"), Company.name.label("c"))
        .join(ticket_contacts, ticket_contacts.c.contact_id == Contact.id)
        .outerjoin(Company, Company.id == Contact.company_id)
        .where(ticket_contacts.c.ticket_id == ticket_id),
        select(literal_column("1", Integer), Company.id, Company.name, Company.domain, text,
               number, text)
        .join(ticket_companies, ticket_companies.c.company_id == Company.id)
        .where(ticket_companies.c.ticket_id == ticket_id),
        select(literal_column("2", Integer), Deal.id, Deal.name, Deal.stage, text,
               Deal.amount_cents, text)
        .join(ticket_deals, ticket_deals.c.deal_id == Deal.id)
        .where(ticket_deals.c.ticket_id == ticket_id),
    ).subquery()
    return select(parts).order_by(parts.c.kind, parts.c.id).execution_options(**_PREPARED)


def read_detail(session: Session, actor: User, ticket: Ticket,
                first_messages: int | None = None,
                last_messages: int | None = None) -> TicketDetail:
    """The detail of ``ticket`` (which the caller checked ``actor`` may see), in the caller's
    transaction. ``first_messages``: only the oldest of each conversation and no activity;
    ``last_messages``: only the newest, each conversation's ``earlier`` counting the rest."""
    conversations = _execute(session, _conversations_statement(),
                                    {"ticket_id": ticket.id}).all()
    conversation_ids = [c.id for c in conversations]
    messages = _messages(session, conversation_ids, first_messages, last_messages)
    earlier: dict[int, int] = {}
    if last_messages is not None:
        full = [i for i, rows in messages.items() if len(rows) == last_messages]
        if full:
            for conversation_id, count in _execute(session, _counts_statement(_dialect(session)),
                                                          {"conversation_ids": full}):
                if count > last_messages:
                    earlier[conversation_id] = count - last_messages
    activities: Sequence[Any] = () if first_messages is not None else _execute(session, 
        _activities_statement(), {"ticket_id": ticket.id}).all()
    row = load_rows(session, actor, [ticket.id])[ticket.id]
    contacts, companies, deals = _links(session, ticket.id)
    pipeline = pipeline_of(session, ticket.pipeline_id)
    assert pipeline is not None  # a ticket's pipeline (a foreign key)
    return TicketDetail(
        row=row, description=ticket.description, pipeline=pipeline,
        inbox_id=ticket.inbox_id, updated_at=ticket.updated_at,
        conversations=tuple(
            ConversationInfo(
                id=c.id, ticket_id=c.ticket_id, inbox_id=c.inbox_id, inbox=c.inbox,
                inbox_kind=c.inbox_kind, origin_ticket_id=c.origin_ticket_id,
                channel=c.channel, subject=c.subject,
                contact=None if c.contact_id is None else ContactInfo(
                    id=c.contact_id, name=c.contact_name, email=c.contact_email,
                    phone=c.contact_phone, company_id=c.contact_company_id,
                    company_name=c.contact_company),
                created_at=c.created_at, spam=c.spam_at is not None,
                messages=tuple(messages.get(c.id, ())), earlier=earlier.get(c.id, 0))
            for c in conversations),
        contacts=contacts, companies=companies, deals=deals,
        activities=tuple(
            ActivityInfo(id=a.id, ticket_id=a.ticket_id, kind=a.kind, actor=a.actor,
                         actor_id=a.actor_id, created_at=a.created_at,
                         summary=summary_text(a.summary, a.data),
                         data={k: v for k, v in (a.data or {}).items() if k != "sentence"})
            for a in activities),
    )


def _messages(session: Session, conversation_ids: list[int], first: int | None,
              last: int | None) -> dict[int, list[MessageInfo]]:
    """The chosen messages of each conversation, oldest first (sent time, then id)."""
    if not conversation_ids:
        return {}
    rows: list[Any] = []
    if first is None and last is None:
        rows = list(_execute(session, _all_messages_statement(_dialect(session)),
                                    {"conversation_ids": conversation_ids}))
    else:
        newest = first is None
        for part in _slices(conversation_ids):
            values: dict[str, int] = {f"c{n}": i for n, i in enumerate(part)}
            values["limit"] = last if newest else first  # type: ignore[assignment]
            rows.extend(_execute(session, _seeks_statement(len(part), newest), values))
        if newest:
            rows.reverse()  # each conversation's messages oldest first
    attachments = _attachments(session, [r.id for r in rows])
    chosen: dict[int, list[MessageInfo]] = {i: [] for i in conversation_ids}
    for r in rows:
        chosen[r.conversation_id].append(MessageInfo(
            id=r.id, conversation_id=r.conversation_id, kind=r.kind, direction=r.direction,
            author=r.author_name or (r.author_email or ""), author_email=r.author_email,
            author_user_id=r.author_user_id, to=r.to_addresses, cc=r.cc_addresses,
            sent_at=r.sent_at, subject=r.subject, text=r.body_text, html=r.body_html,
            attachments=attachments.get(r.id, ()), message_id_header=r.message_id_header,
            omitted_files=tuple(line for line in (r.intake_note or "").split("\n") if line),
            send_state=r.outbox_state.value if r.outbox_id is not None else None,
            outbox_id=r.outbox_id,
            send_error=(shown(r.outbox_sentence, r.outbox_error)
                        if r.outbox_id is not None and r.outbox_error else None)))
    return chosen


def _execute(session: Session, statement: Any, values: Any = None) -> Any:
    """``statement`` run as Core on the connection of ``session``'s transaction (after a
    flush of what the session holds, as ``Session.execute`` would): its rows without the
    ORM's execution layers, ~0.1 ms less per statement (these select columns, never objects)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, values)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _slices(ids: list[int]) -> list[list[int]]:
    return [ids[start:start + _PARTS] for start in range(0, len(ids), _PARTS)]


def _attachments(session: Session, message_ids: list[int]
                 ) -> dict[int, tuple[AttachmentInfo, ...]]:
    """The attachments of each message, by id (their bytes stay in the database)."""
    found: dict[int, list[AttachmentInfo]] = {}
    dialect = _dialect(session)
    for chunk in chunks(message_ids):
        for a in _execute(session, _attachments_statement(dialect), {"message_ids": chunk}):
            found.setdefault(a.message_id, []).append(AttachmentInfo(
                id=a.id, filename=a.filename, content_type=a.content_type, size=a.size))
    return {i: tuple(items) for i, items in found.items()}


def pipeline_of(session: Session, pipeline_id: int) -> PipelineInfo | None:
    """A pipeline with its statuses in their order, in one statement (None: no such one)."""
    rows = _execute(session, _pipeline_statement(), {"pipeline_id": pipeline_id}).all()
    if not rows:
        return None
    return PipelineInfo(
        id=rows[0].id, name=rows[0].name,
        statuses=tuple(StatusInfo(id=r.status_id, pipeline_id=r.id, name=r.status,
                                  position=r.position, is_closed=r.is_closed)
                       for r in rows if r.status_id is not None))


def _links(session: Session, ticket_id: int) -> tuple[
        tuple[ContactInfo, ...], tuple[CompanyInfo, ...], tuple[DealInfo, ...]]:
    """The ticket's contacts, companies and deals, in one statement."""
    contacts: list[ContactInfo] = []
    companies: list[CompanyInfo] = []
    deals: list[DealInfo] = []
    for r in _execute(session, _links_statement(), {"ticket_id": ticket_id}):
        if r.kind == 0:
            contacts.append(ContactInfo(id=r.id, name=r.name, email=r.a, phone=r.b,
                                        company_id=r.n, company_name=r.c))
        elif r.kind == 1:
            companies.append(CompanyInfo(id=r.id, name=r.name, domain=r.a))
        else:
            deals.append(DealInfo(id=r.id, name=r.name, amount_cents=r.n, stage=r.a))
    return tuple(contacts), tuple(companies), tuple(deals)
