"""Enumerations shared by the model, the services and every face of the program."""

from __future__ import annotations

import enum


class AccessScope(enum.StrEnum):
    """Which tickets a user may see and act on."""

    ALL = "all"
    TEAM = "team"  # owned by them, by their team, or unassigned
    OWNED = "owned"  # owned by them, or unassigned


class InboxKind(enum.StrEnum):
    HELP_DESK = "help_desk"
    CONVERSATIONS = "conversations"


class Channel(enum.StrEnum):
    EMAIL = "email"
    CHAT = "chat"
    FORM = "form"
    PHONE = "phone"


class Priority(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return list(Priority).index(self)


class Category(enum.StrEnum):
    PRODUCT_ISSUE = "product_issue"
    BILLING_ISSUE = "billing_issue"
    FEATURE_REQUEST = "feature_request"
    GENERAL_INQUIRY = "general_inquiry"


class TicketState(enum.StrEnum):
    """Lifecycle of a ticket row. Only LIVE tickets appear in the ordinary views."""

    LIVE = "live"
    SPAM = "spam"
    DELETED = "deleted"
    MERGED = "merged"  # a tombstone that redirects to ``merged_into_id``


class MessageKind(enum.StrEnum):
    EMAIL = "email"  # from the customer
    REPLY = "reply"  # an agent's answer to the customer
    CHAT = "chat"
    NOTE = "note"  # internal note, never shown to the customer
    COMMENT = "comment"  # internal comment (e.g. left when moving a conversation)

    @property
    def is_internal(self) -> bool:
        return self in (MessageKind.NOTE, MessageKind.COMMENT)


class Direction(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    INTERNAL = "internal"


class ActivityKind(enum.StrEnum):
    CREATED = "created"
    MESSAGE = "message"
    PROPERTY_CHANGED = "property_changed"
    ASSOCIATION_CHANGED = "association_changed"
    FOLLOWED = "followed"
    UNFOLLOWED = "unfollowed"
    SPLIT_FROM = "split_from"
    SPLIT_INTO = "split_into"
    MERGED = "merged"
    UNMERGED = "unmerged"
    CONVERSATION_MOVED = "conversation_moved"
    SPAM = "spam"
    NOT_SPAM = "not_spam"
    DELETED = "deleted"
    RESTORED = "restored"


class View(enum.StrEnum):
    """The built-in ticket views."""

    ALL_OPEN = "all_open"
    ASSIGNED_TO_ME = "assigned_to_me"
    UNASSIGNED = "unassigned"
    FOLLOWING = "following"
    UNREAD = "unread"
    SPAM = "spam"
    RECENTLY_DELETED = "recently_deleted"
    CLOSED = "closed"
    ALL = "all"  # every live ticket, open or closed


class SortKey(enum.StrEnum):
    """List columns a ticket list can be sorted on."""

    NAME = "name"
    STATUS = "status"
    PRIORITY = "priority"
    OWNER = "owner"
    CATEGORY = "category"
    CONTACT = "contact"
    CREATED = "created"
    LAST_ACTIVITY = "last_activity"
    ID = "id"
    #: A search's own order: the tickets of the newest matching messages first (see
    #: ``services/search_order.py``); without a search, the same as last activity, newest
    #: first.
    NEWEST_HIT = "newest_hit"


class MailSecurity(enum.StrEnum):
    """How a mail connection is protected. ``none`` is accepted only for a loopback host."""

    TLS = "tls"  # implicit TLS (IMAPS 993, SMTPS 465)
    STARTTLS = "starttls"
    NONE = "none"


class MailAuth(enum.StrEnum):
    PASSWORD = "password"
    XOAUTH2 = "xoauth2"


class OutboxState(enum.StrEnum):
    """Where an outgoing e-mail is: waiting (queued), claimed by a sender (sending), accepted by
    the SMTP server (sent), given up or refused (failed), withdrawn before it left (cancelled)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
