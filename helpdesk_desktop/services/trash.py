"""Spam, the trash and their end: marking spam, deleting and restoring, deleting permanently and
purging what has been in the spam or the trash for longer than the retention period.

Deleting works on thousands of tickets at once, so it updates rows in chunks of ids inside one
transaction instead of loading tickets one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, func, insert, or_, select, update

from helpdesk_desktop.domain.enums import ActivityKind, TicketState
from helpdesk_desktop.domain.errors import HelpDeskError, InvalidInput, NotFound, StaleState
from helpdesk_desktop.domain.i18n import N_, _, ngettext
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Conversation,
    Follower,
    Message,
    Notification,
    ReadState,
    Ticket,
    ticket_companies,
    ticket_contacts,
    ticket_deals,
)
from helpdesk_desktop.domain.sentences import Sentence, sentence, sentence_n
from helpdesk_desktop.services import undo_journal
from helpdesk_desktop.services.access import (
    get_visible_ticket,
    lock_tickets,
    reason_missing_delete,
    require,
    visible_clause,
)
from helpdesk_desktop.services.activity import record_activity, summary_columns
from helpdesk_desktop.services.dto import (
    Bulk,
    BulkResult,
    DeletionSummary,
    Erased,
    OpResult,
    Refusal,
    SetDeleted,
    SetSpam,
    SpamDone,
)
from helpdesk_desktop.services.id_lists import chunks, distinct_tickets, ids_text
from helpdesk_desktop.services.retention import RETENTION_DAYS
from helpdesk_desktop.services.ticket_edits import bulk_sentence
from helpdesk_desktop.services.uow import UnitOfWork, locks_rows

Progress = Callable[[int, int], None]
R = TypeVar("R", bound=OpResult[Any])
DELETE_RULE = N_("Only live tickets can be deleted.")
ERASE_RULE = N_("Only tickets in the trash or the spam can be deleted permanently.")
ERASABLE = (TicketState.DELETED, TicketState.SPAM)


# -- spam -----------------------------------------------------------------------------------

def mark_spam(uow: UnitOfWork, ticket_id: int,
              conversation_ids: Sequence[int] | None = None) -> OpResult[SpamDone]:
    """Mark a whole ticket (``conversation_ids`` None, or all of them) or some of its
    conversations as spam. A spam ticket leaves the live views; spam conversations are hidden
    from their ticket."""
    with uow:
        session = uow.session
        actor = uow.actor
        require(reason_missing_delete(actor))
        ticket = get_visible_ticket(session, actor, ticket_id)
        live = [c for c in ticket.conversations if c.spam_at is None]
        if conversation_ids is not None:
            chosen = list(dict.fromkeys(int(i) for i in conversation_ids))
            if not chosen:
                raise InvalidInput(_("Choose at least one conversation to mark as "
                                     "spam."))
            live_ids = {c.id for c in live}
            already = [c.id for c in ticket.conversations if c.spam_at is not None
                       and c.id in chosen]
            if already:
                raise InvalidInput(ngettext(
                    "Conversation {ids} is already marked as spam.",
                    "Conversations {ids} are already marked as spam.",
                    len(already)).format(ids=ids_text(already)))
            foreign = [i for i in chosen if i not in live_ids]
            if foreign:
                raise InvalidInput(ngettext(
                    "Conversation {ids} is not a conversation of ticket #{ticket_id}.",
                    "Conversations {ids} are not conversations of ticket #{ticket_id}.",
                    len(foreign)).format(ids=ids_text(foreign), ticket_id=ticket.id))
            if len(chosen) < len(live):
                for conversation in live:
                    if conversation.id in chosen:
                        conversation.spam_at = uow.now
                ticket.updated_at = uow.now
                record_activity(uow, ticket, ActivityKind.SPAM,
                                sentence_n("{count} conversation marked as spam",
                                           "{count} conversations marked as spam", len(chosen)),
                                {"conversation_ids": chosen})
                return _journaled(uow, OpResult(ngettext(
                    "Marked {count} conversation of ticket #{ticket_id} as spam.",
                    "Marked {count} conversations of ticket #{ticket_id} as spam.",
                    len(chosen)).format(count=len(chosen), ticket_id=ticket.id),
                                changed_ticket_ids=(ticket.id,),
                                payload=SpamDone(tuple(chosen)),
                                reversal=SetSpam((ticket.id,), False)))
        _spam_whole(uow, ticket)
        return _journaled(uow, OpResult(
            _("Ticket #{ticket_id} was moved to the spam.").format(ticket_id=ticket.id),
            removed_ticket_ids=(ticket.id,), payload=SpamDone(),
            reversal=SetSpam((ticket.id,), False)))


def _journaled(uow: UnitOfWork, result: R) -> R:
    """Commit ``result``'s changes with its undo entry (when its unit of work records
    undo) in the same transaction."""
    undo_journal.remember(uow, result)
    uow.commit()
    return result


def _spam_whole(uow: UnitOfWork, ticket: Ticket) -> None:
    ticket.state = TicketState.SPAM
    ticket.spam_at = uow.now
    ticket.updated_at = uow.now
    record_activity(uow, ticket, ActivityKind.SPAM, sentence("Ticket marked as spam"), {})


def mark_spam_many(uow: UnitOfWork, ticket_ids: Sequence[int],
                   progress: Progress | None = None) -> BulkResult:
    """Mark whole tickets as spam in one transaction; a ticket that is not live (or not
    visible) is refused with its sentence and the others still go."""
    with uow:
        session, actor = uow.session, uow.actor
        require(reason_missing_delete(actor))
        ids = distinct_tickets(ticket_ids)
        lock_tickets(session, ids)
        done: list[int] = []
        refusals: list[Refusal] = []
        first_error: HelpDeskError | None = None
        for count, ticket_id in enumerate(ids, 1):
            try:
                ticket = get_visible_ticket(session, actor, ticket_id, follow_merges=False)
            except HelpDeskError as exc:
                refusals.append(Refusal(ticket_id, str(exc)))
                first_error = first_error or exc
            else:
                _spam_whole(uow, ticket)
                done.append(ticket.id)
            if progress is not None:
                progress(count, len(ids))
        if first_error is not None and not done:
            raise first_error  # every ticket refused: one sentence, nothing changed
        return _journaled(uow, OpResult(bulk_sentence(len(done), ngettext(
            "Moved {count} ticket to the spam.", "Moved {count} tickets to the spam.",
            len(done)).format(count=len(done)), refusals),
                        removed_ticket_ids=tuple(done), payload=Bulk(tuple(done), tuple(refusals)),
                        reversal=SetSpam(tuple(done), False) if done else None))


def not_spam(uow: UnitOfWork, ticket_id: int) -> OpResult:
    """Bring a spam ticket back, together with every conversation of it marked as spam."""
    with uow:
        was_spam = _not_spam(uow, ticket_id)  # refusals raise: one ticket asked, one answer
        return _journaled(uow, OpResult(
            (_("Ticket #{ticket_id} is no longer spam.") if was_spam else
             _("The spam conversations of ticket #{ticket_id} are back.")
             ).format(ticket_id=ticket_id),
            changed_ticket_ids=(ticket_id,),
            reversal=SetSpam((ticket_id,), True) if was_spam else None))


def not_spam_many(uow: UnitOfWork, ticket_ids: Sequence[int],
                  progress: Progress | None = None) -> BulkResult:
    """:func:`not_spam` on many tickets in one transaction, refusals counted per ticket."""
    with uow:
        require(reason_missing_delete(uow.actor))
        ids = distinct_tickets(ticket_ids)
        lock_tickets(uow.session, ids)
        done: list[int] = []
        whole: list[int] = []
        refusals: list[Refusal] = []
        first_error: HelpDeskError | None = None
        for count, ticket_id in enumerate(ids, 1):
            try:
                with uow.session.begin_nested():
                    was_spam = _not_spam(uow, ticket_id)
            except HelpDeskError as exc:
                refusals.append(Refusal(ticket_id, str(exc)))
                first_error = first_error or exc
            else:
                done.append(ticket_id)
                if was_spam:
                    whole.append(ticket_id)
            if progress is not None:
                progress(count, len(ids))
        if first_error is not None and not done:
            raise first_error  # every ticket refused: one sentence, nothing changed
        return _journaled(uow, OpResult(bulk_sentence(len(done), ngettext(
            "Brought {count} ticket back from the spam.",
            "Brought {count} tickets back from the spam.", len(done)).format(count=len(done)), refusals),
                        changed_ticket_ids=tuple(done), payload=Bulk(tuple(done), tuple(refusals)),
                        reversal=SetSpam(tuple(whole), True) if whole else None))


def _not_spam(uow: UnitOfWork, ticket_id: int) -> bool:
    """Bring the ticket (or its spam conversations) back; whether the whole ticket was spam."""
    session, actor = uow.session, uow.actor
    require(reason_missing_delete(actor))
    ticket = get_visible_ticket(session, actor, ticket_id,
                                states=(TicketState.LIVE, TicketState.SPAM))
    spam_conversations = [c for c in ticket.conversations if c.spam_at is not None]
    if ticket.state is not TicketState.SPAM and not spam_conversations:
        raise InvalidInput(_("Ticket #{ticket_id} is not spam.").format(ticket_id=ticket.id))
    for conversation in spam_conversations:
        conversation.spam_at = None
    was_spam = ticket.state is TicketState.SPAM
    ticket.state = TicketState.LIVE
    ticket.spam_at = None
    ticket.updated_at = uow.now
    record_activity(uow, ticket, ActivityKind.NOT_SPAM, sentence("Marked as not spam"),
                    {"conversation_ids": [c.id for c in spam_conversations]})
    return was_spam


# -- trash ----------------------------------------------------------------------------------

def deletion_summary(uow: UnitOfWork, ticket_ids: Sequence[int], *,
                     permanent: bool = False) -> DeletionSummary:
    """The tickets and conversations that deleting ``ticket_ids`` would move to the trash (or,
    ``permanent``, erase): the tickets that can be deleted now, and the refusal of each other
    one; when none can, the first refusal is raised."""
    with uow.read_only():
        ids = distinct_tickets(ticket_ids)
        deletable, refusals = (
            _partition(uow, ids, ERASABLE, ERASE_RULE) if permanent
            else _partition(uow, ids, (TicketState.LIVE,), DELETE_RULE))
        conversations = 0
        for chunk in chunks(deletable):
            conversations += uow.session.scalar(
                select(func.count()).select_from(Conversation)
                .where(Conversation.ticket_id.in_(chunk))) or 0
        return DeletionSummary(len(deletable), conversations, tuple(refusals))


def delete_tickets(uow: UnitOfWork, ticket_ids: Sequence[int], confirm_count: int | None,
                   progress: Progress | None = None) -> BulkResult:
    """Move the live tickets of ``ticket_ids`` to the trash (with their conversations) in one
    transaction; a ticket that does not exist, is out of sight or is no longer live is
    counted with its sentence and the others go. When none can go, the first refusal is
    raised and nothing changes.

    ``confirm_count`` is the number of tickets the user confirmed: refused unless it is the
    number that will be deleted (``None``: no confirmation, the redo of an undone delete).
    """
    with uow:
        actor = uow.actor
        require(reason_missing_delete(actor))
        ids = distinct_tickets(ticket_ids)
        deletable, refusals = _partition(uow, ids, (TicketState.LIVE,), DELETE_RULE)
        if confirm_count is not None and confirm_count != len(deletable):
            if refusals:
                raise InvalidInput(ngettext(
                    "You confirmed {confirmed} tickets but only {count} of the {selected} "
                    "selected can be deleted. {reason}",
                    "You confirmed {confirmed} tickets but only {count} of the {selected} "
                    "selected can be deleted. {reason}", len(deletable)).format(
                        confirmed=confirm_count, count=len(deletable), selected=len(ids),
                        reason=refusals[0].reason))
            raise InvalidInput(ngettext(
                "You confirmed {confirmed} tickets but {count} is selected.",
                "You confirmed {confirmed} tickets but {count} are selected.",
                len(ids)).format(confirmed=confirm_count, count=len(ids)))
        _bulk_transition(uow, deletable, {"state": TicketState.DELETED, "deleted_at": uow.now},
                         ActivityKind.DELETED, sentence("Ticket deleted"), progress,
                         from_state=TicketState.LIVE)
        result: BulkResult = OpResult(bulk_sentence(len(deletable), ngettext(
            "Deleted {count} ticket.", "Deleted {count} tickets.",
            len(deletable)).format(count=len(deletable)), refusals),
                        removed_ticket_ids=tuple(deletable),
                        payload=Bulk(tuple(deletable), tuple(refusals)),
                        reversal=SetDeleted(tuple(deletable), False))
        undo_journal.remember(uow, result)
        uow.commit()
        return result


def restore_tickets(uow: UnitOfWork, ticket_ids: Sequence[int],
                    progress: Progress | None = None) -> BulkResult:
    """Bring deleted tickets back from the trash (within the retention period). A ticket that
    is not in the trash (any more) or was deleted too long ago is counted with its sentence and
    the others come back; when none can, the first refusal is raised and nothing changes."""
    with uow:
        actor = uow.actor
        require(reason_missing_delete(actor))
        ids = distinct_tickets(ticket_ids)
        refusals: list[Refusal] = []
        errors: list[HelpDeskError] = []
        clause = visible_clause(actor)
        cutoff = uow.now - dt.timedelta(days=RETENTION_DAYS)
        restorable: list[int] = []
        lock_tickets(uow.session, ids)
        for chunk in chunks(ids):
            found: dict[int, dt.datetime | None] = {
                row[0]: row[1] for row in uow.session.execute(
                    select(Ticket.id, Ticket.deleted_at).where(
                        Ticket.id.in_(chunk), Ticket.state == TicketState.DELETED, clause))}
            for ticket_id in chunk:
                if ticket_id not in found:
                    errors.append(NotFound(_("Ticket #{ticket_id} does not exist, is "
                                             "not in the trash, or you cannot see it.").format(
                                               ticket_id=ticket_id)))
                elif (found[ticket_id] or uow.now) < cutoff:
                    errors.append(InvalidInput(
                        _("Ticket #{ticket_id} was deleted more than {days} "
                          "days ago and cannot be restored.").format(
                            ticket_id=ticket_id, days=RETENTION_DAYS)))
                else:
                    restorable.append(ticket_id)
                    continue
                refusals.append(Refusal(ticket_id, str(errors[-1])))
        if not restorable:
            raise errors[0]
        _bulk_transition(uow, restorable, {"state": TicketState.LIVE, "deleted_at": None},
                         ActivityKind.RESTORED, sentence("Ticket restored from the trash"),
                         progress,
                         from_state=TicketState.DELETED)
        result: BulkResult = OpResult(bulk_sentence(len(restorable), ngettext(
            "Restored {count} ticket.", "Restored {count} tickets.",
            len(restorable)).format(count=len(restorable)), refusals),
                        changed_ticket_ids=tuple(restorable),
                        payload=Bulk(tuple(restorable), tuple(refusals)),
                        reversal=SetDeleted(tuple(restorable), True))
        undo_journal.remember(uow, result)
        uow.commit()
        return result


def delete_permanently(uow: UnitOfWork, ticket_ids: Sequence[int]) -> OpResult[Erased]:
    """Erase the tickets of ``ticket_ids`` that are in the trash or the spam, with everything
    that hangs off them, in one transaction; any other ticket is counted with its sentence
    (``payload.refusals``). When none can be erased, the first refusal is raised."""
    with uow:
        actor = uow.actor
        require(reason_missing_delete(actor))
        ids = distinct_tickets(ticket_ids)
        erasable, refusals = _partition(uow, ids, ERASABLE, ERASE_RULE)
        erased = _hard_delete_tickets(uow, erasable)
        uow.commit()
        return OpResult(bulk_sentence(len(erasable), ngettext(
            "Permanently deleted {count} ticket.", "Permanently deleted {count} tickets.",
            len(erasable)).format(count=len(erasable)), refusals),
                        removed_ticket_ids=tuple(erasable),
                        payload=Erased(tuple(erased), refusals=tuple(refusals)))


def purge(uow: UnitOfWork, older_than_days: int = RETENTION_DAYS, *,
          scheduled: bool = False) -> OpResult[Erased]:
    """Erase spam (tickets and single conversations) and deleted tickets that have been there
    for more than ``older_than_days`` days. Runs across the whole workspace.

    ``scheduled``: the program's own daily upkeep (no acting user, so no permission check:
    the retention rule is the workspace's, not a user's choice).
    """
    with uow:
        session = uow.session
        if not scheduled:
            require(reason_missing_delete(uow.actor))
        if older_than_days < 0:
            raise InvalidInput(_("The retention period cannot be negative."))
        cutoff = uow.now - dt.timedelta(days=older_than_days)
        due = select(Ticket.id).where(or_(
            (Ticket.state == TicketState.SPAM) & (Ticket.spam_at < cutoff),
            (Ticket.state == TicketState.DELETED) & (Ticket.deleted_at < cutoff),
        )).order_by(Ticket.id)
        if locks_rows(session):  # a restore at the same moment waits, or is waited for
            due = due.with_for_update()
        ticket_ids = list(session.scalars(due))
        erased = _hard_delete_tickets(uow, ticket_ids)
        spam_conversations = session.execute(
            select(Conversation.id, Conversation.ticket_id).where(Conversation.spam_at < cutoff)
            .order_by(Conversation.id)).all()
        conversation_ids = [conversation_id for conversation_id, _ in spam_conversations]
        for chunk in chunks(conversation_ids):
            _delete_conversations(uow, Conversation.id.in_(chunk))
        _record_purged_conversations(uow, spam_conversations)
        uow.commit()
        return OpResult(
            # Translators: "Purged 3 tickets and 2 spam conversations."
            _("Purged {tickets} and {conversations}.").format(
                tickets=ngettext("{count} ticket", "{count} tickets", len(ticket_ids)).format(
                    count=len(ticket_ids)),
                conversations=ngettext("{count} spam conversation", "{count} spam conversations",
                                       len(conversation_ids)).format(
                                           count=len(conversation_ids))),
            changed_ticket_ids=tuple(sorted({t for _, t in spam_conversations if t is not None})),
            removed_ticket_ids=tuple(ticket_ids),
            payload=Erased(tuple(erased), tuple(conversation_ids)),
        )


# -- helpers --------------------------------------------------------------------------------

def _partition(uow: UnitOfWork, ids: Sequence[int], states: tuple[TicketState, ...],
               rule: str) -> tuple[list[int], list[Refusal]]:
    """Split ``ids`` into the tickets the actor sees in one of ``states`` and a refusal for
    each other one, after locking them; when none is left, the first refusal is raised.

    A ticket the actor sees in another state (merged, deleted or marked as spam meanwhile,
    perhaps by someone else a moment ago) is a conflict (:class:`StaleState`) that says which
    state; one that does not exist or is out of sight is :class:`NotFound`.
    """
    clause = visible_clause(uow.actor)
    lock_tickets(uow.session, ids)
    accepted: list[int] = []
    refusals: list[Refusal] = []
    first_error: HelpDeskError | None = None
    for chunk in chunks(ids):
        seen = {row.id: row for row in uow.session.execute(
            select(Ticket.id, Ticket.state, Ticket.merged_into_id).where(
                Ticket.id.in_(chunk), clause))}
        for ticket_id in chunk:
            row = seen.get(ticket_id)
            error: HelpDeskError
            if row is None:
                error = NotFound(_("Ticket #{ticket_id} does not exist or you cannot "
                                   "see it.").format(ticket_id=ticket_id))
            elif row.state not in states:
                error = StaleState(" ".join((
                    _state_sentence(ticket_id, row.state, row.merged_into_id), _(rule))))
            else:
                accepted.append(ticket_id)
                continue
            refusals.append(Refusal(ticket_id, str(error)))
            first_error = first_error or error
    if first_error is not None and not accepted:
        raise first_error  # every ticket refused: one sentence, nothing changed
    return accepted, refusals


def _state_sentence(ticket_id: int, state: TicketState, merged_into_id: int | None) -> str:
    if state is TicketState.MERGED:
        return _("Ticket #{ticket_id} was merged into ticket #{merged_into_id}.").format(
                   ticket_id=ticket_id, merged_into_id=merged_into_id)
    return {
        TicketState.LIVE: _("Ticket #{ticket_id} is live.").format(ticket_id=ticket_id),
        TicketState.SPAM: _("Ticket #{ticket_id} is in the spam.").format(ticket_id=ticket_id),
        TicketState.DELETED: _("Ticket #{ticket_id} is already in the trash.").format(
                                 ticket_id=ticket_id),
    }[state]


def _bulk_transition(uow: UnitOfWork, ids: Sequence[int], values: dict[str, Any],
                     kind: ActivityKind, said: Sentence, progress: Progress | None, *,
                     from_state: TicketState) -> None:
    """Set ``values`` on the tickets and add one ``kind`` activity each, chunk by chunk.

    Each UPDATE re-checks ``from_state``: a ticket another operation changed in between is a
    :class:`StaleState` conflict and nothing is changed. Followers are not notified: a bulk
    trash operation would flood them.
    """
    session = uow.session
    total = len(ids)
    done = 0
    summary, data = summary_columns(said)
    for chunk in chunks(ids):
        changed = session.execute(update(Ticket)
                                  .where(Ticket.id.in_(chunk), Ticket.state == from_state)
                                  .values(updated_at=uow.now, **values)
                                  .execution_options(synchronize_session=False))
        if changed.rowcount != len(set(chunk)):  # type: ignore[attr-defined]
            raise StaleState(_("Some of these tickets were changed by someone else at "
                               "the same moment; nothing was changed."))
        session.execute(insert(Activity), [
            {"ticket_id": i, "actor_id": uow.actor_id, "kind": kind, "created_at": uow.now,
             "summary": summary, "data": data} for i in chunk])
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    session.expire_all()


def _record_purged_conversations(uow: UnitOfWork,
                                 purged: Sequence[tuple[int, int | None]]) -> None:
    """A timeline entry on each ticket that lost spam conversations to the purge.

    Inserted directly: an automatic clean-up must not bump the ticket's last activity (which
    would make it unread for everyone) nor notify followers.
    """
    by_ticket: dict[int, list[int]] = {}
    for conversation_id, ticket_id in purged:
        if ticket_id is not None:
            by_ticket.setdefault(ticket_id, []).append(conversation_id)
    rows = []
    for ticket_id, ids in sorted(by_ticket.items()):
        summary, data = summary_columns(
            sentence_n("{count} spam conversation erased for good",
                       "{count} spam conversations erased for good", len(ids)),
            {"conversation_ids": ids, "purged": True})
        rows.append({"ticket_id": ticket_id, "actor_id": uow.actor_id,
                     "kind": ActivityKind.DELETED, "created_at": uow.now, "summary": summary,
                     "data": data})
    if rows:
        uow.session.execute(insert(Activity), rows)


def _with_tombstones(uow: UnitOfWork, ids: Sequence[int]) -> list[int]:
    """``ids`` and every tombstone that (transitively) points at one of them."""
    result = list(dict.fromkeys(ids))
    frontier = list(result)
    seen = set(result)
    while frontier:
        found: list[int] = []
        for chunk in chunks(frontier):
            found += [i for i in uow.session.scalars(
                select(Ticket.id).where(Ticket.merged_into_id.in_(chunk))) if i not in seen]
        seen.update(found)
        result += found
        frontier = found
    return result


def _delete_conversations(uow: UnitOfWork, where: Any) -> None:
    """Delete the conversations matching ``where`` with their messages and attachments."""
    session = uow.session
    conversations = select(Conversation.id).where(where)
    messages = select(Message.id).where(Message.conversation_id.in_(conversations))
    session.execute(delete(Attachment).where(Attachment.message_id.in_(messages))
                    .execution_options(synchronize_session=False))
    session.execute(delete(Message).where(Message.conversation_id.in_(conversations))
                    .execution_options(synchronize_session=False))
    session.execute(delete(Conversation).where(where)
                    .execution_options(synchronize_session=False))


def _hard_delete_tickets(uow: UnitOfWork, ids: Sequence[int]) -> list[int]:
    """Erase the tickets, the tombstones merged into them, and every row hanging off them.

    Returns every erased ticket id (tombstones included).
    """
    session = uow.session
    session.flush()
    all_ids = _with_tombstones(uow, ids)
    for chunk in chunks(all_ids):
        # Tombstones are erased in the same statements as their survivor: unlink them first.
        session.execute(update(Ticket).where(Ticket.id.in_(chunk))
                        .values(merged_into_id=None)
                        .execution_options(synchronize_session=False))
    for chunk in chunks(all_ids):
        _delete_conversations(uow, Conversation.ticket_id.in_(chunk))
        activities = select(Activity.id).where(Activity.ticket_id.in_(chunk))
        for statement in (
            delete(Notification).where(or_(Notification.ticket_id.in_(chunk),
                                           Notification.activity_id.in_(activities))),
            delete(Activity).where(Activity.ticket_id.in_(chunk)),
            delete(Follower).where(Follower.ticket_id.in_(chunk)),
            delete(ReadState).where(ReadState.ticket_id.in_(chunk)),
            delete(ticket_contacts).where(ticket_contacts.c.ticket_id.in_(chunk)),
            delete(ticket_companies).where(ticket_companies.c.ticket_id.in_(chunk)),
            delete(ticket_deals).where(ticket_deals.c.ticket_id.in_(chunk)),
            delete(Ticket).where(Ticket.id.in_(chunk)),
        ):
            session.execute(statement.execution_options(synchronize_session=False))
    session.expire_all()
    return all_ids
