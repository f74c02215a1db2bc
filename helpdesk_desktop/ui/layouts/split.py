"""Split layout: a compact list (name, contact, snippet, time) beside the opened ticket."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.services.dto import TicketRow
from helpdesk_desktop.ui.layouts.empty_hint import EmptyHint
from helpdesk_desktop.ui.layouts.font_set import FontSets
from helpdesk_desktop.ui.layouts.own_viewport import give_own_viewport
from helpdesk_desktop.ui.models.ticket_model import Column, Role, TicketListModel

ModelIndex = QModelIndex | QPersistentModelIndex


class CompactTicketDelegate(QStyledItemDelegate):
    """Three lines per ticket: name and time, contact, snippet. Unread names are bold, with a
    dot in the accent colour."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts_for = FontSets(small_scale=0.9)

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        fonts = self._fonts_for(option.font)
        return QSize(280, fonts.line * 2 + fonts.small_line + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row: TicketRow | None = index.data(Role.ROW)
        if row is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected
                                   else QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text) \
            if not selected else text_color
        fonts = self._fonts_for(option.font)
        rect = option.rect.adjusted(18, 6, -8, -6)
        line = fonts.line
        # The model's text: in the agent's time zone, like the table and the ticket view.
        time_text = index.siblingAtColumn(Column.LAST_ACTIVITY).data() or ""
        painter.setFont(fonts.small)
        time_width = fonts.small_metrics.horizontalAdvance(time_text) + 6
        painter.setPen(muted)
        painter.drawText(QRect(rect.right() - time_width, rect.top(), time_width, line),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         time_text)
        if row.unread:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight) if not selected
                             else text_color)
            painter.drawEllipse(QRect(option.rect.left() + 6, rect.top() + line // 2 - 3, 7, 7))
        name_font, name_metrics = ((fonts.bold, fonts.bold_metrics) if row.unread
                                   else (fonts.base, fonts.base_metrics))
        painter.setFont(name_font)
        painter.setPen(text_color)
        name_rect = QRect(rect.left(), rect.top(), rect.width() - time_width - 4, line)
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         name_metrics.elidedText(row.name, Qt.TextElideMode.ElideRight,
                                                 name_rect.width()))
        painter.setFont(fonts.base)
        contact = row.contact or row.contact_email or ""
        painter.drawText(QRect(rect.left(), rect.top() + line, rect.width(), line),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fonts.base_metrics.elidedText(contact, Qt.TextElideMode.ElideRight,
                                                       rect.width()))
        painter.setFont(fonts.small)
        painter.setPen(muted)
        small_line = fonts.small_line
        painter.drawText(QRect(rect.left(), rect.top() + 2 * line + 2, rect.width(), small_line),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fonts.small_metrics.elidedText(row.snippet, Qt.TextElideMode.ElideRight,
                                                        rect.width()))
        painter.restore()


class SplitLayout(QWidget):
    """The compact list. Selecting a ticket opens it in the ticket view beside the list."""

    openRequested = Signal(int)
    selectionChanged = Signal()
    contextMenuRequested = Signal(QPoint)

    def __init__(self, model: TicketListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketSplit")
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Rows leaving the list (spam, restored, deleted) move the current row to a neighbour
        # the user never chose: that must not open it (and mark it read). Connected before the
        # view's selection model is, which moves the current row in these same signals.
        self._removing = False
        model.rowsAboutToBeRemoved.connect(lambda *_: setattr(self, "_removing", True))
        self.view = QListView(self)
        give_own_viewport(self.view)  # read from Python at once (own_viewport)
        self.view.setObjectName("TicketSplitList")
        self.view.setAccessibleName(self.tr("Tickets"))
        self.view.setModel(model)
        self.view.setModelColumn(Column.NAME)
        self.view.setItemDelegate(CompactTicketDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.view)
        self.empty_hint = EmptyHint(self.view, self.tr("No tickets in this view."))
        # Open the current ticket once keyboard scrolling pauses, not on every arrow press.
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(120)
        self._open_timer.timeout.connect(self._open_current)
        self.view.selectionModel().currentRowChanged.connect(self._current_moved)
        model.rowsRemoved.connect(lambda *_: setattr(self, "_removing", False))

        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.selectionChanged.emit())
        self.view.activated.connect(lambda _i: self._open_current())
        self._kept: int | None = None
        model.modelAboutToBeReset.connect(
            lambda: setattr(self, "_kept", self.model.id_at(self.view.currentIndex().row())))
        model.modelReset.connect(self._after_reset)

    def _current_moved(self) -> None:
        if self._removing:
            self._open_timer.stop()
        else:
            self._open_timer.start()

    def _after_reset(self) -> None:
        # A new sort or query keeps the open ticket selected where it is still listed.
        kept, self._kept = self._kept, None
        if kept is not None:
            self.select_ticket(kept)

    def _open_current(self) -> None:
        self._open_timer.stop()
        ticket_id = self.current_ticket_id()
        if ticket_id is not None and len(self.view.selectionModel().selectedRows(
                Column.NAME)) <= 1:
            self.openRequested.emit(ticket_id)

    def current_ticket_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.ticket_id(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[TicketRow]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        return [self.model.ticket_row(r) for r in rows if r < self.model.rowCount()]

    def select_ticket(self, ticket_id: int) -> bool:
        row = self.model.row_of(ticket_id)
        if row < 0:
            return False
        index = self.model.index(row, Column.NAME)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._open_timer.stop()  # already open: the caller opened it
        self.view.scrollTo(index)
        return True

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        self.contextMenuRequested.emit(self.view.viewport().mapToGlobal(pos))
