"""The data objects the window's first frame does not show: a ticket's detail, contacts and
mail, what operations return and what undoes them.

Part of :mod:`helpdesk_desktop.services.dto`, which gives every name of this module as its
own (``from helpdesk_desktop.services.dto import TicketDetail``): this module is imported
when one of them is first asked for. Building a frozen dataclass costs ~0.4 ms (Python 3.11
compiles each generated method apart); the window's first frame needs 16 of the 50, so the
other 34 are built after it (docs/PERFORMANCE.md, "Session 27: start-up").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
)
from helpdesk_desktop.services.dto import (
    UNSET,
    PipelineInfo,
    TicketChanges,
    TicketRow,
    Unset,
    UserInfo,
)

__all__ = [
    "ActivityInfo",
    "AttachmentInfo",
    "BrandingInfo",
    "CompanyInfo",
    "ContactInfo",
    "ConversationInfo",
    "DealInfo",
    "DeletionSummary",
    "DraftInfo",
    "Erased",
    "InboxInfo",
    "MergeDone",
    "MessageAdded",
    "MessageInfo",
    "MoveBack",
    "MoveBackMany",
    "MoveDone",
    "NotificationInfo",
    "OpenedTicket",
    "OutboxChange",
    "PropertyEdit",
    "Refusal",
    "Remerge",
    "RestoreProperties",
    "Reversal",
    "SenderRuleInfo",
    "SetAsideInfo",
    "SetDeleted",
    "SetFollowing",
    "SetRead",
    "SetSpam",
    "SpamDone",
    "SplitDone",
    "TicketDetail",
    "Unmerge",
]


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
class OpenedTicket:
    """Everything the ticket view needs to show a ticket it opens, read in one transaction.

    ``detail.row.unread`` is as it was read: the view marks the ticket read afterwards
    (``mark_opened_read``) as of ``detail.row.last_activity_at``, the activity it showed."""

    detail: TicketDetail
    users: tuple[UserInfo, ...]  # the active users (the owner choices)
    signature: str
    draft: DraftInfo | None
    newest_incoming_id: int | None  # the newest customer message, perhaps not among those read
