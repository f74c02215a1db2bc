"""The help desk's tables, as SQLAlchemy 2.x typed declarative models.

Nothing outside the domain and services layers touches these classes: the application facade
turns them into plain data objects (``helpdesk_desktop.services.dto``) before they leave a
transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Enum,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from helpdesk_desktop.domain.enums import (
    AccessScope,
    ActivityKind,
    Category,
    Channel,
    Direction,
    InboxKind,
    MailAuth,
    MailSecurity,
    MessageKind,
    OutboxState,
    Priority,
    TicketState,
)
from helpdesk_desktop.domain.types import PriorityType, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(kind: type[Any], name: str) -> Enum:
    # Stored as plain strings (no native PG enum): adding a value never needs a type migration.
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(Base):
    """An agent of the workspace, with capabilities and a ticket access scope."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(100), default="Agent")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    help_desk_access: Mapped[bool] = mapped_column(Boolean, default=True)
    service_seat: Mapped[bool] = mapped_column(Boolean, default=False)
    can_delete_tickets: Mapped[bool] = mapped_column(Boolean, default=False)
    account_access: Mapped[bool] = mapped_column(Boolean, default=False)
    super_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[AccessScope] = mapped_column(_enum(AccessScope, "access_scope"),
                                               default=AccessScope.OWNED)
    notify_record_updates: Mapped[bool] = mapped_column(Boolean, default=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    signature: Mapped[str] = mapped_column(Text, default="", server_default="")

    team: Mapped[Team | None] = relationship()


class Inbox(Base):
    """The help desk, or a conversations inbox. Each is fed by one channel kind."""

    __tablename__ = "inboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[InboxKind] = mapped_column(_enum(InboxKind, "inbox_kind"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"), default=Channel.EMAIL)
    address: Mapped[str | None] = mapped_column(String(320))


class Pipeline(Base):
    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    statuses: Mapped[list[Status]] = relationship(
        back_populates="pipeline", order_by="Status.position"
    )


class Status(Base):
    __tablename__ = "statuses"
    __table_args__ = (UniqueConstraint("pipeline_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)

    pipeline: Mapped[Pipeline] = relationship(back_populates="statuses")


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    domain: Mapped[str | None] = mapped_column(String(200))


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(64))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")

    company: Mapped[Company | None] = relationship()


class Deal(Base):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(100))


ticket_contacts = Table(
    "ticket_contacts",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True,
           index=True),
    # Migration 0011: a contact's tickets read from the index alone (search by contact).
    Index("ix_ticket_contacts_contact_ticket", "contact_id", "ticket_id"),
)
ticket_companies = Table(
    "ticket_companies",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("company_id", ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)
ticket_deals = Table(
    "ticket_deals",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("deal_id", ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Ticket(Base):
    """A customer request.

    ``version`` counts property edits only (not messages or follows): an edit made against an
    older version is refused as a conflict instead of overwriting someone else's change.
    """

    __tablename__ = "tickets"
    __table_args__ = (
        # The list queries: a view (state + open/closed) sorted by a column, paged by key.
        Index("ix_tickets_state_activity", "state", "last_activity_at", "id"),
        Index("ix_tickets_state_created", "state", "created_at", "id"),
        Index("ix_tickets_state_closed_activity", "state", "closed_at", "last_activity_at", "id"),
        Index("ix_tickets_owner_state_activity", "owner_id", "state", "last_activity_at", "id"),
        Index("ix_tickets_state_priority", "state", "priority", "id"),
        Index("ix_tickets_state_name", "state", "name", "id"),
        Index("ix_tickets_status_activity", "status_id", "last_activity_at", "id"),
        Index("ix_tickets_state_category", "state", "category", "id"),
        Index("ix_tickets_merged_into", "merged_into_id"),
        # (Migration 0018: the purge's indexes on spam_at and deleted_at are partial on
        # PostgreSQL, holding the spam or the trash alone, and gone on SQLite, whose plans
        # never read them: each index is an entry more for every ticket written.)
        # Migration 0006: the open views (state + closed_at IS NULL) in the order of each
        # sort column, and id order within one status, owner, priority or category of a view
        # (sorting on those pages one value at a time).
        Index("ix_tickets_state_closed_id", "state", "closed_at", "id"),
        Index("ix_tickets_state_status_id", "state", "status_id", "id"),
        Index("ix_tickets_state_closed_status_id", "state", "closed_at", "status_id", "id"),
        Index("ix_tickets_state_owner_id", "state", "owner_id", "id"),
        Index("ix_tickets_state_closed_owner_id", "state", "closed_at", "owner_id", "id"),
        Index("ix_tickets_state_closed_priority_id", "state", "closed_at", "priority", "id"),
        Index("ix_tickets_state_closed_category_id", "state", "closed_at", "category", "id"),
        # SQLite only (dropped on PostgreSQL by migration 0018, whose planner never read
        # them): these two, and the priority one of 0016 below.
        Index("ix_tickets_state_closed_name", "state", "closed_at", "name", "id"),
        Index("ix_tickets_state_closed_created", "state", "closed_at", "created_at", "id"),
        # A board column: one status of the open views, by last activity.
        Index("ix_tickets_state_closed_status_activity", "state", "closed_at", "status_id",
              "last_activity_at", "id"),
        # Migration 0009: the contact sort, by the stored first contact's name.
        Index("ix_tickets_state_closed_contact", "state", "closed_at", "contact_sort", "id"),
        Index("ix_tickets_state_contact", "state", "contact_sort", "id"),
        # Migration 0016: one owner's or one priority's open tickets, and the closed ones, by
        # last activity (the first page of Assigned to me, Unassigned, the owner and
        # priority filters, Closed) as one range each.
        Index("ix_tickets_state_closed_owner_activity", "state", "closed_at", "owner_id",
              "last_activity_at", "id"),
        Index("ix_tickets_state_closed_priority_activity", "state", "closed_at", "priority",
              "last_activity_at", "id"),  # SQLite only (0018)
        # Partial on both back-ends (the migration says so for PostgreSQL too; its dialect
        # is not imported for the model, which start-up would then load for every database).
        Index("ix_tickets_closed_activity", "state", "last_activity_at", "id", "closed_at",
              sqlite_where=text("closed_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"), index=True)
    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"))
    priority: Mapped[Priority | None] = mapped_column(PriorityType())
    category: Mapped[Category | None] = mapped_column(_enum(Category, "category"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id"), index=True)
    source: Mapped[Channel] = mapped_column(_enum(Channel, "channel"), default=Channel.EMAIL)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[TicketState] = mapped_column(_enum(TicketState, "ticket_state"),
                                               default=TicketState.LIVE)
    spam_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: The name of the first contact (lowest contact id; NULL without one), the contact
    #: sort's key. Written only by the database's triggers (migration 0009): never set it.
    contact_sort: Mapped[str | None] = mapped_column(String(200))

    pipeline: Mapped[Pipeline] = relationship()
    status: Mapped[Status] = relationship()
    owner: Mapped[User | None] = relationship()
    inbox: Mapped[Inbox] = relationship()
    conversations: Mapped[list[Conversation]] = relationship(
        back_populates="ticket",
        order_by="Conversation.created_at",
        foreign_keys="Conversation.ticket_id",
    )
    contacts: Mapped[list[Contact]] = relationship(secondary=ticket_contacts,
                                                   order_by="Contact.id")
    companies: Mapped[list[Company]] = relationship(secondary=ticket_companies,
                                                    order_by="Company.id")
    deals: Mapped[list[Deal]] = relationship(secondary=ticket_deals, order_by="Deal.id")


class Conversation(Base):
    """One thread with a customer. A merged ticket holds several; each remembers its origin."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_ticket_created", "ticket_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    origin_ticket_id: Mapped[int | None] = mapped_column(Integer)
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id"), index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"), default=Channel.EMAIL)
    subject: Mapped[str] = mapped_column(String(500), default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    spam_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)

    ticket: Mapped[Ticket | None] = relationship(back_populates="conversations",
                                                 foreign_keys=[ticket_id])
    inbox: Mapped[Inbox] = relationship()
    contact: Mapped[Contact | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="(Message.sent_at, Message.id)"
    )


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_sent", "conversation_id", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    kind: Mapped[MessageKind] = mapped_column(_enum(MessageKind, "message_kind"))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "direction"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_email: Mapped[str | None] = mapped_column(String(320))
    to_addresses: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    cc_addresses: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(500), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)  # sanitized on the way in
    message_id_header: Mapped[str | None] = mapped_column(String(500), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(500))
    references: Mapped[str | None] = mapped_column(Text)
    # Intake: the duplicate key (a digest of the Message-ID, or of the raw message without
    # one) and a note on what was not kept (attachments over the size limit).
    dedupe_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    intake_note: Mapped[str | None] = mapped_column(Text)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id"
    )
    # Where this reply's delivery stands (None: not an e-mail being sent); loaded with the
    # messages so that a ticket view needs one more query, not one per message.
    outbox_item: Mapped[OutboxItem | None] = relationship(viewonly=True, lazy="selectin",
                                                          uselist=False)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_id: Mapped[str | None] = mapped_column(String(500))  # "<id>" of an inline image

    message: Mapped[Message] = relationship(back_populates="attachments")


class Follower(Base):
    """A user following a ticket. ``state`` and ``last_activity_at`` are the ticket's, copied
    by triggers (migration 0017; never written by the program): a user's followed tickets in
    activity order are one range of ``ix_followers_user_state_activity``."""

    __tablename__ = "followers"
    __table_args__ = (Index("ix_followers_user_state_activity", "user_id", "state",
                            "last_activity_at", "ticket_id"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    state: Mapped[TicketState | None] = mapped_column(
        _enum(TicketState, "ticket_state"), server_default=FetchedValue())
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime(), server_default=FetchedValue())


class ReadState(Base):
    """When a user last read a ticket; ``forced_unread`` is "mark as unread"."""

    __tablename__ = "read_states"
    # Every column the Unread count tests, so that it reads this index alone (migration 0008).
    __table_args__ = (Index("ix_read_states_user_ticket_read", "user_id", "ticket_id",
                            "forced_unread", "read_at"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    forced_unread: Mapped[bool] = mapped_column(Boolean, default=False)


class Activity(Base):
    """One entry of a ticket's timeline. ``data`` keeps old/new values and linked ids."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_ticket_created", "ticket_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind, "activity_kind"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    summary: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class SavedView(Base):
    """A user's custom view: filters and sort, stored as JSON."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class MailAccount(Base):
    """The mailbox an inbox is connected to: IMAP for incoming, SMTP for outgoing.

    Passwords and tokens are never stored here: they live in the OS keyring, keyed by
    :attr:`imap_secret_key` / :attr:`smtp_secret_key` (see ``services.mail.secrets``).
    """

    __tablename__ = "mail_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"),
                                          unique=True)
    auth: Mapped[MailAuth] = mapped_column(_enum(MailAuth, "mail_auth"), default=MailAuth.PASSWORD)
    oauth_provider: Mapped[str | None] = mapped_column(String(32))
    imap_host: Mapped[str] = mapped_column(String(255))
    imap_port: Mapped[int] = mapped_column(Integer)
    imap_security: Mapped[MailSecurity] = mapped_column(_enum(MailSecurity, "mail_security"))
    imap_user: Mapped[str] = mapped_column(String(320))
    imap_folder: Mapped[str] = mapped_column(String(255), default="INBOX")
    mark_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    poll_seconds: Mapped[int] = mapped_column(Integer, default=60)
    smtp_host: Mapped[str] = mapped_column(String(255))
    smtp_port: Mapped[int] = mapped_column(Integer)
    smtp_security: Mapped[MailSecurity] = mapped_column(_enum(MailSecurity, "mail_security"))
    smtp_user: Mapped[str] = mapped_column(String(320))
    sender_address: Mapped[str] = mapped_column(String(320))
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    undo_seconds: Mapped[int] = mapped_column(Integer, default=10)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    inbox: Mapped[Inbox] = relationship()


class MailFolderState(Base):
    """How far an IMAP folder has been read: every message with a UID above ``last_uid`` (in
    this ``uid_validity``) is still to be fetched."""

    __tablename__ = "mail_folder_states"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("mail_accounts.id", ondelete="CASCADE"), primary_key=True)
    folder: Mapped[str] = mapped_column(String(255), primary_key=True)
    uid_validity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class OutboxItem(Base):
    """An outgoing e-mail waiting for, or done with, the SMTP server. The reply itself is the
    ``Message`` row; this row says where its delivery stands."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"),
                                            unique=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_accounts.id", ondelete="SET NULL"))
    state: Mapped[OutboxState] = mapped_column(_enum(OutboxState, "outbox_state"),
                                               default=OutboxState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not before this time: the undo-send delay at first, then the retry backoff.
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # The failure as a sentence (msgid + arguments, domain.sentences), said in the reader's
    # language; last_error keeps it in English (and is all a row written before 0010 has).
    error_sentence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class WorkspaceBranding(Base):
    """The organisation's name and logo, printed at the top of transcripts (one row, id 1)."""

    __tablename__ = "workspace_branding"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str] = mapped_column(String(200), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SenderRule(Base):
    """An inbox's allow or deny entry for a sender address or a whole domain."""

    __tablename__ = "sender_rules"
    __table_args__ = (UniqueConstraint("inbox_id", "pattern"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"),
                                          index=True)
    pattern: Mapped[str] = mapped_column(String(320))  # "name@host" or "host"
    allow: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SetAsideMail(Base):
    """A raw message intake did not keep as a ticket message (refused or skipped), so that
    nothing received is lost."""

    __tablename__ = "set_aside_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_id: Mapped[int | None] = mapped_column(ForeignKey("inboxes.id", ondelete="SET NULL"),
                                                 index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # "refused" or "skipped"
    source: Mapped[str] = mapped_column(Text, default="")
    message_id_header: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text, default="")  # in English
    reason_sentence: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # see OutboxItem
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class Draft(Base):
    """The composer's unsent text, one per ticket and user, so that two windows agree and a
    restart loses nothing."""

    __tablename__ = "drafts"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    mode: Mapped[str] = mapped_column(String(16), default="reply")
    body: Mapped[str] = mapped_column(Text, default="")
    to_addresses: Mapped[str] = mapped_column(Text, default="")
    cc_addresses: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class UndoEntry(Base):
    """A user's reversible operation: what undoes it (a reversal as JSON, see
    ``services.undo``), so ``tickets undo`` works across processes. ``undone_at`` is set once
    it has been undone."""

    __tablename__ = "undo_entries"
    __table_args__ = (Index("ix_undo_entries_user_created", "user_id", "undone_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    label: Mapped[str] = mapped_column(Text, default="")
    reversal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class MergeRecord(Base):
    """What a merge moved, so that a super admin can unmerge while nothing touched it since:
    the conversations and their messages, the tombstones redirected, the associations and
    followers the survivor gained, and the survivor's creation time before."""

    __tablename__ = "merge_journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    primary_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                            index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           unique=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TicketCount(Base):
    """How many tickets share a state, open/closed and owner (0: unassigned).

    Kept by database triggers on ``tickets`` (migration 0006), so that the per-view counts read
    a few rows instead of every ticket. Never written by the program itself.
    """

    __tablename__ = "ticket_counts"

    state: Mapped[str] = mapped_column(String(32), primary_key=True)
    is_open: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class TicketStatusCount(Base):
    """How many tickets share a state, open/closed, owner (0: unassigned), pipeline and
    status: a board column's count. Kept by database triggers (migration 0011)."""

    __tablename__ = "ticket_status_counts"

    state: Mapped[str] = mapped_column(String(32), primary_key=True)
    is_open: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class ReadCount(Base):
    """How many live tickets of an owner (0: unassigned) a user has read since their last
    activity (the Unread view's rule, negated). Kept by triggers (migration 0011)."""

    __tablename__ = "read_counts"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class FollowCount(Base):
    """How many live tickets of an owner (0: unassigned) a user follows. Kept by triggers
    (migration 0011)."""

    __tablename__ = "follow_counts"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class AppState(Base):
    """The program's own bookkeeping, one JSON value per key (``demo_build``: a demo build
    that has not finished, so that it is recognised and completed after an interruption)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
