"""Splitting messages off into a new ticket, and merging two tickets into one.

Both operations move rows rather than copy them: a message keeps its id, author, time and
attachments wherever it goes, so neither operation can lose or duplicate a message.
Messages and conversations are moved by set-based ``UPDATE``s (one per source conversation),
never loaded as ORM objects: splitting 500 messages off a long thread reads ids and times
only, and a thread the split takes whole moves as its one conversation row. The full-text
index needs no upkeep here (its triggers watch a message's subject and text, which a move
does not change).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import (
    Executable,
    Integer,
    bindparam,
    case,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm.attributes import set_committed_value

from helpdesk_desktop.domain.enums import ActivityKind, Category, Channel, Priority, TicketState
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, StaleState
from helpdesk_desktop.domain.i18n import N_, _, ngettext
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Follower,
    Message,
    Pipeline,
    ReadState,
    Status,
    Ticket,
    User,
    ticket_companies,
    ticket_contacts,
)
from helpdesk_desktop.domain.sentences import sentence, sentence_n
from helpdesk_desktop.services import read_state, undo_journal, unmerge
from helpdesk_desktop.services.access import (
    assignable_owner,
    get_visible_ticket,
    lock_tickets,
    reason_missing_service_seat,
    require,
)
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import MergeDone, OpResult, SplitDone, Unmerge
from helpdesk_desktop.services.id_lists import among_parameter, ids_parameter, ids_text
from helpdesk_desktop.services.subjects import bare_subject
from helpdesk_desktop.services.ticket_writes import Entry, record_entries
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.upsert import insert_ignoring_existing
from helpdesk_desktop.services.validation import clean_text
from helpdesk_desktop.services.workspace import first_status

ALL_STATES = tuple(TicketState)


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final[Any] = _Keep()
"""Default of a split's owner, priority and category: the original ticket's value. An explicit
``None`` means unassigned / no priority / no category."""


# -- the split's statements, built once ------------------------------------------------------
# A statement object built at every call costs SQLAlchemy its construction and its cache key
# (~0.2–0.4 ms each); these are built once and take their values as parameters.

_THREAD = (select(Message.id, Message.conversation_id)
           .join(Conversation, Conversation.id == Message.conversation_id)
           .where(Conversation.ticket_id == bindparam("ticket_id"),
                  Conversation.spam_at.is_(None))
           .order_by(Message.sent_at, Message.id))
_FIRSTS = (select(Message.id, Message.sent_at, Message.subject, Conversation.inbox_id,
                  Conversation.channel, Conversation.subject.label("thread_subject"),
                  Conversation.contact_id, Conversation.owner_id)
           .join(Conversation, Conversation.id == Message.conversation_id)
           .where(Message.id.in_(bindparam("ids", expanding=True))))
_NEW_TICKET = insert(Ticket).returning(Ticket.id)
_NEW_CONVERSATION = insert(Conversation).returning(Conversation.id)
_COPY_LINKS = tuple(
    insert(table).from_select(
        ["ticket_id", column],
        select(bindparam("new_id", type_=Integer), table.c[column])
        .where(table.c.ticket_id == bindparam("old_id")).order_by(table.c[column]))
    for table, column in ((ticket_contacts, "contact_id"), (ticket_companies, "company_id")))
#: A thread the split takes whole: its row moves to the new ticket (its messages are not
#: written), with what a new conversation would get: the new ticket as its origin and its
#: first moved message's time.
_MOVE_THREAD = update(Conversation).where(
    Conversation.id == bindparam("conversation_id"),
    Conversation.ticket_id == bindparam("old_id")).values(
        ticket_id=bindparam("new_id"), origin_ticket_id=bindparam("new_id"),
        created_at=bindparam("created_at"))

_TOUCHED = update(Ticket).where(Ticket.id == bindparam("touched_id"),
                                Ticket.state == TicketState.LIVE)
_MOVED_ON = case((Ticket.last_activity_at > bindparam("at"), Ticket.last_activity_at),
                 else_=bindparam("at"))
_TOUCH = {False: _TOUCHED.values(updated_at=bindparam("at")),
          True: _TOUCHED.values(updated_at=bindparam("at"), last_activity_at=_MOVED_ON)}
#: A merge's survivor newer than the merged ticket, in one statement: its update time, its
#: last activity (its MERGED entry) and the older creation time.
_SURVIVOR = _TOUCHED.values(
    updated_at=bindparam("at"), last_activity_at=_MOVED_ON,
    created_at=case((Ticket.created_at > bindparam("created"), bindparam("created")),
                    else_=Ticket.created_at))


@functools.cache
def _move_messages(dialect: str) -> Executable:
    """``UPDATE messages SET conversation_id = :target`` for the ids ``:ids``."""
    return (update(Message).where(among_parameter(Message.id, "ids", dialect))
            .values(conversation_id=bindparam("target")))


_FIRST_STATUS = (select(Status.id, Status.is_closed)
                 .where(Status.pipeline_id == bindparam("pipeline_id"))
                 .order_by(Status.position, Status.id).limit(1))


# -- split ----------------------------------------------------------------------------------

def split_ticket(
    uow: UnitOfWork,
    ticket_id: int,
    message_ids: Sequence[int],
    *,
    name: str | None = None,
    owner_id: int | None | Any = KEEP,
    status_id: int | None = None,
    priority: Priority | str | None | Any = KEEP,
    contact_id: int | None = None,
    category: Category | str | None | Any = KEEP,
) -> OpResult[SplitDone]:
    """Move the chosen messages of an e-mail ticket to a new ticket in the same pipeline.

    Each source conversation that gives messages gets one new conversation on the new ticket
    (keeping its inbox, channel and contact), so threads from a merged ticket stay apart; one
    that gives all its messages moves there itself (:func:`_move_whole`).
    Unset details default to: name (also when blank) = the first moved message's subject,
    status = the pipeline's first status, owner/priority/category = the original ticket's
    (see :data:`KEEP`), contacts and companies = the original's (or ``contact_id`` and its
    company when given).
    """
    with uow:
        session = uow.session
        actor = uow.actor
        require(reason_missing_service_seat(actor))
        old = get_visible_ticket(session, actor, ticket_id)  # locked when it writes (PG)
        if old.source is not Channel.EMAIL:
            raise InvalidInput(_("Only e-mail tickets can be split; ticket #{old_id} "
                                 "came from {source_value}.").format(
                                   old_id=old.id, source_value=old.source.value))
        wanted = list(dict.fromkeys(int(i) for i in message_ids))
        if not wanted:
            raise InvalidInput(_("Choose at least one message to move to the new "
                                 "ticket."))
        # Below, Core statements on the session's connection (its transaction): rows, not ORM
        # objects, and none of the ORM's per-statement work (nothing here is pending in the
        # session; the ORM objects read above are not written).
        connection = session.connection()
        # The ticket's messages outside the spam, oldest first: ids and threads only.
        thread_of: dict[int, int] = dict(
            connection.execute(_THREAD, {"ticket_id": old.id}).all())
        unknown = [i for i in wanted if i not in thread_of]
        if unknown:
            raise InvalidInput(ngettext(
                "Message {ids} does not belong to ticket #{ticket_id}.",
                "Messages {ids} do not belong to ticket #{ticket_id}.",
                len(unknown)).format(ids=ids_text(unknown), ticket_id=old.id))
        if len(wanted) == len(thread_of):
            raise InvalidInput(_("At least one message must stay on the original "
                                 "ticket."))
        chosen = set(wanted)
        moved_ids = [i for i in thread_of if i in chosen]  # by (sent_at, id)
        # One new conversation per source conversation, in the order of their first moved
        # message, created at that message's time.
        moving: dict[int, list[int]] = {}
        for message_id in moved_ids:
            moving.setdefault(thread_of[message_id], []).append(message_id)
        # The first moved message of each source conversation, with its conversation.
        firsts = {row.id: row for row in connection.execute(
            _FIRSTS, {"ids": [ids[0] for ids in moving.values()]})}

        new_status_id, closes = _status_in_pipeline(uow, old.pipeline_id, status_id)
        new_owner_id = (old.owner_id if owner_id is KEEP
                        else None if owner_id is None else assignable_owner(session, owner_id).id)
        contact_ids: list[int] | None = None  # None: the original's contacts and companies
        company_ids: list[int] = []
        if contact_id is not None:
            contact = session.get(Contact, contact_id)
            if contact is None:
                raise NotFound(_("Contact #{contact_id} does not exist.").format(
                                   contact_id=contact_id))
            contact_ids = [contact.id]
            company_ids = [contact.company_id] if contact.company_id else []
        given_name = (name or "").strip()
        default_name = (bare_subject(firsts[moved_ids[0]].subject)
                        or f"Split from #{old.id}")
        new_id = connection.execute(_NEW_TICKET, {
            "name": (clean_text(given_name, _("Name"), max_length=500) if given_name
                     else default_name),
            "description": "",
            "pipeline_id": old.pipeline_id,
            "status_id": new_status_id,
            "priority": _enum_or(Priority, priority, old.priority),
            "category": _enum_or(Category, category, old.category),
            "owner_id": new_owner_id,
            "inbox_id": old.inbox_id,
            "source": old.source,
            "created_at": uow.now,
            "updated_at": uow.now,
            "last_activity_at": uow.now,
            "closed_at": uow.now if closes else None,
            "state": TicketState.LIVE,
            "version": 1,
        }).scalar_one()
        _copy_links(uow, old.id, new_id, contact_ids, company_ids)

        dialect = uow.database.dialect
        # Every message of a source conversation is in ``thread_of`` (it is not spam).
        left = Counter(thread_of.values())
        for source_id, ids in moving.items():
            source = firsts[ids[0]]
            if left[source_id] == len(ids):
                _move_whole(uow, source_id, old.id, new_id, source.sent_at)
                continue
            target_id = connection.execute(_NEW_CONVERSATION, {
                "ticket_id": new_id, "origin_ticket_id": new_id, "inbox_id": source.inbox_id,
                "channel": source.channel, "subject": source.thread_subject,
                "contact_id": source.contact_id, "owner_id": source.owner_id,
                "created_at": source.sent_at,
            }).scalar_one()
            connection.execute(_move_messages(dialect), {
                "ids": ids_parameter(ids, dialect), "target": target_id})

        _still_live(uow, old.id, activity=True)
        record_entries(uow, [
            Entry(old.id, ActivityKind.SPLIT_INTO,
                  sentence_n("{count} message split into ticket #{ticket_id}",
                             "{count} messages split into ticket #{ticket_id}",
                             len(moved_ids), ticket_id=new_id),
                  {"ticket_id": new_id, "message_ids": moved_ids},
                  owner_id=old.owner_id, last_activity_at=old.last_activity_at),
            Entry(new_id, ActivityKind.SPLIT_FROM,
                  sentence("Split from ticket #{ticket_id}", ticket_id=old.id),
                  {"ticket_id": old.id, "message_ids": moved_ids},
                  owner_id=new_owner_id, last_activity_at=uow.now)],
            mark_read=(new_id,))
        uow.commit()
        return OpResult(
            ngettext("Moved {count} message to the new ticket #{ticket_id}.",
                     "Moved {count} messages to the new ticket #{ticket_id}.",
                     len(moved_ids)).format(count=len(moved_ids), ticket_id=new_id),
            changed_ticket_ids=(old.id, new_id),
            created_ticket_ids=(new_id,),
            payload=SplitDone(new_id, tuple(moved_ids)),
        )


def _move_whole(uow: UnitOfWork, conversation_id: int, old_id: int, new_id: int,
                created_at: dt.datetime) -> None:
    """Move conversation ``conversation_id``, every message of which the split takes, from
    ticket ``old_id`` to ``new_id`` as one row: the same rows as a new conversation with the
    messages moved into it and the emptied one deleted, but its id kept, and one row written
    where that was one per message (each with its foreign-key check and, on PostgreSQL, its
    search words read twice) and two conversations."""
    moved = uow.session.connection().execute(_MOVE_THREAD, {
        "conversation_id": conversation_id, "old_id": old_id, "new_id": new_id,
        "created_at": created_at})
    if moved.rowcount != 1:
        raise StaleState(_("Ticket #{ticket_id} was changed by someone else at the "
                           "same moment; nothing was changed.").format(ticket_id=old_id))


def _copy_links(uow: UnitOfWork, old_id: int, new_id: int, contact_ids: list[int] | None,
                company_ids: list[int]) -> None:
    """The new ticket's contacts and companies: the original's (``contact_ids`` ``None``),
    or those given."""
    connection = uow.session.connection()
    if contact_ids is None:
        for copy in _COPY_LINKS:
            connection.execute(copy, {"new_id": new_id, "old_id": old_id})
        return
    for table, column, given in ((ticket_contacts, "contact_id", contact_ids),
                                 (ticket_companies, "company_id", company_ids)):
        if given:
            connection.execute(insert(table), [{"ticket_id": new_id, column: i} for i in given])


# -- merge ----------------------------------------------------------------------------------

def merge_tickets(uow: UnitOfWork, primary_id: int, secondary_id: int) -> OpResult[MergeDone]:
    """Merge ``secondary_id`` into ``primary_id``; the secondary becomes a redirecting tombstone.

    The primary keeps its id and property values (the overwritten ones are kept in the MERGED
    activity), takes the older creation time, every conversation, the union of contacts,
    companies, deals and followers, and stays unread for whoever had either ticket unread.
    """
    with uow:
        session = uow.session
        uow.actor  # noqa: B018 - refuses users without help desk access first
        if primary_id == secondary_id:
            raise InvalidInput(_("A ticket cannot be merged into itself."))
        lock_tickets(session, (primary_id, secondary_id))
        primary = _live_for_merge(uow, primary_id)
        secondary = _live_for_merge(uow, secondary_id)
        # Re-checked where it is written: 0 rows means another operation got there first.
        # The one UPDATE of the survivor: its update time, its last activity and creation
        # time as the merge leaves them (on PostgreSQL each UPDATE of a ticket is a new row
        # version in its ~30 indexes and runs the statement triggers of 0014 and 0017). The
        # ORM is told below, once the journal has read the values before.
        # Its creation time only when the merged ticket is older: on SQLite a column in the
        # SET list rewrites its index entries even to the same value.
        _still_live(uow, primary.id, activity=True,
                    created_at=(secondary.created_at
                                if secondary.created_at < primary.created_at else None))
        tombstoned = session.execute(
            update(Ticket)
            .where(Ticket.id == secondary.id, Ticket.state == TicketState.LIVE,
                   Ticket.merged_into_id.is_(None))
            .values(state=TicketState.MERGED, merged_into_id=primary.id, updated_at=uow.now)
            .execution_options(synchronize_session=False))
        if tombstoned.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleState(_("Ticket #{secondary_id} was changed by someone else at "
                               "the same moment; nothing was merged.").format(
                                 secondary_id=secondary.id))
        # The secondary's state and merged_into_id in memory are now stale: nothing below
        # reads them, and the commit expires everything.

        unread_users = _users_with_unread(uow, primary, secondary)
        journal = unmerge.MergeJournal.before(uow, primary, secondary)
        data = journal.data
        overwritten = _snapshot(uow, secondary, data)
        set_committed_value(primary, "created_at",
                            min(primary.created_at, secondary.created_at))
        set_committed_value(primary, "updated_at", uow.now)

        # Set-based moves of what the journal just read: the conversations, the associations
        # and followers the primary lacks, the tombstones that pointed at the secondary.
        moved_ids = [int(key) for key in data["conversations"]]
        if moved_ids:  # origin_ticket_id is kept on purpose
            session.execute(update(Conversation).where(Conversation.id.in_(moved_ids))
                            .values(ticket_id=primary.id)
                            .execution_options(synchronize_session=False))
        for attribute, table, column in unmerge.ASSOCIATIONS:
            if data[f"{attribute}_added"]:
                session.execute(insert(table), [{"ticket_id": primary.id, column: row_id}
                                                for row_id in data[f"{attribute}_added"]])
            if data[attribute]:
                session.execute(delete(table).where(table.c.ticket_id == secondary.id))
        since = {user_id: when for user_id, when in data["followers"]}
        for user_id in data["followers_added"]:
            insert_ignoring_existing(
                session, Follower.__table__,  # type: ignore[arg-type]
                {"ticket_id": primary.id, "user_id": user_id,
                 "since": dt.datetime.fromisoformat(since[user_id])})
        if data["followers"]:
            session.execute(delete(Follower).where(Follower.ticket_id == secondary.id))
        if data["tombstone_ids"]:
            session.execute(update(Ticket).where(Ticket.merged_into_id == secondary.id)
                            .values(merged_into_id=primary.id)
                            .execution_options(synchronize_session=False))
        # Collections loaded before the moves no longer match the rows: read afresh if used.
        for ticket in (primary, secondary):
            session.expire(ticket, ["conversations", "contacts", "companies", "deals"])

        record_activity(uow, primary, ActivityKind.MERGED,
                        sentence("Ticket #{ticket_id} “{name}” merged into this ticket",
                                 ticket_id=secondary.id, name=secondary.name),
                        {"ticket_id": secondary.id, "overwritten": overwritten,
                         "conversation_ids": moved_ids}, moved_on=True)
        for user_id in unread_users:
            read_state.set_unread(session, primary.id, user_id)
        journal.write(uow)
        result = OpResult(
            _("Ticket #{secondary_id} was merged into ticket #{primary_id}.").format(
                secondary_id=secondary.id, primary_id=primary.id),
            changed_ticket_ids=(primary.id,),
            removed_ticket_ids=(secondary.id,),
            payload=MergeDone(primary.id, secondary.id),
            reversal=Unmerge(secondary.id),
        )
        undo_journal.remember(uow, result)
        uow.commit()
        return result


# -- helpers --------------------------------------------------------------------------------

def _status_in_pipeline(uow: UnitOfWork, pipeline_id: int, status_id: int | None
                        ) -> tuple[int, bool]:
    """(id, closed) of ``status_id`` if it belongs to the pipeline, else of the pipeline's
    first status."""
    if status_id is None:
        first = uow.session.connection().execute(
            _FIRST_STATUS, {"pipeline_id": pipeline_id}).first()
        if first is None:  # the refusal, with the pipeline's name
            pipeline = uow.session.get(Pipeline, pipeline_id)
            assert pipeline is not None
            first_status(uow.session, pipeline)
        assert first is not None
        return first.id, first.is_closed
    status = uow.session.get(Status, status_id)
    if status is None:
        raise NotFound(_("Status #{status_id} does not exist.").format(status_id=status_id))
    if status.pipeline_id != pipeline_id:
        raise InvalidInput(_("The status “{status_name}” belongs to another pipeline.").format(
                               status_name=status.name))
    return status.id, status.is_closed


def _enum_or(kind: Any, value: Any, default: Any) -> Any:
    if value is KEEP:
        return default
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        sentence = (N_("'{value}' is not a valid priority.") if kind is Priority
                    else N_("'{value}' is not a valid category."))
        raise InvalidInput(_(sentence).format(value=value)) from None


def _live_for_merge(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = get_visible_ticket(uow.session, uow.actor, ticket_id, states=ALL_STATES,
                                follow_merges=False)
    if ticket.state is TicketState.MERGED:
        raise StaleState(_("Ticket #{ticket_id} was already merged into ticket "
                           "#{merged_into_id}; only live tickets can be merged.").format(
                             ticket_id=ticket.id, merged_into_id=ticket.merged_into_id))
    if ticket.state is not TicketState.LIVE:
        sentence = {
            TicketState.SPAM: N_("Ticket #{ticket_id} is spam; only live tickets can be "
                                 "merged."),
            TicketState.DELETED: N_("Ticket #{ticket_id} is deleted; only live tickets can be "
                                    "merged."),
        }.get(ticket.state, N_("Ticket #{ticket_id} is not live; only live tickets can be "
                               "merged."))
        raise StaleState(_(sentence).format(ticket_id=ticket.id))
    return ticket


def _still_live(uow: UnitOfWork, ticket_id: int, *, activity: bool = False,
                created_at: dt.datetime | None = None) -> None:
    """Touch the ticket only if it is still live (0 rows: another operation changed it);
    ``activity``: it gets a timeline entry now (its last activity moves on); ``created_at``
    (a merge's survivor, with ``activity``): its creation time becomes the older of the two."""
    values: dict[str, Any] = {"touched_id": ticket_id, "at": uow.now}
    if created_at is not None:
        values["created"] = created_at
    touched = uow.session.connection().execute(
        _SURVIVOR if created_at is not None else _TOUCH[activity], values)
    if touched.rowcount != 1:
        raise StaleState(_("Ticket #{ticket_id} was changed by someone else at the "
                           "same moment; nothing was changed.").format(ticket_id=ticket_id))


def _users_with_unread(uow: UnitOfWork, primary: Ticket, secondary: Ticket) -> list[int]:
    """Users for whom either ticket is unread now (and who have a read state on either:
    without one a ticket is unread anyway, and stays so)."""
    states = uow.session.scalars(select(ReadState).where(
        ReadState.ticket_id.in_((primary.id, secondary.id)))).all()
    by_user: dict[int, dict[int, ReadState]] = {}
    for state in states:
        by_user.setdefault(state.user_id, {})[state.ticket_id] = state
    unread: list[int] = []
    for user_id, mine in sorted(by_user.items()):
        if any(read_state.is_unread(mine.get(t.id), t.last_activity_at)
               for t in (primary, secondary)):
            unread.append(user_id)
    return unread


#: The names a merged ticket's snapshot keeps: one statement (three lazy loads before).
_NAMES = (select(Pipeline.name.label("pipeline"), Status.name.label("status"),
                 User.name.label("owner"))
          .select_from(Ticket)
          .join(Pipeline, Pipeline.id == Ticket.pipeline_id)
          .join(Status, Status.id == Ticket.status_id)
          .outerjoin(User, User.id == Ticket.owner_id)
          .where(Ticket.id == bindparam("ticket_id")))


def _snapshot(uow: UnitOfWork, ticket: Ticket, journal: dict[str, Any]) -> dict[str, Any]:
    """The property values of ``ticket`` as JSON, for the MERGED activity (its association
    ids from the merge's ``journal``)."""
    names = uow.session.connection().execute(_NAMES, {"ticket_id": ticket.id}).one()
    return {
        "id": ticket.id,
        "name": ticket.name,
        "description": ticket.description,
        "pipeline_id": ticket.pipeline_id,
        "pipeline": names.pipeline,
        "status_id": ticket.status_id,
        "status": names.status,
        "priority": ticket.priority.value if ticket.priority else None,
        "category": ticket.category.value if ticket.category else None,
        "owner_id": ticket.owner_id,
        "owner": names.owner,
        "source": ticket.source.value,
        "created_at": ticket.created_at.isoformat(),
        "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
        "contact_ids": list(journal["contacts"]),
        "company_ids": list(journal["companies"]),
        "deal_ids": list(journal["deals"]),
    }
