"""The demo's workspace: the agents, inboxes, pipelines and customers tickets are written into.

On an empty database :func:`prepare_workspace` creates them (the agents of
:data:`demo_content.AGENTS`, three inboxes, the pipelines, companies, people and deals); on a
database that already holds a workspace it reads what is there. Either way it hands back plain
records (:class:`Setup`), so that planning never touches the ORM.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import AccessScope, Channel, InboxKind
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Company, Contact, Deal, Inbox, Pipeline, Team, User
from helpdesk_desktop.services import demo_content as content
from helpdesk_desktop.services.workspace import add_named_pipeline


@dataclass
class Agent:
    id: int
    name: str
    email: str
    team_id: int | None
    scope: AccessScope
    seat: bool
    super_admin: bool = False
    help_desk_access: bool = True  # only agents with access are read


@dataclass
class Person:
    id: int
    name: str
    email: str
    company_id: int | None
    language: str


@dataclass
class Setup:
    """The workspace the tickets are written into."""

    agents: list[Agent]
    help_desk: tuple[int, str]  # inbox id, address
    conversation_inboxes: list[tuple[int, Channel]]
    pipelines: list[tuple[int, list[tuple[int, bool]]]]  # id, [(status id, closed)]
    contacts: dict[str, list[Person]]  # language -> people
    deals: list[int]
    created: bool = False


def bulk_insert(session: Session, target: Any, rows: list[dict[str, Any]],
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


def prepare_workspace(session: Session, rng: random.Random) -> Setup:
    """The workspace to write tickets into: created first on an empty database, customers
    added if it has none; refused if it lacks a help desk inbox, a pipeline or an agent."""
    created = not session.scalar(select(func.count()).select_from(User))
    if created:
        _create_workspace(session)
    agents = [Agent(u.id, u.name, u.email, u.team_id, u.scope, u.service_seat or u.super_admin,
                    u.super_admin)
              for u in session.scalars(select(User).where(User.active.is_(True),
                                                          User.help_desk_access.is_(True))
                                       .order_by(User.id))]
    help_desk = session.scalars(select(Inbox).where(Inbox.kind == InboxKind.HELP_DESK)
                                .order_by(Inbox.id)).first()
    pipelines = session.scalars(select(Pipeline).order_by(Pipeline.position, Pipeline.id)).all()
    if help_desk is None or not pipelines or not agents:
        raise InvalidInput(_("This database holds a workspace without a help desk "
                             "inbox, a pipeline or an agent; the demo cannot add "
                             "tickets to it."))
    conversation_inboxes = [
        (i.id, i.channel) for i in session.scalars(
            select(Inbox).where(Inbox.kind == InboxKind.CONVERSATIONS).order_by(Inbox.id))]
    if not session.scalar(select(func.count()).select_from(Contact)):
        _create_customers(session, rng)
    contacts: dict[str, list[Person]] = {"fr": [], "en": []}
    for c in session.scalars(select(Contact).where(Contact.email.is_not(None))
                             .order_by(Contact.id)):
        language = c.language if c.language in contacts else "en"
        contacts[language].append(Person(c.id, c.name, c.email or "", c.company_id, language))
    for language, other in (("fr", "en"), ("en", "fr")):
        if not contacts[language]:
            contacts[language] = contacts[other]
    if not contacts["en"]:
        _create_customers(session, rng)
        return prepare_workspace(session, rng)
    deals = list(session.scalars(select(Deal.id).order_by(Deal.id)))
    return Setup(
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
    for name, email, team_name, role, seat, delete, account, admin, scope in content.AGENTS:
        session.add(User(name=name, email=email, role=role, team_id=teams[team_name],
                         help_desk_access=True, service_seat=seat, can_delete_tickets=delete,
                         account_access=account, super_admin=admin, scope=scope,
                         notify_record_updates=True, time_zone="Europe/Paris", active=True))
    session.add_all([
        Inbox(name="Help Desk", kind=InboxKind.HELP_DESK, channel=Channel.EMAIL,
              address="support@example.com"),
        Inbox(name=_("Shared inbox"), kind=InboxKind.CONVERSATIONS, channel=Channel.EMAIL,
              address="hello@example.com"),
        Inbox(name=_("Website chat"), kind=InboxKind.CONVERSATIONS, channel=Channel.CHAT),
    ])
    for position, (name, statuses) in enumerate(content.PIPELINES):
        add_named_pipeline(session, name, statuses, position)
    session.flush()


def _create_customers(session: Session, rng: random.Random) -> None:
    """Companies, their people, people writing from personal addresses, and a few deals."""
    company_ids: dict[str, list[tuple[int, str]]] = {}
    for language, companies in content.COMPANIES.items():
        rows: list[dict[str, object]] = [{"name": name, "domain": domain}
                                         for name, domain in companies]
        ids = bulk_insert(session, Company, rows, returning=True)
        company_ids[language] = [(cid, domain) for cid, (_, domain) in zip(ids, companies)]
    seen: set[str] = set()
    rows = []
    for language in ("fr", "en"):
        for _person in range(90):
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
    bulk_insert(session, Contact, rows)
    deal_rows = []
    for language in ("fr", "en"):
        for name, _domain in content.COMPANIES[language][:8]:
            deal_rows.append({"name": f"{name} – {rng.choice(content.DEAL_KINDS)}",
                              "amount_cents": rng.randint(12, 480) * 10000,
                              "stage": rng.choice(content.DEAL_STAGES)})
    bulk_insert(session, Deal, deal_rows)
    session.flush()


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum() or ch in ".-")

