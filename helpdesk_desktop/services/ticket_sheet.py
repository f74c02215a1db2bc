"""One ticket as ``helpdesk-desktop tickets show`` prints it, read with plain SQL.

``tickets.get_ticket`` reads a ticket through the ORM: declaring the 28 mapped classes,
configuring the mappers and compiling the first ORM statements cost a one-shot command
~0.25 s before its first row, more than the read itself. This module reads the same facts
with a handful of SQL statements on one connection (one transaction) and none of that: it
imports neither :mod:`helpdesk_desktop.domain.models` nor :mod:`.dto` (its records are named
tuples: a frozen dataclass costs ~0.4 ms to declare), nor SQLAlchemy at all:
:func:`open_reader` opens the database with its driver (``sqlite3``, ``psycopg``) when it is
plainly up to date, and the values are typed here as the model's column types type them.

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
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from helpdesk_desktop.domain.enums import (
    AccessScope,
    Category,
    Channel,
    Direction,
    MessageKind,
    Priority,
    TicketState,
)
from helpdesk_desktop.domain.rules import MAX_ID
from helpdesk_desktop.services.sql_reader import Reader
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.files import (
    BUSY_TIMEOUT_MS,
    make_private,
    needs_quick_check,
    normalize_url,
)

if TYPE_CHECKING:
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


# The statements, written with :name parameters (turned into psycopg's %(name)s for
# PostgreSQL) and read into rows with named columns (``sql_reader``).

_FIRST_ADMIN = ("SELECT id FROM users WHERE active = :yes "
                "ORDER BY super_admin DESC, id LIMIT 1")
_USER_BY_EMAIL = "SELECT id FROM users WHERE lower(email) = :email AND active = :yes"
_ACTOR = ("SELECT active, help_desk_access, super_admin, can_delete_tickets, scope, "
          "team_id, time_zone FROM users WHERE id = :id")
_TICKET = ("SELECT t.state, t.merged_into_id, t.owner_id, o.team_id FROM tickets t "
           "LEFT JOIN users o ON o.id = t.owner_id WHERE t.id = :id")
_ROW = (
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
    "WHERE t.id = :id")
_FOLLOWERS = ("SELECT f.user_id, u.email FROM followers f JOIN users u ON u.id = f.user_id "
              "WHERE f.ticket_id = :id ORDER BY u.email")
# As list_rows: after ANALYZE SQLite would scan the tickets instead of using the index.
_MERGED = {"sqlite": ("SELECT id FROM tickets INDEXED BY ix_tickets_merged_into "
                      "WHERE merged_into_id = :id ORDER BY id"),
           "": "SELECT id FROM tickets WHERE merged_into_id = :id ORDER BY id"}
_CONTACTS = ("SELECT c.email FROM ticket_contacts tc JOIN contacts c ON c.id = tc.contact_id"
             " WHERE tc.ticket_id = :id ORDER BY c.id")
_COMPANIES = ("SELECT c.name FROM ticket_companies tc JOIN companies c "
              "ON c.id = tc.company_id WHERE tc.ticket_id = :id ORDER BY c.id")
_DEALS = ("SELECT d.name FROM ticket_deals td JOIN deals d ON d.id = td.deal_id "
          "WHERE td.ticket_id = :id ORDER BY d.id")
_CONVERSATIONS = (
    "SELECT cv.id, i.name AS inbox, cv.origin_ticket_id, cv.channel, cv.subject, "
    "cv.contact_id, ct.email FROM conversations cv JOIN inboxes i ON i.id = cv.inbox_id "
    "LEFT JOIN contacts ct ON ct.id = cv.contact_id "
    "WHERE cv.ticket_id = :id AND cv.spam_at IS NULL ORDER BY cv.created_at, cv.id")
_MESSAGES = (
    "SELECT m.id, m.conversation_id, m.kind, m.direction, m.author_name, m.author_email, "
    "m.sent_at, m.subject, m.body_text FROM messages m "
    "JOIN conversations cv ON cv.id = m.conversation_id "
    "WHERE cv.ticket_id = :id AND cv.spam_at IS NULL ORDER BY m.sent_at, m.id")
_ATTACHMENTS = (
    "SELECT a.id, a.message_id, a.filename, a.content_type, a.size FROM attachments a "
    "JOIN messages m ON m.id = a.message_id JOIN conversations cv ON cv.id = m.conversation_id "
    "WHERE cv.ticket_id = :id AND cv.spam_at IS NULL ORDER BY a.id")


# The values as the model's column types give them (``UTCDateTime``, ``PriorityType``,
# ``Boolean``): SQLite returns text and integers where PostgreSQL's driver returns them typed.

def _utc(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC)


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


_PRIORITY_BY_RANK = tuple(Priority)


def _priority(value: Any) -> Priority | None:
    return None if value is None else _PRIORITY_BY_RANK[value]


def actor_id(reader: Reader, email: str | None) -> int | None:
    """``--as EMAIL``'s active user, else the first active super admin, else the first user
    (``directory.find_user_id`` / ``first_admin_id``); ``None``: nobody (or nobody by that
    address)."""
    if email:
        found = reader.first(_USER_BY_EMAIL, {"email": email.strip().lower(), "yes": True})
    else:
        found = reader.first(_FIRST_ADMIN, {"yes": True})
    return None if found is None else int(found.id)


def _visible_id(reader: Reader, ticket_id: int, actor: _Actor) -> int | None:
    """The ticket (or its merge survivor) the actor may see, as access.get_visible_ticket."""
    if not 0 < ticket_id <= MAX_ID:
        return None
    current: int | None = ticket_id
    found = reader.first(_TICKET, {"id": current})
    hops = 0
    while (found is not None and TicketState(found.state) is TicketState.MERGED
           and found.merged_into_id is not None and hops < _MERGE_HOPS):
        current = int(found.merged_into_id)
        found = reader.first(_TICKET, {"id": current})
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
    plain case (no such user or ticket, no access: the caller asks the services why).
    Read on a driver connection of ``database`` (``Database.driver_read``)."""
    with database.driver_read() as driver:
        return read(Reader(driver, database.dialect), ticket_id, as_user)


def read(reader: Reader, ticket_id: int, as_user: str | None) -> TicketSheet | None:
    """:func:`read_sheet` on a driver connection already in its read transaction."""
    actor = actor_id(reader, as_user)
    if actor is None:
        return None
    user = reader.first(_ACTOR, {"id": actor})
    if user is None or not user.active or not (user.help_desk_access or user.super_admin):
        return None
    user_id = int(actor)
    actor_facts = _Actor(user_id, bool(user.super_admin), bool(user.can_delete_tickets),
                         user.scope, user.team_id)
    shown = _visible_id(reader, ticket_id, actor_facts)
    if shown is None:
        return None
    key = {"id": shown}
    row = reader.first(_ROW, {"id": shown, "actor": user_id})
    if row is None:
        return None
    followers = reader.rows(_FOLLOWERS, key)
    merged = reader.rows(_MERGED.get(reader.dialect, _MERGED[""]), key)
    attachments: dict[int, list[SheetAttachment]] = {}
    for a in reader.rows(_ATTACHMENTS, key):
        attachments.setdefault(a.message_id, []).append(
            SheetAttachment(id=a.id, filename=a.filename, content_type=a.content_type,
                            size=a.size))
    messages: dict[int, list[SheetMessage]] = {}
    for m in reader.rows(_MESSAGES, key):
        sent_at = _utc(m.sent_at)
        assert sent_at is not None
        messages.setdefault(m.conversation_id, []).append(SheetMessage(
            id=m.id, kind=MessageKind(m.kind), direction=Direction(m.direction),
            author=m.author_name or (m.author_email or ""), author_email=m.author_email,
            sent_at=sent_at, subject=m.subject, text=m.body_text,
            attachments=tuple(attachments.get(m.id, ()))))
    conversations = tuple(
        SheetConversation(id=c.id, inbox=c.inbox, origin_ticket_id=c.origin_ticket_id,
                          channel=Channel(c.channel), subject=c.subject,
                          contact=None if c.contact_id is None else SheetContact(c.email),
                          messages=tuple(messages.get(c.id, ())))
        for c in reader.rows(_CONVERSATIONS, key))
    created_at, last_activity_at = _utc(row.created_at), _utc(row.last_activity_at)
    read_at = _utc(row.read_at)
    assert created_at is not None and last_activity_at is not None
    sheet_row = SheetRow(
        id=shown, name=row.name, status=row.status, status_closed=bool(_flag(row.is_closed)),
        pipeline=row.pipeline, priority=_priority(row.priority),
        category=None if row.category is None else Category(row.category),
        owner=row.owner, owner_email=row.owner_email, contact=row.contact,
        contact_email=row.contact_email, created_at=created_at,
        last_activity_at=last_activity_at, closed_at=_utc(row.closed_at),
        unread=(read_at is None or bool(_flag(row.forced_unread))
                or last_activity_at > read_at),
        following=any(f.user_id == user_id for f in followers), state=TicketState(row.state),
        source=Channel(row.source), inbox=row.inbox, version=row.version,
        merged_ids=tuple(int(m.id) for m in merged),
        followers=tuple(f.email for f in followers))
    return TicketSheet(
        row=sheet_row, description=row.description,
        contacts=tuple(SheetContact(c.email) for c in reader.rows(_CONTACTS, key)),
        companies=tuple(SheetNamed(c.name) for c in reader.rows(_COMPANIES, key)),
        deals=tuple(SheetNamed(d.name) for d in reader.rows(_DEALS, key)),
        conversations=conversations, time_zone=user.time_zone)


# -- opening the database without SQLAlchemy -------------------------------------------------

@contextmanager
def open_reader(url: str) -> Iterator[Reader | None]:
    """A reader in a read transaction on the database at ``url`` (closed afterwards), or
    ``None`` when opening it is not the plain case for ``open_database(url, create=False)``:
    a missing, foreign, damaged-looking (``quick_check`` due), older or newer SQLite file or
    PostgreSQL schema, another kind of URL. The caller then opens it the usual way, which
    checks, upgrades or refuses it in its own words."""
    url = normalize_url(url)
    scheme, _sep, rest = url.partition("://")
    if scheme == "sqlite":
        with _sqlite_reader(rest) as reader:
            yield reader
    elif scheme == "postgresql+psycopg":
        with _pg_reader("postgresql://" + rest) as reader:
            yield reader
    else:
        yield None


@contextmanager
def _sqlite_reader(rest: str) -> Iterator[Reader | None]:
    # sqlite:///relative or sqlite:////absolute; anything with a query or a host: None.
    if not rest.startswith("/") or "?" in rest or "%" in rest or rest in ("/", "/:memory:"):
        yield None
        return
    path = Path(rest[1:])
    if not path.is_file() or path.stat().st_size == 0 or needs_quick_check(path):
        yield None
        return
    driver = sqlite3.connect(path, check_same_thread=False)
    try:
        # As storage.database tunes every connection (it may switch the file to WAL).
        driver.isolation_level = None
        driver.execute("PRAGMA foreign_keys=ON")
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        driver.execute("PRAGMA journal_mode=WAL")
        driver.execute("PRAGMA synchronous=FULL")
        driver.execute("BEGIN DEFERRED")
        reader = Reader(driver, "sqlite")
        if not _up_to_date(reader, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                   "AND name = 'alembic_version'"):
            yield None
            return
        make_private(path)
        yield reader
    finally:
        driver.close()


@contextmanager
def _pg_reader(conninfo: str) -> Iterator[Reader | None]:
    import psycopg

    with psycopg.connect(conninfo) as driver:
        reader = Reader(driver, "postgresql")
        try:
            yield reader if _up_to_date(
                reader, "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
                        "AND tablename = 'alembic_version'") else None
        finally:
            driver.rollback()


def _up_to_date(reader: Reader, has_versions: str) -> bool:
    if reader.first(has_versions) is None:
        return False
    found = reader.first("SELECT version_num FROM alembic_version")
    return found is not None and found.version_num == migrations.head_revision()


class _Actor(NamedTuple):
    id: int
    super_admin: bool
    can_delete_tickets: bool
    scope: str
    team_id: int | None
