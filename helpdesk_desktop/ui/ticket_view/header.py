"""The ticket header: the editable name and the Owner, Priority, Category and Status controls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import Category, Priority
from helpdesk_desktop.domain.rules import may_own_tickets
from helpdesk_desktop.services.dto import TicketDetail, UserInfo
from helpdesk_desktop.ui.ticket_view.labels import category_label, priority_label

NAME_MAX_LENGTH = 500


class NameEdit(QLineEdit):
    """The ticket name; Escape puts the saved name back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved_text = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text() != self.saved_text:
            self.setText(self.saved_text)
            event.accept()
            return
        super().keyPressEvent(event)


class TicketHeader(QWidget):
    """Shows a :class:`TicketDetail`'s properties; ``fieldEdited(field, value)`` on user edits.

    Field names are the facade's ``Desk.update`` keys: ``name``, ``owner_id``, ``priority``,
    ``category`` and ``status_id``.
    """

    fieldEdited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketHeader")
        self._detail: TicketDetail | None = None
        self._filling = False

        self.id_label = QLabel(self)
        self.id_label.setObjectName("TicketIdLabel")
        self.id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_edit = NameEdit(self)
        self.name_edit.setObjectName("TicketName")
        self.name_edit.setMaxLength(NAME_MAX_LENGTH)
        self.name_edit.setAccessibleName(self.tr("Ticket name"))
        self.name_edit.setToolTip(self.tr("Edit the name and press Enter to save it."))
        font = self.name_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name_edit.setFont(font)
        self.name_edit.setFrame(False)
        self.name_edit.editingFinished.connect(self._name_finished)

        self.actions_button = QToolButton(self)
        self.actions_button.setObjectName("ActionsButton")
        self.actions_button.setText(self.tr("Actions"))
        self.actions_button.setAccessibleName(self.tr("Ticket actions"))
        self.actions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.actions_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.actions_button.setEnabled(False)
        self.board_button = QToolButton(self)
        self.board_button.setObjectName("BoardMenuButton")
        self.board_button.setText("⋮")
        self.board_button.setAccessibleName(self.tr("More ticket actions"))
        self.board_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.board_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.board_button.setVisible(False)

        self.owner_combo = self._combo("OwnerCombo", self.tr("Owner"), "owner_id")
        self.priority_combo = self._combo("PriorityCombo", self.tr("Priority"), "priority")
        self.category_combo = self._combo("CategoryCombo", self.tr("Category"), "category")
        self.status_combo = self._combo("StatusCombo", self.tr("Status"), "status_id")
        for priority in (None, *Priority):
            self.priority_combo.addItem(priority_label(priority), priority)
        for category in (None, *Category):
            self.category_combo.addItem(category_label(category), category)

        top = QHBoxLayout()
        top.addWidget(self.id_label)
        top.addWidget(self.name_edit, 1)
        top.addWidget(self.actions_button)
        top.addWidget(self.board_button)
        # Two rows of two fields side by side; in a narrow panel the second row goes under the
        # first (see resizeEvent), so the header never makes the window wider than the screen.
        self.field_rows = (QHBoxLayout(), QHBoxLayout())
        for index, (text, combo) in enumerate(((self.tr("&Owner"), self.owner_combo),
                                               (self.tr("&Priority"), self.priority_combo),
                                               (self.tr("Cate&gory"), self.category_combo),
                                               (self.tr("S&tatus"), self.status_combo))):
            label = QLabel(text, self)
            label.setBuddy(combo)
            row = self.field_rows[index // 2]
            row.addWidget(label)
            row.addWidget(combo, 1)
        self.fields = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for row in self.field_rows:
            self.fields.addLayout(row, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addLayout(self.fields)
        self.setTabOrder(self.name_edit, self.owner_combo)
        self.setTabOrder(self.owner_combo, self.priority_combo)
        self.setTabOrder(self.priority_combo, self.category_combo)
        self.setTabOrder(self.category_combo, self.status_combo)
        self.setTabOrder(self.status_combo, self.actions_button)
        self.setTabOrder(self.actions_button, self.board_button)

    def fields_wrapped(self) -> bool:
        """Whether the Category and Status row is shown under the Owner and Priority row."""
        return self.fields.direction() is QBoxLayout.Direction.TopToBottom

    def _one_line_width(self) -> int:
        margins = self.layout().contentsMargins()
        rows = sum(row.minimumSize().width() for row in self.field_rows)
        return rows + self.fields.spacing() + margins.left() + margins.right()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.layout().contentsMargins()
        top = self.layout().itemAt(0)
        widths = [row.minimumSize().width() for row in self.field_rows]
        if top is not None:
            widths.append(top.minimumSize().width())
        return QSize(max(widths) + margins.left() + margins.right(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        wrap = event.size().width() < self._one_line_width()
        if wrap != self.fields_wrapped():
            self.fields.setDirection(QBoxLayout.Direction.TopToBottom if wrap
                                     else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def _combo(self, name: str, accessible: str, field: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(lambda _index, c=combo, f=field: self._combo_changed(c, f))
        return combo

    # -- showing ----------------------------------------------------------------------------

    def set_detail(self, detail: TicketDetail, users: list[UserInfo]) -> None:
        """Show ``detail`` (without emitting edits)."""
        self._detail = detail
        row = detail.row
        self._filling = True
        try:
            self.id_label.setText(f"#{row.id}")
            self.name_edit.saved_text = row.name
            self.name_edit.setText(row.name)
            self.name_edit.setCursorPosition(0)
            self.owner_combo.clear()
            self.owner_combo.addItem(self.tr("Unassigned"), None)
            known = False
            for user in users:
                if may_own_tickets(user) or user.id == row.owner_id:
                    self.owner_combo.addItem(user.name, user.id)
                    known = known or user.id == row.owner_id
            if row.owner_id is not None and not known:
                self.owner_combo.addItem(row.owner or f"#{row.owner_id}", row.owner_id)
            self._select(self.owner_combo, row.owner_id)
            self._select(self.priority_combo, row.priority)
            self._select(self.category_combo, row.category)
            self.status_combo.clear()
            for status in sorted(detail.pipeline.statuses, key=lambda s: s.position):
                self.status_combo.addItem(status.name, status.id)
            self._select(self.status_combo, row.status_id)
        finally:
            self._filling = False

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        for index in range(combo.count()):
            if combo.itemData(index) == value:
                combo.setCurrentIndex(index)
                return
        combo.setCurrentIndex(-1)

    def set_editable(self, editable: bool, reason: str = "") -> None:
        """Allow or refuse property edits (the Actions menus stay usable)."""
        for widget in (self.name_edit, self.owner_combo, self.priority_combo,
                       self.category_combo, self.status_combo):
            widget.setEnabled(editable)
            widget.setToolTip("" if editable else reason)
        self.name_edit.setReadOnly(not editable)

    def set_actions_menu(self, menu: QMenu) -> None:
        self.actions_button.setMenu(menu)
        self.actions_button.setEnabled(True)

    def set_board_menu(self, menu: QMenu) -> None:
        self.board_button.setMenu(menu)
        self.board_button.setVisible(True)

    # -- edits ------------------------------------------------------------------------------

    def current_value(self, field: str) -> Any:
        """The value the detail shown holds for ``field``."""
        if self._detail is None:
            return None
        return getattr(self._detail.row, field)

    def value(self, field: str) -> Any:
        """The value chosen in the control for ``field`` (enums come back as enums)."""
        if field == "name":
            return self.name_edit.text().strip()
        combo = {"owner_id": self.owner_combo, "priority": self.priority_combo,
                 "category": self.category_combo, "status_id": self.status_combo}[field]
        value = combo.currentData()
        # QVariant turns a StrEnum into its plain string.
        if value is not None and field == "priority":
            return Priority(value)
        if value is not None and field == "category":
            return Category(value)
        return value

    def _combo_changed(self, combo: QComboBox, field: str) -> None:
        if self._filling or self._detail is None or combo.currentIndex() < 0:
            return
        value = self.value(field)
        if value != self.current_value(field):
            self.fieldEdited.emit(field, value)

    def _name_finished(self) -> None:
        if self._filling or self._detail is None:
            return
        text = self.name_edit.text().strip()
        if not text:
            self.name_edit.setText(self.name_edit.saved_text)
            return
        # editingFinished also fires on the focus loss after Enter: send each new name once.
        if text != self.name_edit.saved_text:
            self.name_edit.saved_text = text
            self.fieldEdited.emit("name", text)
