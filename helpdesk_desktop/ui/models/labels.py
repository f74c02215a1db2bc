"""How ticket values read in lists: translated labels, short times and ages."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from helpdesk_desktop.domain.enums import Category, Priority
from helpdesk_desktop.domain.rules import local_time
from helpdesk_desktop.ui import formatting

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


PRIORITY_TEXT = {
    Priority.LOW: QT_TRANSLATE_NOOP("Labels", "Low"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("Labels", "Medium"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Labels", "High"),
    Priority.URGENT: QT_TRANSLATE_NOOP("Labels", "Urgent"),
}
# Mid-tone colours that read on light and dark backgrounds alike.
PRIORITY_COLOR = {
    Priority.LOW: "#6b7280",
    Priority.MEDIUM: "#2f80ed",
    Priority.HIGH: "#e07b00",
    Priority.URGENT: "#e0383e",
}
CATEGORY_TEXT = {
    Category.PRODUCT_ISSUE: QT_TRANSLATE_NOOP("Labels", "Product issue"),
    Category.BILLING_ISSUE: QT_TRANSLATE_NOOP("Labels", "Billing issue"),
    Category.FEATURE_REQUEST: QT_TRANSLATE_NOOP("Labels", "Feature request"),
    Category.GENERAL_INQUIRY: QT_TRANSLATE_NOOP("Labels", "General inquiry"),
}


def priority_label(priority: Priority | None) -> str:
    return _tr(PRIORITY_TEXT[priority]) if priority is not None else ""


def priority_color(priority: Priority | None) -> QColor:
    return QColor(PRIORITY_COLOR[priority] if priority is not None else "#9ca3af")


def category_label(category: Category | None) -> str:
    return _tr(CATEGORY_TEXT[category]) if category is not None else ""


def short_time(when: dt.datetime, now: dt.datetime | None = None,
               time_zone: str | None = None) -> str:
    """"14:05" today, "Mar 2" this year, else the short date (in the agent's zone, the locale's
    form)."""
    local = local_time(when, time_zone)
    today = local_time(now or dt.datetime.now(dt.UTC), time_zone)
    if local.date() == today.date():
        return formatting.time_only(local)
    if local.year == today.year:
        return formatting.day_and_month(local)
    return formatting.date_only(local)


class ShortTimes:
    """:func:`short_time` for many moments seen on one day in one zone (a list's rows): the
    day and its zone are looked up once, and a day's text, shared by every moment of that
    day that is not today, is written by the locale once (a page of a hundred rows holds
    two hundred moments on a few dozen days). Made again at midnight or for another zone."""

    def __init__(self, time_zone: str | None, now: dt.datetime | None = None) -> None:
        self.time_zone = time_zone
        self.today = local_time(now or dt.datetime.now(dt.UTC), time_zone).date()
        self._days: dict[dt.date, str] = {}

    def text(self, when: dt.datetime) -> str:
        """What :func:`short_time` says of ``when`` today."""
        local = local_time(when, self.time_zone)
        day = local.date()
        if day == self.today:
            return formatting.time_only(local)
        text = self._days.get(day)
        if text is None:
            text = (formatting.day_and_month(local) if day.year == self.today.year
                    else formatting.date_only(local))
            self._days[day] = text
        return text


def full_time(when: dt.datetime, time_zone: str | None = None) -> str:
    return formatting.date_time(local_time(when, time_zone))


def age(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """A compact age: "5m", "3h", "2d", "6w", "1y" ("5 min", "3 h", "2 j", "6 sem.", "1 an")."""
    seconds = max(0, int(((now or dt.datetime.now(dt.UTC)) - when).total_seconds()))
    for size in (365 * 86400, 7 * 86400, 86400, 3600, 60):
        if seconds >= size:
            count = seconds // size  # lupdate reads only a name as the count
            return {365 * 86400: translate("Labels", "%ny", "years, compact", count),
                    7 * 86400: translate("Labels", "%nw", "weeks, compact", count),
                    86400: translate("Labels", "%nd", "days, compact", count),
                    3600: translate("Labels", "%nh", "hours, compact", count),
                    60: translate("Labels", "%nm", "minutes, compact", count)}[size]
    return translate("Labels", "now")
