"""One ticket: reading it (with its attachments and inline images), and each agent's own
relation to tickets: following and read state. Editing is in :mod:`.ticket_edits`, replies,
notes and comments in :mod:`.replies`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import ActivityKind
from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import (
    Attachment,
    Conversation,
    Follower,
    Message,
    ReadState,
    Ticket,
    User,
)
from helpdesk_desktop.domain.sentences import sentence
from helpdesk_desktop.services import access, detail_read, read_state, undo_journal
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import (
    Bulk,
    BulkResult,
    OpResult,
    Refusal,
    SetFollowing,
    SetRead,
    TicketDetail,
)
from helpdesk_desktop.services.id_lists import chunks, distinct_tickets
from helpdesk_desktop.services.listing import visible_states
from helpdesk_desktop.services.ticket_edits import refusals_note
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.upsert import insert_ignoring_existing

# -- reading -------------------------------------------------------------------------------


def get_ticket(uow: UnitOfWork, ticket_id: int, *, mark_read: bool = False,
               first_messages: int | None = None,
               last_messages: int | None = None) -> TicketDetail:
    """Everything about one ticket (a merged id opens the survivor).

    Spam and deleted tickets open only for users with the delete permission. ``mark_read``
    marks the ticket read for the acting user only. With ``first_messages`` the detail holds
    only the oldest ``first_messages`` messages of each conversation and no activity: enough
    to show the start of a long ticket at once (a print preview's first page). With
    ``last_messages`` it holds the newest ``last_messages`` of each conversation, and each
    conversation's ``earlier`` says how many older ones were not read (the ticket view shows
    the end of a long thread at once; :func:`thread_pages.earlier_messages` reads the rest).
    """
    with uow if mark_read else uow.read_only():
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id,
                                           states=visible_states(actor))
        if mark_read:
            read_state.set_read(session, ticket.id, actor.id, uow.now)
            session.flush()
        detail = read_detail(session, actor, ticket, first_messages, last_messages)
        if mark_read:
            uow.commit()
        return detail


def read_detail(session: Session, actor: User, ticket: Ticket,
                first_messages: int | None = None,
                last_messages: int | None = None) -> TicketDetail:
    """The detail of ``ticket``, which the caller checked ``actor`` may see, read in the
    caller's transaction (``ticket_open.open_ticket`` reads it with the rest of the view):
    a few Core statements, :mod:`.detail_read`."""
    return detail_read.read_detail(session, actor, ticket, first_messages, last_messages)


def get_attachment_content(uow: UnitOfWork, attachment_id: int) -> tuple[str, bytes]:
    """The file name and bytes of an attachment of a ticket the actor may see."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        row = session.execute(
            select(Attachment.filename, Attachment.content, Conversation.ticket_id,
                   Conversation.spam_at)
            .join(Message, Message.id == Attachment.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Attachment.id == attachment_id)
        ).first()
        missing = NotFound(_("Attachment #{attachment_id} does not exist or you "
                             "cannot see it.").format(attachment_id=attachment_id))
        if row is None or row.ticket_id is None:
            raise missing
        try:
            access.get_visible_ticket(session, actor, row.ticket_id,
                                      states=visible_states(actor), follow_merges=False)
        except NotFound:
            raise missing from None
        if row.spam_at is not None and access.reason_missing_delete(actor) is not None:
            raise missing
        return row.filename, bytes(row.content or b"")


def get_inline_image(uow: UnitOfWork, message_id: int, content_id: str) -> bytes | None:
    """The bytes of the image part ``content_id`` (``<id>``) of a message the actor may see,
    or None: what a ``cid:`` image in the message's HTML shows."""
    with uow.read_only():
        session = uow.session
        attachment_id = session.scalars(
            select(Attachment.id).where(Attachment.message_id == message_id,
                                        Attachment.content_id == content_id,
                                        Attachment.content_type.like("image/%"))
            .order_by(Attachment.id).limit(1)).first()
    if attachment_id is None:
        return None
    try:
        return get_attachment_content(uow, attachment_id)[1]
    except NotFound:
        return None


def conversation_counts(uow: UnitOfWork, ticket_ids: Sequence[int]) -> dict[int, int]:
    """How many conversations (not spam) each of these tickets the actor sees has: what a
    dialog shows without reading whole tickets."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        counts: dict[int, int] = {}
        for chunk in chunks(distinct_tickets(ticket_ids)):
            visible = select(Ticket.id).where(Ticket.id.in_(chunk), access.visible_clause(actor),
                                              Ticket.state.in_(visible_states(actor)))
            counts.update((i, 0) for i in session.scalars(visible))
            for ticket_id, count in session.execute(
                    select(Conversation.ticket_id, func.count()).where(
                        Conversation.ticket_id.in_(visible), Conversation.spam_at.is_(None))
                    .group_by(Conversation.ticket_id)):
                if ticket_id is not None:
                    counts[ticket_id] = count
        return counts


# -- following and read state --------------------------------------------------------------


def _visible_tickets(session: Session, actor: User, ticket_ids: Sequence[int]
                     ) -> tuple[list[Ticket], list[Refusal]]:
    """The tickets of ``ticket_ids`` the actor sees, and a refusal for each other one;
    :class:`NotFound` when it sees none of them."""
    wanted = distinct_tickets(ticket_ids)
    found: dict[int, Ticket] = {}
    for chunk in chunks(wanted):
        found.update((t.id, t) for t in session.scalars(
            select(Ticket).where(Ticket.id.in_(chunk), access.visible_clause(actor),
                                 Ticket.state.in_(visible_states(actor)))))
    refusals = [Refusal(i, _("Ticket #{ticket_id} does not exist or you cannot see it.").format(
                    ticket_id=i))
                for i in wanted if i not in found]
    if refusals and not found:
        raise NotFound(refusals[0].reason)
    return [found[i] for i in wanted if i in found], refusals


def _set_following(uow: UnitOfWork, ticket_ids: Sequence[int], on: bool) -> BulkResult:
    session, actor = uow.session, uow.actor
    tickets, refusals = _visible_tickets(session, actor, ticket_ids)
    ids = [t.id for t in tickets]
    already = set(session.scalars(select(Follower.ticket_id).where(
        Follower.user_id == actor.id, Follower.ticket_id.in_(ids))))
    to_change = [t for t in tickets if (t.id in already) != on]
    kind = ActivityKind.FOLLOWED if on else ActivityKind.UNFOLLOWED
    switched: list[int] = []
    for ticket in to_change:
        if on:
            written = insert_ignoring_existing(
                session, Follower.__table__,  # type: ignore[arg-type]
                {"ticket_id": ticket.id, "user_id": actor.id, "since": uow.now})
        else:
            written = session.execute(delete(Follower).where(
                Follower.ticket_id == ticket.id, Follower.user_id == actor.id)
            ).rowcount == 1  # type: ignore[attr-defined]
        if not written:  # the same user did it a moment ago, from another window
            continue
        switched.append(ticket.id)
        # Following is personal: it must not re-sort lists or make the ticket unread for others.
        last_activity = ticket.last_activity_at
        record_activity(uow, ticket, kind,
                        sentence("{name} started following", name=actor.name) if on
                        else sentence("{name} stopped following", name=actor.name),
                        notify=False)
        ticket.last_activity_at = last_activity
    changed = tuple(switched)
    count = len(ids)
    message = (ngettext("Following {count} ticket.", "Following {count} tickets.", count) if on
               else ngettext("No longer following {count} ticket.",
                             "No longer following {count} tickets.", count)).format(count=count)
    message += refusals_note(refusals)
    result = OpResult(message, changed_ticket_ids=tuple(ids),
                      payload=Bulk(tuple(ids), tuple(refusals)),
                      reversal=SetFollowing(changed, not on) if changed else None)
    undo_journal.remember(uow, result)  # with the change, in its transaction
    uow.commit()
    return result


def follow(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Follow tickets (already followed ones stay so; unseen ones are refused)."""
    with uow:
        return _set_following(uow, ticket_ids, True)


def unfollow(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Stop following tickets."""
    with uow:
        return _set_following(uow, ticket_ids, False)


def _set_read(uow: UnitOfWork, ticket_ids: Sequence[int], read: bool) -> BulkResult:
    session, actor = uow.session, uow.actor
    tickets, refusals = _visible_tickets(session, actor, ticket_ids)
    ids = [t.id for t in tickets]
    unread_before = {i for i, unread in _unread_now(session, tickets, actor.id).items()
                     if unread}
    read_state.set_many(session, ids, actor.id, uow.now if read else None)
    flipped = tuple(i for i in ids if (i in unread_before) == read)
    count = len(ids)
    message = (ngettext("Marked {count} ticket as read.", "Marked {count} tickets as read.",
                        count) if read
               else ngettext("Marked {count} ticket as unread.",
                             "Marked {count} tickets as unread.", count)).format(count=count)
    message += refusals_note(refusals)
    result = OpResult(message, changed_ticket_ids=tuple(ids),
                      payload=Bulk(tuple(ids), tuple(refusals)),
                      reversal=SetRead(flipped, not read) if flipped else None)
    undo_journal.remember(uow, result)  # with the change, in its transaction
    uow.commit()
    return result


def _unread_now(session: Session, tickets: Sequence[Ticket], user_id: int) -> dict[int, bool]:
    states: dict[int, ReadState] = {}
    for chunk in chunks([t.id for t in tickets]):
        states.update((s.ticket_id, s) for s in session.scalars(select(ReadState).where(
            ReadState.user_id == user_id, ReadState.ticket_id.in_(chunk))))
    return {t.id: read_state.is_unread(states.get(t.id), t.last_activity_at) for t in tickets}


def mark_read(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Mark tickets read for the acting user only."""
    with uow:
        return _set_read(uow, ticket_ids, True)


def mark_unread(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Mark tickets unread for the acting user only."""
    with uow:
        return _set_read(uow, ticket_ids, False)
