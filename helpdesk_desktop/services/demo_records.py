"""The bulk demo build's writer: the driver's records made directly, without row dicts.

:class:`DemoWriter` builds each row as a dict, which :class:`demo_bulk.FastInserts` then takes
apart column by column and converts (times as text, enums by name, JSON) into the driver's
records: two passes over about thirteen rows per ticket, most of the generating process's
time. :class:`RecordWriter` writes the same batches with the largest tables' records
(conversations, messages, activities, contact links and read states) built directly in their
statement's column order and converted as they are made, with the converters
:meth:`demo_bulk._Plan.converter` takes from the same plans; the tickets and the small
tables still go through :meth:`FastInserts.insert`. The records, their order and the draws
from the generator are those of :class:`DemoWriter` (a test compares the two writers'
records statement by statement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import ActivityKind, Channel, Direction, MessageKind
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
from helpdesk_desktop.domain.sentences import sentence
from helpdesk_desktop.services.access import can_see_owner
from helpdesk_desktop.services.demo_bulk import FastInserts, _Plan
from helpdesk_desktop.services.demo_threads import Msg, ThreadPlanner, TicketPlan
from helpdesk_desktop.services.demo_writer import (
    _CREATED_SUMMARY,
    _FROM_CUSTOMER,
    _INTERNAL,
    _MESSAGE_SUMMARIES,
    _MESSAGE_SUMMARY,
    DemoWriter,
    _activity,
)
from helpdesk_desktop.storage.database import Database

#: Each table's columns after its id, in the order of :class:`DemoWriter`'s row dicts (so
#: the statements are those :meth:`FastInserts.insert` makes of them).
CONVERSATION_KEYS = ("ticket_id", "origin_ticket_id", "inbox_id", "channel", "subject",
                     "contact_id", "owner_id", "created_at", "spam_at")
MESSAGE_KEYS = ("conversation_id", "kind", "direction", "author_user_id", "author_contact_id",
                "author_name", "author_email", "to_addresses", "cc_addresses", "sent_at",
                "subject", "body_text", "body_html", "message_id_header", "in_reply_to",
                "references")
ACTIVITY_KEYS = ("ticket_id", "actor_id", "kind", "created_at", "summary", "data")
READ_KEYS = ("ticket_id", "user_id", "read_at", "forced_unread")


class RecordWriter(DemoWriter):
    """:class:`DemoWriter` for a bulk build through ``fast``: the same rows, most of them
    made as the driver's records directly."""

    def __init__(self, database: Database, planner: ThreadPlanner, fast: FastInserts) -> None:
        super().__init__(database, planner)
        self.fast = fast
        self.insert = fast.insert
        self._plans: dict[str, _Plan] = {}

    def _plan(self, session: Session, target: Any, keys: tuple[str, ...],
              own_ids: bool) -> _Plan:
        name = getattr(target, "__table__", target).name
        plan = self._plans.get(name)
        if plan is None:
            plan = self._plans[name] = self.fast.plan_for(session, target, keys, own_ids)
        return plan

    def write_tickets(self, ages: Sequence[float], kinds: Sequence[str]) -> None:
        """Plan and write one batch of tickets, in one transaction."""
        plans = [self.planner.plan(age, kind) for age, kind in zip(ages, kinds)]
        if not plans:
            return
        fast = self.fast
        with self.transaction() as session:
            ticket_ids = self.insert(session, Ticket, [p.row for p in plans], returning=True)
            links_contacts, links_companies, links_deals = [], [], []
            for ticket_id, plan in zip(ticket_ids, plans):
                if not plan.spam:
                    contact = plan.contact
                    links_contacts.append((ticket_id, contact.id))
                    if contact.company_id:
                        links_companies.append((ticket_id, contact.company_id))
                    if plan.deal_id:
                        links_deals.append((ticket_id, plan.deal_id))
            for table, key, links in ((ticket_contacts, "contact_id", links_contacts),
                                      (ticket_companies, "company_id", links_companies),
                                      (ticket_deals, "deal_id", links_deals)):
                if links:
                    fast.write_records(session, self._plan(session, table, ("ticket_id", key),
                                                           False), links)
            conversation_count = sum(len(p.conversations) for p in plans)
            message_count = sum(len(c.messages) for p in plans for c in p.conversations)
            first_conversation = fast.take_ids(session, "conversations", conversation_count)
            subjects = self._conversations(session, ticket_ids, plans, first_conversation)
            message_meta = self._messages(session, ticket_ids, plans, subjects,
                                          first_conversation,
                                          fast.take_ids(session, "messages", message_count))
            self._timeline(session, ticket_ids, plans, message_meta)
            session.commit()
        self.counts["tickets"] += len(plans)
        self.counts["spam_tickets"] += sum(p.spam for p in plans)
        self.counts["closed_tickets"] += sum(p.closed_status_change for p in plans)
        self.counts["conversations"] += conversation_count
        self.counts["messages"] += message_count
        self.counts["followed_tickets"] += sum(bool(p.followers) for p in plans)

    def _conversations(self, session: Session, ticket_ids: Sequence[int],
                       plans: Sequence[TicketPlan], first_id: int) -> list[str]:
        """Write the batch's conversations (ids from ``first_id``); their subjects in order."""
        plan = self._plan(session, Conversation, CONVERSATION_KEYS, True)
        when = _converter(plan, "created_at")
        channel = _converter(plan, "channel")(Channel.EMAIL)
        inbox_id = self.setup.help_desk[0]
        records = []
        subjects = []
        conversation_id = first_id
        for ticket_id, ticket in zip(ticket_ids, plans):
            contact_id = ticket.contact.id if not ticket.spam else None
            owner_id = ticket.owner.id if ticket.owner else None
            for conv in ticket.conversations:
                # A whole spam ticket keeps its conversations unmarked (DemoWriter).
                records.append((conversation_id, ticket_id, ticket_id, inbox_id, channel,
                                conv.subject, contact_id, owner_id, when(conv.created_at),
                                None))
                subjects.append(conv.subject)
                conversation_id += 1
        self.fast.write_records(session, plan, records)
        return subjects

    def _messages(self, session: Session, ticket_ids: Sequence[int],
                  plans: Sequence[TicketPlan], subjects: list[str], first_conversation: int,
                  first_id: int) -> list[tuple[int, int, TicketPlan, Msg]]:
        """Write the batch's messages (ids from ``first_id``) of the conversations just
        written (ids from ``first_conversation``, ``subjects``); (message id, ticket id, its
        plan, the message) of each, in order."""
        plan = self._plan(session, Message, MESSAGE_KEYS, True)
        when = _converter(plan, "sent_at")
        kinds = _converter(plan, "kind")
        directions = {kind: _converter(plan, "direction")(
            Direction.INCOMING if kind in _FROM_CUSTOMER else
            Direction.INTERNAL if kind in _INTERNAL else Direction.OUTGOING)
            for kind in MessageKind}
        help_desk_address = self.setup.help_desk[1]
        reply_kinds = (MessageKind.REPLY, MessageKind.EMAIL)
        records = []
        meta = []
        message_id = first_id
        conversation_id = first_conversation
        index = 0
        for ticket_id, ticket in zip(ticket_ids, plans):
            contact = ticket.contact
            for conv in ticket.conversations:
                subject = subjects[index]
                index += 1
                reply_subject = f"Re: {subject}"
                for msg in conv.messages:
                    kind = msg.kind
                    agent = msg.agent
                    author: tuple[int | None, int | None, str, str]
                    if kind in _FROM_CUSTOMER:
                        author = (None, contact.id or None, contact.name, contact.email)
                        to = help_desk_address
                    else:
                        author = ((None, None, contact.name, contact.email) if agent is None
                                  else (agent.id, None, agent.name, agent.email))
                        to = "" if kind in _INTERNAL else contact.email
                    records.append((
                        message_id, conversation_id, kinds(kind), directions[kind], *author,
                        to, "", when(msg.sent_at),
                        reply_subject if kind in reply_kinds and msg.in_reply_to else subject,
                        msg.text, msg.html, msg.header, msg.in_reply_to, msg.references))
                    meta.append((message_id, ticket_id, ticket, msg))
                    message_id += 1
                conversation_id += 1
        self.fast.write_records(session, plan, records)
        return meta

    def _timeline(self, session: Session, ticket_ids: Sequence[int],
                  plans: Sequence[TicketPlan],
                  message_meta: Sequence[tuple[int, int, TicketPlan, Msg]]) -> None:
        """Attachments, activities, followers, read states and notifications, as
        :meth:`DemoWriter._write_timeline` writes them."""
        fast = self.fast
        plan = self._plan(session, Activity, ACTIVITY_KEYS, True)
        when = _converter(plan, "created_at")
        kinds = _converter(plan, "kind")
        data = _converter(plan, "data")
        message_data = _message_data(data)
        created, message = kinds(ActivityKind.CREATED), kinds(ActivityKind.MESSAGE)
        changed, spam = kinds(ActivityKind.PROPERTY_CHANGED), kinds(ActivityKind.SPAM)
        count = len(message_meta) + sum(p.spam + (p.owner is not None) + p.closed_status_change
                                        for p in plans)
        activity_id = first = fast.take_ids(session, "activities", count)
        attachments = []
        records: list[tuple[Any, ...]] = []
        # ticket id -> (activity id, time) of its last customer message's activity
        last_customer: dict[int, tuple[int, dt.datetime]] = {}
        first_message: set[int] = set()
        for message_id, ticket_id, _ticket, msg in message_meta:
            if msg.attachment is not None:
                filename, content_type, content = msg.attachment
                attachments.append({"message_id": message_id, "filename": filename,
                                    "content_type": content_type, "size": len(content),
                                    "content": content})
            if ticket_id not in first_message:
                first_message.add(ticket_id)
                records.append((activity_id, ticket_id, None, created, when(msg.sent_at),
                                _CREATED_SUMMARY, message_data(message_id)))
                activity_id += 1
                continue
            actor = msg.agent.id if msg.agent else None
            records.append((activity_id, ticket_id, actor, message, when(msg.sent_at),
                            _MESSAGE_SUMMARIES.get(msg.kind, _MESSAGE_SUMMARY),
                            message_data(message_id)))
            if actor is None:
                last_customer[ticket_id] = (activity_id, msg.sent_at)
            activity_id += 1
        admin = self.setup.agents[0].id
        for ticket_id, ticket in zip(ticket_ids, plans):
            row = ticket.row
            changes = []
            if ticket.spam:
                changes.append(_activity(ticket_id, admin, ActivityKind.SPAM, row["spam_at"],
                                         _MARKED_SPAM, {}))
            if ticket.owner is not None:
                changes.append(_activity(
                    ticket_id, admin, ActivityKind.PROPERTY_CHANGED,
                    row["created_at"] + dt.timedelta(minutes=5),
                    sentence("Owner set to {name}", name=ticket.owner.name),
                    {"field": "owner", "old": None, "new": ticket.owner.id}))
            if ticket.closed_status_change:
                actor = ticket.owner.id if ticket.owner and ticket.owner.seat else \
                    self.repliers[0].id
                changes.append(_activity(ticket_id, actor, ActivityKind.PROPERTY_CHANGED,
                                         row["closed_at"], _STATUS_CLOSED,
                                         {"field": "status", "new": row["status_id"]}))
            for change in changes:
                records.append((activity_id, ticket_id, change["actor_id"],
                                spam if change["kind"] is ActivityKind.SPAM else changed,
                                when(change["created_at"]), change["summary"],
                                data(change["data"])))
                activity_id += 1
        assert activity_id == first + count
        if attachments:
            self.insert(session, Attachment, attachments)
            self.counts["attachments"] += len(attachments)
        fast.write_records(session, plan, records)

        followers, notifications = [], []
        reads: list[tuple[Any, ...]] = []
        read_plan = self._plan(session, ReadState, READ_KEYS, False)
        read_at = _converter(read_plan, "read_at")
        unread = _converter(read_plan, "forced_unread")(False)
        for ticket_id, ticket in zip(ticket_ids, plans):
            for agent in ticket.followers:
                followers.append({"ticket_id": ticket_id, "user_id": agent.id,
                                  "since": ticket.row["created_at"]})
                last = last_customer.get(ticket_id)
                if last is not None and can_see_owner(agent, ticket.owner):
                    notifications.append({
                        "user_id": agent.id, "ticket_id": ticket_id, "activity_id": last[0],
                        "created_at": last[1],
                        "read_at": None if self.rng.random() < 0.6 else self.now})
            for agent, moment in ticket.readers:
                reads.append((ticket_id, agent.id, read_at(moment), unread))
        if followers:
            self.insert(session, Follower, followers)
        fast.write_records(session, read_plan, reads)
        if notifications:
            self.insert(session, Notification, notifications)


_MARKED_SPAM = sentence("Marked as spam")
_STATUS_CLOSED = sentence("Status changed to closed")


def _converter(plan: _Plan, name: str) -> Callable[[Any], Any]:
    convert = plan.converter(name)
    return convert if convert is not None else _same


def _same(value: Any) -> Any:
    return value


def _message_data(data: Callable[[Any], Any]) -> Callable[[int], Any]:
    """An activity's ``{"message_id": N}`` as ``data`` converts it, written directly when
    the converter writes it as ``json.dumps`` does."""
    if data({"message_id": 12}) == '{"message_id": 12}':
        return lambda message_id: f'{{"message_id": {message_id}}}'
    return lambda message_id: data({"message_id": message_id})
