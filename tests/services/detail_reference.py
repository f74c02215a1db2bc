"""The ORM read of a ticket's detail as it was before ``services/detail_read.py`` (2026-12-06,
s23-open), kept as the reference the Core read is held equal to (``test_detail_read.py``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from helpdesk_desktop.domain.models import Activity, Contact, Conversation, Message, Ticket, User
from helpdesk_desktop.services.dto import TicketDetail
from helpdesk_desktop.services.list_rows import load_rows
from helpdesk_desktop.services.mapping import (
    activity_info,
    company_info,
    contact_info,
    conversation_info,
    deal_info,
    pipeline_info,
)


def newest_messages(session: Session, conversation_ids: list[int],
                    limit: int) -> tuple[dict[int, list[Message]], dict[int, int]]:
    chosen: dict[int, list[Message]] = {}
    for conversation_id in conversation_ids:
        newest = list(session.scalars(
            select(Message).where(Message.conversation_id == conversation_id)
            .order_by(Message.sent_at.desc(), Message.id.desc()).limit(limit)
            .options(selectinload(Message.attachments))))
        chosen[conversation_id] = newest[::-1]
    earlier: dict[int, int] = {}
    full = [i for i, messages in chosen.items() if len(messages) == limit]
    if full:
        for conversation_id, count in session.execute(
                select(Message.conversation_id, func.count())
                .where(Message.conversation_id.in_(full))
                .group_by(Message.conversation_id)):
            if count > limit:
                earlier[conversation_id] = count - limit
    return chosen, earlier


def read_detail(session: Session, actor: User, ticket: Ticket,
                first_messages: int | None = None,
                last_messages: int | None = None) -> TicketDetail:
    """The detail of ``ticket``, which the caller checked ``actor`` may see, read in the
    caller's transaction (``ticket_open.open_ticket`` reads it with the rest of the view)."""
    options = [joinedload(Conversation.inbox),
               joinedload(Conversation.contact).joinedload(Contact.company)]
    if first_messages is None and last_messages is None:
        options.append(selectinload(Conversation.messages).selectinload(Message.attachments))
    conversations = session.scalars(
        select(Conversation)
        .where(Conversation.ticket_id == ticket.id, Conversation.spam_at.is_(None))
        .order_by(Conversation.created_at, Conversation.id)
        .options(*options)
    ).unique().all()
    chosen: dict[int, list[Message] | None] = {c.id: None for c in conversations}
    if first_messages is not None:
        for conversation in conversations:  # a seek on ix_messages_conversation_sent each
            chosen[conversation.id] = list(session.scalars(
                select(Message).where(Message.conversation_id == conversation.id)
                .order_by(Message.sent_at, Message.id).limit(first_messages)
                .options(selectinload(Message.attachments))))
    earlier: dict[int, int] = {}
    if last_messages is not None:
        newest, earlier = newest_messages(session, list(chosen), last_messages)
        chosen.update(newest)
    activities = () if first_messages is not None else session.scalars(
        select(Activity).where(Activity.ticket_id == ticket.id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .options(joinedload(Activity.actor))
    ).all()
    row = load_rows(session, actor, [ticket.id])[ticket.id]
    return TicketDetail(
        row=row, description=ticket.description, pipeline=pipeline_info(ticket.pipeline),
        inbox_id=ticket.inbox_id, updated_at=ticket.updated_at,
        conversations=tuple(conversation_info(c, chosen[c.id], earlier.get(c.id, 0))
                            for c in conversations),
        contacts=tuple(contact_info(c) for c in ticket.contacts),
        companies=tuple(company_info(c) for c in ticket.companies),
        deals=tuple(deal_info(d) for d in ticket.deals),
        activities=tuple(activity_info(a) for a in activities),
    )


