"""A user's notifications: what happened on the tickets they follow."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import aliased
from typing_extensions import TypeVarTuple

from helpdesk_desktop.domain.models import Activity, Notification, Ticket, User
from helpdesk_desktop.services import access
from helpdesk_desktop.services.activity import summary_text
from helpdesk_desktop.services.dto import NotificationInfo
from helpdesk_desktop.services.listing import visible_states
from helpdesk_desktop.services.uow import UnitOfWork


def _still_visible(user: User) -> list[ColumnElement[bool]]:
    return [Notification.user_id == user.id, access.visible_clause(user),
            Ticket.state.in_(visible_states(user))]


Columns = TypeVarTuple("Columns")

def _base(statement: Select[*Columns]) -> Select[*Columns]:
    return statement.select_from(Notification).join(Ticket, Ticket.id == Notification.ticket_id)


def list_notifications(uow: UnitOfWork, *, limit: int = 50,
                       unread_only: bool = False) -> list[NotificationInfo]:
    """The actor's notifications, newest first, for tickets they can still see."""
    actor_user = aliased(User, name="notification_actor")
    with uow.read_only():
        actor = uow.actor
        statement = (
            _base(select(Notification.id, Notification.ticket_id, Ticket.name, Activity.kind,
                         Activity.summary, Activity.data, actor_user.name.label("actor"),
                         Notification.created_at, Notification.read_at))
            .join(Activity, Activity.id == Notification.activity_id)
            .outerjoin(actor_user, actor_user.id == Activity.actor_id)
            .where(*_still_visible(actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(max(1, limit))
        )
        if unread_only:
            statement = statement.where(Notification.read_at.is_(None))
        return [NotificationInfo(id=r.id, ticket_id=r.ticket_id, ticket_name=r.name,
                                 activity_kind=r.kind,
                                 summary=summary_text(r.summary, r.data), actor=r.actor,
                                 created_at=r.created_at, read=r.read_at is not None)
                for r in uow.session.execute(statement)]


def unread_count(uow: UnitOfWork) -> int:
    """How many unread notifications the actor has (on tickets they can still see)."""
    with uow.read_only():
        actor = uow.actor
        return int(uow.session.scalar(
            _base(select(func.count()))
            .where(*_still_visible(actor), Notification.read_at.is_(None))) or 0)


def mark_read(uow: UnitOfWork, notification_ids: Sequence[int] | None = None) -> int:
    """Mark the actor's notifications read (``None``: all of them); returns how many changed."""
    with uow:
        actor = uow.actor
        statement = (update(Notification)
                     .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
                     .values(read_at=uow.now)
                     .execution_options(synchronize_session=False))
        if notification_ids is not None:
            ids = sorted({int(i) for i in notification_ids})
            if not ids:
                return 0
            statement = statement.where(Notification.id.in_(ids))
        changed = int(uow.session.execute(statement).rowcount)  # type: ignore[attr-defined]
        uow.commit()
        return changed


def set_preference(uow: UnitOfWork, enabled: bool) -> None:
    """Turn the actor's notifications about followed tickets on or off."""
    with uow:
        uow.actor.notify_record_updates = bool(enabled)
        uow.commit()
