"""ORM rows to plain data objects, inside the unit of work that loaded them."""

from __future__ import annotations

from helpdesk_desktop.domain.models import Company, Contact, Deal, Inbox, Pipeline, User
from helpdesk_desktop.services.dto import (
    CompanyInfo,
    ContactInfo,
    DealInfo,
    InboxInfo,
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
