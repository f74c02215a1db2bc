"""Board layout: one column per status of the chosen pipeline, one card per ticket.

The board reads every column's first cards, and the counts the counter rows answer, in one
background job (``Desk.board``: one transaction); each column is then its own lazily paged
model, which reads its later pages as it scrolls. Dropping a card on another column changes
the ticket's status through the facade; a refusal leaves the card where it was and says why.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QHelpEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.dto import (
    BoardPage,
    BulkResult,
    OpResult,
    PageCursor,
    PipelineInfo,
    StatusInfo,
    TicketChanges,
    TicketQuery,
    TicketRow,
)
from helpdesk_desktop.ui import formatting
from helpdesk_desktop.ui.bridge import NOT_READ, DeskBridge, ProgressCallback
from helpdesk_desktop.ui.jobs import Job
from helpdesk_desktop.ui.layouts.board_card import CardDelegate
from helpdesk_desktop.ui.layouts.own_viewport import give_own_viewport
from helpdesk_desktop.ui.models.change_following import named_ids
from helpdesk_desktop.ui.models.ticket_model import TICKET_MIME, Column, TicketListModel

#: Cards a column reads at a time as it scrolls (its first ones come with the whole board).
BOARD_PAGE = 50


class ColumnView(QListView):
    """One board column's cards. Accepts ticket drops from the other columns; from the
    keyboard, Ctrl+Shift+Left/Right moves the selected cards to the neighbouring column."""

    ticketsDropped = Signal(list)  # ticket ids
    moveRequested = Signal(int)  # -1: to the column on the left, +1: on the right

    #: Called for a tooltip over a card (its index and the event's global position); ``True``
    #: when it shows the tooltip itself, once the card's snippet is read (``BoardColumn``).
    tooltip_wanted: Callable[[QModelIndex, QPoint], bool] | None = None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.tooltip_wanted is not None \
                and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            if index.isValid() and self.tooltip_wanted(index, event.globalPos()):
                event.accept()
                return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if event.modifiers() == wanted and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.moveRequested.emit(-1 if event.key() == Qt.Key.Key_Left else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Read from Python at once (own_viewport); before the drop settings, which Qt
        # gives the viewport of the moment.
        give_own_viewport(self)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)
        self.setSpacing(0)

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return event.mimeData().hasFormat(TICKET_MIME) and event.source() is not self

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        raw = bytes(event.mimeData().data(TICKET_MIME).data()).decode()
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        # The models move cards once the facade has saved the change; the drag itself
        # removes nothing (the models do not implement removeRows).
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        if ids:
            self.ticketsDropped.emit(ids)


class BoardColumn(QFrame):
    """A status column: a header with the name and count, then the cards."""

    def __init__(self, bridge: DeskBridge, status: StatusInfo, delegate: CardDelegate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName(f"BoardColumn.{status.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(230)
        self.setMaximumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        self.title = QLabel(self)
        self.title.setObjectName("BoardColumnTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.model = TicketListModel(bridge, page_size=BOARD_PAGE, auto_refresh=False,
                                     read_ahead=False,
                                     row_filter=lambda r, sid=status.id: r.status_id == sid,
                                     parent=self)
        self.view = ColumnView(self)
        self.view.setObjectName(f"BoardColumnView.{status.id}")
        self.view.setAccessibleName(self.tr("%1 column").replace("%1", status.name))
        self.view.setStatusTip(self.tr(
            "Drag cards to another column, or press Ctrl+Shift+Left/Right, to change status."))
        self.view.setModel(self.model)
        self.view.setModelColumn(Column.NAME)
        self.view.setItemDelegate(delegate)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.viewport().setMouseTracking(True)
        layout.addWidget(self.view, 1)
        self.count: int | None = None
        self.show_count(None)
        self.bridge = bridge
        #: Cards whose row came with the board, without its snippet (the tooltip reads it).
        self.without_snippet: set[int] = set()
        self.view.tooltip_wanted = self._tooltip_wanted

    def show_cards(self, query: TicketQuery, rows: tuple[TicketRow, ...],
                   cursor: PageCursor | None) -> None:
        """Show the board's first cards of this column (rows read without their snippet)."""
        self.without_snippet = {row.id for row in rows}
        self.model.show_page(query, rows, cursor)

    def _tooltip_wanted(self, index: QModelIndex, global_pos: QPoint) -> bool:
        """A tooltip over a card whose snippet was not read: read its row in a job, then show
        the tooltip the table would (the snippet, or the name) while the card is under the
        mouse. ``False``: the model's tooltip is shown as it is."""
        ticket_id = self.model.ticket_id(index.row())
        if ticket_id not in self.without_snippet:
            return False
        self.without_snippet.discard(ticket_id)
        query = self.model.query
        view = self.view

        def show() -> None:
            row = self.model.row_of(ticket_id)
            if row < 0:
                return
            card = self.model.index(row, Column.NAME)
            tip = self.model.data(card, Qt.ItemDataRole.ToolTipRole)
            if tip:
                QToolTip.showText(global_pos, str(tip), view.viewport(), view.visualRect(card))

        def done(fresh: dict[int, TicketRow]) -> None:
            if query == self.model.query and ticket_id in fresh:
                self.model.apply_rows([ticket_id], fresh)
            show()

        self.bridge.run(lambda desk, _p: desk.rows_in(query, [ticket_id]), done,
                        lambda _message: show(), owner=self, quiet=True)
        return True

    def show_count(self, count: int | None) -> None:
        self.count = count
        self.title.setText(self.status.name if count is None
                           else f"{self.status.name}  ·  {formatting.number(count)}")


class BoardLayout(QWidget):
    """Columns of cards for one pipeline."""

    openRequested = Signal(int)
    selectionChanged = Signal()
    contextMenuRequested = Signal(QPoint)
    cardMenuRequested = Signal(QPoint)  # the ⋮ of a card was clicked (selection set first)
    pipelineChanged = Signal(int)
    cardsShown = Signal()  # the cards of a load() are shown (or its read was refused)

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketBoard")
        self.bridge = bridge
        self.query = TicketQuery()
        self.pipelines: list[PipelineInfo] = []
        self.columns: list[BoardColumn] = []
        self._active: BoardColumn | None = None
        self.on_refused: Callable[[str], None] | None = None
        self.on_moved: Callable[[BulkResult], None] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 0)
        label = QLabel(self.tr("&Pipeline:"), self)
        self.pipeline_box = QComboBox(self)
        self.pipeline_box.setObjectName("BoardPipeline")
        self.pipeline_box.setAccessibleName(self.tr("Pipeline"))
        label.setBuddy(self.pipeline_box)
        top.addWidget(label)
        top.addWidget(self.pipeline_box)
        top.addStretch(1)
        layout.addLayout(top)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.strip = QWidget()
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(8, 6, 8, 8)
        self.strip_layout.setSpacing(8)
        self.scroll.setWidget(self.strip)
        layout.addWidget(self.scroll, 1)
        self.delegate = CardDelegate(self)
        self.delegate.menuClicked.connect(self._card_menu)
        self.pipeline_box.currentIndexChanged.connect(self._pipeline_chosen)
        bridge.changed.connect(self._on_changed)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(250)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._loaded = False
        self._loads = 0  # counts load(): a read that reports after a newer one is dropped
        self._load_job: Job[BoardPage] | None = None
        self._named_while_loading: set[int] = set()  # read again once the load is shown

    # -- what it shows ----------------------------------------------------------------------

    def set_pipelines(self, pipelines: list[PipelineInfo], chosen_id: int = 0) -> None:
        self.pipelines = pipelines
        self.pipeline_box.blockSignals(True)
        self.pipeline_box.clear()
        for pipeline in pipelines:
            self.pipeline_box.addItem(pipeline.name, pipeline.id)
        index = self.pipeline_box.findData(chosen_id)
        self.pipeline_box.setCurrentIndex(max(index, 0))
        self.pipeline_box.blockSignals(False)
        self._loaded = False

    def pipeline(self) -> PipelineInfo | None:
        pipeline_id = self.pipeline_box.currentData()
        return next((p for p in self.pipelines if p.id == pipeline_id), None)

    def set_query(self, query: TicketQuery) -> None:
        """Show ``query``; columns load when the board is visible."""
        self.query = query
        self._loaded = False
        if self.isVisible():
            self.load()

    def showEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._loaded:
            self.load()

    def _pipeline_chosen(self, _index: int) -> None:
        self._loaded = False
        self.load()
        pipeline = self.pipeline()
        if pipeline is not None:
            self.pipelineChanged.emit(pipeline.id)

    def cards_loading(self) -> bool:
        """Whether the cards of the last :meth:`load` are still being read."""
        return self._load_job is not None

    def load(self) -> None:
        """Read the chosen pipeline's columns (the first cards of each, and the counts the
        counter rows answer) in one background job, then show them; the columns shown stay
        until then."""
        self._loaded = True
        pipeline = self.pipeline()
        if pipeline is None:
            self._loads += 1  # a read still on its way is stale
            self._load_job = None
            self._build_columns([])
            self.cardsShown.emit()
            return
        query, pipeline_id = self.query, pipeline.id
        self._loads += 1
        token = self._loads

        def done(page: BoardPage) -> None:
            if token == self._loads:
                self._load_job = None
                self._show_board(page)
                if self._named_while_loading:
                    named, self._named_while_loading = list(self._named_while_loading), set()
                    self._read_named(named)

        def failed(message: str) -> None:
            if token == self._loads:  # e.g. a view this user may not open: no cards
                self._load_job = None
                self._named_while_loading.clear()
                for column in self.columns:
                    column.model.show_page(column.model.query, (), None)
                    column.show_count(None)
                self.cardsShown.emit()

        self._load_job = self.bridge.run(lambda desk, _p: desk.board(query, pipeline_id),
                                         done, failed, owner=self, urgent=True,
                                         replaces=self._load_job)

    def _show_board(self, page: BoardPage) -> None:
        if [c.status for c in self.columns] != [c.status for c in page.columns]:
            self._build_columns([c.status for c in page.columns])
        uncounted = False
        for column, read in zip(self.columns, page.columns, strict=True):
            column.show_cards(read.query, read.rows, read.next_cursor)
            column.show_count(read.count)
            uncounted = uncounted or read.count is None
        self.cardsShown.emit()
        if uncounted:
            self.refresh_counts()

    def _build_columns(self, statuses: list[StatusInfo]) -> None:
        """Replace the columns by empty ones for ``statuses``."""
        for column in self.columns:
            column.setParent(None)
            column.deleteLater()
        self.columns = []
        self._active = None
        while self.strip_layout.count():
            self.strip_layout.takeAt(0)
        for status in statuses:
            column = BoardColumn(self.bridge, status, self.delegate, self.strip)
            column.view.ticketsDropped.connect(
                lambda ids, s=status: self.move_tickets(ids, s))
            column.view.moveRequested.connect(
                lambda step, c=column: self._move_to_neighbour(c, step))
            column.view.doubleClicked.connect(
                lambda index, c=column: self.openRequested.emit(c.model.ticket_id(index.row())))
            column.view.activated.connect(
                lambda index, c=column: self.openRequested.emit(c.model.ticket_id(index.row())))
            column.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            column.view.customContextMenuRequested.connect(
                lambda pos, c=column: self._context_menu(c, pos))
            column.view.selectionModel().selectionChanged.connect(
                lambda *_a, c=column: self._selected_in(c))
            column.view.installEventFilter(self)
            self.strip_layout.addWidget(column)
            self.columns.append(column)
        self.strip_layout.addStretch(1)

    def refresh_counts(self) -> None:
        """Count every column off the UI thread, in one read (a count may touch many rows)."""
        pipeline = self.pipeline()
        if pipeline is None or not self.columns:
            return
        query, pipeline_id = self.query, pipeline.id

        def done(counts: dict[int, int]) -> None:
            if query == self.query:
                self._show_counts(counts)

        self.bridge.run(lambda desk, _p: desk.board_counts(query, pipeline_id), done,
                        lambda _message: None, owner=self)

    def _show_counts(self, counts: dict[int, int]) -> None:
        for column in self.columns:
            if column.status.id in counts:
                column.show_count(counts[column.status.id])

    def column(self, status_id: int) -> BoardColumn | None:
        return next((c for c in self.columns if c.status.id == status_id), None)

    # -- moving cards -----------------------------------------------------------------------

    def move_tickets(self, ticket_ids: list[int], status: StatusInfo) -> None:
        """Set ``status`` on the dropped tickets in one bulk edit; each refusal is reported
        (its card stays), the rest move with one Undo."""
        versions = {}
        for column in self.columns:
            for ticket_id in ticket_ids:
                row = column.model.row_for_id(ticket_id)
                if row is not None:
                    versions[ticket_id] = row.version

        def work(desk: Desk, progress: ProgressCallback) -> BulkResult:
            return desk.update_many(ticket_ids, TicketChanges(status=status.id), progress,
                                    expected_versions=versions)

        def done(result: BulkResult) -> None:
            if result.payload.done and self.on_moved is not None:
                self.on_moved(result)
            refusals = result.payload.refusals
            if refusals and self.on_refused is not None:  # last, so that it stays visible
                self.on_refused(" ".join(dict.fromkeys(r.reason for r in refusals)))

        def refused(message: str) -> None:
            if self.on_refused is not None:
                self.on_refused(message)

        self.bridge.run(work, done, refused, owner=self, origin=self)

    def _move_to_neighbour(self, column: BoardColumn, step: int) -> None:
        position = self.columns.index(column) + step
        if not 0 <= position < len(self.columns):
            return
        self._active = column
        ids = [row.id for row in self.selected_rows()]
        if ids:
            self.move_tickets(ids, self.columns[position].status)

    def change_reader(self) -> Callable[[Desk, OpResult], object] | None:
        """For an operation of the board's window (``DeskBridge.follow``): read the cards it
        names and every column's count in the operation's own job."""
        pipeline = self.pipeline()
        if not self._loaded or not self.columns or pipeline is None:
            return None
        query, pipeline_id = self.query, pipeline.id

        def read(desk: Desk, result: OpResult) -> object:
            named = named_ids(result)
            if not named:
                return query, None, None
            return query, desk.rows_in(query, named), desk.board_counts(query, pipeline_id)

        return read

    def _on_changed(self, result: OpResult) -> None:
        """Refresh the cards a write named (off the UI thread): in place, moved to their new
        column, gone, or new on the board (restored, created, edited into its query). For an
        operation of this window, the cards and counts were read in its job already."""
        if not self._loaded:
            return  # (read whole when shown)
        named = named_ids(result)
        if not named:
            return
        if self._load_job is not None:
            # The cards being read may have been read before this write: what it named is
            # read again once they are shown (read now, it could be shown first, then lost).
            self._named_while_loading.update(named)
            return
        if not self.columns:
            return
        prefetched = self.bridge.prefetched(self)
        if prefetched is not NOT_READ:
            read: tuple[TicketQuery, dict[int, TicketRow] | None, dict[int, int] | None] = \
                prefetched
            if read[0] == self.query and read[1] is not None and read[2] is not None:
                self._place(named, read[1])
                self._show_counts(read[2])
                return
        self._read_named(named)

    def _read_named(self, named: list[int]) -> None:
        """Read the cards of these tickets that the board's query matches now, off the UI
        thread, and put them in place."""
        query = self.query

        def done(fresh: dict[int, TicketRow]) -> None:
            if query != self.query or not self.columns:
                return
            self._place(named, fresh)
            self._counts_timer.start()

        self.bridge.run(lambda desk, _p: desk.rows_in(query, named), done,
                        lambda _message: None, owner=self)

    def _place(self, named: list[int], fresh: dict[int, TicketRow]) -> None:
        for column in self.columns:
            column.without_snippet.difference_update(fresh)  # read whole
            column.model.apply_rows([i for i in named if column.model.row_of(i) >= 0], fresh)
        for ticket_id, row in fresh.items():
            target = self.column(row.status_id)
            if target is not None and target.model.row_of(ticket_id) < 0:
                target.model.insert_row(row, 0)

    # -- selection and menus ----------------------------------------------------------------

    def _selected_in(self, column: BoardColumn) -> None:
        if column.view.selectionModel().hasSelection():
            self._active = column
            for other in self.columns:
                if other is not column:
                    other.view.selectionModel().blockSignals(True)
                    other.view.clearSelection()
                    other.view.selectionModel().blockSignals(False)
                    other.view.viewport().update()
        self.selectionChanged.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for column in self.columns:
                if column.view is watched:
                    self._active = column
        return False

    def selected_rows(self) -> list[TicketRow]:
        column = self._active
        if column is None:
            return []
        rows = sorted({i.row() for i in column.view.selectionModel().selectedIndexes()})
        return [column.model.ticket_row(r) for r in rows if r < column.model.rowCount()]

    def current_ticket_id(self) -> int | None:
        rows = self.selected_rows()
        return rows[0].id if rows else None

    def select_ticket(self, ticket_id: int) -> bool:
        for column in self.columns:
            row = column.model.row_of(ticket_id)
            if row >= 0:
                index = column.model.index(row, Column.NAME)
                column.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                column.view.scrollTo(index)
                self._active = column
                return True
        return False

    def _context_menu(self, column: BoardColumn, pos: QPoint) -> None:
        index = column.view.indexAt(pos)
        if index.isValid() and not column.view.selectionModel().isSelected(index):
            column.view.setCurrentIndex(index)
        self._active = column
        self.contextMenuRequested.emit(column.view.viewport().mapToGlobal(pos))

    def _card_menu(self, index: QModelIndex, global_pos: QPoint) -> None:
        for column in self.columns:
            if column.model is index.model():
                column.view.setCurrentIndex(index)
                self._active = column
        self.cardMenuRequested.emit(global_pos)
