"""Who and where: users, pipelines, inboxes, contacts, companies and deals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.i18n import _
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
from helpdesk_desktop.services.validation import without_nul
from helpdesk_desktop.storage.database import Database

_Info = TypeVar("_Info")


def find_user_id(database: Database, email: str) -> int:
    """The id of the active user with this e-mail address, or :class:`NotFound`."""
    with database.session() as session:
        user_id = session.scalar(
            select(User.id).where(func.lower(User.email) == email.strip().lower(),
                                  User.active.is_(True)))
    if user_id is None:
        raise NotFound(_("No user with the e-mail address '{email}'.").format(email=email))
    return user_id


def first_admin_id(database: Database) -> int | None:
    """The first super admin, else the first user: who the program signs in as by default."""
    with database.session() as session:
        return session.scalar(
            select(User.id).where(User.active.is_(True))
            .order_by(User.super_admin.desc(), User.id).limit(1))


def current_user(uow: UnitOfWork) -> UserInfo:
    with uow.read_only():
        return user_info(uow.actor)


def list_users(uow: UnitOfWork) -> list[UserInfo]:
    with uow.read_only():
        uow.actor  # noqa: B018 - refuses users without help desk access
        users = uow.session.scalars(
            select(User).where(User.active.is_(True)).order_by(User.name)
            .options(selectinload(User.team))).all()
        return [user_info(u) for u in users]


def list_pipelines(uow: UnitOfWork) -> list[PipelineInfo]:
    with uow.read_only():
        uow.actor  # noqa: B018
        pipelines = uow.session.scalars(
            select(Pipeline).order_by(Pipeline.position, Pipeline.id)
            .options(selectinload(Pipeline.statuses))).all()
        return [pipeline_info(p) for p in pipelines]


def list_inboxes(uow: UnitOfWork) -> list[InboxInfo]:
    with uow.read_only():
        uow.actor  # noqa: B018
        return [inbox_info(i) for i in uow.session.scalars(select(Inbox).order_by(Inbox.id))]


def search_contacts(uow: UnitOfWork, text: str, limit: int = 20) -> list[ContactInfo]:
    """Contacts whose name or e-mail address contains ``text`` (any case), by name."""
    return _search(uow, Contact, (Contact.name, Contact.email), text, limit, contact_info,
                   selectinload(Contact.company))


def search_companies(uow: UnitOfWork, text: str, limit: int = 20) -> list[CompanyInfo]:
    """Companies whose name contains ``text`` (any case), by name."""
    return _search(uow, Company, (Company.name,), text, limit, company_info)


def search_deals(uow: UnitOfWork, text: str, limit: int = 20) -> list[DealInfo]:
    """Deals whose name contains ``text`` (any case), by name."""
    return _search(uow, Deal, (Deal.name,), text, limit, deal_info)


def _search(uow: UnitOfWork, model: Any, columns: Sequence[Any], text: str, limit: int,
            to_info: Callable[[Any], _Info], *options: Any) -> list[_Info]:
    words = without_nul(text).strip().lower()
    with uow.read_only():
        uow.actor  # noqa: B018 - refuses users without help desk access
        rows = uow.session.scalars(
            select(model)
            # autoescape: a "%" or "_" the user types is that character, not a wildcard.
            .where(or_(*(func.lower(c).contains(words, autoescape=True) for c in columns)))
            .order_by(model.name, model.id).limit(limit).options(*options)).all()
        return [to_info(row) for row in rows]
