"""ORM rows to plain data objects, inside the unit of work that loaded them."""

from __future__ import annotations

from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Company,
    Contact,
    Conversation,
    Deal,
    Inbox,
    Message,
    Pipeline,
    User,
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
    InboxInfo,
    MessageInfo,
    PipelineInfo,
    StatusInfo,
    UserInfo,
)


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id, name=user.name, email=user.email, role=user.role, team_id=user.team_id,
        team_name=user.team.name if user.team else None, help_desk_access=user.help_desk_access,
        service_seat=user.service_seat, can_delete_tickets=user.can_delete_tickets,
        account_access=user.account_access, super_admin=user.super_admin, scope=user.scope,
        notify_record_updates=user.notify_record_updates, time_zone=user.time_zone,
    )


def pipeline_info(pipeline: Pipeline) -> PipelineInfo:
    return PipelineInfo(
        id=pipeline.id, name=pipeline.name,
        statuses=tuple(StatusInfo(id=s.id, pipeline_id=s.pipeline_id, name=s.name,
                                  position=s.position, is_closed=s.is_closed)
                       for s in pipeline.statuses),
    )


def inbox_info(inbox: Inbox) -> InboxInfo:
    return InboxInfo(id=inbox.id, name=inbox.name, kind=inbox.kind, channel=inbox.channel)


def contact_info(contact: Contact) -> ContactInfo:
    return ContactInfo(id=contact.id, name=contact.name, email=contact.email, phone=contact.phone,
                       company_id=contact.company_id,
                       company_name=contact.company.name if contact.company else None)


def company_info(company: Company) -> CompanyInfo:
    return CompanyInfo(id=company.id, name=company.name, domain=company.domain)


def deal_info(deal: Deal) -> DealInfo:
    return DealInfo(id=deal.id, name=deal.name, amount_cents=deal.amount_cents, stage=deal.stage)


def attachment_info(attachment: Attachment) -> AttachmentInfo:
    """An attachment's description; the bytes stay in the database."""
    return AttachmentInfo(id=attachment.id, filename=attachment.filename,
                          content_type=attachment.content_type, size=attachment.size)


def message_info(message: Message) -> MessageInfo:
    outbox = message.outbox_item
    return MessageInfo(
        id=message.id, conversation_id=message.conversation_id, kind=message.kind,
        direction=message.direction, author=message.author_name or (message.author_email or ""),
        author_email=message.author_email, author_user_id=message.author_user_id,
        to=message.to_addresses, cc=message.cc_addresses, sent_at=message.sent_at,
        subject=message.subject, text=message.body_text, html=message.body_html,
        attachments=tuple(attachment_info(a) for a in message.attachments),
        message_id_header=message.message_id_header,
        omitted_files=tuple(line for line in (message.intake_note or "").split("\n") if line),
        send_state=outbox.state.value if outbox is not None else None,
        outbox_id=outbox.id if outbox is not None else None,
        send_error=(shown(outbox.error_sentence, outbox.last_error)
                    if outbox is not None and outbox.last_error else None),
    )


def conversation_info(conversation: Conversation, messages: list[Message] | None = None,
                      earlier: int = 0) -> ConversationInfo:
    """A conversation with ``messages`` (default: all of its messages, oldest first);
    ``earlier``: how many messages older than those were left out."""
    chosen = conversation.messages if messages is None else messages
    return ConversationInfo(
        id=conversation.id, ticket_id=conversation.ticket_id, inbox_id=conversation.inbox_id,
        inbox=conversation.inbox.name, inbox_kind=conversation.inbox.kind,
        origin_ticket_id=conversation.origin_ticket_id, channel=conversation.channel,
        subject=conversation.subject,
        contact=contact_info(conversation.contact) if conversation.contact else None,
        created_at=conversation.created_at, spam=conversation.spam_at is not None,
        messages=tuple(message_info(m) for m in chosen), earlier=earlier,
    )


def activity_info(activity: Activity) -> ActivityInfo:
    return ActivityInfo(
        id=activity.id, ticket_id=activity.ticket_id, kind=activity.kind,
        actor=activity.actor.name if activity.actor else None, actor_id=activity.actor_id,
        created_at=activity.created_at, summary=summary_text(activity.summary, activity.data),
        data={k: v for k, v in (activity.data or {}).items() if k != "sentence"},
    )
