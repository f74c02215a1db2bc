"""Display texts for enum values and times, shared by the parts of the ticket view."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication

from helpdesk_desktop.domain.enums import Category, Channel, Direction, MessageKind, Priority


def _tr(text: str) -> str:
    return QCoreApplication.translate("TicketView", text)


def priority_label(priority: Priority | None) -> str:
    if priority is None:
        return _tr("No priority")
    return {
        Priority.LOW: _tr("Low"),
        Priority.MEDIUM: _tr("Medium"),
        Priority.HIGH: _tr("High"),
        Priority.URGENT: _tr("Urgent"),
    }[priority]


def category_label(category: Category | None) -> str:
    if category is None:
        return _tr("No category")
    return {
        Category.PRODUCT_ISSUE: _tr("Product issue"),
        Category.BILLING_ISSUE: _tr("Billing issue"),
        Category.FEATURE_REQUEST: _tr("Feature request"),
        Category.GENERAL_INQUIRY: _tr("General inquiry"),
    }[category]


def channel_label(channel: Channel) -> str:
    return {
        Channel.EMAIL: _tr("E-mail"),
        Channel.CHAT: _tr("Chat"),
        Channel.FORM: _tr("Form"),
        Channel.PHONE: _tr("Phone"),
    }[channel]


def message_label(kind: MessageKind, direction: Direction) -> str:
    """What a message is, in a few words ("Internal note", "Reply to customer", ...)."""
    if kind is MessageKind.NOTE:
        return _tr("Internal note")
    if kind is MessageKind.COMMENT:
        return _tr("Internal comment")
    if direction is Direction.INCOMING:
        return _tr("From customer") if kind is not MessageKind.CHAT else _tr("Chat from customer")
    return _tr("Reply to customer") if kind is not MessageKind.CHAT else _tr("Chat reply")


def format_time(moment: dt.datetime | None, time_zone: str | None) -> str:
    """``moment`` in the user's time zone, e.g. ``2026-03-02 10:00``."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        zone = ZoneInfo(time_zone) if time_zone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    local = moment.astimezone(zone) if zone is not None else moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M")


def format_size(size: int) -> str:
    if size < 1024:
        return _tr("{0} bytes").replace("{0}", str(size))
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
