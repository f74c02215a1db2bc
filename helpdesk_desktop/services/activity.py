"""The activity timeline, and what follows from each new entry: the ticket's last activity,
the author's own read state, and notifications to followers.

An entry's sentence is kept as an English ``summary`` and, when it has arguments, as the
sentence itself in ``data["sentence"]`` (:mod:`helpdesk_desktop.domain.sentences`), so that a
reader sees it in their own language (:func:`summary_text`)."""

from __future__ import annotations

from types import EllipsisType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from helpdesk_desktop.domain.enums import ActivityKind
from helpdesk_desktop.domain.models import Activity, Follower, Notification, Ticket, User
from helpdesk_desktop.domain.sentences import Sentence, shown
from helpdesk_desktop.services import read_state
from helpdesk_desktop.services.access import can_see
from helpdesk_desktop.services.uow import UnitOfWork


def record_activity(
    uow: UnitOfWork,
    ticket: Ticket,
    kind: ActivityKind,
    summary: Sentence,
    data: dict[str, Any] | None = None,
    *,
    actor_id: int | None | EllipsisType = ...,
    notify: bool = True,
    moved_on: bool = False,
) -> Activity:
    """Append a timeline entry to ``ticket`` and notify its followers.

    The actor defaults to the unit of work's user; pass ``actor_id=None`` for a customer.
    The author's own activity does not make the ticket unread for them: if they were up to
    date before, they stay up to date. ``moved_on``: the caller's own ``UPDATE`` of the
    (locked) ticket has already moved its last activity on to at least now; the ORM is told
    the new value instead of writing it in an ``UPDATE`` of its own.
    """
    session = uow.session
    actor = uow.actor_id if isinstance(actor_id, EllipsisType) else actor_id
    english, data = summary_columns(summary, data)
    entry = Activity(ticket_id=ticket.id, actor_id=actor, kind=kind, created_at=uow.now,
                     summary=english, data=data)
    session.add(entry)
    if actor is not None:
        state = read_state.get_read_state(session, ticket.id, actor)
        up_to_date = (state is None and kind is ActivityKind.CREATED) or (
            state is not None and not read_state.is_unread(state, ticket.last_activity_at)
        )
        if up_to_date:
            read_state.set_read(session, ticket.id, actor, uow.now)
    moved = max(ticket.last_activity_at or uow.now, uow.now)
    if moved_on:
        set_committed_value(ticket, "last_activity_at", moved)
    else:
        ticket.last_activity_at = moved
    session.flush()
    if notify:
        _notify_followers(uow, ticket, entry)
    return entry


def summary_columns(said: Sentence, data: dict[str, Any] | None = None
                    ) -> tuple[str, dict[str, Any]]:
    """The ``summary`` (English) and ``data`` columns of an entry saying ``said``: the data
    keeps the sentence when it has arguments (one without is its own English text, which
    :func:`summary_text` looks up in the catalogue), so bulk inserts stay small."""
    if not said.args and said.plural is None:  # the demo writes millions of these
        return said.msgid, data if data is not None else {}
    data = dict(data or {})
    data["sentence"] = said.to_json()
    return said.english(), data


def summary_text(summary: str, data: Any) -> str:
    """An entry's sentence in the current language (an entry written before sentences were
    kept: its English summary, translated when it is a sentence of the catalogue)."""
    stored = data.get("sentence") if isinstance(data, dict) else None
    return shown(stored, summary)


def _notify_followers(uow: UnitOfWork, ticket: Ticket, entry: Activity) -> None:
    session = uow.session
    followers = session.scalars(
        select(User).join(Follower, Follower.user_id == User.id).where(
            Follower.ticket_id == ticket.id,
            User.notify_record_updates.is_(True),
            User.active.is_(True),
        )
    ).all()
    for user in followers:
        if user.id == entry.actor_id or not can_see(user, ticket):
            continue
        session.add(Notification(user_id=user.id, ticket_id=ticket.id, activity_id=entry.id,
                                 created_at=uow.now))


def notify_users(uow: UnitOfWork, ticket: Ticket, entry: Activity, users: list[User]) -> None:
    """Notify ``users`` of ``entry`` even if they do not follow the ticket (an @mention);
    a follower already notified of it is not notified twice."""
    session = uow.session
    session.flush()
    already = set(session.scalars(select(Notification.user_id).where(
        Notification.activity_id == entry.id)))
    for user in users:
        if user.id == entry.actor_id or user.id in already or not can_see(user, ticket):
            continue
        session.add(Notification(user_id=user.id, ticket_id=ticket.id, activity_id=entry.id,
                                 created_at=uow.now))
