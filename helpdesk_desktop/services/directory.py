"""Who and where: users, pipelines, inboxes, contacts, companies and deals."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.models import Company, Contact, Deal, Inbox, Pipeline, User
from helpdesk_desktop.services.dto import (
    CompanyInfo,
    ContactInfo,
    DealInfo,
    InboxInfo,
    PipelineInfo,
    UserInfo,
)
from helpdesk_desktop.services.mapping import (
    company_info,
    contact_info,
    deal_info,
    inbox_info,
    pipeline_info,
    user_info,
)
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database


def find_user_id(database: Database, email: str) -> int:
    """The id of the active user with this e-mail address, or :class:`NotFound`."""
    with database.session() as session:
        user_id = session.scalar(
            select(User.id).where(func.lower(User.email) == email.strip().lower(),
                                  User.active.is_(True)))
    if user_id is None:
        raise NotFound(f"No user with the e-mail address '{email}'.")
    return user_id


def first_admin_id(database: Database) -> int | None:
    """The first super admin, else the first user: who the program signs in as by default."""
    with database.session() as session:
        return session.scalar(
            select(User.id).where(User.active.is_(True))
            .order_by(User.super_admin.desc(), User.id).limit(1))


def current_user(uow: UnitOfWork) -> UserInfo:
    with uow:
        return user_info(uow.actor)


def list_users(uow: UnitOfWork) -> list[UserInfo]:
    with uow:
        uow.actor  # noqa: B018 - refuses users without help desk access
        users = uow.session.scalars(
            select(User).where(User.active.is_(True)).order_by(User.name)).all()
        return [user_info(u) for u in users]


def list_pipelines(uow: UnitOfWork) -> list[PipelineInfo]:
    with uow:
        uow.actor  # noqa: B018
        pipelines = uow.session.scalars(select(Pipeline).order_by(Pipeline.position,
                                                                  Pipeline.id)).all()
        return [pipeline_info(p) for p in pipelines]


def list_inboxes(uow: UnitOfWork) -> list[InboxInfo]:
    with uow:
        uow.actor  # noqa: B018
        return [inbox_info(i) for i in uow.session.scalars(select(Inbox).order_by(Inbox.id))]


def search_contacts(uow: UnitOfWork, text: str, limit: int = 20) -> list[ContactInfo]:
    pattern = f"%{text.strip().lower()}%"
    with uow:
        uow.actor  # noqa: B018
        rows = uow.session.scalars(
            select(Contact).where(or_(func.lower(Contact.name).like(pattern),
                                      func.lower(Contact.email).like(pattern)))
            .order_by(Contact.name).limit(limit)).all()
        return [contact_info(c) for c in rows]


def search_companies(uow: UnitOfWork, text: str, limit: int = 20) -> list[CompanyInfo]:
    pattern = f"%{text.strip().lower()}%"
    with uow:
        uow.actor  # noqa: B018
        rows = uow.session.scalars(select(Company).where(func.lower(Company.name).like(pattern))
                                   .order_by(Company.name).limit(limit)).all()
        return [company_info(c) for c in rows]


def search_deals(uow: UnitOfWork, text: str, limit: int = 20) -> list[DealInfo]:
    pattern = f"%{text.strip().lower()}%"
    with uow:
        uow.actor  # noqa: B018
        rows = uow.session.scalars(select(Deal).where(func.lower(Deal.name).like(pattern))
                                   .order_by(Deal.name).limit(limit)).all()
        return [deal_info(d) for d in rows]
