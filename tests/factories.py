"""Test data builders. They write rows directly so that a test sets up exactly what it needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from helpdesk_desktop.domain.enums import (
    AccessScope,
    ActivityKind,
    Category,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    Priority,
)
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Company,
    Contact,
    Conversation,
    Deal,
    Inbox,
    Message,
    Team,
    Ticket,
    User,
    ticket_companies,
    ticket_contacts,
)
from helpdesk_desktop.services.workspace import DEFAULT_STATUSES, add_pipeline
from helpdesk_desktop.storage.database import Database

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk


class FakeClock:
    """A clock that only moves when told to (each call also ticks one second, so that
    successive events are ordered)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Workspace:
    db: Database
    clock: FakeClock
    users: dict[str, int] = field(default_factory=dict)  # key -> user id
    teams: dict[str, int] = field(default_factory=dict)
    inboxes: dict[str, int] = field(default_factory=dict)
    pipelines: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)  # "Pipeline/Status" -> id
    contacts: dict[str, int] = field(default_factory=dict)
    companies: dict[str, int] = field(default_factory=dict)
    deals: dict[str, int] = field(default_factory=dict)

    def desk(self, user: str) -> Desk:
        from helpdesk_desktop.application.desk import Desk

        return Desk(self.db, self.users[user], self.clock)

    def status(self, name: str, pipeline: str = "Support Pipeline") -> int:
        return self.statuses[f"{pipeline}/{name}"]


USERS = {
    # key: (name, team, seat, delete, account access, super admin, scope, help desk)
    "admin": ("Ada Admin", "Support", True, True, True, True, AccessScope.ALL, True),
    "lead": ("Léa Lead", "Support", True, True, False, False, AccessScope.ALL, True),
    "agent": ("Arno Agent", "Support", True, False, False, False, AccessScope.TEAM, True),
    "sales": ("Sam Sales", "Sales", False, False, False, False, AccessScope.OWNED, True),
    "seller": ("Sofia Seller", "Sales", True, False, False, False, AccessScope.TEAM, True),
    "outsider": ("Otto Outsider", "Sales", False, False, False, False, AccessScope.ALL, False),
}


def seed_workspace(db: Database, clock: FakeClock) -> Workspace:
    ws = Workspace(db=db, clock=clock)
    with db.session() as session:
        for team_name in ("Support", "Sales"):
            team = Team(name=team_name)
            session.add(team)
            session.flush()
            ws.teams[team_name] = team.id
        for key, (name, team_name, seat, delete, account, superadmin, scope, hd) in USERS.items():
            user = User(name=name, email=f"{key}@example.com", role=key.title(),
                        team_id=ws.teams[team_name], help_desk_access=hd, service_seat=seat,
                        can_delete_tickets=delete, account_access=account, super_admin=superadmin,
                        scope=scope, notify_record_updates=True, time_zone="Europe/Paris",
                        active=True)
            session.add(user)
            session.flush()
            ws.users[key] = user.id
        for name, kind in (("Help Desk", InboxKind.HELP_DESK),
                           ("Shared inbox", InboxKind.CONVERSATIONS),
                           ("Sales inbox", InboxKind.CONVERSATIONS)):
            inbox = Inbox(name=name, kind=kind, channel=Channel.EMAIL)
            session.add(inbox)
            session.flush()
            ws.inboxes[name] = inbox.id
        for position, (pipeline_name, statuses) in enumerate((
            ("Support Pipeline", DEFAULT_STATUSES),
            ("Escalations", (("Triage", False), ("In progress", False), ("Resolved", True))),
        )):
            pipeline = add_pipeline(session, pipeline_name, statuses, position)
            ws.pipelines[pipeline_name] = pipeline.id
            for status in pipeline.statuses:
                ws.statuses[f"{pipeline_name}/{status.name}"] = status.id
        company = Company(name="Boulangerie Dupont", domain="dupont.fr")
        session.add(company)
        session.flush()
        ws.companies["dupont"] = company.id
        for key, name, email, company_id in (
            ("marie", "Marie Dupont", "marie@dupont.fr", company.id),
            ("john", "John Smith", "john@smith.example", None),
        ):
            contact = Contact(name=name, email=email, phone="+33 1 23 45 67 89",
                              company_id=company_id)
            session.add(contact)
            session.flush()
            ws.contacts[key] = contact.id
        deal = Deal(name="Dupont renewal", amount_cents=120000, stage="Negotiation")
        session.add(deal)
        session.flush()
        ws.deals["renewal"] = deal.id
        session.commit()
    return ws


def make_ticket(
    ws: Workspace,
    name: str = "Printer on fire",
    *,
    owner: str | None = None,
    status: str = "New",
    pipeline: str = "Support Pipeline",
    priority: Priority | None = Priority.MEDIUM,
    category: Category | None = Category.PRODUCT_ISSUE,
    contact: str = "marie",
    messages: tuple[tuple[MessageKind, str], ...] = (
        (MessageKind.EMAIL, "Hello, my printer is on fire."),
        (MessageKind.REPLY, "Please unplug it."),
    ),
    conversations: int = 1,
    attachment: bool = False,
) -> int:
    """A live ticket in the help desk with ``conversations`` threads of ``messages`` each."""
    with ws.db.session() as session:
        now = ws.clock()
        contact_row = session.get(Contact, ws.contacts[contact])
        assert contact_row is not None
        ticket = Ticket(
            name=name, description=f"About: {name}", pipeline_id=ws.pipelines[pipeline],
            status_id=ws.statuses[f"{pipeline}/{status}"], priority=priority, category=category,
            owner_id=ws.users[owner] if owner else None, inbox_id=ws.inboxes["Help Desk"],
            source=Channel.EMAIL, created_at=now, updated_at=now, last_activity_at=now,
            version=1,
        )
        session.add(ticket)
        session.flush()
        session.execute(ticket_contacts.insert().values(ticket_id=ticket.id,
                                                        contact_id=contact_row.id))
        if contact_row.company_id:
            session.execute(ticket_companies.insert().values(ticket_id=ticket.id,
                                                             company_id=contact_row.company_id))
        session.add(Activity(ticket_id=ticket.id, actor_id=None, kind=ActivityKind.CREATED,
                             created_at=now, summary="Ticket created from an e-mail", data={}))
        agent_id = ws.users[owner] if owner else ws.users["agent"]
        for c in range(conversations):
            conversation = Conversation(
                ticket_id=ticket.id, origin_ticket_id=ticket.id, inbox_id=ws.inboxes["Help Desk"],
                channel=Channel.EMAIL, subject=name if c == 0 else f"{name} ({c + 1})",
                contact_id=contact_row.id, created_at=ws.clock(),
            )
            session.add(conversation)
            session.flush()
            for kind, body in messages:
                sent = ws.clock()
                from_customer = kind in (MessageKind.EMAIL, MessageKind.CHAT)
                message = Message(
                    conversation_id=conversation.id, kind=kind,
                    direction=(Direction.INCOMING if from_customer else
                               Direction.INTERNAL if kind.is_internal else Direction.OUTGOING),
                    author_user_id=None if from_customer else agent_id,
                    author_contact_id=contact_row.id if from_customer else None,
                    author_name=contact_row.name if from_customer else "Agent",
                    author_email=contact_row.email if from_customer else "agent@example.com",
                    to_addresses="support@example.com" if from_customer else contact_row.email,
                    sent_at=sent, subject=conversation.subject, body_text=body,
                )
                session.add(message)
                session.flush()
                if attachment:
                    session.add(Attachment(message_id=message.id, filename="photo.jpg",
                                           content_type="image/jpeg", size=4, content=b"\xff\xd8ok"))
                ticket.last_activity_at = sent
        session.commit()
        return ticket.id
