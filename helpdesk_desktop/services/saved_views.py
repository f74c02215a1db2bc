"""Saved views: a user's named ticket queries, stored as JSON."""


from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import SavedView, User
from helpdesk_desktop.services import access
from helpdesk_desktop.services.dto import (
    SavedViewInfo,
    TicketQuery,
)
from helpdesk_desktop.services.saved_queries import query_from_json, query_to_json
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_text


def _saved_info(view: SavedView) -> SavedViewInfo:
    return SavedViewInfo(id=view.id, name=view.name, query=query_from_json(view.definition))


def save_view(uow: UnitOfWork, name: str, query: TicketQuery) -> SavedViewInfo:
    """Save ``query`` as the actor's view ``name`` (names are unique per user)."""
    clean = clean_text(name, _("View name"), max_length=200)
    with uow:
        session, actor = uow.session, uow.actor
        access.require(access.reason_missing_service_seat(actor))
        access.require_view(query.view, actor)
        taken = session.scalar(select(SavedView.id).where(SavedView.user_id == actor.id,
                                                          SavedView.name == clean))
        if taken is not None:
            raise InvalidInput(_("You already have a view named '{clean}'.").format(clean=clean))
        view = SavedView(user_id=actor.id, name=clean, definition=query_to_json(query),
                         created_at=uow.now)
        session.add(view)
        session.flush()
        info = _saved_info(view)
        uow.commit()
        return info


def list_saved_views(uow: UnitOfWork) -> list[SavedViewInfo]:
    """The actor's saved views, by name."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        access.require(access.reason_missing_service_seat(actor))
        views = session.scalars(select(SavedView).where(SavedView.user_id == actor.id)
                                .order_by(SavedView.name, SavedView.id))
        return [_saved_info(v) for v in views]


def delete_saved_view(uow: UnitOfWork, view_id: int) -> None:
    """Delete one of the actor's saved views."""
    with uow:
        session, actor = uow.session, uow.actor
        access.require(access.reason_missing_service_seat(actor))
        view = session.get(SavedView, view_id)
        if view is None or view.user_id != actor.id:
            raise NotFound(_("Saved view #{view_id} does not exist.").format(view_id=view_id))
        session.delete(view)
        uow.commit()


def resolve(session: Session, actor: User, query: TicketQuery) -> TicketQuery:
    """The query a saved view stands for: its view, filters and search; the caller's sort
    (so that clicking a column header sorts a saved view too) and the caller's search when set."""
    if query.saved_view_id is None:
        return query
    saved = session.get(SavedView, query.saved_view_id)
    if saved is None or saved.user_id != actor.id:
        raise NotFound(_("Saved view #{saved_view_id} does not exist.").format(
                           saved_view_id=query.saved_view_id))
    stored = query_from_json(saved.definition)
    return TicketQuery(view=stored.view, saved_view_id=None, filters=stored.filters,
                       search=query.search or stored.search, sort=query.sort,
                       descending=query.descending)
