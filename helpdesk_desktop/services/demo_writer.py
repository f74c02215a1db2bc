"""Writing planned demo tickets: bulk inserts of tickets, threads, timeline, follows and reads.

One transaction per batch of tickets; rows go in as Core multi-row INSERTs
(:func:`demo_workspace.bulk_insert`), so 2,000 tickets take a few seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
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
from helpdesk_desktop.domain.sentences import Sentence, sentence
from helpdesk_desktop.services import demo_content as content
from helpdesk_desktop.services.access import can_see_owner
from helpdesk_desktop.services.activity import summary_columns
from helpdesk_desktop.services.demo_threads import Msg, ThreadPlanner, TicketPlan
from helpdesk_desktop.services.demo_workspace import Person, bulk_insert
from helpdesk_desktop.storage.database import Database


class DemoWriter:
    """Writes the planner's tickets in batches, and threads waiting in conversations inboxes."""

    def __init__(self, database: Database, planner: ThreadPlanner) -> None:
        self.database = database
        self.planner = planner
        # The planner's own objects: one generator, so the sequence of draws stays the same.
        self.setup = planner.setup
        self.rng = planner.rng
        self.now = planner.now
        self.repliers = planner.repliers
        #: How rows are inserted: Core multi-row INSERTs, or a bulk build's faster writer
        #: (:class:`demo_bulk.FastInserts`), which writes the same rows.
        self.insert: Callable[..., list[int]] = bulk_insert
        #: The transaction of each batch (a bulk build's generating process has none: its
        #: ``insert`` only hands the rows over, :mod:`demo_process`).
        self.transaction: Callable[[], AbstractContextManager[Any]] = (
            lambda: database.session(writes=True))
        self.counts = {"tickets": 0, "spam_tickets": 0, "closed_tickets": 0,
                       "conversations": 0, "inbox_conversations": 0, "messages": 0,
                       "attachments": 0, "followed_tickets": 0}

    def write_tickets(self, ages: Sequence[float], kinds: Sequence[str]) -> None:
        """Plan and write one batch of tickets, in one transaction."""
        plans = [self.planner.plan(age, kind) for age, kind in zip(ages, kinds)]
        if not plans:
            return
        with self.transaction() as session:
            ticket_ids = self.insert(session, Ticket, [p.row for p in plans], returning=True)
            links_contacts, links_companies, links_deals = [], [], []
            conv_rows, conv_owner = [], []
            for ticket_id, plan in zip(ticket_ids, plans):
                if not plan.spam:
                    links_contacts.append({"ticket_id": ticket_id,
                                           "contact_id": plan.contact.id})
                    if plan.contact.company_id:
                        links_companies.append({"ticket_id": ticket_id,
                                                "company_id": plan.contact.company_id})
                    if plan.deal_id:
                        links_deals.append({"ticket_id": ticket_id, "deal_id": plan.deal_id})
                for conv in plan.conversations:
                    conv_rows.append({
                        "ticket_id": ticket_id, "origin_ticket_id": ticket_id,
                        "inbox_id": self.setup.help_desk[0], "channel": Channel.EMAIL,
                        "subject": conv.subject,
                        "contact_id": plan.contact.id if not plan.spam else None,
                        "owner_id": plan.owner.id if plan.owner else None,
                        # A whole spam ticket keeps its conversations unmarked, as
                        # services.trash.mark_spam does; spam_at marks single conversations.
                        "created_at": conv.created_at, "spam_at": None})
                    conv_owner.append((ticket_id, plan, conv))
            for table, rows in ((ticket_contacts, links_contacts),
                                (ticket_companies, links_companies), (ticket_deals, links_deals)):
                if rows:
                    self.insert(session, table, rows)
            conv_ids = self.insert(session, Conversation, conv_rows, returning=True)
            message_rows, message_meta = [], []
            for conv_id, (ticket_id, plan, conv) in zip(conv_ids, conv_owner):
                for msg in conv.messages:
                    message_rows.append(self._message_row(conv_id, conv.subject, plan.contact,
                                                          msg))
                    message_meta.append((ticket_id, plan, msg))
            message_ids = self.insert(session, Message, message_rows, returning=True)
            self._write_timeline(session, ticket_ids, plans, message_ids, message_meta)
            session.commit()
        self.counts["tickets"] += len(plans)
        self.counts["spam_tickets"] += sum(p.spam for p in plans)
        self.counts["closed_tickets"] += sum(p.closed_status_change for p in plans)
        self.counts["conversations"] += len(conv_rows)
        self.counts["messages"] += len(message_rows)
        self.counts["followed_tickets"] += sum(bool(p.followers) for p in plans)

    def _message_row(self, conversation_id: int, subject: str, contact: Person,
                     msg: Msg) -> dict[str, Any]:
        kind = msg.kind
        from_customer = kind in _FROM_CUSTOMER
        internal = kind in _INTERNAL
        agent = msg.agent
        direction = (Direction.INCOMING if from_customer else
                     Direction.INTERNAL if internal else Direction.OUTGOING)
        if from_customer:
            to = self.setup.help_desk[1]
        elif internal:
            to = ""
        else:
            to = contact.email
        is_reply = msg.kind in (MessageKind.REPLY, MessageKind.EMAIL) and msg.in_reply_to
        return {
            "conversation_id": conversation_id, "kind": msg.kind, "direction": direction,
            "author_user_id": None if from_customer or agent is None else agent.id,
            "author_contact_id": contact.id if from_customer and contact.id else None,
            "author_name": contact.name if from_customer or agent is None else agent.name,
            "author_email": contact.email if from_customer or agent is None else agent.email,
            "to_addresses": to, "cc_addresses": "", "sent_at": msg.sent_at,
            "subject": f"Re: {subject}" if is_reply else subject,
            "body_text": msg.text, "body_html": msg.html,
            "message_id_header": msg.header, "in_reply_to": msg.in_reply_to,
            "references": msg.references,
        }

    def _write_timeline(self, session: Session, ticket_ids: Sequence[int],
                        plans: Sequence[TicketPlan], message_ids: Sequence[int],
                        message_meta: Sequence[tuple[int, TicketPlan, Msg]]) -> None:
        """Attachments, activities, followers, read states and notifications."""
        attachments = []
        activity_rows: list[dict[str, Any]] = []
        last_customer_activity: dict[int, int] = {}  # ticket id -> index in activity_rows
        first_message: set[int] = set()
        for message_id, (ticket_id, plan, msg) in zip(message_ids, message_meta):
            if msg.attachment is not None:
                filename, content_type, data = msg.attachment
                attachments.append({"message_id": message_id, "filename": filename,
                                    "content_type": content_type, "size": len(data),
                                    "content": data})
            if ticket_id not in first_message:
                first_message.add(ticket_id)
                # The sentences of these two, without arguments, are their own summary
                # (activity.summary_columns): worked out once, below.
                activity_rows.append({"ticket_id": ticket_id, "actor_id": None,
                                      "kind": ActivityKind.CREATED, "created_at": msg.sent_at,
                                      "summary": _CREATED_SUMMARY,
                                      "data": {"message_id": message_id}})
                continue
            actor = msg.agent.id if msg.agent else None
            activity_rows.append({"ticket_id": ticket_id, "actor_id": actor,
                                  "kind": ActivityKind.MESSAGE, "created_at": msg.sent_at,
                                  "summary": _MESSAGE_SUMMARIES.get(msg.kind, _MESSAGE_SUMMARY),
                                  "data": {"message_id": message_id}})
            if actor is None:
                last_customer_activity[ticket_id] = len(activity_rows) - 1
        for ticket_id, plan in zip(ticket_ids, plans):
            row = plan.row
            if plan.spam:
                activity_rows.append(_activity(ticket_id, self.setup.agents[0].id,
                                               ActivityKind.SPAM, row["spam_at"],
                                               sentence("Marked as spam"), {}))
            if plan.owner is not None:
                activity_rows.append(_activity(
                    ticket_id, self.setup.agents[0].id, ActivityKind.PROPERTY_CHANGED,
                    row["created_at"] + dt.timedelta(minutes=5),
                    sentence("Owner set to {name}", name=plan.owner.name),
                    {"field": "owner", "old": None, "new": plan.owner.id}))
            if plan.closed_status_change:
                actor = plan.owner.id if plan.owner and plan.owner.seat else \
                    self.repliers[0].id
                activity_rows.append(_activity(ticket_id, actor, ActivityKind.PROPERTY_CHANGED,
                                               row["closed_at"],
                                               sentence("Status changed to closed"),
                                               {"field": "status", "new": row["status_id"]}))
        if attachments:
            self.insert(session, Attachment, attachments)
            self.counts["attachments"] += len(attachments)
        activity_ids = self.insert(session, Activity, activity_rows, returning=True)

        followers, reads, notifications = [], [], []
        for ticket_id, plan in zip(ticket_ids, plans):
            for agent in plan.followers:
                followers.append({"ticket_id": ticket_id, "user_id": agent.id,
                                  "since": plan.row["created_at"]})
                index = last_customer_activity.get(ticket_id)
                if index is not None and can_see_owner(agent, plan.owner):
                    notifications.append({
                        "user_id": agent.id, "ticket_id": ticket_id,
                        "activity_id": activity_ids[index],
                        "created_at": activity_rows[index]["created_at"],
                        "read_at": None if self.rng.random() < 0.6 else self.now})
            for agent, when in plan.readers:
                reads.append({"ticket_id": ticket_id, "user_id": agent.id, "read_at": when,
                              "forced_unread": False})
        for model, rows in ((Follower, followers), (ReadState, reads),
                            (Notification, notifications)):
            if rows:
                self.insert(session, model, rows)

    # -- conversations waiting in the conversations inboxes -----------------------------------

    def write_inbox_conversations(self, count: int) -> None:
        """Threads that sit in a conversations inbox without a ticket (yet)."""
        inboxes = self.setup.conversation_inboxes
        if not inboxes or count <= 0:
            return
        rng = self.rng
        # Drawn in the same order as ever; written afterwards, conversations first.
        planned: list[tuple[dict[str, Any], str, Person, list[Msg]]] = []
        with self.transaction() as session:
            for n in range(count):
                inbox_id, channel = inboxes[n % len(inboxes)]
                language = rng.choice(("fr", "en"))
                contact = rng.choice(self.setup.contacts[language])
                started = self.now - dt.timedelta(hours=rng.randint(1, 24 * 20))
                number = self.planner.next_number()
                if channel is Channel.CHAT:
                    question, answer = rng.choice(content.CHAT_LINES[language])
                    subject = question[:60]
                    lines = [(MessageKind.CHAT, question)]
                    if rng.random() < 0.6:
                        lines.append((MessageKind.REPLY, answer))
                else:
                    request = rng.choice([r for r in content.REQUESTS if r.language == language])
                    fill = {"ref": f"CMD-{rng.randint(10000, 99999)}",
                            "first": contact.name.split()[0], "customer": contact.name}
                    subject = request.subject.format(**fill)
                    lines = [(MessageKind.EMAIL, request.first.format(**fill))]
                conversation = {
                    "ticket_id": None, "origin_ticket_id": None, "inbox_id": inbox_id,
                    "channel": channel, "subject": subject, "contact_id": contact.id,
                    "owner_id": None, "created_at": started, "spam_at": None}
                agent = rng.choice(self.repliers)
                previous: str | None = None
                msgs = []
                for index, (kind, text) in enumerate(lines):
                    sent = started + dt.timedelta(minutes=2 * index)
                    msg = Msg(kind, sent, text, agent=None if kind is not MessageKind.REPLY
                               else agent)
                    if channel is Channel.EMAIL:
                        msg.header = self.planner.header(number, index, contact.email)
                        msg.in_reply_to = msg.references = previous
                        previous = msg.header
                    msgs.append(msg)
                planned.append((conversation, subject, contact, msgs))
            conversation_ids = self.insert(session, Conversation, [c for c, *_ in planned],
                                           returning=True)
            rows = [self._message_row(conversation_id, subject, contact, msg)
                    for conversation_id, (_c, subject, contact, msgs)
                    in zip(conversation_ids, planned) for msg in msgs]
            self.insert(session, Message, rows)
            self.counts["messages"] += len(rows)
            self.counts["inbox_conversations"] += len(planned)
            session.commit()


_MESSAGE_SENTENCES = {MessageKind.EMAIL: sentence("E-mail from the contact"),
                      MessageKind.REPLY: sentence("Reply sent"),
                      MessageKind.NOTE: sentence("Note added"),
                      MessageKind.COMMENT: sentence("Comment added")}
_MESSAGE = sentence("Message")
# What summary_columns makes of them (no arguments: the English text, the data unchanged).
_CREATED_SUMMARY = summary_columns(sentence("Ticket created from an e-mail"), {})[0]
_MESSAGE_SUMMARIES = {kind: summary_columns(said, {})[0]
                      for kind, said in _MESSAGE_SENTENCES.items()}
_MESSAGE_SUMMARY = summary_columns(_MESSAGE, {})[0]
assert not any(said.args for said in (*_MESSAGE_SENTENCES.values(), _MESSAGE))
_FROM_CUSTOMER = frozenset((MessageKind.EMAIL, MessageKind.CHAT))
_INTERNAL = frozenset(kind for kind in MessageKind if kind.is_internal)


def _activity(ticket_id: int, actor_id: int | None, kind: ActivityKind, when: dt.datetime,
              said: Sentence, data: dict[str, Any]) -> dict[str, Any]:
    summary, data = summary_columns(said, data)
    return {"ticket_id": ticket_id, "actor_id": actor_id, "kind": kind, "created_at": when,
            "summary": summary, "data": data}
