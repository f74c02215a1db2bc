"""Plain, immutable data objects that leave the service layer.

ORM objects never leave a transaction: the UI and the CLI only ever see these. They are built
inside the unit of work (``from_model`` helpers live in :mod:`helpdesk_desktop.services.mapping`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from helpdesk_desktop.domain.enums import (
    AccessScope,
    ActivityKind,
    Category,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    Priority,
    SortKey,
    TicketState,
    View,
)


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    email: str
    role: str
    team_id: int | None
    team_name: str | None
    help_desk_access: bool
    service_seat: bool
    can_delete_tickets: bool
    account_access: bool
    super_admin: bool
    scope: AccessScope
    notify_record_updates: bool
    time_zone: str

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()


@dataclass(frozen=True)
class StatusInfo:
    id: int
    pipeline_id: int
    name: str
    position: int
    is_closed: bool


@dataclass(frozen=True)
class PipelineInfo:
    id: int
    name: str
    statuses: tuple[StatusInfo, ...]


@dataclass(frozen=True)
class InboxInfo:
    id: int
    name: str
    kind: InboxKind
    channel: Channel


@dataclass(frozen=True)
class ContactInfo:
    id: int
    name: str
    email: str | None
    phone: str | None
    company_id: int | None
    company_name: str | None


@dataclass(frozen=True)
class CompanyInfo:
    id: int
    name: str
    domain: str | None


@dataclass(frozen=True)
class DealInfo:
    id: int
    name: str
    amount_cents: int | None
    stage: str | None


@dataclass(frozen=True)
class TicketRow:
    """One row of a ticket list: what the table, split list and board cards show."""

    id: int
    name: str
    status_id: int
    status: str
    status_closed: bool
    pipeline_id: int
    pipeline: str
    priority: Priority | None
    category: Category | None
    owner_id: int | None
    owner: str | None  # name
    owner_email: str | None
    contact: str | None  # first associated contact's name
    contact_email: str | None
    created_at: dt.datetime
    last_activity_at: dt.datetime
    closed_at: dt.datetime | None
    unread: bool  # for the acting user
    following: bool  # by the acting user
    state: TicketState
    source: Channel
    inbox: str
    version: int
    merged_ids: tuple[int, ...]
    snippet: str = ""  # start of the latest customer-facing message
    followers: tuple[str, ...] = ()  # emails
    purge_at: dt.datetime | None = None  # spam / Recently deleted: when it is erased for good


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MessageInfo:
    id: int
    conversation_id: int
    kind: MessageKind
    direction: Direction
    author: str  # display name
    author_email: str | None
    author_user_id: int | None
    to: str
    cc: str
    sent_at: dt.datetime
    subject: str
    text: str
    html: str | None  # sanitized
    attachments: tuple[AttachmentInfo, ...]
    message_id_header: str | None = None


@dataclass(frozen=True)
class ConversationInfo:
    id: int
    ticket_id: int | None
    inbox_id: int
    inbox: str
    inbox_kind: InboxKind
    origin_ticket_id: int | None
    channel: Channel
    subject: str
    contact: ContactInfo | None
    created_at: dt.datetime
    spam: bool
    messages: tuple[MessageInfo, ...]


@dataclass(frozen=True)
class ActivityInfo:
    id: int
    ticket_id: int
    kind: ActivityKind
    actor: str | None
    actor_id: int | None
    created_at: dt.datetime
    summary: str
    data: dict[str, Any]


@dataclass(frozen=True)
class TicketDetail:
    """Everything the ticket view shows."""

    row: TicketRow
    description: str
    pipeline: PipelineInfo
    inbox_id: int
    updated_at: dt.datetime
    conversations: tuple[ConversationInfo, ...]  # oldest first; spam ones excluded
    contacts: tuple[ContactInfo, ...]
    companies: tuple[CompanyInfo, ...]
    deals: tuple[DealInfo, ...]
    activities: tuple[ActivityInfo, ...]  # newest first

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def version(self) -> int:
        return self.row.version


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    ticket_id: int
    ticket_name: str
    activity_kind: ActivityKind
    summary: str
    actor: str | None
    created_at: dt.datetime
    read: bool


@dataclass(frozen=True)
class TicketFilters:
    """Filters of a ticket list. Empty tuples mean "any"."""

    status_ids: tuple[int, ...] = ()
    priorities: tuple[Priority, ...] = ()
    owner_ids: tuple[int | None, ...] = ()  # None inside means "unassigned"
    categories: tuple[Category, ...] = ()
    pipeline_ids: tuple[int, ...] = ()
    inbox_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class TicketQuery:
    """What a list shows: a view, filters, a search text and a sort."""

    view: View = View.ALL_OPEN
    saved_view_id: int | None = None
    filters: TicketFilters = field(default_factory=TicketFilters)
    search: str = ""
    sort: SortKey = SortKey.LAST_ACTIVITY
    descending: bool = True


@dataclass(frozen=True)
class PageCursor:
    """Keyset position: the sort value and id of the last row of the previous page."""

    sort_value: Any
    ticket_id: int


@dataclass(frozen=True)
class Page:
    rows: tuple[TicketRow, ...]
    next_cursor: PageCursor | None  # None when this was the last page


@dataclass(frozen=True)
class SavedViewInfo:
    id: int
    name: str
    query: TicketQuery


@dataclass(frozen=True)
class OpResult:
    """What an operation changed, so that a view refreshes only those rows."""

    message: str
    changed_ticket_ids: tuple[int, ...] = ()
    created_ticket_ids: tuple[int, ...] = ()
    removed_ticket_ids: tuple[int, ...] = ()  # left the live views (deleted, spam, merged)
    detail: dict[str, Any] = field(default_factory=dict)
