"""The list of ticket views in the left panel: built-in views and the user's saved views,
each with its count."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.services.dto import SavedViewInfo

ModelIndex = QModelIndex | QPersistentModelIndex

VIEW_TEXT = {
    View.ALL_OPEN: QT_TRANSLATE_NOOP("ViewListModel", "All open"),
    View.ASSIGNED_TO_ME: QT_TRANSLATE_NOOP("ViewListModel", "Assigned to me"),
    View.UNASSIGNED: QT_TRANSLATE_NOOP("ViewListModel", "Unassigned"),
    View.FOLLOWING: QT_TRANSLATE_NOOP("ViewListModel", "Following"),
    View.UNREAD: QT_TRANSLATE_NOOP("ViewListModel", "Unread"),
    View.SPAM: QT_TRANSLATE_NOOP("ViewListModel", "Spam"),
    View.RECENTLY_DELETED: QT_TRANSLATE_NOOP("ViewListModel", "Recently deleted"),
    View.CLOSED: QT_TRANSLATE_NOOP("ViewListModel", "Closed"),
}
SIDEBAR_VIEWS = tuple(VIEW_TEXT)


class ViewRole(IntEnum):
    VIEW = Qt.ItemDataRole.UserRole + 1  # View, for built-in entries
    SAVED_ID = Qt.ItemDataRole.UserRole + 2  # int, for saved views
    COUNT = Qt.ItemDataRole.UserRole + 3


_DISPLAY, _ACCESSIBLE, _TOOLTIP, _FONT = (int(Qt.ItemDataRole.DisplayRole),
                                         int(Qt.ItemDataRole.AccessibleTextRole),
                                         int(Qt.ItemDataRole.ToolTipRole),
                                         int(Qt.ItemDataRole.FontRole))
_VIEW, _SAVED_ID, _COUNT = int(ViewRole.VIEW), int(ViewRole.SAVED_ID), int(ViewRole.COUNT)
_ANSWERED = frozenset({_DISPLAY, _ACCESSIBLE, _TOOLTIP, _FONT, _VIEW, _SAVED_ID, _COUNT})


@dataclass(frozen=True)
class ViewEntry:
    view: View | None
    saved: SavedViewInfo | None

    @property
    def key(self) -> str:
        return f"saved:{self.saved.id}" if self.saved is not None else f"view:{self.view}"


class ViewListModel(QAbstractListModel):
    """Entries in display order; counts are filled in when they arrive."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[ViewEntry] = []
        self._counts: dict[View, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, views: list[View], saved: list[SavedViewInfo]) -> None:
        self.beginResetModel()
        self._entries = [ViewEntry(v, None) for v in views] + [ViewEntry(None, s)
                                                                for s in saved]
        self.endResetModel()

    def set_counts(self, counts: dict[View, int]) -> None:
        self._counts = dict(counts)
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1),
                                  [Qt.ItemDataRole.DisplayRole, ViewRole.COUNT,
                                   Qt.ItemDataRole.AccessibleTextRole])

    def entry(self, row: int) -> ViewEntry:
        return self._entries[row]

    def row_of(self, key: str) -> int:
        return next((i for i, e in enumerate(self._entries) if e.key == key), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def _text(self, entry: ViewEntry) -> str:
        if entry.saved is not None:
            return entry.saved.name
        assert entry.view is not None
        return self.tr(VIEW_TEXT[entry.view])

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # (Roles compared as plain ints: the sidebar asks ~170 times at a view change.)
        role = int(role)
        if role not in _ANSWERED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._entries):
            return None
        entry = self._entries[row]
        count = self._counts.get(entry.view) if entry.view is not None else None
        if role == _DISPLAY:
            return self._text(entry)
        if role == _ACCESSIBLE:
            text = self._text(entry)
            return f"{text}, {count}" if count is not None else text
        if role == _TOOLTIP:
            return self.tr("Saved view") if entry.saved is not None else None
        if role == _VIEW:
            return entry.view
        if role == _SAVED_ID:
            return entry.saved.id if entry.saved is not None else None
        if role == _COUNT:
            return count
        if entry.view is View.UNREAD and count:  # the font
            return self._bold
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)
