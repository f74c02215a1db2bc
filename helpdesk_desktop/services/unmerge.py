"""Unmerge: undoing a merge from its journal.

A merge writes a :class:`~helpdesk_desktop.domain.models.MergeRecord` saying what it moved.
A super admin may split the merged ticket off again while nothing touched what moved: the
conversations are still on the survivor with exactly the messages they had, not in the spam,
not moved to another inbox, and both tickets are still as the merge left them. Otherwise the
unmerge is refused with the reason, and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, literal, select, union_all, update

from helpdesk_desktop.domain.enums import ActivityKind, TicketState
from helpdesk_desktop.domain.errors import InvalidInput, NotFound, PermissionDenied
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import (
    Company,
    Contact,
    Conversation,
    Deal,
    Follower,
    MergeRecord,
    Message,
    Ticket,
    ticket_companies,
    ticket_contacts,
    ticket_deals,
)
from helpdesk_desktop.domain.sentences import sentence
from helpdesk_desktop.services import undo_journal
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import MergeDone, OpResult, Remerge
from helpdesk_desktop.services.uow import UnitOfWork

#: (Ticket attribute, link table, its column) of the associations a merge moves.
ASSOCIATIONS = (("contacts", ticket_contacts, "contact_id"),
                ("companies", ticket_companies, "company_id"),
                ("deals", ticket_deals, "deal_id"))


@dataclass
class MergeJournal:
    """What a merge is about to move (taken before it moves anything)."""

    primary_id: int
    merged_id: int
    data: dict[str, Any]

    @classmethod
    def before(cls, uow: UnitOfWork, primary: Ticket, secondary: Ticket) -> MergeJournal:
        session = uow.session
        # Every moved conversation's message ids, read in one statement.
        message_ids: dict[int, list[int]] = {c.id: [] for c in secondary.conversations}
        if message_ids:
            for conversation_id, message_id in session.execute(
                    select(Message.conversation_id, Message.id)
                    .where(Message.conversation_id.in_(list(message_ids)))
                    .order_by(Message.id)):
                message_ids[conversation_id].append(message_id)
        conversations = {
            str(c.id): {"inbox_id": c.inbox_id, "message_ids": message_ids[c.id]}
            for c in secondary.conversations}
        # Both tickets' followers in one statement (the secondary's in user order: the order
        # SQLite's key gave the query of one ticket; fixed on PostgreSQL too).
        primary_followers: set[int] = set()
        followers: list[tuple[int, dt.datetime]] = []
        for ticket_id, user_id, since in session.execute(
                select(Follower.ticket_id, Follower.user_id, Follower.since)
                .where(Follower.ticket_id.in_((primary.id, secondary.id)))
                .order_by(Follower.ticket_id, Follower.user_id)):
            if ticket_id == primary.id:
                primary_followers.add(user_id)
            else:
                followers.append((user_id, since))
        data: dict[str, Any] = {
            "conversations": conversations,
            "tombstone_ids": sorted(session.scalars(
                select(Ticket.id).where(Ticket.merged_into_id == secondary.id))),
            "primary_created_at": primary.created_at.isoformat(),
            "followers": [[user_id, since.isoformat()] for user_id, since in followers],
            "followers_added": sorted(u for u, _ in followers if u not in primary_followers),
        }
        # The associations of both tickets, one statement for the three link tables (ids in
        # id order, as the relationships order them).
        pair = (primary.id, secondary.id)
        linked = union_all(*(
            select(literal(n).label("kind"), table.c.ticket_id.label("ticket_id"),
                   table.c[column].label("row_id")).where(table.c.ticket_id.in_(pair))
            for n, (_, table, column) in enumerate(ASSOCIATIONS))).subquery()
        found: dict[tuple[int, int], list[int]] = {}
        for kind, ticket_id, row_id in session.execute(
                select(linked.c.kind, linked.c.ticket_id, linked.c.row_id)
                .order_by(linked.c.kind, linked.c.row_id, linked.c.ticket_id)):
            found.setdefault((kind, ticket_id), []).append(row_id)
        for n, (attribute, _table, _column) in enumerate(ASSOCIATIONS):
            theirs = found.get((n, secondary.id), [])
            mine = set(found.get((n, primary.id), []))
            data[attribute] = theirs
            data[f"{attribute}_added"] = [i for i in theirs if i not in mine]
        return cls(primary.id, secondary.id, data)

    def write(self, uow: UnitOfWork) -> None:
        session = uow.session
        # A ticket merged, unmerged and merged again keeps only its latest journal.
        session.execute(delete(MergeRecord).where(MergeRecord.merged_id == self.merged_id))
        session.add(MergeRecord(primary_id=self.primary_id, merged_id=self.merged_id,
                                actor_id=uow.actor_id, merged_at=uow.now, data=self.data))
        session.flush()


def reason_cannot_unmerge(uow: UnitOfWork, record: MergeRecord | None, merged_id: int
                          ) -> str | None:
    """Why the merge of ``merged_id`` cannot be undone now (``None``: it can)."""
    session = uow.session
    if record is None:
        return _("Ticket #{merged_id} was not merged, or its merge can no longer be "
                 "undone.").format(merged_id=merged_id)
    primary = session.get(Ticket, record.primary_id)
    merged = session.get(Ticket, merged_id)
    if merged is None or merged.state is not TicketState.MERGED \
            or merged.merged_into_id != record.primary_id:
        return _("Ticket #{merged_id} is no longer merged into ticket #{primary_id}.").format(
                   merged_id=merged_id, primary_id=record.primary_id)
    if primary is None or primary.state is not TicketState.LIVE:
        return (_("Ticket #{primary_id} is not live any more (spam, deleted or merged "
                  "again); restore it first.").format(primary_id=record.primary_id))
    for key, before in record.data["conversations"].items():
        conversation = session.get(Conversation, int(key))
        if conversation is None or conversation.ticket_id != primary.id:
            return (_("Conversation #{number} moved since the merge (split off or "
                      "deleted), so the merge can no longer be undone.").format(number=key))
        if conversation.spam_at is not None:
            return _("Conversation #{number} was marked as spam since the merge.").format(
                number=key)
        if conversation.inbox_id != before["inbox_id"]:
            return _("Conversation #{number} was moved to another inbox since the merge.").format(
                       number=key)
        messages = sorted(session.scalars(
            select(Message.id).where(Message.conversation_id == conversation.id)))
        if messages != before["message_ids"]:
            return (_("Conversation #{number} has new or moved messages since the merge, "
                      "so the merge can no longer be undone.").format(number=key))
    return None


def unmerge(uow: UnitOfWork, merged_id: int) -> OpResult[MergeDone]:
    """Undo the merge of ``merged_id`` (the old secondary's number): it becomes a live ticket
    again with its conversations, associations and followers. Super admins only."""
    with uow:
        session, actor = uow.session, uow.actor
        if not actor.super_admin:
            raise PermissionDenied(_("Only a super admin can undo a merge."))
        record = session.scalars(
            select(MergeRecord).where(MergeRecord.merged_id == merged_id)).first()
        reason = reason_cannot_unmerge(uow, record, merged_id)
        if reason is not None:
            raise InvalidInput(_("Cannot unmerge: {reason}").format(reason=reason))
        assert record is not None
        primary = session.get(Ticket, record.primary_id)
        merged = session.get(Ticket, merged_id)
        if primary is None or merged is None:  # checked above; keeps the type checker sure
            raise NotFound(_("Ticket #{merged_id} does not exist.").format(merged_id=merged_id))
        data = record.data
        conversation_ids = [int(k) for k in data["conversations"]]
        session.execute(update(Conversation).where(Conversation.id.in_(conversation_ids))
                        .values(ticket_id=merged.id)
                        .execution_options(synchronize_session=False))
        if data["tombstone_ids"]:
            session.execute(update(Ticket).where(Ticket.id.in_(data["tombstone_ids"]))
                            .values(merged_into_id=merged.id)
                            .execution_options(synchronize_session=False))
        for attribute, model in (("contacts", Contact), ("companies", Company),
                                 ("deals", Deal)):
            added = set(data[f"{attribute}_added"])
            mine = getattr(primary, attribute)
            for row in list(mine):
                if row.id in added:
                    mine.remove(row)
            ids = data[attribute]
            setattr(merged, attribute, list(session.scalars(
                select(model).where(model.id.in_(ids)))) if ids else [])
        if data["followers_added"]:
            session.execute(delete(Follower).where(
                Follower.ticket_id == primary.id, Follower.user_id.in_(data["followers_added"])))
        if data["followers"]:
            session.execute(insert(Follower), [
                {"ticket_id": merged.id, "user_id": user_id,
                 "since": dt.datetime.fromisoformat(since)}
                for user_id, since in data["followers"]])
        primary.created_at = dt.datetime.fromisoformat(data["primary_created_at"])
        merged.state = TicketState.LIVE
        merged.merged_into_id = None
        merged.updated_at = primary.updated_at = uow.now
        session.delete(record)
        session.flush()
        session.expire_all()
        primary = session.get(Ticket, record.primary_id)
        merged = session.get(Ticket, merged_id)
        assert primary is not None and merged is not None
        record_activity(uow, primary, ActivityKind.UNMERGED,
                        sentence("Ticket #{ticket_id} “{name}” split off again (merge undone)",
                                 ticket_id=merged.id, name=merged.name),
                        {"ticket_id": merged.id, "conversation_ids": conversation_ids})
        record_activity(uow, merged, ActivityKind.UNMERGED,
                        sentence("Merge into ticket #{ticket_id} undone",
                                 ticket_id=primary.id),
                        {"ticket_id": primary.id, "conversation_ids": conversation_ids})
        result = OpResult(_("Ticket #{merged_id} was split off ticket #{primary_id} "
                            "again.").format(merged_id=merged.id, primary_id=primary.id),
                          changed_ticket_ids=(primary.id,), created_ticket_ids=(merged.id,),
                          payload=MergeDone(primary.id, merged.id),
                          reversal=Remerge(primary.id, merged.id))
        undo_journal.remember(uow, result)
        uow.commit()
        return result
