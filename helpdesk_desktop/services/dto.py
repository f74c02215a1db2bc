"""Plain, immutable data objects that leave the service layer.

ORM objects never leave a transaction: the UI and the CLI only ever see these. They are built
inside the unit of work (``from_model`` helpers live in :mod:`helpdesk_desktop.services.mapping`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Final, Generic

from typing_extensions import TypeVar

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
    omitted_files: tuple[str, ...] = ()  # "name (size)" of attachments not kept at intake
    send_state: str | None = None  # outbox: queued, sending, sent, failed, cancelled
    outbox_id: int | None = None  # the outbox item (retry, cancel)
    send_error: str | None = None  # the last delivery error, if any


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
    # Messages older than the first of ``messages`` that were not read (a long thread read
    # from its end: ``Desk.ticket(last_messages=...)``, ``Desk.earlier_messages``).
    earlier: int = 0


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
class Slice:
    """Rows of a list read next to a known row (``listing.list_slice``), in the list's order,
    each with its keyset position; ``more``: rows follow in the direction it was read."""

    rows: tuple[TicketRow, ...]
    keys: tuple[PageCursor, ...]
    more: bool


@dataclass(frozen=True)
class SavedViewInfo:
    id: int
    name: str
    query: TicketQuery


class Unset(enum.Enum):
    """The type of :data:`UNSET`: "this property is not being changed"."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET

# TicketChanges field -> the Ticket column it writes.
CHANGE_COLUMNS: Final = {"name": "name", "description": "description", "pipeline": "pipeline_id",
                         "status": "status_id", "priority": "priority", "category": "category",
                         "owner": "owner_id"}


@dataclass(frozen=True)
class TicketChanges:
    """A property edit: every field left :data:`UNSET` keeps its value, so ``owner=None``
    (unassign) differs from "not changing the owner". Ids for status, owner and pipeline."""

    status: int | Unset = UNSET
    owner: int | None | Unset = UNSET
    priority: Priority | None | Unset = UNSET
    category: Category | None | Unset = UNSET
    pipeline: int | Unset = UNSET
    name: str | Unset = UNSET
    description: str | Unset = UNSET

    def given(self) -> dict[str, object]:
        """The fields that are set, by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) is not UNSET}

    def columns(self) -> dict[str, Any]:
        """The fields that are set, by the column they write (``owner`` → ``owner_id``)."""
        return {CHANGE_COLUMNS[name]: value for name, value in self.given().items()}

    @classmethod
    def from_columns(cls, values: Mapping[str, Any]) -> TicketChanges:
        """The edit that writes ``values`` (column names, as in an activity's data)."""
        by_column = {column: name for name, column in CHANGE_COLUMNS.items()}
        changes = cls()
        for column, value in values.items():
            if column in by_column:
                if column == "priority" and value is not None:
                    value = Priority(value)
                elif column == "category" and value is not None:
                    value = Category(value)
                changes = replace(changes, **{by_column[column]: value})
        return changes

    def __bool__(self) -> bool:
        return bool(self.given())


# -- what operations return ------------------------------------------------------------------

@dataclass(frozen=True)
class PropertyEdit:
    """One ticket's property edit as undo needs it: the values it overwrote and the version
    the edit produced (an undo refuses once the ticket moved past that version)."""

    ticket_id: int
    previous: TicketChanges
    version: int


@dataclass(frozen=True)
class Refusal:
    """A ticket a bulk operation left alone, and the sentence saying why."""

    ticket_id: int
    reason: str


@dataclass(frozen=True)
class DeletionSummary:
    """What deleting a selection would do: the tickets that can go now and their
    conversations, and a refusal for each selected ticket that would stay."""

    tickets: int
    conversations: int
    refusals: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class Bulk:
    """The payload of a bulk operation: the tickets it changed and the ones it refused."""

    done: tuple[int, ...] = ()
    refusals: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class MessageAdded:
    message_id: int
    conversation_id: int
    ticket_id: int | None = None  # None: an e-mail that landed in a conversations inbox
    outbox_id: int | None = None  # a reply queued for sending
    send_after: dt.datetime | None = None  # it leaves then, unless cancelled (undo send)


@dataclass(frozen=True)
class OutboxChange:
    """An outgoing e-mail that was cancelled or queued again; ``text`` is the cancelled
    reply's text, so the composer can offer it again."""

    outbox_id: int
    text: str | None = None
    message_id: int | None = None
    send_after: dt.datetime | None = None  # retried: the window's sender flushes now


@dataclass(frozen=True)
class SplitDone:
    ticket_id: int  # the new ticket
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class MergeDone:
    ticket_id: int  # the survivor
    merged_id: int


@dataclass(frozen=True)
class MoveDone:
    conversation_id: int
    ticket_id: int | None


@dataclass(frozen=True)
class SpamDone:
    conversation_ids: tuple[int, ...] = ()  # only these conversations (empty: whole ticket)


@dataclass(frozen=True)
class Erased:
    ticket_ids: tuple[int, ...]  # every erased ticket, merged tombstones included
    conversation_ids: tuple[int, ...] = ()
    refusals: tuple[Refusal, ...] = ()  # tickets asked that were left alone, and why


# -- reversals: what undoes an operation (applied by services.undo) ---------------------------

@dataclass(frozen=True)
class RestoreProperties:
    """Put back the values of each edit, on tickets not edited since."""

    edits: tuple[PropertyEdit, ...]


@dataclass(frozen=True)
class SetFollowing:
    ticket_ids: tuple[int, ...]
    following: bool


@dataclass(frozen=True)
class SetRead:
    ticket_ids: tuple[int, ...]
    read: bool


@dataclass(frozen=True)
class SetSpam:
    ticket_ids: tuple[int, ...]
    spam: bool


@dataclass(frozen=True)
class SetDeleted:
    ticket_ids: tuple[int, ...]
    deleted: bool


@dataclass(frozen=True)
class MoveBack:
    """Move a conversation back, with the ticket's owner, pipeline and status before."""

    conversation_id: int
    inbox_id: int
    owner: int | None | Unset = UNSET
    pipeline: int | None = None
    status: int | None = None
    moved_to: int | None = None  # refused once the conversation left this inbox again


@dataclass(frozen=True)
class MoveBackMany:
    """Several :class:`MoveBack` in one transaction (the undo of a bulk move)."""

    moves: tuple[MoveBack, ...]


@dataclass(frozen=True)
class Unmerge:
    """Split a merged ticket off its survivor again (see ``services.unmerge``)."""

    merged_id: int


@dataclass(frozen=True)
class Remerge:
    """Merge again what an unmerge split off (the redo of an undone merge)."""

    primary_id: int
    merged_id: int


Reversal = (RestoreProperties | SetFollowing | SetRead | SetSpam | SetDeleted | MoveBack
            | MoveBackMany | Unmerge | Remerge)

P = TypeVar("P", default=None)


@dataclass(frozen=True)
class OpResult(Generic[P]):
    """What an operation changed, so that a view refreshes only those rows; ``payload`` says
    what the operation made (its type is in the signature), ``reversal`` what undoes it."""

    message: str
    changed_ticket_ids: tuple[int, ...] = ()
    created_ticket_ids: tuple[int, ...] = ()
    removed_ticket_ids: tuple[int, ...] = ()  # left the live views (deleted, spam, merged)
    payload: P = None  # type: ignore[assignment]  # P defaults to None
    reversal: Reversal | None = None


BulkResult = OpResult[Bulk]


@dataclass(frozen=True)
class BrandingInfo:
    """The workspace's company name and logo (PNG or JPEG bytes), for transcripts."""

    company_name: str
    logo: bytes | None


@dataclass(frozen=True)
class SenderRuleInfo:
    """An inbox's allow (``allow``) or deny entry for an address or a domain."""

    id: int
    inbox_id: int
    pattern: str
    allow: bool


@dataclass(frozen=True)
class DraftInfo:
    """The composer's unsent text on a ticket, for the signed-in user."""

    ticket_id: int
    mode: str  # reply, note or comment
    body: str
    to: str
    cc: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class SetAsideInfo:
    """A message intake did not store on a ticket (refused or skipped), and why."""

    id: int
    outcome: str  # refused or skipped
    source: str
    message_id: str | None
    reason: str  # in English, as stored (what --json gives)
    received_at: dt.datetime
    inbox: str | None
    reason_text: str = ""  # the reason in the reader's language


@dataclass(frozen=True)
class BoardColumnPage:
    """One status column of the board: its first cards, and how its list goes on.

    ``query`` is the column's own query (the board's, resolved, narrowed to the status): its
    later pages come from ``list_tickets(query, after=next_cursor)``. ``count`` is ``None``
    when the counter rows cannot answer it (a search, a priority filter...): the board asks
    ``board_counts`` in a job of its own then. The rows' ``snippet`` is not read (empty): a
    card shows it only as its tooltip, read when it is wanted."""

    status: StatusInfo
    query: TicketQuery
    rows: tuple[TicketRow, ...]
    next_cursor: PageCursor | None
    count: int | None


@dataclass(frozen=True)
class BoardPage:
    """What the board shows for a query and a pipeline, read in one transaction."""

    query: TicketQuery  # as asked (perhaps a saved view)
    pipeline: PipelineInfo
    columns: tuple[BoardColumnPage, ...]


@dataclass(frozen=True)
class OpenedTicket:
    """Everything the ticket view needs to show a ticket it opens, read in one transaction.

    ``detail.row.unread`` is as it was read: the view marks the ticket read afterwards
    (``mark_opened_read``) as of ``detail.row.last_activity_at``, the activity it showed."""

    detail: TicketDetail
    users: tuple[UserInfo, ...]  # the active users (the owner choices)
    signature: str
    draft: DraftInfo | None
    newest_incoming_id: int | None  # the newest customer message, perhaps not among those read
