"""Display texts for enum values and times, shared by the parts of the ticket view."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from helpdesk_desktop.domain.enums import Category, Channel, Direction, MessageKind, Priority
from helpdesk_desktop.domain.rules import local_time
from helpdesk_desktop.ui import formatting

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")



def priority_label(priority: Priority | None) -> str:
    if priority is None:
        return translate("TicketView", "No priority")
    return {
        Priority.LOW: translate("TicketView", "Low"),
        Priority.MEDIUM: translate("TicketView", "Medium"),
        Priority.HIGH: translate("TicketView", "High"),
        Priority.URGENT: translate("TicketView", "Urgent"),
    }[priority]


def category_label(category: Category | None) -> str:
    if category is None:
        return translate("TicketView", "No category")
    return {
        Category.PRODUCT_ISSUE: translate("TicketView", "Product issue"),
        Category.BILLING_ISSUE: translate("TicketView", "Billing issue"),
        Category.FEATURE_REQUEST: translate("TicketView", "Feature request"),
        Category.GENERAL_INQUIRY: translate("TicketView", "General inquiry"),
    }[category]


def channel_label(channel: Channel) -> str:
    return {
        Channel.EMAIL: translate("TicketView", "E-mail"),
        Channel.CHAT: translate("TicketView", "Chat"),
        Channel.FORM: translate("TicketView", "Form"),
        Channel.PHONE: translate("TicketView", "Phone"),
    }[channel]


def message_label(kind: MessageKind, direction: Direction) -> str:
    """What a message is, in a few words ("Internal note", "Reply to customer", ...)."""
    if kind is MessageKind.NOTE:
        return translate("TicketView", "Internal note")
    if kind is MessageKind.COMMENT:
        return translate("TicketView", "Internal comment")
    if direction is Direction.INCOMING:
        if kind is MessageKind.CHAT:
            return translate("TicketView", "Chat from customer")
        return translate("TicketView", "From customer")
    if kind is MessageKind.CHAT:
        return translate("TicketView", "Chat reply")
    return translate("TicketView", "Reply to customer")


def format_time(moment: dt.datetime | None, time_zone: str | None) -> str:
    """``moment`` in the user's time zone, in the locale's short form (``02/03/2026 10:00``)."""
    if moment is None:
        return ""
    return formatting.date_time(local_time(moment, time_zone))


def format_size(size: int) -> str:
    """``193 bytes``, ``470.8 KB`` / ``470,8 Ko``: the transcripts' binary steps, Qt's units."""
    return formatting.file_size(size)
