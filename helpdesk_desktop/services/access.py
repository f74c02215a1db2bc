"""Who may see and do what. Every query and every operation goes through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import AccessScope, TicketState, View
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Ticket, User
from helpdesk_desktop.domain.rules import MAX_ID, may_own_tickets
from helpdesk_desktop.services.id_lists import chunks
from helpdesk_desktop.services.uow import locks_rows
from helpdesk_desktop.storage.database import PREPARED

_PREPARED = {PREPARED: True}


class Agent(Protocol):
    """What the access rules read of a user: a ``User`` row, or the demo's plain record."""

    @property
    def id(self) -> int: ...
    @property
    def team_id(self) -> int | None: ...
    @property
    def scope(self) -> AccessScope: ...
    @property
    def super_admin(self) -> bool: ...
    @property
    def help_desk_access(self) -> bool: ...


def effective_scope(user: Agent) -> AccessScope:
    return AccessScope.ALL if user.super_admin else user.scope


def visible_clause(user: User) -> ColumnElement[bool]:
    """SQL condition: ``Ticket`` rows within the user's access scope."""
    if not (user.help_desk_access or user.super_admin):
        return false()
    scope = effective_scope(user)
    if scope is AccessScope.ALL:
        return true()
    if scope is AccessScope.TEAM and user.team_id is not None:
        team_members = select(User.id).where(User.team_id == user.team_id).scalar_subquery()
        return or_(Ticket.owner_id.is_(None), Ticket.owner_id.in_(team_members))
    return or_(Ticket.owner_id.is_(None), Ticket.owner_id == user.id)


def can_see_owner(user: Agent, owner: Agent | None) -> bool:
    """Whether ``user`` may see a ticket owned by ``owner`` (``None``: unassigned)."""
    if not (user.help_desk_access or user.super_admin):
        return False
    scope = effective_scope(user)
    if scope is AccessScope.ALL or owner is None or owner.id == user.id:
        return True
    if scope is AccessScope.TEAM:
        return user.team_id is not None and owner.team_id == user.team_id
    return False


def can_see(user: User, ticket: Ticket) -> bool:
    if "owner" in ticket.__dict__ or effective_scope(user) is AccessScope.TEAM:
        return can_see_owner(user, ticket.owner)
    # The other scopes ask only whether there is an owner and who: the owner's row, not yet
    # loaded, is not read (a statement less for every ticket opened).
    if not (user.help_desk_access or user.super_admin):
        return False
    return (effective_scope(user) is AccessScope.ALL or ticket.owner_id is None
            or ticket.owner_id == user.id)


def get_visible_ticket(
    session: Session,
    user: User,
    ticket_id: int,
    *,
    states: tuple[TicketState, ...] = (TicketState.LIVE,),
    follow_merges: bool = True,
) -> Ticket:
    """The ticket ``ticket_id`` as ``user`` may see it, or :class:`NotFound`.

    A merged ticket's old id redirects to the survivor when ``follow_merges`` is on. A ticket
    outside the user's scope is reported as not found, so its existence does not leak.
    """
    ticket = _get_ticket(session, ticket_id) if 0 < ticket_id <= MAX_ID else None
    if follow_merges:
        ticket = merge_survivor(session, ticket)
    if ticket is None or not can_see(user, ticket) or ticket.state not in states:
        raise NotFound(_("Ticket #{ticket_id} does not exist or you cannot see it.").format(
                           ticket_id=ticket_id))
    return ticket


def merge_survivor(session: Session, ticket: Ticket | None) -> Ticket | None:
    """``ticket``, or the ticket it was merged into (following a chain of merges)."""
    hops = 0
    while (ticket is not None and ticket.state is TicketState.MERGED
           and ticket.merged_into_id is not None and hops < 100):
        ticket = _get_ticket(session, ticket.merged_into_id)
        hops += 1
    return ticket


def _get_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """The ticket, locked (and re-read) when the operation writes on PostgreSQL."""
    if locks_rows(session):
        return session.get(Ticket, ticket_id, with_for_update=True, populate_existing=True)
    # By its key: prepared, planned once per connection on PostgreSQL.
    return session.get(Ticket, ticket_id, execution_options=_PREPARED)


def lock_tickets(session: Session, ticket_ids: Iterable[int]) -> None:
    """Lock the tickets a writing operation is about to read, in id order, so that two
    operations on overlapping tickets queue instead of deadlocking (PostgreSQL; on SQLite
    the write lock taken at ``BEGIN IMMEDIATE`` already serializes them)."""
    ids = sorted({int(i) for i in ticket_ids if 0 < int(i) <= MAX_ID})
    if ids and locks_rows(session):
        for chunk in chunks(ids):
            session.execute(select(Ticket.id).where(Ticket.id.in_(chunk))
                            .order_by(Ticket.id).with_for_update()).all()


def reason_cannot_own(owner: User) -> str | None:
    """Why ``owner`` may not own tickets (``None``: they may)."""
    if may_own_tickets(owner):
        return None
    return _("{name} has no access to the help desk and could not see the ticket; "
             "choose another owner.").format(name=owner.name)


def assignable_owner(session: Session, owner_id: int) -> User:
    """The active user ``owner_id``, who may own tickets; else :class:`NotFound` or
    :class:`InvalidInput` with the reason."""
    owner = session.get(User, owner_id) if 0 < owner_id <= MAX_ID else None
    if owner is None or not owner.active:
        raise NotFound(_("User #{owner_id} does not exist.").format(owner_id=owner_id))
    reason = reason_cannot_own(owner)
    if reason is not None:
        raise InvalidInput(reason)
    return owner


# Capability checks. Each raises a PermissionDenied whose text the UI also shows as the reason
# a disabled action gives in its tooltip.

def reason_missing_service_seat(user: User) -> str | None:
    if user.super_admin or user.service_seat:
        return None
    return _("Needs a service seat.")


def reason_missing_delete(user: User) -> str | None:
    if user.super_admin or user.can_delete_tickets:
        return None
    return _("Needs the delete permission.")


def reason_missing_account_access(user: User) -> str | None:
    if user.super_admin or user.account_access:
        return None
    return _("Needs account access (super admin).")


def require(reason: str | None) -> None:
    """Raise :class:`PermissionDenied` with ``reason`` unless it is ``None``."""
    if reason is not None:
        raise PermissionDenied(reason)


# Views that show tickets out of the live lists; both need the delete permission.
RESTRICTED_VIEWS = (View.SPAM, View.RECENTLY_DELETED)


def require_view(view: View, user: User) -> None:
    """Refuse a restricted view to a user without the delete permission."""
    if view in RESTRICTED_VIEWS:
        require(reason_missing_delete(user))
