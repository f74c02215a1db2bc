"""The split as it was before it became set-based (``ticket_writes``, 2026-12-06): ORM objects
and one ``record_activity`` per ticket. ``test_bulk_writes`` runs it against the new one and
compares every row they write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update

from helpdesk_desktop.domain.enums import ActivityKind, Category, Channel, Priority, TicketState
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import Contact, Conversation, Message, Pipeline, Status, Ticket
from helpdesk_desktop.domain.sentences import sentence, sentence_n
from helpdesk_desktop.services import read_state
from helpdesk_desktop.services.access import (
    assignable_owner,
    get_visible_ticket,
    reason_missing_service_seat,
    require,
)
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import OpResult, SplitDone
from helpdesk_desktop.services.id_lists import chunks, ids_text
from helpdesk_desktop.services.split_merge import KEEP, _enum_or, _still_live
from helpdesk_desktop.services.subjects import bare_subject
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_text
from helpdesk_desktop.services.workspace import first_status


def _status_in_pipeline(uow: UnitOfWork, pipeline: Pipeline, status_id: int | None) -> Status:
    if status_id is None:
        return first_status(uow.session, pipeline)
    status = uow.session.get(Status, status_id)
    if status is None:
        raise NotFound(_("Status #{status_id} does not exist.").format(status_id=status_id))
    if status.pipeline_id != pipeline.id:
        raise InvalidInput(_("The status “{status_name}” belongs to another pipeline.").format(
                               status_name=status.name))
    return status


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
    (keeping its inbox, channel and contact), so threads from a merged ticket stay apart.
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
        # The ticket's messages outside the spam: ids, threads and times, no bodies.
        by_id = {row.id: row for row in session.execute(
            select(Message.id, Message.conversation_id, Message.sent_at, Message.subject)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.ticket_id == old.id, Conversation.spam_at.is_(None)))}
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            raise InvalidInput(ngettext(
                "Message {ids} does not belong to ticket #{ticket_id}.",
                "Messages {ids} do not belong to ticket #{ticket_id}.",
                len(unknown)).format(ids=ids_text(unknown), ticket_id=old.id))
        if len(wanted) == len(by_id):
            raise InvalidInput(_("At least one message must stay on the original "
                                 "ticket."))
        moved = sorted((by_id[i] for i in wanted), key=lambda m: (m.sent_at, m.id))

        status = _status_in_pipeline(uow, old.pipeline, status_id)
        new_owner_id = (old.owner_id if owner_id is KEEP
                        else None if owner_id is None else assignable_owner(session, owner_id).id)
        if contact_id is not None:
            contact = session.get(Contact, contact_id)
            if contact is None:
                raise NotFound(_("Contact #{contact_id} does not exist.").format(
                                   contact_id=contact_id))
            contacts = [contact]
            companies = [contact.company] if contact.company else []
        else:
            contacts, companies = list(old.contacts), list(old.companies)
        given_name = (name or "").strip()
        default_name = bare_subject(moved[0].subject) or f"Split from #{old.id}"
        new = Ticket(
            name=clean_text(given_name, _("Name"), max_length=500) if given_name else default_name,
            description="",
            pipeline_id=old.pipeline_id,
            status_id=status.id,
            priority=_enum_or(Priority, priority, old.priority),
            category=_enum_or(Category, category, old.category),
            owner_id=new_owner_id,
            inbox_id=old.inbox_id,
            source=old.source,
            created_at=uow.now,
            updated_at=uow.now,
            last_activity_at=uow.now,
            closed_at=uow.now if status.is_closed else None,
            state=TicketState.LIVE,
            version=1,
        )
        new.contacts = contacts
        new.companies = companies
        session.add(new)
        session.flush()

        # One new conversation per source conversation, in the order of their first moved
        # message, created at that message's time.
        moving: dict[int, list[int]] = {}
        first_sent: dict[int, Any] = {}
        for message in moved:
            moving.setdefault(message.conversation_id, []).append(message.id)
            first_sent.setdefault(message.conversation_id, message.sent_at)
        sources = {c.id: c for c in session.scalars(
            select(Conversation).where(Conversation.id.in_(moving)))}
        # Since s27-pgwrites a thread moved whole moves as its conversation row (the rule of
        # ``split_merge._move_whole``); the others get a new conversation, as before.
        sizes = dict(session.execute(
            select(Message.conversation_id, func.count()).where(
                Message.conversation_id.in_(moving)).group_by(Message.conversation_id)).all())
        whole = {i for i, ids in moving.items() if sizes[i] == len(ids)}
        targets = {source_id: Conversation(
            ticket_id=new.id, origin_ticket_id=new.id, inbox_id=source.inbox_id,
            channel=source.channel, subject=source.subject, contact_id=source.contact_id,
            owner_id=source.owner_id, created_at=first_sent[source_id])
            for source_id, source in ((i, sources[i]) for i in moving if i not in whole)}
        session.add_all(targets.values())
        session.flush()
        for source_id, ids in moving.items():
            if source_id in whole:
                session.execute(update(Conversation).where(Conversation.id == source_id)
                                .values(ticket_id=new.id, origin_ticket_id=new.id,
                                        created_at=first_sent[source_id])
                                .execution_options(synchronize_session=False))
                session.expire(sources[source_id])
                continue
            for chunk in chunks(ids):
                session.execute(update(Message).where(Message.id.in_(chunk))
                                .values(conversation_id=targets[source_id].id)
                                .execution_options(synchronize_session=False))

        _still_live(uow, old.id)
        moved_ids = [m.id for m in moved]
        record_activity(uow, old, ActivityKind.SPLIT_INTO,
                        sentence_n("{count} message split into ticket #{ticket_id}",
                                   "{count} messages split into ticket #{ticket_id}",
                                   len(moved_ids), ticket_id=new.id),
                        {"ticket_id": new.id, "message_ids": moved_ids})
        record_activity(uow, new, ActivityKind.SPLIT_FROM,
                        sentence("Split from ticket #{ticket_id}", ticket_id=old.id),
                        {"ticket_id": old.id, "message_ids": moved_ids})
        read_state.set_read(session, new.id, actor.id, uow.now)
        old.updated_at = uow.now
        uow.commit()
        return OpResult(
            ngettext("Moved {count} message to the new ticket #{ticket_id}.",
                     "Moved {count} messages to the new ticket #{ticket_id}.",
                     len(moved_ids)).format(count=len(moved_ids), ticket_id=new.id),
            changed_ticket_ids=(old.id, new.id),
            created_ticket_ids=(new.id,),
            payload=SplitDone(new.id, tuple(moved_ids)),
        )
