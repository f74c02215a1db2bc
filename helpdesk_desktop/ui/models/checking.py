"""The ticket list's check boxes: the tickets checked for a bulk action.

:class:`Checking` is a part of :class:`~.ticket_model.TicketListModel` (a mixin): the check
column's ``setData``, and the checked tickets in the list's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from helpdesk_desktop.services.dto import TicketRow
from helpdesk_desktop.ui.models.columns import Column

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

    from helpdesk_desktop.ui.models.row_ids import RowIds

    _Model = QAbstractTableModel
    ModelIndex = QModelIndex | QPersistentModelIndex
else:
    _Model = object


class Checking(_Model):
    """Which tickets are checked (see the module docstring)."""

    if TYPE_CHECKING:  # provided by TicketListModel
        _ids: RowIds
        _checked: set[int]
        checkedChanged: Any

        def _rows_for(self, ids: list[int]) -> list[TicketRow]: ...

    def is_checked(self, ticket_id: int) -> bool:
        """Whether the row of ``ticket_id`` is checked (for bulk actions)."""
        return ticket_id in self._checked

    def setData(self, index: ModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or index.column() != Column.CHECK
                or role != Qt.ItemDataRole.CheckStateRole):
            return False
        ticket_id = self._ids.get(index.row())
        if ticket_id is None:  # not read yet
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(
            value, bool) else value
        if checked:
            self._checked.add(ticket_id)
        else:
            self._checked.discard(ticket_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True

    def checked_ids(self) -> list[int]:
        """The checked tickets in the list's order (any whose place is not known after)."""
        if not self._checked:
            return []
        ordered = [i for i in self._ids.known() if i in self._checked]
        if len(ordered) < len(self._checked):
            ordered += sorted(self._checked.difference(ordered))
        return ordered

    def checked_rows(self) -> list[TicketRow]:
        return self._rows_for(self.checked_ids())

    def set_all_checked(self, checked: bool) -> None:
        self._checked = set(self._ids.known()) if checked else set()
        if self._ids:
            self.dataChanged.emit(self.index(0, Column.CHECK),
                                  self.index(len(self._ids) - 1, Column.CHECK),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()

