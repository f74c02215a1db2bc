"""A realistic demo workspace: agents, customers and thousands of ticket threads.

:func:`generate_demo` is deterministic for a given seed: the same seed on an empty database
gives the same tickets, messages and times (times count back from a fixed moment unless a
clock is passed). On an empty database it first creates the workspace (teams, the agents of
:data:`demo_content.AGENTS`, inboxes, pipelines). On a database that already holds a
workspace it adds more tickets to it, reusing its agents, inboxes and pipelines.

Rows are written with bulk inserts, one transaction per batch of tickets, so 2,000 tickets
take a few seconds and 100,000 stay reasonable; the SQLite full-text index follows through
its triggers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.clock import Clock
from helpdesk_desktop.domain.enums import (
    AccessScope,
    ActivityKind,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    Priority,
    TicketState,
)
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Company,
    Contact,
    Conversation,
    Deal,
    Follower,
    Inbox,
    Message,
    Notification,
    Pipeline,
    ReadState,
    Team,
    Ticket,
    User,
    ticket_companies,
    ticket_contacts,
    ticket_deals,
)
from helpdesk_desktop.services import demo_content as content
from helpdesk_desktop.services.html_sanitize import html_to_text
from helpdesk_desktop.services.workspace import add_pipeline
from helpdesk_desktop.storage.database import Database

#: "Now" for the demo when no clock is given, so that a seed always gives the same data.
BASE_NOW = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.timezone.utc)
SPAN_DAYS = 120
BATCH = 500
SPAM_SHARE = 0.015
FOLLOWED_SHARE = 0.06
Progress = Callable[[int, int], None]


@dataclass
class _Agent:
    id: int
    name: str
    email: str
    team_id: int | None
    scope: AccessScope
    seat: bool


@dataclass
class _Person:
    id: int
    name: str
    email: str
    company_id: int | None
    language: str


@dataclass
class _Setup:
    """The workspace the tickets are written into."""

    agents: list[_Agent]
    help_desk: tuple[int, str]  # inbox id, address
    conversation_inboxes: list[tuple[int, Channel]]
    pipelines: list[tuple[int, list[tuple[int, bool]]]]  # id, [(status id, closed)]
    contacts: dict[str, list[_Person]]  # language -> people
    deals: list[int]
    created: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def generate_demo(
    database: Database,
    *,
    tickets: int = 2000,
    seed: int = 0,
    clock: Clock | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Fill ``database`` with ``tickets`` demo tickets (and the workspace, if it is empty).

    Returns a summary: what was created, with counts. ``progress(done, total)`` is called
    after each batch of tickets.
    """
    if tickets < 0:
        raise InvalidInput("The number of demo tickets cannot be negative.")
    rng = random.Random(seed)
    now = clock() if clock is not None else BASE_NOW
    with database.session() as session:
        setup = _prepare_workspace(session, rng)
        first_ticket_number = (session.scalar(select(func.max(Ticket.id))) or 0) + 1
        session.commit()

    # Ticket creation times are drawn first and sorted, so that ids follow time.
    ages = sorted((_age_days(rng) for _ in range(tickets)), reverse=True)
    # Fixed shares (not per-ticket coin flips) so that even a small demo has some of each.
    spam = set(rng.sample(range(tickets), k=_share(tickets, SPAM_SHARE)))
    followed = set(rng.sample(range(tickets), k=_share(tickets, FOLLOWED_SHARE)))
    kinds = [("spam" if i in spam else "followed" if i in followed else "")
             for i in range(tickets)]
    writer = _Writer(database, setup, rng, now, seed, first_ticket_number)
    done = 0
    for start in range(0, tickets, BATCH):
        writer.write_tickets(ages[start:start + BATCH], kinds[start:start + BATCH])
        done = min(tickets, start + BATCH)
        if progress is not None:
            progress(done, tickets)
    writer.write_inbox_conversations(max(4, tickets // 25) if tickets else 0)
    if progress is not None and tickets == 0:
        progress(0, 0)
    summary: dict[str, Any] = {"created_workspace": setup.created, **writer.counts}
    summary["users"] = len(setup.agents)
    summary["contacts"] = sum(len(people) for people in setup.contacts.values())
    return summary


def _share(total: int, share: float) -> int:
    return min(total, max(1, round(total * share))) if total >= 10 else 0


def _age_days(rng: random.Random) -> float:
    # More recent tickets than old ones, like a real help desk that is growing.
    return SPAN_DAYS * (1 - rng.random() ** 0.7)


# -- the workspace ----------------------------------------------------------------------------


def _prepare_workspace(session: Session, rng: random.Random) -> _Setup:
    created = not session.scalar(select(func.count()).select_from(User))
    if created:
        _create_workspace(session)
    agents = [_Agent(u.id, u.name, u.email, u.team_id, u.scope, u.service_seat or u.super_admin)
              for u in session.scalars(select(User).where(User.active.is_(True),
                                                          User.help_desk_access.is_(True))
                                       .order_by(User.id))]
    help_desk = session.scalars(select(Inbox).where(Inbox.kind == InboxKind.HELP_DESK)
                                .order_by(Inbox.id)).first()
    pipelines = session.scalars(select(Pipeline).order_by(Pipeline.position, Pipeline.id)).all()
    if help_desk is None or not pipelines or not agents:
        raise InvalidInput("This database holds a workspace without a help desk inbox, a "
                           "pipeline or an agent; the demo cannot add tickets to it.")
    conversation_inboxes = [
        (i.id, i.channel) for i in session.scalars(
            select(Inbox).where(Inbox.kind == InboxKind.CONVERSATIONS).order_by(Inbox.id))]
    if not session.scalar(select(func.count()).select_from(Contact)):
        _create_customers(session, rng)
    contacts: dict[str, list[_Person]] = {"fr": [], "en": []}
    for c in session.scalars(select(Contact).where(Contact.email.is_not(None))
                             .order_by(Contact.id)):
        language = c.language if c.language in contacts else "en"
        contacts[language].append(_Person(c.id, c.name, c.email or "", c.company_id, language))
    for language, other in (("fr", "en"), ("en", "fr")):
        if not contacts[language]:
            contacts[language] = contacts[other]
    if not contacts["en"]:
        _create_customers(session, rng)
        return _prepare_workspace(session, rng)
    deals = list(session.scalars(select(Deal.id).order_by(Deal.id)))
    return _Setup(
        agents=agents, help_desk=(help_desk.id, help_desk.address or "support@example.com"),
        conversation_inboxes=conversation_inboxes,
        pipelines=[(p.id, [(s.id, s.is_closed) for s in p.statuses]) for p in pipelines
                   if p.statuses],
        contacts=contacts, deals=deals, created=created)


def _create_workspace(session: Session) -> None:
    teams: dict[str, int] = {}
    for name in ("Support", "Sales"):
        team = Team(name=name)
        session.add(team)
        session.flush()
        teams[name] = team.id
    for name, email, team, role, seat, delete, account, admin, scope in content.AGENTS:
        session.add(User(name=name, email=email, role=role, team_id=teams[team],
                         help_desk_access=True, service_seat=seat, can_delete_tickets=delete,
                         account_access=account, super_admin=admin, scope=scope,
                         notify_record_updates=True, time_zone="Europe/Paris", active=True))
    session.add_all([
        Inbox(name="Help Desk", kind=InboxKind.HELP_DESK, channel=Channel.EMAIL,
              address="support@example.com"),
        Inbox(name="Shared inbox", kind=InboxKind.CONVERSATIONS, channel=Channel.EMAIL,
              address="hello@example.com"),
        Inbox(name="Website chat", kind=InboxKind.CONVERSATIONS, channel=Channel.CHAT),
    ])
    for position, (name, statuses) in enumerate(content.PIPELINES):
        add_pipeline(session, name, statuses, position)
    session.flush()


def _create_customers(session: Session, rng: random.Random) -> None:
    """Companies, their people, people writing from personal addresses, and a few deals."""
    company_ids: dict[str, list[tuple[int, str]]] = {}
    for language, companies in content.COMPANIES.items():
        rows = [{"name": name, "domain": domain} for name, domain in companies]
        ids = _insert(session, Company, rows, returning=True)
        company_ids[language] = [(cid, domain) for cid, (_, domain) in zip(ids, companies)]
    seen: set[str] = set()
    rows = []
    for language in ("fr", "en"):
        for _ in range(90):
            first = rng.choice(content.FIRST_NAMES[language])
            last = rng.choice(content.LAST_NAMES[language])
            company: tuple[int, str] | None = None
            if rng.random() < 0.6:
                company = rng.choice(company_ids[language])
            domain = company[1] if company else rng.choice(content.FREE_MAIL[language])
            local = _ascii(f"{first}.{last}".lower())
            email = f"{local}@{domain}"
            suffix = 2
            while email in seen:
                email = f"{local}{suffix}@{domain}"
                suffix += 1
            seen.add(email)
            phone = (f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                     f"{rng.randint(10, 99)}" if language == "fr" else
                     f"+44 7700 {rng.randint(100000, 999999)}")
            rows.append({"name": f"{first} {last}", "email": email, "phone": phone,
                         "company_id": company[0] if company else None, "language": language})
    _insert(session, Contact, rows)
    deal_rows = []
    for language in ("fr", "en"):
        for company_id, _domain in company_ids[language][:8]:
            name = session.get(Company, company_id).name  # type: ignore[union-attr]
            deal_rows.append({"name": f"{name} – {rng.choice(content.DEAL_KINDS)}",
                              "amount_cents": rng.randint(12, 480) * 10000,
                              "stage": rng.choice(content.DEAL_STAGES)})
    _insert(session, Deal, deal_rows)
    session.flush()


def _ascii(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum() or ch in ".-")


# -- tickets ----------------------------------------------------------------------------------


@dataclass
class _Msg:
    kind: MessageKind
    sent_at: dt.datetime
    text: str
    html: str | None = None
    agent: _Agent | None = None
    header: str | None = None
    in_reply_to: str | None = None
    references: str | None = None
    attachment: tuple[str, str, bytes] | None = None


@dataclass
class _Conv:
    subject: str
    created_at: dt.datetime
    messages: list[_Msg]


@dataclass
class _TicketPlan:
    row: dict[str, Any]
    contact: _Person
    conversations: list[_Conv]
    followers: list[_Agent]
    readers: list[tuple[_Agent, dt.datetime]]
    owner: _Agent | None
    closed_status_change: bool
    spam: bool
    deal_id: int | None


class _Writer:
    """Builds tickets from the seeded generator and writes them in batches."""

    def __init__(self, database: Database, setup: _Setup, rng: random.Random, now: dt.datetime,
                 seed: int, first_number: int) -> None:
        self.database = database
        self.setup = setup
        self.rng = rng
        self.now = now
        self.seed = seed
        self.number = first_number  # runs on, so Message-IDs stay unique across demo runs
        self.counts = {"tickets": 0, "spam_tickets": 0, "closed_tickets": 0,
                       "conversations": 0, "inbox_conversations": 0, "messages": 0,
                       "attachments": 0, "followed_tickets": 0}
        self.repliers = [a for a in setup.agents if a.seat] or setup.agents
        self.no_seat = [a for a in setup.agents if not a.seat]

    # -- planning -------------------------------------------------------------------------

    def _plan(self, age_days: float, kind: str) -> _TicketPlan:
        rng = self.rng
        number = self.number
        self.number += 1
        created = self.now - dt.timedelta(days=age_days, minutes=rng.randint(0, 59))
        if kind == "spam":
            return self._plan_spam(created, number)
        pipeline_id, statuses = self._pick_pipeline()
        request = rng.choice(content.REQUESTS)
        language = request.language
        contact = rng.choice(self.setup.contacts[language])
        owner = self._pick_owner()
        closed_share = 0.85 if age_days > 21 else 0.3 if age_days > 3 else 0.05
        closed = rng.random() < closed_share
        open_statuses = [s for s, is_closed in statuses if not is_closed]
        closed_statuses = [s for s, is_closed in statuses if is_closed]
        if closed and closed_statuses:
            status_id, stage = closed_statuses[0], "closed"
        else:
            closed = False
            position = rng.choice(range(len(open_statuses))) if owner else 0
            status_id = open_statuses[position] if open_statuses else statuses[0][0]
            stage = ("new", "waiting_contact", "waiting_us")[min(position, 2)]
        ref = f"{rng.choice(('INV', 'CMD', 'ORD'))}-{rng.randint(10000, 99999)}"
        fill = {"ref": ref, "first": contact.name.split()[0], "customer": contact.name}
        subject = request.subject.format(**fill)
        conversations = [self._thread(request, fill, contact, owner, created, stage, number, 0,
                                      subject)]
        if rng.random() < 0.03:  # the customer wrote again in a separate thread
            later = min(self.now, conversations[0].messages[-1].sent_at
                        + dt.timedelta(hours=rng.randint(1, 48)))
            other = rng.choice([r for r in content.REQUESTS if r.language == language])
            conversations.append(self._thread(other, fill, contact, owner, later, "waiting_us",
                                              number, 1, other.subject.format(**fill)))
        last = max(m.sent_at for c in conversations for m in c.messages)
        priority = rng.choices((None, Priority.LOW, Priority.MEDIUM, Priority.HIGH,
                                Priority.URGENT), weights=(10, 25, 40, 18, 7))[0]
        if "URGENT" in request.first:
            priority = Priority.URGENT
        row = {
            "name": subject,
            "description": "" if rng.random() < 0.7 else request.first.format(**fill)[:200],
            "pipeline_id": pipeline_id, "status_id": status_id, "priority": priority,
            "category": request.category if rng.random() < 0.9 else None,
            "owner_id": owner.id if owner else None, "inbox_id": self.setup.help_desk[0],
            "source": Channel.EMAIL, "created_at": created, "updated_at": last,
            "last_activity_at": last, "closed_at": last if closed else None,
            "state": TicketState.LIVE, "spam_at": None, "deleted_at": None,
            "merged_into_id": None, "version": 1 + (1 if closed else 0) + (1 if owner else 0),
        }
        followers: list[_Agent] = []
        if kind == "followed":
            followers = rng.sample(self.setup.agents, k=min(len(self.setup.agents),
                                                            rng.randint(1, 2)))
        readers = []
        for agent in ([owner] if owner else []) + self.setup.agents[:1]:
            if rng.random() < (0.8 if closed else 0.5) and agent not in [r for r, _ in readers]:
                readers.append((agent, last))
        deal_id = None
        if contact.company_id and self.setup.deals and rng.random() < 0.1:
            deal_id = rng.choice(self.setup.deals)
        return _TicketPlan(row=row, contact=contact, conversations=conversations,
                           followers=followers, readers=readers, owner=owner,
                           closed_status_change=closed, spam=False, deal_id=deal_id)

    def _plan_spam(self, created: dt.datetime, number: int) -> _TicketPlan:
        name, email, subject, body = self.rng.choice(content.SPAM)
        pipeline_id, statuses = self.setup.pipelines[0]
        spam_at = min(self.now, created + dt.timedelta(hours=self.rng.randint(1, 30)))
        message = _Msg(MessageKind.EMAIL, created, body, header=self._header(number, 0, email))
        row = {
            "name": subject, "description": "", "pipeline_id": pipeline_id,
            "status_id": statuses[0][0], "priority": None, "category": None, "owner_id": None,
            "inbox_id": self.setup.help_desk[0], "source": Channel.EMAIL, "created_at": created,
            "updated_at": spam_at, "last_activity_at": spam_at, "closed_at": None,
            "state": TicketState.SPAM, "spam_at": spam_at, "deleted_at": None,
            "merged_into_id": None, "version": 1,
        }
        sender = _Person(0, name, email, None, "en")
        return _TicketPlan(row=row, contact=sender,
                           conversations=[_Conv(subject, created, [message])], followers=[],
                           readers=[], owner=None, closed_status_change=False, spam=True,
                           deal_id=None)

    def _pick_pipeline(self) -> tuple[int, list[tuple[int, bool]]]:
        pipelines = self.setup.pipelines
        weights = [80, 12, 8][:len(pipelines)] + [4] * max(0, len(pipelines) - 3)
        return self.rng.choices(pipelines, weights=weights)[0]

    def _pick_owner(self) -> _Agent | None:
        roll = self.rng.random()
        if roll < 0.2:
            return None
        if roll < 0.25 and self.no_seat:
            return self.rng.choice(self.no_seat)
        return self.rng.choice(self.repliers)

    def _header(self, number: int, index: int, email: str) -> str:
        domain = email.split("@", 1)[-1] if "@" in email else "example.com"
        return f"<demo.{self.seed}.{number}.{index}@{domain}>"

    def _thread(self, request: content.Request, fill: dict[str, str], contact: _Person,
                owner: _Agent | None, start: dt.datetime, stage: str, number: int,
                conv_index: int, subject: str) -> _Conv:
        """One e-mail thread. ``stage`` says where it stops: the customer waits for a first
        answer (new), the agent waits for the customer, the customer waits, or it is over."""
        rng = self.rng
        language = request.language
        agent = owner if owner is not None and owner.seat else rng.choice(self.repliers)
        agent_fill = {**fill, "agent": agent.name}
        steps = tuple(step.format(**fill) for step in request.steps)
        greeting = content.GREETING[language].format(**fill)
        sign_off = content.SIGN_OFF[language].format(**agent_fill)
        customer_sign = content.CUSTOMER_SIGN_OFF[language].format(**fill)

        plan: list[MessageKind] = [MessageKind.EMAIL]
        if stage != "new":
            if rng.random() < 0.35:
                plan.append(MessageKind.NOTE)
            plan.append(MessageKind.REPLY)
            if stage in ("waiting_us", "closed") and rng.random() < (0.9 if stage ==
                                                                     "waiting_us" else 0.6):
                plan.append(MessageKind.EMAIL)
                if rng.random() < 0.15:
                    plan.append(MessageKind.COMMENT)
                if stage == "closed":
                    plan.append(MessageKind.REPLY)
        elif rng.random() < 0.15:
            plan.append(MessageKind.NOTE)

        messages: list[_Msg] = []
        when = start
        customer_count = reply_count = 0
        headers: list[str] = []
        for index, kind in enumerate(plan):
            if index:
                gap = dt.timedelta(minutes=rng.randint(8, 60 * 30))
                if when + gap > self.now:  # a recent ticket: squeeze the thread in before now
                    gap = (self.now - when) * rng.uniform(0.2, 0.6)
                when += gap
            if kind is MessageKind.EMAIL:
                body = (request.first if customer_count == 0 else request.followup).format(**fill)
                hello = content.GREETING[language].split(" ")[0]
                signature = customer_sign if customer_count == 0 else contact.name
                text = f"{hello},\n\n{body}\n\n{signature}"
                html = None
                if customer_count and rng.random() < 0.4 and messages:
                    quoted = next((m for m in reversed(messages)
                                   if m.kind is MessageKind.REPLY), None)
                    if quoted is not None:
                        html = _quoted_html(text, quoted, language)
                        text = html_to_text(html)
                attachment = None
                if customer_count == 0 and rng.random() < 0.08:
                    attachment = rng.choice(content.ATTACHMENTS)
                header = self._header(number, conv_index * 10 + index, contact.email)
                messages.append(_Msg(kind, when, text, html, None, header,
                                     headers[-1] if headers else None,
                                     " ".join(headers) or None, attachment))
                headers.append(header)
                customer_count += 1
            elif kind is MessageKind.REPLY:
                if reply_count == 0:
                    body = request.reply.format(**fill)
                    text = _reply_text(greeting, body, steps, language, request.slug, sign_off)
                    html = (_reply_html(greeting, body, steps, request.slug, language, sign_off)
                            if rng.random() < 0.35 else None)
                else:
                    text = f"{greeting}\n\n{request.closing.format(**fill)}\n\n{sign_off}"
                    html = None
                header = self._header(number, conv_index * 10 + index, "support@example.com")
                messages.append(_Msg(kind, when, text, html, agent, header,
                                     headers[-1] if headers else None,
                                     " ".join(headers) or None))
                headers.append(header)
                reply_count += 1
            else:
                others = [a for a in self.repliers if a.id != agent.id] or self.repliers
                author = rng.choice(others)
                text = (request.note.format(**fill) if kind is MessageKind.NOTE else
                        ("@" + agent.name.split()[0] + " " +
                         ("peux-tu vérifier ?" if language == "fr" else "can you double-check?")))
                messages.append(_Msg(kind, when, text, None, author))
        return _Conv(subject, start, messages)

    # -- writing --------------------------------------------------------------------------

    def write_tickets(self, ages: Sequence[float], kinds: Sequence[str]) -> None:
        plans = [self._plan(age, kind) for age, kind in zip(ages, kinds)]
        if not plans:
            return
        with self.database.session() as session:
            ticket_ids = _insert(session, Ticket, [p.row for p in plans], returning=True)
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
                    _insert(session, table, rows)
            conv_ids = _insert(session, Conversation, conv_rows, returning=True)
            message_rows, message_meta = [], []
            for conv_id, (ticket_id, plan, conv) in zip(conv_ids, conv_owner):
                for msg in conv.messages:
                    message_rows.append(self._message_row(conv_id, conv.subject, plan.contact,
                                                          msg))
                    message_meta.append((ticket_id, plan, msg))
            message_ids = _insert(session, Message, message_rows, returning=True)
            self._write_timeline(session, ticket_ids, plans, message_ids, message_meta)
            session.commit()
        self.counts["tickets"] += len(plans)
        self.counts["spam_tickets"] += sum(p.spam for p in plans)
        self.counts["closed_tickets"] += sum(p.closed_status_change for p in plans)
        self.counts["conversations"] += len(conv_rows)
        self.counts["messages"] += len(message_rows)
        self.counts["followed_tickets"] += sum(bool(p.followers) for p in plans)

    def _message_row(self, conversation_id: int, subject: str, contact: _Person,
                     msg: _Msg) -> dict[str, Any]:
        from_customer = msg.kind in (MessageKind.EMAIL, MessageKind.CHAT)
        agent = msg.agent
        direction = (Direction.INCOMING if from_customer else
                     Direction.INTERNAL if msg.kind.is_internal else Direction.OUTGOING)
        if from_customer:
            to = self.setup.help_desk[1]
        elif msg.kind.is_internal:
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
                        plans: Sequence[_TicketPlan], message_ids: Sequence[int],
                        message_meta: Sequence[tuple[int, _TicketPlan, _Msg]]) -> None:
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
                activity_rows.append(_activity(ticket_id, None, ActivityKind.CREATED,
                                               msg.sent_at, "Ticket created from an e-mail",
                                               {"message_id": message_id}))
                continue
            actor = msg.agent.id if msg.agent else None
            label = {MessageKind.EMAIL: "E-mail from the contact", MessageKind.REPLY: "Reply sent",
                     MessageKind.NOTE: "Note added", MessageKind.COMMENT: "Comment added"}
            activity_rows.append(_activity(ticket_id, actor, ActivityKind.MESSAGE, msg.sent_at,
                                           label.get(msg.kind, "Message"),
                                           {"message_id": message_id}))
            if actor is None:
                last_customer_activity[ticket_id] = len(activity_rows) - 1
        for ticket_id, plan in zip(ticket_ids, plans):
            row = plan.row
            if plan.spam:
                activity_rows.append(_activity(ticket_id, self.setup.agents[0].id,
                                               ActivityKind.SPAM, row["spam_at"],
                                               "Marked as spam", {}))
            if plan.owner is not None:
                activity_rows.append(_activity(
                    ticket_id, self.setup.agents[0].id, ActivityKind.PROPERTY_CHANGED,
                    row["created_at"] + dt.timedelta(minutes=5),
                    f"Owner set to {plan.owner.name}",
                    {"field": "owner", "old": None, "new": plan.owner.id}))
            if plan.closed_status_change:
                actor = plan.owner.id if plan.owner and plan.owner.seat else \
                    self.repliers[0].id
                activity_rows.append(_activity(ticket_id, actor, ActivityKind.PROPERTY_CHANGED,
                                               row["closed_at"], "Status changed to closed",
                                               {"field": "status", "new": row["status_id"]}))
        if attachments:
            _insert(session, Attachment, attachments)
            self.counts["attachments"] += len(attachments)
        activity_ids = _insert(session, Activity, activity_rows, returning=True)

        followers, reads, notifications = [], [], []
        for ticket_id, plan in zip(ticket_ids, plans):
            for agent in plan.followers:
                followers.append({"ticket_id": ticket_id, "user_id": agent.id,
                                  "since": plan.row["created_at"]})
                index = last_customer_activity.get(ticket_id)
                if index is not None and _can_see(agent, plan.owner):
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
                _insert(session, model, rows)

    # -- conversations waiting in the conversations inboxes -----------------------------------

    def write_inbox_conversations(self, count: int) -> None:
        """Threads that sit in a conversations inbox without a ticket (yet)."""
        inboxes = self.setup.conversation_inboxes
        if not inboxes or count <= 0:
            return
        rng = self.rng
        with self.database.session() as session:
            for n in range(count):
                inbox_id, channel = inboxes[n % len(inboxes)]
                language = rng.choice(("fr", "en"))
                contact = rng.choice(self.setup.contacts[language])
                started = self.now - dt.timedelta(hours=rng.randint(1, 24 * 20))
                number = self.number
                self.number += 1
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
                conversation = Conversation(
                    ticket_id=None, origin_ticket_id=None, inbox_id=inbox_id, channel=channel,
                    subject=subject, contact_id=contact.id, created_at=started)
                session.add(conversation)
                session.flush()
                agent = rng.choice(self.repliers)
                previous: str | None = None
                for index, (kind, text) in enumerate(lines):
                    sent = started + dt.timedelta(minutes=2 * index)
                    msg = _Msg(kind, sent, text, agent=None if kind is not MessageKind.REPLY
                               else agent)
                    if channel is Channel.EMAIL:
                        msg.header = self._header(number, index, contact.email)
                        msg.in_reply_to = msg.references = previous
                        previous = msg.header
                    row = self._message_row(conversation.id, subject, contact, msg)
                    _insert(session, Message, [row])
                    self.counts["messages"] += 1
                self.counts["inbox_conversations"] += 1
            session.commit()


def _insert(session: Session, target: Any, rows: list[dict[str, Any]],
             returning: bool = False) -> list[int]:
    """A Core multi-row INSERT (much faster than ORM bulk inserts with RETURNING, which
    SQLAlchemy runs row by row here); with ``returning``, the new ids in the order of ``rows``."""
    table = getattr(target, "__table__", target)
    if not returning:
        session.execute(insert(table), rows)
        return []
    if session.get_bind().dialect.name == "sqlite":
        # SQLAlchemy would send one statement per row to keep RETURNING in order. One
        # multi-row INSERT hands out ascending rowids in row order (one writer at a time).
        statement = insert(table).returning(table.c.id)
        return sorted(session.execute(statement, rows).scalars())
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _activity(ticket_id: int, actor_id: int | None, kind: ActivityKind, when: dt.datetime,
              summary: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"ticket_id": ticket_id, "actor_id": actor_id, "kind": kind, "created_at": when,
            "summary": summary, "data": data}


def _can_see(agent: _Agent, owner: _Agent | None) -> bool:
    # The same rule as services.access.can_see_owner, on the demo's plain records.
    if agent.scope is AccessScope.ALL or owner is None or owner.id == agent.id:
        return True
    if agent.scope is AccessScope.TEAM:
        return agent.team_id is not None and agent.team_id == owner.team_id
    return False


def _reply_text(greeting: str, body: str, steps: tuple[str, ...], language: str, slug: str,
                sign_off: str) -> str:
    lines = [greeting, "", body, ""]
    lines += [f"{n}. {step}" for n, step in enumerate(steps, 1)]
    more = "Plus de détails :" if language == "fr" else "More details:"
    lines += ["", f"{more} {content.HELP_LINK.format(slug=slug)}", "", sign_off]
    return "\n".join(lines)


def _reply_html(greeting: str, body: str, steps: tuple[str, ...], slug: str, language: str,
                sign_off: str) -> str:
    items = "".join(f"<li>{escape(step)}</li>" for step in steps)
    link = content.HELP_LINK.format(slug=slug)
    label = "notre article d'aide" if language == "fr" else "our help article"
    more = "Plus de détails dans" if language == "fr" else "More details in"
    signature = "<br>".join(escape(line) for line in sign_off.splitlines())
    return (f"<p>{escape(greeting)}</p><p>{escape(body)}</p><ol>{items}</ol>"
            f'<p>{more} <a href="{link}">{label}</a>.</p><p>{signature}</p>')


def _quoted_html(text: str, quoted: _Msg, language: str) -> str:
    paragraphs = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>"
                         for p in text.split("\n\n"))
    author = quoted.agent.name if quoted.agent else ""
    header = content.QUOTE_HEADER[language].format(
        date=quoted.sent_at.strftime("%d/%m/%Y %H:%M"), author=author)
    history = quoted.html or "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>"
                                     for p in quoted.text.split("\n\n"))
    return f"<div>{paragraphs}</div><p>{escape(header)}</p><blockquote>{history}</blockquote>"
