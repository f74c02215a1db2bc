"""The bar above the table for bulk work: check all, "select all N matching this view", and the
ticket actions as buttons once several tickets are checked."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)


class SelectionBar(QWidget):
    """Shows how many tickets are checked and offers the bulk actions."""

    checkAllToggled = Signal(bool)
    selectAllMatchingRequested = Signal()
    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SelectionBar")
        self._shown: list[QAction | None] = []
        # Never widen the window: with the ticket open beside the table the bar may clip
        # (its tool bar then folds the actions into its » menu).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        # The contents keep their natural width and are clipped at the right, never squeezed.
        self.inner = QWidget(self)
        layout = QHBoxLayout(self.inner)
        layout.setContentsMargins(6, 2, 6, 2)
        self.check_all = QCheckBox(self.tr("Check all loaded"), self.inner)
        self.check_all.setObjectName("CheckAll")
        self.check_all.setAccessibleName(self.tr("Check all loaded tickets"))
        self.check_all.toggled.connect(self.checkAllToggled)
        self.count_label = QLabel(self.inner)
        self.count_label.setObjectName("CheckedCount")
        self.all_matching = QPushButton(self.inner)
        self.all_matching.setObjectName("SelectAllMatching")
        self.all_matching.setFlat(True)
        self.all_matching.setCursor(Qt.CursorShape.PointingHandCursor)
        self.all_matching.clicked.connect(self.selectAllMatchingRequested)
        self.clear = QPushButton(self.tr("Clear selection"), self.inner)
        self.clear.setObjectName("ClearChecked")
        self.clear.setFlat(True)
        self.clear.clicked.connect(self.clearRequested)
        self.actions_bar = QToolBar(self.inner)
        self.actions_bar.setObjectName("BulkActionBar")
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.actions_bar.setAccessibleName(self.tr("Bulk actions"))
        layout.addWidget(self.check_all)
        layout.addWidget(self.count_label)
        layout.addWidget(self.all_matching)
        layout.addWidget(self.clear)
        layout.addWidget(self.actions_bar, 1)
        # The list's order when it is not a column's (a search's newest matches first): the
        # header then shows no sort indicator, this says which order the rows follow.
        self.order_label = QLabel(self.inner)
        self.order_label.setObjectName("ListOrder")
        self.order_label.setEnabled(False)  # a quiet, secondary text
        self.order_label.hide()
        layout.addWidget(self.order_label)
        self.show_state(0, 0, 0, False)

    def sizeHint(self) -> QSize:
        return self.inner.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.inner.minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        natural = self.inner.layout().minimumSize().width()
        self.inner.setGeometry(0, 0, max(self.width(), natural), self.height())

    def show_state(self, checked: int, loaded: int, matching: int, all_matching: bool) -> None:
        """Update the texts: ``checked`` of ``loaded`` rows; ``matching`` in the whole view."""
        self.check_all.blockSignals(True)
        self.check_all.setChecked(loaded > 0 and (checked == loaded or all_matching))
        self.check_all.blockSignals(False)
        before = self._contents()
        if all_matching:
            self.count_label.setText(self.tr("All %n tickets matching this view are selected.",
                                             "", matching))
        elif checked:
            self.count_label.setText(self.tr("%n checked", "", checked))
        else:
            self.count_label.setText("")
        offer = checked == loaded and loaded > 0 and matching > loaded and not all_matching
        self.all_matching.setVisible(offer)
        if offer:
            self.all_matching.setText(self.tr("Select all %n matching this view", "", matching))
        self.clear.setVisible(checked > 0 or all_matching)
        self.actions_bar.setVisible(checked > 1 or all_matching)
        if self._contents() == before:
            # Nothing to lay out again: a view change calls this with the same state, and
            # the geometry asked for then relaid the whole window out (~1 ms of each change).
            return
        self.updateGeometry()  # the tool bar is taller than the check box: ask for its height
        self._place()

    def set_order_note(self, text: str) -> None:
        """The list's order in words (``""``: a column's, shown by the header)."""
        if text == self.order_label.text() and self.order_label.isVisibleTo(self) == bool(text):
            return  # unchanged: no relayout of the window (see _contents)
        self.order_label.setText(text)
        self.order_label.setVisible(bool(text))
        self.updateGeometry()
        self._place()

    def _contents(self) -> tuple[object, ...]:
        """What the bar's size depends on: the texts and which parts are shown."""
        return (self.count_label.text(), self.all_matching.text(),
                self.all_matching.isVisibleTo(self), self.clear.isVisibleTo(self),
                self.actions_bar.isVisibleTo(self), self.order_label.text(),
                self.order_label.isVisibleTo(self))

    def set_actions(self, actions: list[QAction | None]) -> None:
        """The bulk action buttons (``None``: a separator); the caller passes the actions
        enabled for the checked tickets (the menus also list the others, saying why not).
        The same actions again leave the bar as it is (no button is rebuilt under the mouse)."""
        if actions == self._shown and self.actions_bar.actions():
            return
        self._shown = list(actions)
        self.actions_bar.clear()
        for action in actions:
            if action is None:
                self.actions_bar.addSeparator()
            else:
                self.actions_bar.addAction(action)
        self.updateGeometry()
