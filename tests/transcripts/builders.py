"""Data objects for transcript tests, built directly (no database needed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from helpdesk_desktop.domain.enums import (
    AccessScope,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    TicketState,
)
from helpdesk_desktop.services.dto import (
    AttachmentInfo,
    CompanyInfo,
    ContactInfo,
    ConversationInfo,
    MessageInfo,
    PipelineInfo,
    StatusInfo,
    TicketDetail,
    TicketRow,
    UserInfo,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MARIE = ContactInfo(id=1, name="Marie Dupont", email="marie@dupont.fr", phone="+33 1 23 45 67 89",
                    company_id=1, company_name="Boulangerie Dupont")


def agent(name: str = "Arno Agent", email: str = "agent@example.com",
          time_zone: str = "Europe/Paris", user_id: int = 10) -> UserInfo:
    return UserInfo(id=user_id, name=name, email=email, role="Agent", team_id=1,
                    team_name="Support", help_desk_access=True, service_seat=True,
                    can_delete_tickets=False, account_access=False, super_admin=False,
                    scope=AccessScope.ALL, notify_record_updates=True, time_zone=time_zone)


def message(message_id: int, kind: MessageKind, text: str, *, conversation_id: int = 1,
            minutes: int | None = None, subject: str = "Printer on fire",
            html: str | None = None, to: str | None = None, cc: str = "",
            author: str | None = None, author_email: str | None = None,
            attachments: Sequence[AttachmentInfo] = ()) -> MessageInfo:
    from_customer = kind in (MessageKind.EMAIL, MessageKind.CHAT)
    return MessageInfo(
        id=message_id, conversation_id=conversation_id, kind=kind,
        direction=(Direction.INCOMING if from_customer else
                   Direction.INTERNAL if kind.is_internal else Direction.OUTGOING),
        author=author or ("Marie Dupont" if from_customer else "Arno Agent"),
        author_email=author_email or ("marie@dupont.fr" if from_customer
                                      else "agent@example.com"),
        author_user_id=None if from_customer else 10,
        to=to if to is not None else ("support@example.com" if from_customer
                                      else "marie@dupont.fr"),
        cc=cc, sent_at=T0 + dt.timedelta(minutes=message_id if minutes is None else minutes),
        subject=subject, text=text, html=html, attachments=tuple(attachments),
    )


def conversation(conversation_id: int, messages: Sequence[MessageInfo], *,
                 subject: str = "Printer on fire", spam: bool = False,
                 contact: ContactInfo | None = MARIE,
                 origin: int | None = None) -> ConversationInfo:
    return ConversationInfo(
        id=conversation_id, ticket_id=1, inbox_id=1, inbox="Help Desk",
        inbox_kind=InboxKind.HELP_DESK, origin_ticket_id=origin, channel=Channel.EMAIL,
        subject=subject, contact=contact, created_at=T0 + dt.timedelta(seconds=conversation_id),
        spam=spam, messages=tuple(messages),
    )


def ticket(conversations: Sequence[ConversationInfo], *, ticket_id: int = 42,
           name: str = "Printer on fire") -> TicketDetail:
    status = StatusInfo(id=1, pipeline_id=1, name="Waiting on us", position=0, is_closed=False)
    row = TicketRow(
        id=ticket_id, name=name, status_id=1, status="Waiting on us", status_closed=False,
        pipeline_id=1, pipeline="Support Pipeline", priority=None, category=None, owner_id=10,
        owner="Arno Agent", owner_email="agent@example.com", contact="Marie Dupont",
        contact_email="marie@dupont.fr", created_at=T0, last_activity_at=T0, closed_at=None,
        unread=False, following=False, state=TicketState.LIVE, source=Channel.EMAIL,
        inbox="Help Desk", version=1, merged_ids=(),
    )
    return TicketDetail(
        row=row, description="", pipeline=PipelineInfo(id=1, name="Support Pipeline",
                                                       statuses=(status,)),
        inbox_id=1, updated_at=T0, conversations=tuple(conversations), contacts=(MARIE,),
        companies=(CompanyInfo(id=1, name="Boulangerie Dupont", domain="dupont.fr"),),
        deals=(), activities=(),
    )


def long_conversation(count: int = 1000) -> TicketDetail:
    """One conversation of ``count`` messages alternating customer and agent, with a note
    every tenth message."""
    messages = []
    for i in range(1, count + 1):
        if i % 10 == 0:
            kind = MessageKind.NOTE
        else:
            kind = MessageKind.EMAIL if i % 2 else MessageKind.REPLY
        text = (f"Message number {i}. " + "The quick brown fox jumps over the lazy dog. " * 3
                + f"\n\nSecond paragraph of message {i}, with a link https://example.org/{i}.")
        messages.append(message(i, kind, text))
    return ticket([conversation(1, messages)])
