"""One ticket as ``helpdesk-desktop tickets show`` prints it, read with plain SQL.

``tickets.get_ticket`` reads a ticket through the ORM: declaring the 28 mapped classes,
configuring the mappers and compiling the first ORM statements cost a one-shot command
~0.25 s before its first row, more than the read itself. This module reads the same facts
with a handful of SQL statements on one connection (one transaction) and none of that: it
imports neither :mod:`helpdesk_desktop.domain.models` nor :mod:`.dto` (its records are named
tuples: a frozen dataclass costs ~0.4 ms to declare).

It answers only the plain case: the acting user is active with help desk access and may see
the ticket (a merged id opens its survivor, as ``access.get_visible_ticket``). Anything else
is ``None`` and the caller goes the usual way, which says why in its own words. The rules
repeated here (``access.can_see_owner``, ``listing.visible_states``,
``read_state.is_unread_at``, ``directory.first_admin_id``/``find_user_id``, the row of
``list_rows``, ``mapping.conversation_info``) are held to the ORM path by
``tests/test_cli_quick.py``, which compares both outputs ticket by ticket on both back-ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Connection, Integer, String, Text, TextClause, bindparam, text
from sqlalchemy.sql.selectable import TextualSelect

from helpdesk_desktop.domain.enums import (
    AccessScope,
    Category,
    Channel,
    Direction,
    MessageKind,
    Priority,
    TicketState,
)
from helpdesk_desktop.domain.types import MAX_ID, PriorityType, UTCDateTime
from helpdesk_desktop.storage.database import Database

_MERGE_HOPS = 100  # as access.merge_survivor


class SheetRow(NamedTuple):
    """The ticket's properties (the fields of ``dto.TicketRow`` that ``tickets show`` prints)."""

    id: int
    name: str
    status: str
    status_closed: bool
    pipeline: str
    priority: Priority | None
    category: Category | None
    owner: str | None
    owner_email: str | None
    contact: str | None
    contact_email: str | None
    created_at: dt.datetime
    last_activity_at: dt.datetime
    closed_at: dt.datetime | None
    unread: bool
    following: bool
    state: TicketState
    source: Channel
    inbox: str
    version: int
    merged_ids: tuple[int, ...]
    followers: tuple[str, ...]


class SheetAttachment(NamedTuple):
    id: int
    filename: str
    content_type: str
    size: int


class SheetMessage(NamedTuple):
    id: int
    kind: MessageKind
    direction: Direction
    author: str
    author_email: str | None
    sent_at: dt.datetime
    subject: str
    text: str
    attachments: tuple[SheetAttachment, ...]


class SheetContact(NamedTuple):
    email: str | None


class SheetNamed(NamedTuple):
    name: str


class SheetConversation(NamedTuple):
    id: int
    inbox: str
    origin_ticket_id: int | None
    channel: Channel
    subject: str
    contact: SheetContact | None
    messages: tuple[SheetMessage, ...]


class TicketSheet(NamedTuple):
    """What ``tickets show`` prints of a ticket, and the reader's time zone."""

    row: SheetRow
    description: str
    contacts: tuple[SheetContact, ...]
    companies: tuple[SheetNamed, ...]
    deals: tuple[SheetNamed, ...]
    conversations: tuple[SheetConversation, ...]
    time_zone: str


def _sql(statement: str, **types: Any) -> TextClause | TextualSelect:
    return text(statement).columns(**types) if types else text(statement)


_YES = bindparam("yes", True, type_=Boolean())

_FIRST_ADMIN = _sql("SELECT id FROM users WHERE active = :yes "
                    "ORDER BY super_admin DESC, id LIMIT 1").bindparams(_YES)
_USER_BY_EMAIL = _sql("SELECT id FROM users WHERE lower(email) = :email "
                      "AND active = :yes").bindparams(_YES)
_ACTOR = _sql("SELECT active, help_desk_access, super_admin, can_delete_tickets, scope, "
              "team_id, time_zone FROM users WHERE id = :id",
              active=Boolean(), help_desk_access=Boolean(), super_admin=Boolean(),
              can_delete_tickets=Boolean())
_TICKET = _sql("SELECT t.state, t.merged_into_id, t.owner_id, o.team_id FROM tickets t "
               "LEFT JOIN users o ON o.id = t.owner_id WHERE t.id = :id")
_ROW = _sql(
    "SELECT t.name, s.name AS status, s.is_closed, p.name AS pipeline, t.priority, "
    "t.category, o.name AS owner, o.email AS owner_email, c.name AS contact, "
    "c.email AS contact_email, t.created_at, t.last_activity_at, t.closed_at, t.state, "
    "t.source, i.name AS inbox, t.version, r.read_at, r.forced_unread, t.description "
    "FROM tickets t JOIN statuses s ON s.id = t.status_id "
    "JOIN pipelines p ON p.id = t.pipeline_id JOIN inboxes i ON i.id = t.inbox_id "
    "LEFT JOIN users o ON o.id = t.owner_id "
    "LEFT JOIN contacts c ON c.id = (SELECT min(tc.contact_id) FROM ticket_contacts tc "
    "WHERE tc.ticket_id = t.id) "
    "LEFT JOIN read_states r ON r.ticket_id = t.id AND r.user_id = :actor "
    "WHERE t.id = :id",
    name=String(), is_closed=Boolean(), priority=PriorityType(), created_at=UTCDateTime(),
    last_activity_at=UTCDateTime(), closed_at=UTCDateTime(), version=Integer(),
    read_at=UTCDateTime(), forced_unread=Boolean(), description=Text())
_FOLLOWERS = _sql("SELECT f.user_id, u.email FROM followers f JOIN users u ON u.id = f.user_id "
                  "WHERE f.ticket_id = :id ORDER BY u.email")
# As list_rows: after ANALYZE SQLite would scan the tickets instead of using the index.
_MERGED = {"sqlite": _sql("SELECT id FROM tickets INDEXED BY ix_tickets_merged_into "
                          "WHERE merged_into_id = :id ORDER BY id"),
           "": _sql("SELECT id FROM tickets WHERE merged_into_id = :id ORDER BY id")}
_CONTACTS = _sql("SELECT c.email FROM ticket_contacts tc JOIN contacts c ON c.id = tc.contact_id"
                 " WHERE tc.ticket_id = :id ORDER BY c.id")
_COMPANIES = _sql("SELECT c.name FROM ticket_companies tc JOIN companies c "
                  "ON c.id = tc.company_id WHERE tc.ticket_id = :id ORDER BY c.id")
_DEALS = _sql("SELECT d.name FROM ticket_deals td JOIN deals d ON d.id = td.deal_id "
              "WHERE td.ticket_id = :id ORDER BY d.id")
_CONVERSATIONS = _sql(
    "SELECT cv.id, i.name AS inbox, cv.origin_ticket_id, cv.channel, cv.subject, "
    "cv.contact_id, ct.email FROM conversations cv JOIN inboxes i ON i.id = cv.inbox_id "
    "LEFT JOIN contacts ct ON ct.id = cv.contact_id "
    "WHERE cv.ticket_id = :id AND cv.spam_at IS NULL ORDER BY cv.created_at, cv.id")
_MESSAGES = _sql(
    "SELECT m.id, m.conversation_id, m.kind, m.direction, m.author_name, m.author_email, "
    "m.sent_at, m.subject, m.body_text FROM messages m "
    "JOIN conversations cv ON cv.id = m.conversation_id "
    "WHERE cv.ticket_id = :id AND cv.spam_at IS NULL ORDER BY m.sent_at, m.id",
    sent_at=UTCDateTime())
_ATTACHMENTS = _sql(
    "SELECT a.id, a.message_id, a.filename, a.content_type, a.size FROM attachments a "
    "JOIN messages m ON m.id = a.message_id JOIN conversations cv ON cv.id = m.conversation_id "
    "WHERE cv.ticket_id = :id AND cv.spam_at IS NULL ORDER BY a.id")


def actor_id(connection: Connection, email: str | None) -> int | None:
    """``--as EMAIL``'s active user, else the first active super admin, else the first user
    (``directory.find_user_id`` / ``first_admin_id``); ``None``: nobody (or nobody by that
    address)."""
    if email:
        found = connection.execute(_USER_BY_EMAIL, {"email": email.strip().lower()}).first()
    else:
        found = connection.execute(_FIRST_ADMIN).first()
    return None if found is None else int(found[0])


def _visible_id(connection: Connection, ticket_id: int, actor: Any) -> int | None:
    """The ticket (or its merge survivor) the actor may see, as access.get_visible_ticket."""
    if not 0 < ticket_id <= MAX_ID:
        return None
    current: int | None = ticket_id
    found = connection.execute(_TICKET, {"id": current}).first()
    hops = 0
    while (found is not None and TicketState(found.state) is TicketState.MERGED
           and found.merged_into_id is not None and hops < _MERGE_HOPS):
        current = int(found.merged_into_id)
        found = connection.execute(_TICKET, {"id": current}).first()
        hops += 1
    if found is None:
        return None
    scope = AccessScope.ALL if actor.super_admin else AccessScope(actor.scope)
    owner_id, owner_team = found.owner_id, found.team_id
    sees = (scope is AccessScope.ALL or owner_id is None or owner_id == actor.id
            or (scope is AccessScope.TEAM and actor.team_id is not None
                and owner_team == actor.team_id))
    states = ((TicketState.LIVE, TicketState.SPAM, TicketState.DELETED)
              if actor.super_admin or actor.can_delete_tickets else (TicketState.LIVE,))
    return current if sees and TicketState(found.state) in states else None


def read_sheet(database: Database, ticket_id: int, as_user: str | None = None
               ) -> TicketSheet | None:
    """The ticket ``ticket_id`` as the acting user (``as_user``'s e-mail address, default the
    first super admin) may see it, in one read transaction; ``None`` when that is not the
    plain case (no such user or ticket, no access: the caller asks the services why)."""
    with database.connect() as connection:  # closing it ends the read transaction
        return _read(connection, ticket_id, as_user)


def _read(connection: Connection, ticket_id: int, as_user: str | None) -> TicketSheet | None:
    actor = actor_id(connection, as_user)
    if actor is None:
        return None
    user = connection.execute(_ACTOR, {"id": actor}).first()
    if user is None or not user.active or not (user.help_desk_access or user.super_admin):
        return None
    user_id = int(actor)
    actor_facts = _Actor(user_id, bool(user.super_admin), bool(user.can_delete_tickets),
                         user.scope, user.team_id)
    shown = _visible_id(connection, ticket_id, actor_facts)
    if shown is None:
        return None
    key = {"id": shown}
    row = connection.execute(_ROW, {"id": shown, "actor": user_id}).first()
    if row is None:
        return None
    followers = connection.execute(_FOLLOWERS, key).all()
    merged = connection.execute(_MERGED.get(connection.dialect.name, _MERGED[""]), key)
    attachments: dict[int, list[SheetAttachment]] = {}
    for a in connection.execute(_ATTACHMENTS, key):
        attachments.setdefault(a.message_id, []).append(
            SheetAttachment(id=a.id, filename=a.filename, content_type=a.content_type,
                            size=a.size))
    messages: dict[int, list[SheetMessage]] = {}
    for m in connection.execute(_MESSAGES, key):
        messages.setdefault(m.conversation_id, []).append(SheetMessage(
            id=m.id, kind=MessageKind(m.kind), direction=Direction(m.direction),
            author=m.author_name or (m.author_email or ""), author_email=m.author_email,
            sent_at=m.sent_at, subject=m.subject, text=m.body_text,
            attachments=tuple(attachments.get(m.id, ()))))
    conversations = tuple(
        SheetConversation(id=c.id, inbox=c.inbox, origin_ticket_id=c.origin_ticket_id,
                          channel=Channel(c.channel), subject=c.subject,
                          contact=None if c.contact_id is None else SheetContact(c.email),
                          messages=tuple(messages.get(c.id, ())))
        for c in connection.execute(_CONVERSATIONS, key))
    sheet_row = SheetRow(
        id=shown, name=row.name, status=row.status, status_closed=row.is_closed,
        pipeline=row.pipeline, priority=row.priority,
        category=None if row.category is None else Category(row.category),
        owner=row.owner, owner_email=row.owner_email, contact=row.contact,
        contact_email=row.contact_email, created_at=row.created_at,
        last_activity_at=row.last_activity_at, closed_at=row.closed_at,
        unread=(row.read_at is None or bool(row.forced_unread)
                or row.last_activity_at > row.read_at),
        following=any(f.user_id == user_id for f in followers), state=TicketState(row.state),
        source=Channel(row.source), inbox=row.inbox, version=row.version,
        merged_ids=tuple(int(m.id) for m in merged),
        followers=tuple(f.email for f in followers))
    return TicketSheet(
        row=sheet_row, description=row.description,
        contacts=tuple(SheetContact(c.email) for c in connection.execute(_CONTACTS, key)),
        companies=tuple(SheetNamed(c.name) for c in connection.execute(_COMPANIES, key)),
        deals=tuple(SheetNamed(d.name) for d in connection.execute(_DEALS, key)),
        conversations=conversations, time_zone=user.time_zone)


class _Actor(NamedTuple):
    id: int
    super_admin: bool
    can_delete_tickets: bool
    scope: str
    team_id: int | None
