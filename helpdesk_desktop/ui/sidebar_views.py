"""The left panel: the ticket views with their counts, saved views, and "Save view…"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import OpResult, SavedViewInfo, TicketQuery
from helpdesk_desktop.ui import formatting
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.bridge import NOT_READ, DeskBridge
from helpdesk_desktop.ui.jobs import Job
from helpdesk_desktop.ui.models.views_model import (
    SIDEBAR_VIEWS,
    ViewEntry,
    ViewListModel,
    ViewRole,
)
from helpdesk_desktop.ui.status_bar import show_error

ModelIndex = QModelIndex | QPersistentModelIndex


class CountDelegate(QStyledItemDelegate):
    """The view's name, and its count right-aligned."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        count = index.data(ViewRole.COUNT)
        if count is None:
            super().paint(painter, option, index)
            return
        # The row's background across its width; the name elided before the count.
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        full.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, widget)
        text_option = QStyleOptionViewItem(option)
        room = option.fontMetrics.horizontalAdvance(formatting.number(count)) + 16
        text_option.rect = option.rect.adjusted(0, 0, -room, 0)
        super().paint(painter, text_option, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                            else QPalette.ColorRole.PlaceholderText))
        painter.drawText(option.rect.adjusted(0, 0, -8, 0),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         formatting.number(count))
        painter.restore()


class ViewList(QListView):
    """The list of views, painting only the entries in the parts of it to paint.

    ``QListView`` paints every entry within the bounding rectangle of what is to be painted:
    choosing "Closed" after "All open" (the last entry after the first) drew all eight
    entries for the two that changed (1.1-1.7 ms of CPU; the two alone 0.3-0.6 ms)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        region = event.region()
        if region.rectCount() <= 1:
            super().paintEvent(event)
            return
        for rect in region:
            super().paintEvent(QPaintEvent(rect))


class SidebarViews(QWidget):
    """Lists the views; choosing one emits :attr:`viewChosen`."""

    viewChosen = Signal(object, object)  # View | None, SavedViewInfo | None
    saveRequested = Signal()

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SidebarViews")
        self.setMinimumWidth(170)
        self.bridge = bridge
        self.saved: list[SavedViewInfo] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        title = QLabel(self.tr("&Views"), self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.model = ViewListModel(self)
        self.list = ViewList(self)
        self.list.setObjectName("ViewList")
        self.list.setAccessibleName(self.tr("Ticket views"))
        self.list.setModel(self.model)
        self.list.setItemDelegate(CountDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        title.setBuddy(self.list)
        layout.addWidget(self.list, 1)
        self.save_button = QPushButton(icon("save_view"), self.tr("&Save view…"), self)
        self.save_button.setObjectName("SaveViewButton")
        self.save_button.setToolTip(self.tr("Save the current view, filters, search and sort"))
        self.save_button.clicked.connect(self.saveRequested)
        layout.addWidget(self.save_button)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self._counts_job: Job[Any] | None = None  # the last count started
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(400)
        self._counts_timer.timeout.connect(self.refresh_counts)
        bridge.changed.connect(self._on_changed)
        self._current_key = f"view:{View.ALL_OPEN}"

    # -- contents ---------------------------------------------------------------------------

    def reload(self, *, counts: bool = True) -> None:
        """Entries for the signed-in user (restricted views only with the permission), and
        their counts read off the UI thread unless ``counts`` is False (the window's start
        asks for them after its first frame: :meth:`refresh_counts`)."""
        user = self.bridge.user
        allowed = user.super_admin or user.can_delete_tickets
        views = [v for v in SIDEBAR_VIEWS
                 if allowed or v not in (View.SPAM, View.RECENTLY_DELETED)]
        try:
            self.saved = self.bridge.desk.saved_views()
        except HelpDeskError:
            self.saved = []  # e.g. no service seat: no saved views
        seat = user.super_admin or user.service_seat
        self.save_button.setEnabled(seat)
        self.save_button.setToolTip(self.tr("Save the current view, filters, search and sort")
                                    if seat else self.tr("Needs a service seat."))
        self.model.set_entries(views, self.saved)
        self.select_key(self._current_key, emit=False)
        if counts:
            self.refresh_counts()

    def refresh_counts(self) -> None:
        self._counts_job = self.bridge.run(lambda desk, _p: desk.view_counts(),
                                           self.model.set_counts, lambda _message: None,
                                           owner=self.model, replaces=self._counts_job)

    def change_reader(self) -> Callable[[Desk, OpResult], object]:
        """For an operation of this window (``DeskBridge.follow``): the counts, read in its
        job."""
        return lambda desk, _result: desk.view_counts()

    def _on_changed(self, _result: OpResult) -> None:
        counts = self.bridge.prefetched(self)
        if counts is NOT_READ:  # a change from elsewhere: count soon (changes come in bursts)
            self._counts_timer.start()
        else:
            self.model.set_counts(counts)  # type: ignore[arg-type]

    def select_key(self, key: str, *, emit: bool = True) -> None:
        row = self.model.row_of(key)
        if row < 0:
            row = self.model.row_of(f"view:{View.ALL_OPEN}")
        if row < 0:
            return
        previous = self.list.currentIndex()
        index = self.model.index(row)
        self.list.selectionModel().blockSignals(not emit)
        self.list.setCurrentIndex(index)
        self.list.selectionModel().blockSignals(False)
        if not emit:  # the list heard nothing: the two entries are drawn again (not all)
            self.list.update(previous)
            self.list.update(index)
        self._current_key = self.model.entry(row).key

    def select_view(self, view: View) -> None:
        self.select_key(f"view:{view}")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry = self.model.entry(current.row())
        self._current_key = entry.key
        self.viewChosen.emit(entry.view, entry.saved)

    # -- saved views ------------------------------------------------------------------------

    def ask_and_save(self, query: TicketQuery) -> SavedViewInfo | None:
        """Ask for a name and save ``query``; the new view becomes current."""
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name of the view:"))
        if not ok or not name.strip():
            return None
        return self.save(name, query)

    def save(self, name: str, query: TicketQuery) -> SavedViewInfo:
        """Save ``query`` as ``name`` (raises the facade's refusal)."""
        info = self.bridge.desk.save_view(name, query)
        self._current_key = f"saved:{info.id}"
        self.reload()
        return info

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        entry = self.model.entry(index.row())
        if entry.saved is None:
            return
        menu = QMenu(self)
        delete = menu.addAction(self.tr("Delete saved view “%1”").replace("%1", entry.saved.name))
        if menu.exec(self.list.viewport().mapToGlobal(pos)) is delete:
            self.delete_saved(entry)

    def delete_saved(self, entry: ViewEntry) -> None:
        """Delete a saved view off the UI thread; a refusal is shown as its sentence, and the
        list is read again either way (a view deleted from another window leaves it)."""
        saved = entry.saved
        assert saved is not None

        def work(desk: Desk, _progress: object) -> None:
            desk.delete_saved_view(saved.id)

        def done(_none: None) -> None:
            if self._current_key == entry.key:
                self._current_key = f"view:{View.ALL_OPEN}"
            self.reload()

        def refused(message: str) -> None:
            show_error(self, message)
            self.reload()

        self.bridge.run(work, done, refused, owner=self, origin=self)
