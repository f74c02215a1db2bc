"""Table layout: sortable, reorderable columns with a column chooser and a checkbox column for
bulk actions."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeyEvent, QMouseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import SortKey
from helpdesk_desktop.services.dto import TicketRow
from helpdesk_desktop.ui.layouts.empty_hint import EmptyHint
from helpdesk_desktop.ui.layouts.own_viewport import give_own_viewport
from helpdesk_desktop.ui.layouts.selection_bar import SelectionBar
from helpdesk_desktop.ui.layouts.table_paint import paint_rows
from helpdesk_desktop.ui.models.columns import SORT_COLUMN, Column, Role
from helpdesk_desktop.ui.models.ticket_model import TicketListModel

DEFAULT_WIDTHS = {
    Column.CHECK: 30, Column.NAME: 250, Column.STATUS: 125, Column.PRIORITY: 75,
    Column.OWNER: 125, Column.CATEGORY: 115, Column.CONTACT: 135, Column.CREATED: 75,
    Column.LAST_ACTIVITY: 95,
}


class TicketTableView(QTableView):
    """The table itself; Enter opens the current ticket, Space checks it, and a click anywhere
    in the checkbox column toggles that row's check (not only on the small indicator).

    Rows appended below the last row shown (the next page, while scrolling) only lengthen the
    scroll bar: Qt's item layout would repaint the whole viewport for them (~1,700 ``data``
    calls for rows that did not change). Plain rows are painted in one pass
    (:mod:`.table_paint`), the rest cell by cell by Qt's delegate."""

    openRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        give_own_viewport(self)  # read from Python at once (own_viewport)
        self._appended_below = False  # the only change since the last item layout

    def setModel(self, model: QAbstractItemModel | None) -> None:  # type: ignore[override]
        super().setModel(model)
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsRemoved,
                           model.columnsInserted, model.columnsRemoved):
                signal.connect(self._relayout)

    def _relayout(self, *_args: object) -> None:
        self._appended_below = False

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int,
                     end: int) -> None:
        super().rowsInserted(parent, start, end)
        viewport = self.viewport()
        last_shown = self.rowAt(viewport.height() - 1)  # -1: the rows do not fill the view
        model = self.model()
        self._appended_below = (
            not parent.isValid() and 0 <= last_shown < start
            and end == model.rowCount() - 1 and self.isVisible())

    def reset(self) -> None:
        """A new query's first page: its geometry (the scroll bar's range, shown or hidden) is
        laid out now, before the page is painted. Qt lays it out after a zero-time timer, so
        a page whose scroll bar came or went (to or from a short or empty list) was painted
        twice: once in the old geometry, again when the bar's coming narrowed the viewport
        (~6 ms at 1280×800)."""
        super().reset()
        if self.isVisible():
            self._appended_below = False  # (its own signal comes after this slot)
            self.doItemsLayout()
            # A scroll bar's new range shows or hides it through a queued call (Qt's
            # QAbstractScrollArea), which then lays the area out: both delivered now.
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
            QCoreApplication.sendPostedEvents(self, QEvent.Type.LayoutRequest)

    def doItemsLayout(self) -> None:
        if self._appended_below and self.verticalHeader().updatesEnabled():
            self._appended_below = False
            self.updateGeometries()  # the scroll bar's range; the rows shown are the same
            return
        self._appended_below = False
        super().doItemsLayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        model = self.model()
        if isinstance(model, TicketListModel):  # a first page's rows shown get their texts
            row = max(1, self.verticalHeader().defaultSectionSize())  # with the read
            model.rows_shown = self.viewport().height() // row + 2

    def paintEvent(self, event: QPaintEvent) -> None:
        # The plain rows (none selected or current, all read) in one pass (table_paint).
        model = self.model()
        if not (isinstance(model, TicketListModel) and paint_rows(self, model, event)):
            super().paintEvent(event)

    def _toggle_check(self, row: int) -> None:
        check = self.model().index(row, Column.CHECK)
        state = check.data(Qt.ItemDataRole.CheckStateRole)
        self.model().setData(check, Qt.CheckState.Unchecked if state == Qt.CheckState.Checked
                             else Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)

    def _check_cell(self, event: QMouseEvent) -> QModelIndex | None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.column() == Column.CHECK \
                and event.button() == Qt.MouseButton.LeftButton:
            return index
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._check_cell(event)
        if index is None:
            super().mousePressEvent(event)
            return
        self._toggle_check(index.row())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._check_cell(event) is None:
            super().mouseReleaseEvent(event)
        else:
            event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self._check_cell(event)
        if index is None:
            super().mouseDoubleClickEvent(event)
        else:  # a quick second click is a second toggle, not an "open"
            self._toggle_check(index.row())
            event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if index.isValid() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            ticket_id = index.data(Role.TICKET_ID)
            if ticket_id is not None:  # (None: a row of a long list not read yet)
                self.openRequested.emit(ticket_id)
            return
        if index.isValid() and event.key() == Qt.Key.Key_Space:
            self._toggle_check(index.row())
            return
        super().keyPressEvent(event)


TABLE_MIN_WIDTH = 240


class TableLayout(QWidget):
    """The ticket list as a table."""

    openRequested = Signal(int)
    selectionChanged = Signal()
    contextMenuRequested = Signal(QPoint)  # global position
    allMatchingChanged = Signal(bool)

    def __init__(self, model: TicketListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketTable")
        # Beside an open ticket the table keeps room for its first columns.
        self.setMinimumWidth(TABLE_MIN_WIDTH)
        self.model = model
        self.all_matching = False
        self.matching_count = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.selection_bar = SelectionBar(self)
        layout.addWidget(self.selection_bar)
        self.view = TicketTableView(self)
        self.view.setObjectName("TicketTableView")
        self.view.setAccessibleName(self.tr("Tickets"))
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        # Latin cells are laid out without OpenType shaping (kerning, ligatures), scripts
        # that need it keep it: laying the cells' text out was the largest part of painting
        # a page (8.6 → 6.8 ms of CPU for a page at 1280×800). Only the strategy is set: the
        # family and size still follow the application's font.
        fast_text = QFont()
        fast_text.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        self.view.setFont(fast_text)
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 10)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.openRequested.connect(self.openRequested)
        header = self.view.horizontalHeader()
        header.setObjectName("TicketTableHeader")
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.CHECK, QHeaderView.ResizeMode.Fixed)
        header.sectionClicked.connect(self._header_clicked)
        # In a wide window the Name column takes the room the columns leave (and gives it back
        # when the window narrows); a width the user gives it stays its own.
        self._name_extra = 0
        self._fitting = False
        header.sectionResized.connect(self._section_resized)
        self.view.viewport().installEventFilter(self)
        self._sync_sort_indicator()
        layout.addWidget(self.view, 1)
        self.empty_hint = EmptyHint(self.view, self.tr("No tickets in this view."))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selectionChanged.emit())
        model.checkedChanged.connect(self._checked_changed)
        model.modelAboutToBeReset.connect(self._before_reset)
        model.modelReset.connect(self._after_reset)
        self._kept: tuple[int | None, list[int]] = (None, [])
        self.selection_bar.checkAllToggled.connect(self._check_all)
        self.selection_bar.selectAllMatchingRequested.connect(self._select_all_matching)
        self.selection_bar.clearRequested.connect(self.clear_checks)

    # -- columns ----------------------------------------------------------------------------

    def column_menu(self) -> QMenu:
        """A new column chooser menu (the caller deletes it)."""
        menu = QMenu(self.tr("Columns"), self)
        menu.setObjectName("ColumnChooser")
        self.fill_column_menu(menu)
        return menu

    def fill_column_menu(self, menu: QMenu) -> None:
        """The column chooser: one checkable entry per column (Name always stays)."""
        menu.clear()
        header = self.view.horizontalHeader()
        for column in Column:
            if column in (Column.CHECK, Column.NAME):
                continue
            action = QAction(self.model.headerData(column, Qt.Orientation.Horizontal), menu)
            action.setObjectName(f"column.{column.name.lower()}")
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
            menu.addAction(action)

    def _header_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.horizontalHeader().mapToGlobal(pos))

    def set_column_visible(self, column: Column, visible: bool) -> None:
        self.view.horizontalHeader().setSectionHidden(column, not visible)

    def _header_clicked(self, section: int) -> None:
        if section == Column.CHECK:
            self._check_all(not self.model.checked_ids() or self.all_matching)
            self._sync_sort_indicator()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_name_column()
        return super().eventFilter(watched, event)

    def fit_name_column(self) -> None:
        """Give the Name column the width the other columns leave free (or take back what it
        was given when there is less room)."""
        header = self.view.horizontalHeader()
        if header.isSectionHidden(Column.NAME):
            return
        spare = self.view.viewport().width() - header.length()
        change = spare if spare > 0 else -min(self._name_extra, -spare)
        if change == 0:
            return
        self._fitting = True
        try:
            header.resizeSection(Column.NAME, header.sectionSize(Column.NAME) + change)
            self._name_extra += change
        finally:
            self._fitting = False

    @property
    def name_width(self) -> int:
        """The Name column's width without the room it was lent by a wide window."""
        return self.view.horizontalHeader().sectionSize(Column.NAME) - self._name_extra

    def header_state(self) -> QByteArray:
        """The columns' order, widths and visibility to remember (Name at its own width)."""
        header = self.view.horizontalHeader()
        if self._name_extra == 0:
            return header.saveState()
        self._fitting = True
        try:
            header.resizeSection(Column.NAME, self.name_width)
            state = header.saveState()
            header.resizeSection(Column.NAME, self.name_width + self._name_extra)
        finally:
            self._fitting = False
        return state

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if self._fitting:
            return
        if column == Column.NAME:
            self._name_extra = 0  # the user's width
        QTimer.singleShot(0, self, self.fit_name_column)

    def _sync_sort_indicator(self) -> None:
        query = self.model.query
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(SORT_COLUMN.get(query.sort, -1),
                                Qt.SortOrder.DescendingOrder if query.descending
                                else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        # A search's own order has no column (no indicator): the bar says it in words.
        self.selection_bar.set_order_note(
            self.tr("Newest matches first") if query.sort is SortKey.NEWEST_HIT
            and query.search.strip() else "")

    # -- checking ---------------------------------------------------------------------------

    def _check_all(self, on: bool) -> None:
        self.all_matching = False
        self.model.set_all_checked(on)

    def clear_checks(self) -> None:
        self._check_all(False)

    def _select_all_matching(self) -> None:
        self.model.set_all_checked(True)
        self.all_matching = True
        self._checked_changed()
        self.allMatchingChanged.emit(True)

    def set_matching_count(self, count: int) -> None:
        self.matching_count = count
        self._checked_changed()

    def _checked_changed(self) -> None:
        checked = len(self.model.checked_ids())
        loaded = self.model.loaded_count()  # (a long list has read only some of its rows)
        if checked < loaded:
            self.all_matching = False
        self.selection_bar.show_state(checked, loaded, self.matching_count,
                                      self.all_matching)
        self.selectionChanged.emit()

    def _before_reset(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        current = self.view.currentIndex()
        known = (self.model.id_at(r) for r in sorted(rows))  # (rows not read: not kept)
        self._kept = (self.model.id_at(current.row()) if current.isValid() else None,
                      [i for i in known if i is not None])

    def _after_reset(self) -> None:
        # A new sort or query: the same tickets stay selected where they are still listed.
        current, selected = self._kept
        self._kept = (None, [])
        flags = QItemSelectionModel.SelectionFlag
        for ticket_id in selected:
            row = self.model.row_of(ticket_id)
            if row >= 0:
                self.view.selectionModel().select(self.model.index(row, Column.NAME),
                                                  flags.Select | flags.Rows)
        if current is not None and self.model.row_of(current) >= 0:
            index = self.model.index(self.model.row_of(current), Column.NAME)
            self.view.selectionModel().setCurrentIndex(index, flags.NoUpdate)
            self.view.scrollTo(index)
        self.all_matching = False
        self._sync_sort_indicator()
        self._checked_changed()

    # -- selection --------------------------------------------------------------------------

    def selected_rows(self) -> list[TicketRow]:
        """Checked tickets if any, else the highlighted rows."""
        checked = self.model.checked_rows()
        if checked:
            return checked
        return self.model.rows_at(sorted({i.row() for i in
                                          self.view.selectionModel().selectedRows()}))

    def select_ticket(self, ticket_id: int) -> bool:
        row = self.model.row_of(ticket_id)
        if row < 0:
            return False
        index = self.model.index(row, Column.NAME)
        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.view.scrollTo(index)
        return True

    def current_ticket_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.ticket_id(index.row()) if index.isValid() else None

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() != Column.CHECK:
            self.openRequested.emit(self.model.ticket_id(index.row()))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row()):
            self.view.setCurrentIndex(index)
        self.contextMenuRequested.emit(self.view.viewport().mapToGlobal(pos))
