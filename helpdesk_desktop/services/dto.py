"""Plain, immutable data objects that leave the service layer.

ORM objects never leave a transaction: the UI and the CLI only ever see these. They are built
inside the unit of work (``from_model`` helpers live in :mod:`helpdesk_desktop.services.mapping`).

The objects the window's first frame needs are defined here; the others (a ticket's detail,
contacts, mail, operations' results and reversals) in :mod:`.dto_later`, imported when one of
them is first read from this module (``__getattr__`` below): each frozen dataclass costs
~0.4 ms to build (docs/PERFORMANCE.md, "Session 27: start-up").
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Final, Generic

from typing_extensions import TypeVar

from helpdesk_desktop.domain.enums import (
    AccessScope,
    Category,
    Channel,
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
class Bulk:
    """The payload of a bulk operation: the tickets it changed and the ones it refused."""

    done: tuple[int, ...] = ()
    refusals: tuple[Refusal, ...] = ()


# -- reversals: what undoes an operation (applied by services.undo) ---------------------------


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


#: What :mod:`.dto_later` defines, given by this module when first asked for.
LATER: Final = frozenset({
    "InboxInfo",
    "ContactInfo",
    "CompanyInfo",
    "DealInfo",
    "AttachmentInfo",
    "MessageInfo",
    "ConversationInfo",
    "ActivityInfo",
    "TicketDetail",
    "NotificationInfo",
    "PropertyEdit",
    "Refusal",
    "DeletionSummary",
    "MessageAdded",
    "OutboxChange",
    "SplitDone",
    "MergeDone",
    "MoveDone",
    "SpamDone",
    "Erased",
    "RestoreProperties",
    "SetFollowing",
    "SetRead",
    "SetSpam",
    "SetDeleted",
    "MoveBack",
    "MoveBackMany",
    "Unmerge",
    "Remerge",
    "Reversal",
    "BrandingInfo",
    "SenderRuleInfo",
    "DraftInfo",
    "SetAsideInfo",
    "OpenedTicket",
})

if TYPE_CHECKING:  # the same names, for type checkers
    from helpdesk_desktop.services.dto_later import *
else:
    def __getattr__(name: str) -> Any:
        """A name of :mod:`.dto_later`: that module imported (once) and the name kept here."""
        if name not in LATER:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from helpdesk_desktop.services import dto_later

        value = getattr(dto_later, name)
        globals()[name] = value
        return value
