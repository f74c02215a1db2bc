"""Moving a conversation between the help desk and the conversations inboxes, and the inbox view.

A conversation moved out of the help desk keeps its ticket: the ticket stays in the help desk
with the pipeline and status chosen for it, and the conversation lives on in the other inbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Direction,
    InboxKind,
    MessageKind,
    TicketState,
)
from helpdesk_desktop.domain.errors import Conflict, HelpDeskError, InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Inbox,
    Message,
    Pipeline,
    Status,
    Ticket,
    User,
)
from helpdesk_desktop.domain.sentences import sentence
from helpdesk_desktop.services import read_state, undo_journal
from helpdesk_desktop.services.access import (
    assignable_owner,
    can_see,
    reason_cannot_own,
    reason_missing_account_access,
    require,
    visible_clause,
)
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import (
    UNSET,
    Bulk,
    BulkResult,
    ConversationInfo,
    MoveBack,
    MoveBackMany,
    MoveDone,
    OpResult,
    Refusal,
)
from helpdesk_desktop.services.id_lists import chunks, distinct_tickets
from helpdesk_desktop.services.mapping import conversation_info
from helpdesk_desktop.services.ticket_edits import bulk_sentence
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_text
from helpdesk_desktop.services.workspace import default_pipeline, first_status


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final[Any] = _Unchanged()
"""Default of ``owner_id``: keep the current owner (``None`` means unassign)."""


def move_conversation(
    uow: UnitOfWork,
    conversation_id: int,
    to_inbox_id: int,
    *,
    owner_id: int | None | Any = UNCHANGED,
    pipeline_id: int | None = None,
    status_id: int | None = None,
    comment: str | None = None,
    expect_inbox_id: int | None = None,
) -> OpResult[MoveDone]:
    """Move a conversation to another inbox (needs account access).

    Into the help desk: a conversation without a ticket gets one (named after its subject, in
    ``pipeline_id`` or the first pipeline, with ``status_id`` or the first status). Out of the
    help desk: ``pipeline_id`` and ``status_id`` are required and set on the ticket, which stays
    in the help desk. ``owner_id`` changes the ticket's owner; ``comment`` is left on the
    conversation as an internal comment.
    """
    with uow:
        result = _move(uow, conversation_id, to_inbox_id, owner_id=owner_id,
                       pipeline_id=pipeline_id, status_id=status_id, comment=comment,
                       expect_inbox_id=expect_inbox_id)
        undo_journal.remember(uow, result)
        uow.commit()
        return result


def move_many(
    uow: UnitOfWork,
    conversation_ids: Sequence[int],
    to_inbox_id: int,
    *,
    owner_id: int | None | Any = UNCHANGED,
    pipeline_id: int | None = None,
    status_id: int | None = None,
    comment: str | None = None,
) -> BulkResult:
    """:func:`move_conversation` for many conversations in one transaction; one that refuses
    (not visible, in the spam, already there…) is counted with its sentence and the others
    move. ``Bulk.done`` and the refusals name conversations; one reversal moves them all back."""
    with uow:
        require(reason_missing_account_access(uow.actor))
        result = _move_each(uow, [(c, to_inbox_id, owner_id, pipeline_id, status_id, None)
                                  for c in dict.fromkeys(conversation_ids)], comment)
        undo_journal.remember(uow, result)
        uow.commit()
        return result


def move_back_many(uow: UnitOfWork, moves: Sequence[MoveBack]) -> BulkResult:
    """Apply several :class:`MoveBack` in one transaction (the undo of :func:`move_many`)."""
    with uow:
        require(reason_missing_account_access(uow.actor))
        result = _move_each(uow, [(m.conversation_id, m.inbox_id,
                                   UNCHANGED if m.owner is UNSET else m.owner, m.pipeline,
                                   m.status, m.moved_to) for m in moves], None)
        undo_journal.remember(uow, result)
        uow.commit()
        return result


def _move_each(uow: UnitOfWork,
               moves: Sequence[tuple[int, int, Any, int | None, int | None, int | None]],
               comment: str | None) -> BulkResult:
    done: list[int] = []
    refusals: list[Refusal] = []
    backs: list[MoveBack] = []
    changed: set[int] = set()
    created: set[int] = set()
    first_error: HelpDeskError | None = None
    for conversation_id, inbox_id, owner, pipeline, status, expect in moves:
        try:
            with uow.session.begin_nested():
                result = _move(uow, conversation_id, inbox_id, owner_id=owner,
                               pipeline_id=pipeline, status_id=status, comment=comment,
                               expect_inbox_id=expect)
        except HelpDeskError as exc:
            refusals.append(Refusal(conversation_id, str(exc)))
            first_error = first_error or exc
            continue
        done.append(conversation_id)
        changed.update(result.changed_ticket_ids)
        created.update(result.created_ticket_ids)
        if isinstance(result.reversal, MoveBack):
            backs.append(result.reversal)
    if first_error is not None and not done:
        raise first_error  # every conversation refused: one sentence, nothing changed
    count = len(done)
    message = bulk_sentence(count, ngettext("Moved {count} conversation.",
                                            "Moved {count} conversations.", count
                                            ).format(count=count), refusals)
    return OpResult(message, changed_ticket_ids=tuple(sorted(changed - created)),
                    created_ticket_ids=tuple(sorted(created)),
                    payload=Bulk(tuple(done), tuple(refusals)),
                    reversal=MoveBackMany(tuple(backs)) if backs else None)


def _move(
    uow: UnitOfWork,
    conversation_id: int,
    to_inbox_id: int,
    *,
    owner_id: int | None | Any,
    pipeline_id: int | None,
    status_id: int | None,
    comment: str | None,
    expect_inbox_id: int | None,
) -> OpResult[MoveDone]:
    """One move inside the caller's transaction."""
    session = uow.session
    actor = uow.actor
    require(reason_missing_account_access(actor))
    conversation = session.get(Conversation, conversation_id)
    ticket = conversation.ticket if conversation is not None else None
    if conversation is None or (ticket is not None and not can_see(actor, ticket)):
        raise NotFound(_("Conversation #{conversation_id} does not exist or you "
                         "cannot see it.").format(conversation_id=conversation_id))
    if conversation.spam_at is not None or (
            ticket is not None and ticket.state is not TicketState.LIVE):
        raise InvalidInput(_("Conversation #{conversation_id} is in the spam or the "
                             "trash; restore it before moving it.").format(
                               conversation_id=conversation.id))
    if expect_inbox_id is not None and conversation.inbox_id != expect_inbox_id:
        raise Conflict(_("Conversation #{conversation_id} was moved again since; "
                         "nothing was changed.").format(conversation_id=conversation.id))
    target = session.get(Inbox, to_inbox_id)
    if target is None:
        raise NotFound(_("Inbox #{to_inbox_id} does not exist.").format(to_inbox_id=to_inbox_id))
    source = conversation.inbox
    if target.id == source.id:
        raise InvalidInput(_("The conversation is already in {target_name}.").format(
                               target_name=target.name))
    note = clean_text(comment, _("Comment"), max_length=20000, allow_empty=True) if comment else ""

    leaving_help_desk = (source.kind is InboxKind.HELP_DESK
                         and target.kind is not InboxKind.HELP_DESK)
    if leaving_help_desk and ticket is not None and (pipeline_id is None or status_id is None):
        raise InvalidInput(_("Choose the pipeline and status the ticket keeps in the "
                             "help desk."))
    new_owner = _new_owner(uow, owner_id)

    created = False
    changes: dict[str, Any] = {}
    before: tuple[int | None, int, int] | None = None
    if ticket is None and target.kind is InboxKind.HELP_DESK:
        ticket = _ticket_for(uow, conversation, target, pipeline_id, status_id, new_owner)
        created = True
    elif ticket is not None:
        before = (ticket.owner_id, ticket.pipeline_id, ticket.status_id)
        changes = _apply_properties(uow, ticket, pipeline_id, status_id, new_owner)
    elif pipeline_id is not None or status_id is not None:
        raise InvalidInput(_("A conversation without a ticket has no pipeline or "
                             "status."))
    if new_owner is not UNCHANGED:
        conversation.owner_id = new_owner.id if new_owner else None

    conversation.inbox_id = target.id
    if note:
        session.add(Message(
            conversation_id=conversation.id, kind=MessageKind.COMMENT,
            direction=Direction.INTERNAL, author_user_id=actor.id, author_name=actor.name,
            author_email=actor.email, sent_at=uow.now, subject=conversation.subject,
            body_text=note,
        ))
    session.flush()
    if ticket is not None:
        record_activity(
            uow, ticket, ActivityKind.CONVERSATION_MOVED,
            sentence("Conversation “{subject}” moved from {source} to {target}",
                     subject=conversation.subject, source=source.name, target=target.name),
            {"conversation_id": conversation.id, "from_inbox_id": source.id,
             "from_inbox": source.name, "to_inbox_id": target.id, "to_inbox": target.name,
             "changes": changes, "comment": note or None, "created_ticket": created},
        )
        if created:
            read_state.set_read(session, ticket.id, actor.id, uow.now)
    ticket_ids = (ticket.id,) if ticket is not None else ()
    reversal: MoveBack | None = None
    if not created:
        reversal = MoveBack(conversation.id, source.id, moved_to=target.id)
        if before is not None:
            reversal = MoveBack(conversation.id, source.id,
                                before[0] if "owner_id" in changes else UNSET,
                                before[1], before[2], moved_to=target.id)
    return OpResult(
        _("Moved the conversation to {target_name}.").format(target_name=target.name),
        changed_ticket_ids=ticket_ids,
        created_ticket_ids=ticket_ids if created else (),
        payload=MoveDone(conversation.id, ticket.id if ticket is not None else None),
        reversal=reversal,
    )




def owner_can_see(uow: UnitOfWork, conversation_id: int, owner_id: int | None) -> tuple[bool, str]:
    """Whether ``owner_id`` could see the ticket of the conversation once they own it.

    Returns ``(True, "")`` or ``(False, reason)``; the move dialog shows the reason as a
    warning before the move is refused.
    """
    with uow.read_only():
        uow.actor  # noqa: B018 - refuses users without help desk access
        if uow.session.get(Conversation, conversation_id) is None:
            raise NotFound(_("Conversation #{conversation_id} does not exist.").format(
                               conversation_id=conversation_id))
        if owner_id is None:
            return True, ""
        owner = uow.session.get(User, owner_id)
        if owner is None or not owner.active:
            return False, f"User #{owner_id} does not exist."
        reason = reason_cannot_own(owner)
        return (reason is None), reason or ""


def help_desk_conversation_ids(uow: UnitOfWork, ticket_ids: Sequence[int]) -> list[int]:
    """The conversations (not spam) of these tickets that are in a help desk inbox, by ticket
    then age: what a bulk move out of the help desk moves. Tickets out of sight are left out;
    refused when none of the tickets has one."""
    with uow.read_only():
        actor = uow.actor
        ids = distinct_tickets(ticket_ids)
        found: list[tuple[int, int]] = []
        for chunk in chunks(ids):
            found += [(row.ticket_id, row.id) for row in uow.session.execute(
                select(Conversation.ticket_id, Conversation.id)
                .join(Ticket, Ticket.id == Conversation.ticket_id)
                .join(Inbox, Inbox.id == Conversation.inbox_id)
                .where(Conversation.ticket_id.in_(chunk), Conversation.spam_at.is_(None),
                       Inbox.kind == InboxKind.HELP_DESK, visible_clause(actor)))]
        order = {ticket_id: n for n, ticket_id in enumerate(ids)}
        found.sort(key=lambda pair: (order[pair[0]], pair[1]))
        if not found:
            raise InvalidInput(_("None of these tickets has a conversation in the "
                                 "help desk."))
        return [conversation_id for _, conversation_id in found]


def list_inbox_conversations(uow: UnitOfWork, inbox_id: int) -> list[ConversationInfo]:
    """The conversations now in ``inbox_id``, newest first, without spam and without those
    whose ticket the acting user may not see."""
    with uow.read_only():
        actor = uow.actor
        session = uow.session
        if session.get(Inbox, inbox_id) is None:
            raise NotFound(_("Inbox #{inbox_id} does not exist.").format(inbox_id=inbox_id))
        visible_tickets = select(Ticket.id).where(Ticket.state == TicketState.LIVE,
                                                  visible_clause(actor))
        conversations = session.scalars(
            select(Conversation)
            .where(Conversation.inbox_id == inbox_id, Conversation.spam_at.is_(None),
                   or_(Conversation.ticket_id.is_(None),
                       Conversation.ticket_id.in_(visible_tickets)))
            .order_by(Conversation.created_at.desc(), Conversation.id.desc())
            .options(selectinload(Conversation.inbox),
                     selectinload(Conversation.contact).selectinload(Contact.company),
                     selectinload(Conversation.messages).selectinload(Message.attachments))
        ).all()
        return [conversation_info(c) for c in conversations]


# -- helpers --------------------------------------------------------------------------------

def _new_owner(uow: UnitOfWork, owner_id: Any) -> User | None | Any:
    """The chosen owner: a user, ``None`` (unassigned) or :data:`UNCHANGED`."""
    if owner_id is UNCHANGED or owner_id is None:
        return owner_id
    return assignable_owner(uow.session, owner_id)


def _pipeline_and_status(uow: UnitOfWork, pipeline_id: int | None,
                         status_id: int | None) -> tuple[Pipeline, Status]:
    """The chosen pipeline (default: the first by position) and status (default: its first)."""
    session = uow.session
    if pipeline_id is None and status_id is not None:
        status = session.get(Status, status_id)
        if status is None:
            raise NotFound(_("Status #{status_id} does not exist.").format(status_id=status_id))
        pipeline_id = status.pipeline_id
    if pipeline_id is None:
        pipeline = default_pipeline(session)
    else:
        found = session.get(Pipeline, pipeline_id)
        if found is None:
            raise NotFound(_("Pipeline #{pipeline_id} does not exist.").format(
                               pipeline_id=pipeline_id))
        pipeline = found
    if status_id is None:
        return pipeline, first_status(session, pipeline)
    status = session.get(Status, status_id)
    if status is None:
        raise NotFound(_("Status #{status_id} does not exist.").format(status_id=status_id))
    if status.pipeline_id != pipeline.id:
        raise InvalidInput(_("The status “{status_name}” does not belong to the "
                             "pipeline “{pipeline_name}”.").format(
                               status_name=status.name, pipeline_name=pipeline.name))
    return pipeline, status


def _ticket_for(uow: UnitOfWork, conversation: Conversation, help_desk: Inbox,
                pipeline_id: int | None, status_id: int | None, owner: Any) -> Ticket:
    """A new ticket for a conversation entering the help desk."""
    pipeline, status = _pipeline_and_status(uow, pipeline_id, status_id)
    if owner is UNCHANGED:
        # The conversation's owner takes the ticket, unless they could not see it.
        current = uow.session.get(User, conversation.owner_id) if conversation.owner_id else None
        owner = current if current is not None and reason_cannot_own(current) is None else None
    owner_id = owner.id if owner is not None else None
    ticket = Ticket(
        name=(conversation.subject or "").strip() or f"Conversation #{conversation.id}",
        description="", pipeline_id=pipeline.id, status_id=status.id, owner_id=owner_id,
        inbox_id=help_desk.id, source=conversation.channel, created_at=uow.now,
        updated_at=uow.now, last_activity_at=uow.now,
        closed_at=uow.now if status.is_closed else None, state=TicketState.LIVE, version=1,
    )
    if conversation.contact is not None:
        ticket.contacts = [conversation.contact]
        if conversation.contact.company is not None:
            ticket.companies = [conversation.contact.company]
    uow.session.add(ticket)
    uow.session.flush()
    conversation.ticket = ticket
    if conversation.origin_ticket_id is None:
        conversation.origin_ticket_id = ticket.id
    return ticket


def _apply_properties(uow: UnitOfWork, ticket: Ticket, pipeline_id: int | None,
                      status_id: int | None, owner: Any) -> dict[str, Any]:
    """Set the chosen pipeline, status and owner on ``ticket``; returns {field: [old, new]}."""
    changes: dict[str, Any] = {}
    if pipeline_id is not None or status_id is not None:
        pipeline, status = _pipeline_and_status(
            uow, pipeline_id if pipeline_id is not None else ticket.pipeline_id, status_id)
        if pipeline.id != ticket.pipeline_id:
            changes["pipeline_id"] = [ticket.pipeline_id, pipeline.id]
            ticket.pipeline_id = pipeline.id
            ticket.pipeline = pipeline
        if status.id != ticket.status_id:
            changes["status_id"] = [ticket.status_id, status.id]
            ticket.status_id = status.id
            ticket.status = status
        if status.is_closed and ticket.closed_at is None:
            ticket.closed_at = uow.now
        elif not status.is_closed:
            ticket.closed_at = None
    if owner is not UNCHANGED and (owner.id if owner else None) != ticket.owner_id:
        changes["owner_id"] = [ticket.owner_id, owner.id if owner else None]
        ticket.owner = owner
    if changes:
        ticket.version += 1
        ticket.updated_at = uow.now
    return changes
