"""Undo as data: applying a :data:`~helpdesk_desktop.services.dto.Reversal`, storing the last
reversible operations of each user, and their JSON form.

Every reversible operation returns the reversal that undoes it; applying it is an operation
like any other (one transaction, permissions checked) whose own reversal is the redo. A
reversal that a later change made unsafe is refused with a sentence: a property edit once the
ticket was edited again (version check), a restore once the ticket left the trash, a move back
once the conversation moved again, an unmerge once the moved conversations saw new activity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from helpdesk_desktop.domain.errors import Conflict, NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import UndoEntry
from helpdesk_desktop.services import (
    moving,
    split_merge,
    ticket_edits,
    tickets,
    trash,
    undo_journal,
    unmerge,
)
from helpdesk_desktop.services.dto import (
    UNSET,
    Bulk,
    MoveBack,
    MoveBackMany,
    OpResult,
    Remerge,
    RestoreProperties,
    Reversal,
    SetDeleted,
    SetFollowing,
    SetRead,
    SetSpam,
    Unmerge,
)
from helpdesk_desktop.services.uow import UnitOfWork

Progress = Callable[[int, int], None]
KEPT = undo_journal.KEPT
# The JSON form lives with the journal's rows; kept here under its old names.
KINDS = undo_journal.KINDS
to_json = undo_journal.to_json
from_json = undo_journal.from_json


def apply(uow: UnitOfWork, reversal: Reversal,
          progress: Progress | None = None) -> OpResult[Any]:
    """Apply ``reversal``; the result's own reversal redoes what it undid. Refused (raised,
    nothing changed) when it cannot be applied to any ticket."""
    result: OpResult[Any]
    match reversal:
        case RestoreProperties(edits):
            result = ticket_edits.edit_each(
                uow, [(e.ticket_id, e.previous, e.version) for e in edits], progress,
                exact_version=True)
        case SetFollowing(ids, following):
            result = (tickets.follow if following else tickets.unfollow)(uow, ids)
        case SetRead(ids, read):
            result = (tickets.mark_read if read else tickets.mark_unread)(uow, ids)
        case SetSpam(ids, spam):
            result = (trash.mark_spam_many if spam else trash.not_spam_many)(uow, ids, progress)
        case SetDeleted(ids, deleted):
            result = (trash.delete_tickets(uow, ids, None, progress) if deleted
                      else trash.restore_tickets(uow, ids, progress))
        case MoveBack(conversation_id, inbox_id, owner, pipeline, status, moved_to):
            result = moving.move_conversation(
                uow, conversation_id, inbox_id,
                owner_id=moving.UNCHANGED if owner is UNSET else owner,
                pipeline_id=pipeline, status_id=status, expect_inbox_id=moved_to)
        case MoveBackMany(moves):
            result = moving.move_back_many(uow, moves)
        case Unmerge(merged_id):
            result = unmerge.unmerge(uow, merged_id)
        case Remerge(primary_id, merged_id):
            result = split_merge.merge_tickets(uow, primary_id, merged_id)
    if isinstance(result.payload, Bulk) and result.payload.refusals and not result.payload.done:
        raise Conflict(result.payload.refusals[0].reason)
    return result


# -- the per-user journal (``tickets undo`` in another process) ------------------------------

def record(uow: UnitOfWork, label: str, reversal: Reversal) -> None:
    """Remember ``reversal`` as the acting user's latest reversible operation (its own
    transaction: for an operation that did not write it in its own, see
    :func:`undo_journal.remember`)."""
    with uow:
        undo_journal.record_in(uow, label, reversal)
        uow.commit()


def undo_last(uow: UnitOfWork, progress: Progress | None = None) -> OpResult[Any]:
    """Undo the acting user's latest operation not yet undone."""
    with uow:
        entry = uow.session.scalars(
            select(UndoEntry).where(UndoEntry.user_id == uow.actor.id,
                                    UndoEntry.undone_at.is_(None))
            .order_by(UndoEntry.id.desc()).limit(1)).first()
        if entry is None:
            raise NotFound(_("Nothing to undo."))
        entry_id, reversal = entry.id, from_json(entry.reversal)
    result = apply(uow, reversal, progress)
    with uow:
        done = uow.session.get(UndoEntry, entry_id)
        if done is not None:
            done.undone_at = uow.now
        uow.commit()
    return result


def mark_undone(uow: UnitOfWork, reversal: Reversal) -> None:
    """Mark the acting user's latest entry holding ``reversal`` as undone (it was undone in a
    window), so that ``tickets undo`` does not undo it again."""
    wanted = to_json(reversal)
    with uow:
        for entry in uow.session.scalars(
                select(UndoEntry).where(UndoEntry.user_id == uow.actor.id,
                                        UndoEntry.undone_at.is_(None))
                .order_by(UndoEntry.id.desc()).limit(KEPT)):
            if entry.reversal == wanted:
                entry.undone_at = uow.now
                uow.commit()
                return
