"""The ticket list's columns, its roles beyond Qt's, and which column sorts by which key."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from helpdesk_desktop.domain.enums import SortKey

#: The MIME type of tickets dragged between the board's columns: their ids, comma-separated.
TICKET_MIME = "application/x-helpdesk-ticket-ids"


class Column(IntEnum):
    CHECK = 0
    NAME = 1
    STATUS = 2
    PRIORITY = 3
    OWNER = 4
    CATEGORY = 5
    CONTACT = 6
    CREATED = 7
    LAST_ACTIVITY = 8


class Role(IntEnum):
    """Data roles beyond Qt's; they pass through any proxy unchanged."""

    TICKET_ID = Qt.ItemDataRole.UserRole + 1
    ROW = Qt.ItemDataRole.UserRole + 2  # the TicketRow
    UNREAD = Qt.ItemDataRole.UserRole + 3
    PURGE_NOTE = Qt.ItemDataRole.UserRole + 4  # "erased Mar 2" in Spam and the trash, else None


COLUMN_TITLES = {
    Column.CHECK: "",
    Column.NAME: QT_TRANSLATE_NOOP("TicketListModel", "Name"),
    Column.STATUS: QT_TRANSLATE_NOOP("TicketListModel", "Status"),
    Column.PRIORITY: QT_TRANSLATE_NOOP("TicketListModel", "Priority"),
    Column.OWNER: QT_TRANSLATE_NOOP("TicketListModel", "Owner"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("TicketListModel", "Category"),
    Column.CONTACT: QT_TRANSLATE_NOOP("TicketListModel", "Contact"),
    Column.CREATED: QT_TRANSLATE_NOOP("TicketListModel", "Created"),
    Column.LAST_ACTIVITY: QT_TRANSLATE_NOOP("TicketListModel", "Last activity"),
}
COLUMN_SORT = {
    Column.NAME: SortKey.NAME,
    Column.STATUS: SortKey.STATUS,
    Column.PRIORITY: SortKey.PRIORITY,
    Column.OWNER: SortKey.OWNER,
    Column.CATEGORY: SortKey.CATEGORY,
    Column.CONTACT: SortKey.CONTACT,
    Column.CREATED: SortKey.CREATED,
    Column.LAST_ACTIVITY: SortKey.LAST_ACTIVITY,
}
SORT_COLUMN = {key: column for column, key in COLUMN_SORT.items()}
