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

from sqlalchemy import select, update

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
    """Undo the acting user's latest operation not yet undone; the entry is marked undone in
    the undo's own transaction (both or neither), and an undo that finds it marked by
    another window or process in the meantime is refused with nothing changed."""
    with uow:
        entry = uow.session.scalars(
            select(UndoEntry).where(UndoEntry.user_id == uow.actor.id,
                                    UndoEntry.undone_at.is_(None))
            .order_by(UndoEntry.id.desc()).limit(1)).first()
        if entry is None:
            raise NotFound(_("Nothing to undo."))
        entry_id, reversal = entry.id, from_json(entry.reversal)

    def mark() -> None:
        marked = uow.session.execute(
            update(UndoEntry).where(UndoEntry.id == entry_id, UndoEntry.undone_at.is_(None))
            .values(undone_at=uow.now).execution_options(synchronize_session=False))
        if marked.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_("This operation was undone a moment ago in another window; "
                             "nothing was changed."))

    return _apply_then(uow, reversal, progress, mark)


def apply_marking_undone(uow: UnitOfWork, reversal: Reversal,
                         progress: Progress | None = None) -> OpResult[Any]:
    """:func:`apply`, and mark the acting user's latest entry holding ``reversal`` undone
    (it was undone in a window) in the same transaction, so that ``tickets undo`` does not
    undo it again."""
    return _apply_then(uow, reversal, progress, lambda: mark_undone_in(uow, reversal))


def _apply_then(uow: UnitOfWork, reversal: Reversal, progress: Progress | None,
                mark: Callable[[], None]) -> OpResult[Any]:
    done: list[bool] = []

    def marking() -> None:
        mark()
        done.append(True)

    uow.before_commit(marking)
    result = apply(uow, reversal, progress)
    if not done:  # the reversal had nothing to write (it committed nothing): the mark alone
        with uow:
            uow.commit()
    return result


def mark_undone_in(uow: UnitOfWork, reversal: Reversal) -> None:
    """Mark the acting user's latest entry holding ``reversal`` as undone, inside the
    caller's transaction (none holds it: nothing to mark)."""
    wanted = to_json(reversal)
    for entry_id, stored in uow.session.execute(
            select(UndoEntry.id, UndoEntry.reversal).where(UndoEntry.user_id == uow.actor.id,
                                                           UndoEntry.undone_at.is_(None))
            .order_by(UndoEntry.id.desc()).limit(KEPT)):
        if stored == wanted:
            uow.session.execute(update(UndoEntry).where(UndoEntry.id == entry_id)
                                .values(undone_at=uow.now)
                                .execution_options(synchronize_session=False))
            return
