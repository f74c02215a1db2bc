"""The main window: views on the left, filters and search above, the ticket list in one of three
layouts, the opened ticket on the right, and the status bar.

The window is the :class:`~helpdesk_desktop.ui.actions.spec.ActionHost` of its ticket actions:
every menu (Actions drop-down, ⋮, right-click, menu bar) is filled from one registry.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop import startup_gc
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import (
    OpResult,
    SavedViewInfo,
    TicketFilters,
    TicketQuery,
    UserInfo,
)
from helpdesk_desktop.ui import main_menus
from helpdesk_desktop.ui import settings as opts
from helpdesk_desktop.ui.actions.registry import ActionRegistry, icon
from helpdesk_desktop.ui.actions.spec import ActionContext
from helpdesk_desktop.ui.actions.ticket_actions import all_specs
from helpdesk_desktop.ui.bridge import NOT_READ, DeskBridge
from helpdesk_desktop.ui.filter_bar import FilterBar
from helpdesk_desktop.ui.jobs import Job
from helpdesk_desktop.ui.layouts.table import TableLayout
from helpdesk_desktop.ui.main_commands import WindowCommands
from helpdesk_desktop.ui.main_parts import (
    LAYOUT_NAMES,
    NextFrame,
    WindowParts,
    after_first_frame,
    after_next_frame,
    focus_widget_of,
)
from helpdesk_desktop.ui.main_selection import WindowSelection
from helpdesk_desktop.ui.main_state import WindowState
from helpdesk_desktop.ui.models.ticket_model import TicketListModel
from helpdesk_desktop.ui.settings import Settings
from helpdesk_desktop.ui.sidebar_views import SidebarViews
from helpdesk_desktop.ui.status_bar import StatusBar, show_error
from helpdesk_desktop.ui.user_switcher import UserSwitcher

if TYPE_CHECKING:
    from helpdesk_desktop.ui.actions.registry import ActionRegistry as TicketRegistry
    from helpdesk_desktop.ui.dialogs.import_dialog import ImportMailDialog
    from helpdesk_desktop.ui.dialogs.outbox_dialog import OutboxDialog
    from helpdesk_desktop.ui.layouts.board import BoardLayout
    from helpdesk_desktop.ui.layouts.split import SplitLayout
    from helpdesk_desktop.ui.layouts.ticket_panel import TicketPanel
    from helpdesk_desktop.ui.mail_service import MailService
    from helpdesk_desktop.ui.notifications.center import NotificationCenter
    from helpdesk_desktop.ui.ticket_view import TicketView

RESTRICTED = (View.SPAM, View.RECENTLY_DELETED)
SEARCH_PAUSE_MS = 300
#: When no frame was painted by then (a window started hidden, or never shown), the work
#: that waits for the first frame (:meth:`MainWindow.finish_start`) starts anyway.
FINISH_START_FALLBACK_MS = 1000


#: How long a thread running Python keeps the interpreter lock from another that asks for it
#: (Python's default: 5 ms). A list's first page is read on its own thread while the window
#: goes on (its Python slots, the sidebar's delegate, the header's data): each time one
#: needed the lock back from the reading thread it waited up to the interval (a view change
#: spent ~6 ms of 20 so in a profile at 100,000 tickets), and the reader waited as long for
#: the window. The interval only matters while two threads both run Python.
GIL_SWITCH_SECONDS = 0.001


class MainWindow(WindowCommands, WindowSelection, WindowState, QMainWindow):
    """One window over the bridge's workspace. See the module docstring.

    Start-up paints the first page first: the split and board layouts are built on first use
    and the ticket view, hidden, once the start has finished (:class:`~.main_parts.WindowParts`),
    and what the first frame does not show (the view counts, the filter menus' choices, the
    "N matching" count, the notification bell) is read by :meth:`finish_start`, right after
    that frame.
    """

    #: :meth:`finish_start` has run: the counts are asked for, the bell is there.
    started = Signal()
    #: :meth:`finish_start` begins: the first page (the board's first cards) is painted, or
    #: the start stopped waiting for it (FINISH_START_FALLBACK_MS).
    firstPageShown = Signal()

    def __init__(self, bridge: DeskBridge, store: QSettings | None = None,
                 parent: QWidget | None = None, mail: MailService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)  # mail files dropped on the window are imported
        self.setWindowTitle(self.tr("Help Desk"))
        self.setWindowIcon(icon("app"))
        self._bridge = bridge
        self.mail = mail  # background fetching and sending (None: this window has none)
        self.store = store if store is not None else QSettings()
        self.settings = Settings(self.store, bridge.user.email)
        self._windows: list[QWidget] = []
        self.layout_name = "table"
        self._quitting = False
        self._panel_open = False
        self._started = False  # finish_start has run
        self.context_menu: QMenu | None = None
        self.import_dialog: ImportMailDialog | None = None
        self.outbox_dialog: OutboxDialog | None = None
        self._matching_count = 0
        # The sort a search replaced with its own order (restored when it is cleared).
        self._sort_before_search: tuple[SortKey, bool] | None = None
        self._count_job: Job[Any] | None = None  # the last "N matching" count started
        self._count_stop: threading.Event | None = None  # ... set once it is not wanted
        self._count_waits = False  # for the list's first page (_count_when_shown)
        self._count_after_frame: NextFrame | None = None  # ... then for its frame
        self._shown_context: ActionContext | None = None  # what the list's actions show
        # The list's actions (menu bar, right-click, bulk bar, shortcuts in the list); the ticket
        # view has its own (self.ticket_registry): no context is shared or restored by a timer.
        self.registry = ActionRegistry(all_specs(), self, self.list_context, self)
        self._query = TicketQuery(view=View.ALL_OPEN)

        # Panels.
        self.model = TicketListModel(bridge, page_size=100, parent=self)
        self.model.failed.connect(self.show_status)
        self.sidebar = SidebarViews(bridge, self)
        self.filter_bar = FilterBar(bridge, self)
        self.table = TableLayout(self.model, self)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("LayoutStack")
        self.stack.addWidget(self.table)
        # The ticket panel joins the splitter when a ticket is first opened (main_parts).
        self.content_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.content_splitter.setObjectName("ContentSplitter")
        self.content_splitter.addWidget(self.stack)
        self.content_splitter.setChildrenCollapsible(False)
        self.parts = WindowParts(self, self.table)
        center = QWidget(self)
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(0)
        center_layout.addWidget(self.filter_bar)
        center_layout.addWidget(self.content_splitter, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("MainSplitter")
        self.main_splitter.addWidget(self.sidebar)
        self.main_splitter.addWidget(center)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([210, 1070])
        self.setCentralWidget(self.main_splitter)

        # Bars and menus.
        self.layout_actions = main_menus.build_layout_actions(self)
        self.tool_bar = main_menus.build_tool_bar(self)
        self.addToolBar(self.tool_bar)
        main_menus.build_menus(self)
        self._update_settings_actions()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.user_switcher = UserSwitcher(bridge, bridge.desk.dialect == "sqlite", self)
        self.status.addPermanentWidget(self.user_switcher)
        self.mail_status: QWidget | None = None
        if mail is not None:
            from helpdesk_desktop.ui.mail_status import MailStatus

            self.mail_status = MailStatus(mail, self.status)
            self.status.addPermanentWidget(self.mail_status)
            mail.sendReport.connect(self.status.show_status)
            mail.replyQueued.connect(self._reply_queued)
        # Everywhere but the ticket view (whose own actions take the same keys there). The
        # search field rather than its tool bar: a tool bar shows every action added to it
        # as a button, which pushed the layout button and the bell behind its "»".
        self.registry.add_shortcuts_to(
            self.sidebar, self.filter_bar, self.stack, self.search_field,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.notifications: NotificationCenter | None = None  # the bell, after the first frame

        # Wiring.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self._search_now)
        self.search_field.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_field.returnPressed.connect(self._search_now)
        self.sidebar.viewChosen.connect(self._view_chosen)
        self.sidebar.saveRequested.connect(self.save_view)
        self.filter_bar.filtersChanged.connect(self._filters_changed)
        self.model.queryChanged.connect(self._model_query_changed)
        self.model.loaded.connect(self._list_loaded)
        # Rows refreshed in the background change what the selection's actions offer.
        self._context_timer = QTimer(self)
        self._context_timer.setSingleShot(True)
        self._context_timer.setInterval(0)
        self._context_timer.timeout.connect(self._selection_changed)
        self.model.dataChanged.connect(lambda *_args: self._context_timer.start())
        self.table.allMatchingChanged.connect(lambda _on: self._selection_changed())
        bridge.userChanged.connect(self._user_changed)
        bridge.busyChanged.connect(self.status.set_busy)
        bridge.progressed.connect(self.status.show_progress)
        bridge.changed.connect(self._data_changed)
        # This window's operations refresh its lists, board (when built) and counts in their
        # own job.
        for follower in (self.model, self.sidebar, self):
            bridge.follow(follower, self)

        self._restore_window_state()
        self._load_for_user()
        if not gc.get_freeze_count():  # the first window: start-up's objects leave the
            gc.freeze()  # collector's full walks (one took 200 ms while scrolling at 100k)
        if sys.getswitchinterval() > GIL_SWITCH_SECONDS:
            sys.setswitchinterval(GIL_SWITCH_SECONDS)
        startup_gc.resume()  # paused by the entry point while the program was imported
        after_first_frame(self, self._first_frame_painted, self.board_cards_loading)
        QTimer.singleShot(FINISH_START_FALLBACK_MS, self, self.finish_start)

    # -- parts built on first use or ahead (main_parts) ------------------------------------

    @property
    def split(self) -> SplitLayout:
        return self.parts.layout("split")  # type: ignore[return-value]

    @property
    def board(self) -> BoardLayout:
        return self.parts.layout("board")  # type: ignore[return-value]

    @property
    def ticket_view(self) -> TicketView:
        return self.parts.ticket_view

    @property
    def ticket_panel(self) -> TicketPanel:
        return self.parts.ticket_panel

    @property
    def ticket_registry(self) -> TicketRegistry:
        return self.parts.ticket_registry

    def _open_ticket_id(self) -> int | None:
        """The ticket the ticket view shows (None when it was never built)."""
        return self.parts.ticket_view.ticket_id() if self.parts.has_ticket_view else None

    # -- after the first frame --------------------------------------------------------------

    def board_cards_loading(self) -> bool:
        """The window shows its board and that board's cards are being read."""
        board = self.parts.board_if_built()
        return self.layout_name == "board" and board is not None and board.cards_loading()

    def _first_frame_painted(self, cards_loading: bool) -> None:
        """The window's first frame is painted: :meth:`finish_start`, unless the window opened
        on its board and the board's first cards were still being read when that frame began
        (``cards_loading``: their job started before it). The start then waits for the frame
        that shows them: its reads and imports (the mapped classes on a worker thread, the
        ticket view's modules) would share the interpreter with the cards' read and their
        first paint. The fallback timer still finishes the start after
        FINISH_START_FALLBACK_MS."""
        if cards_loading and self.board_cards_loading():
            self.board.cardsShown.connect(lambda: after_next_frame(self, self.finish_start),
                                          Qt.ConnectionType.SingleShotConnection)
            return
        if cards_loading:  # shown since that frame began, not painted yet
            after_next_frame(self, self.finish_start)
            return
        self.finish_start()

    def finish_start(self) -> None:
        """Read what the first frame does not show: the views' counts, the filter menus'
        choices, the "N matching" count, and the notification bell. Runs once, right after
        the first frame is painted (or after FINISH_START_FALLBACK_MS without one). When the
        first frame was read without the mapped classes (``Desk.needs_warm_up``), they are
        imported on a worker thread first (``Desk.warm_up``)."""
        if self._started:
            return
        self._started = True
        self.firstPageShown.emit()
        if self._bridge.desk.needs_warm_up():
            # The first frame was read without SQLAlchemy and the mapped classes: they are
            # imported on a worker thread first, then the reads below (which need them)
            # start, and the ticket view's imports with them (at the same time as the
            # warm-up's, they shared the interpreter and delayed the reads).
            def warmed(_result: object = None) -> None:
                self.parts.prepare_ticket_view()
                self._start_reads()

            self._bridge.run(lambda desk, _progress: desk.warm_up(), warmed, warmed,
                             owner=self, followers=False, quiet=True, urgent=True)
        else:
            self.parts.prepare_ticket_view()
            self._start_reads()

    def _start_reads(self) -> None:
        # The reads start at once (off the UI thread); the bell's modules and widgets follow
        # one event-loop turn each, then ``started``: the filter menus' reads and the bell in
        # one turn stalled the window ~50 ms of CPU (issue 11 U).
        self.filter_bar.reload_choices()
        self.sidebar.refresh_counts()
        self._count_matching()
        steps = self._start_steps()

        def step() -> None:
            if next(steps, False) is None:
                QTimer.singleShot(0, self, step)

        QTimer.singleShot(0, self, step)

    def _start_steps(self) -> Iterator[None]:
        """What :meth:`finish_start` does after the reads, one ``next()`` per turn."""
        from helpdesk_desktop.ui.dialogs import common  # noqa: F401 - the bell's
        yield
        from helpdesk_desktop.ui import notifications  # noqa: F401
        yield
        self._install_notifications()
        self.started.emit()
        self.parts.build_ticket_view_ahead()

    # -- ActionHost -------------------------------------------------------------------------

    @property
    def bridge(self) -> DeskBridge:
        return self._bridge

    def dialog_parent(self) -> QWidget:
        return self

    def show_status(self, message: str, undo: Callable[[], None] | None = None) -> None:
        self.status.show_status(message, undo)

    def show_error(self, message: str) -> None:
        self.status.show_status(message)
        show_error(self, message)

    # -- what the list shows ----------------------------------------------------------------

    @property
    def query(self) -> TicketQuery:
        return self._query

    def set_view(self, view: View) -> None:
        """Show one of the built-in views (as choosing it in the left panel does)."""
        self.sidebar.select_view(view)
        if self._query.view is not view or self._query.saved_view_id is not None:
            self._view_chosen(view, None)

    def _view_chosen(self, view: View | None, saved: SavedViewInfo | None) -> None:
        if saved is not None:
            query = saved.query
            self.filter_bar.set_filters(query.filters)
            self.search_field.blockSignals(True)
            self.search_field.setText(query.search)
            self.search_field.blockSignals(False)
            self._apply_query(dataclasses.replace(query, saved_view_id=None))
        elif view is not None:
            self._apply_query(dataclasses.replace(self._query, view=view, saved_view_id=None))

    def _filters_changed(self, filters: TicketFilters) -> None:
        self._apply_query(dataclasses.replace(self._query, filters=filters))

    def _search_now(self) -> None:
        self._search_timer.stop()
        text = self.search_field.text().strip()
        if text == self._query.search:
            return
        query = self._query
        if text and not query.search and query.sort is not SortKey.NEWEST_HIT:
            # A search lists its newest matches first (no column: the header shows no sort
            # indicator, the selection bar says it); the column's sort comes back after it.
            self._sort_before_search = (query.sort, query.descending)
            query = dataclasses.replace(query, sort=SortKey.NEWEST_HIT, descending=True)
        elif not text and query.sort is SortKey.NEWEST_HIT:
            sort, descending = self._sort_before_search or self._remembered_sort()
            query = dataclasses.replace(query, sort=sort, descending=descending)
        if not text:
            self._sort_before_search = None
        self._apply_query(dataclasses.replace(query, search=text))

    def _apply_query(self, query: TicketQuery, *, list_later: bool = False) -> None:
        """Show ``query`` in every layout, keeping the open ticket selected if still listed;
        the open ticket is read again (another program may have deleted it meanwhile). With
        ``list_later`` (and on the board while the list has read nothing yet) the list's first
        page is read when the table or split is shown."""
        self._query = query
        keep = self._current_ticket_id()
        if list_later or self.layout_name == "board":
            self.model.set_query_later(query)  # (read now by a list that has read before)
        else:
            self.model.set_query(query)
        board = self.parts.board_if_built()
        if board is not None:
            board.set_query(query)
        if keep is not None:
            self.current_layout().select_ticket(keep)
        if self.parts.has_ticket_view and self.ticket_view.current_detail() is not None:
            self.ticket_view.reload(gone_if_missing=True)
        if self._started:  # else finish_start counts
            self._count_when_shown()
        self._selection_changed()

    def _count_when_shown(self) -> None:
        """The "N matching" count, once the list shows the query's first page: read beside
        that page, the count slowed its read and its paint (all three take turns on Python's
        interpreter lock) for a number that may follow (goal B4)."""
        if self._count_after_frame is not None:  # an older page's: counted after this one
            self._count_after_frame.cancel()
            self._count_after_frame = None
        if self.model.is_loading():
            self._count_waits = True
        else:
            self._count_matching()

    def _list_loaded(self) -> None:
        if self._count_waits:
            self._count_waits = False
            if self.isVisible():  # after the frame that paints the page
                self._count_after_frame = after_next_frame(self, self._count_matching)
            else:
                self._count_matching()

    def _model_query_changed(self, query: TicketQuery) -> None:
        # The table header sorts through the model; remember the sort and tell the board.
        if (query.sort, query.descending) != (self._query.sort, self._query.descending):
            self._query = dataclasses.replace(self._query, sort=query.sort,
                                              descending=query.descending)
            board = self.parts.board_if_built()
            if board is not None:
                board.set_query(self._query)
            if query.sort is not SortKey.NEWEST_HIT:  # a search's order, not remembered
                self.settings.set(opts.SORT_KEY, query.sort.value)
                self.settings.set(opts.SORT_DESCENDING, query.descending)

    def _remembered_sort(self) -> tuple[SortKey, bool]:
        """The sort the settings hold (the last column chosen)."""
        try:
            sort = SortKey(self.settings.get(opts.SORT_KEY))
        except ValueError:
            sort = SortKey.LAST_ACTIVITY
        if sort is SortKey.NEWEST_HIT:
            sort = SortKey.LAST_ACTIVITY
        return sort, bool(self.settings.get(opts.SORT_DESCENDING))

    @property
    def count_waits_for_frame(self) -> bool:
        """A "N matching" count waits for the list's next frame before it starts (tests)."""
        waiting = self._count_after_frame
        return waiting is not None and waiting.pending

    def _count_matching(self) -> None:
        query = self._query

        def done(count: int) -> None:
            if query == self._query:
                self._matching_count = count
                self.table.set_matching_count(count)
                self.model.set_total(query, count)  # the list then has every row

        # A count still waiting for a thread is stale now: it is dropped.
        # Quiet: the list is shown already; a busy indicator for its count only made the
        # status bar lay out and paint twice more.
        # A count still running for an older query ends at its next look at its stop (a
        # common word's count reads every match: seconds of a core at a million tickets).
        if self._count_stop is not None:
            self._count_stop.set()
        stop = self._count_stop = threading.Event()
        self._count_job = self._bridge.run(lambda desk, _p: desk.count_tickets(query,
                                                                               stop.is_set),
                                           done, lambda _message: None, owner=self,
                                           replaces=self._count_job, quiet=True)

    def refresh(self) -> None:
        """Read everything again (F5)."""
        self.model.reload()
        board = self.parts.board_if_built()
        if board is not None:
            board.set_query(self._query)
        self.sidebar.refresh_counts()
        self._count_matching()

    def change_reader(self) -> Callable[[Desk, OpResult], object]:
        """For this window's operations (``DeskBridge.follow``): the "N matching" count, read
        in the operation's job when tickets came or went."""
        query = self._query

        def read(desk: Desk, result: OpResult) -> object:
            if result.created_ticket_ids or result.removed_ticket_ids:
                return query, desk.count_tickets(query)
            return None

        return read

    def _data_changed(self, result: OpResult) -> None:
        if result.created_ticket_ids or result.removed_ticket_ids:
            counted = self._bridge.prefetched(self)
            if counted is NOT_READ:
                self._count_matching()
            elif counted is not None and counted[0] == self._query:  # type: ignore[index]
                self._matching_count = counted[1]  # type: ignore[index]
                self.table.set_matching_count(self._matching_count)
                self.model.set_total(self._query, self._matching_count)
        self._selection_changed()

    # -- layouts ----------------------------------------------------------------------------

    def current_layout(self) -> TableLayout | SplitLayout | BoardLayout:
        return self.parts.layout(self.layout_name)

    def set_layout(self, name: str) -> None:
        """Switch to the "table", "split" or "board" layout (remembered for this user)."""
        if name not in LAYOUT_NAMES:
            raise ValueError(f"Unknown layout {name!r}")
        ticket_id = self._current_ticket_id()
        self._save_splitter()
        self.layout_name = name
        if name != "board" and self.model.start() and self._started:
            self._count_when_shown()  # the list's first page, left unread by the board's start
        self.stack.setCurrentWidget(self.parts.layout(name))
        self.layout_actions[name].setChecked(True)
        self.settings.set(opts.LAYOUT, name)
        # Until the ticket view is built (after the start, or by an open), the split layout
        # shows a stand-in beside its list: its first frame needs no ticket view.
        stand_in = name == "split" and ticket_id is None and not self.parts.has_ticket_view
        self.parts.show_stand_in(stand_in)
        if name == "split" and not stand_in:  # the ticket view is part of the split layout
            self.ticket_panel.set_closable(False)
        panel = self.parts.ticket_panel_if_built()
        self._restore_splitter()
        if name == "split" and not stand_in:
            # Nothing is opened (and so marked read) that the user did not choose.
            self.ticket_panel.show()
            if ticket_id is not None and self.ticket_view.ticket_id() != ticket_id:
                self.ticket_view.open_ticket(ticket_id)
        elif name != "split" and panel is not None:
            panel.set_closable(True)
            panel.setVisible(self._panel_open)
        if ticket_id is not None:
            self.current_layout().select_ticket(ticket_id)
        self._selection_changed()

    def _current_ticket_id(self) -> int | None:
        opened = self._open_ticket_id()
        if opened is not None and (self.layout_name == "split" or self._panel_open):
            return opened
        return self.current_layout().current_ticket_id()

    # -- opening tickets --------------------------------------------------------------------

    def open_ticket(self, ticket_id: int, new_window: bool = False) -> None:
        """Show a ticket beside the list, or in a window of its own."""
        if new_window:
            from helpdesk_desktop.ui.layouts.ticket_panel import TicketWindow

            window = TicketWindow(self, ticket_id)
            self._windows.append(window)
            window.show()
            return
        self._panel_open = True
        self.ticket_panel.show()
        if self.ticket_view.ticket_id() != ticket_id or self.ticket_view.current_detail() is None:
            self.ticket_view.open_ticket(ticket_id)
        self.current_layout().select_ticket(ticket_id)

    def close_ticket_panel(self) -> None:
        panel = self.parts.ticket_panel_if_built()
        if self.layout_name == "split" or panel is None:
            return
        self._save_splitter()
        self._panel_open = False
        panel.hide()
        focus_widget_of(self.current_layout()).setFocus()

    def _ticket_opened(self, ticket_id: int) -> None:
        # The view may open another ticket itself (e.g. the survivor of a merge).
        if self.current_layout().current_ticket_id() != ticket_id:
            self.current_layout().select_ticket(ticket_id)
        detail = self.ticket_view.current_detail()
        if detail is not None:
            self.setWindowTitle(self.tr("%1 — Help Desk").replace("%1", detail.row.name))

    def _ticket_closed(self) -> None:
        self.setWindowTitle(self.tr("Help Desk"))

    def forget_window(self, window: QWidget) -> None:
        if window in self._windows:
            self._windows.remove(window)

    # -- users and settings -----------------------------------------------------------------

    def _load_for_user(self) -> None:
        """(Re)load everything that depends on the signed-in user."""
        user = self._bridge.user
        settings = self.settings
        if self._started:  # else finish_start fills them
            self.filter_bar.reload_choices()
        self.parts.load_pipelines()
        self._restore_header()
        try:
            sort = SortKey(settings.get(opts.SORT_KEY))
        except ValueError:
            sort = SortKey.LAST_ACTIVITY
        view = self._query.view
        if view in RESTRICTED and not (user.super_admin or user.can_delete_tickets):
            view = View.ALL_OPEN
        self._query = dataclasses.replace(self._query, view=view, sort=sort,
                                          descending=settings.get(opts.SORT_DESCENDING))
        self.sidebar.reload(counts=self._started)
        self.sidebar.select_key(f"view:{view}", emit=False)
        layout = settings.get(opts.LAYOUT)
        layout = layout if layout in LAYOUT_NAMES else "table"
        # A window opening on its board reads its list's first page when the table or split
        # is first shown: not on the UI thread before the board's first cards.
        self._apply_query(self._query, list_later=layout == "board" and not self._started)
        visible = settings.get(opts.SIDEBAR_VISIBLE)
        self.view_actions["toggle_sidebar"].setChecked(visible)
        self.sidebar.setVisible(visible)
        self.set_layout(layout)

    def _user_changed(self, user: UserInfo) -> None:
        self._update_settings_actions()
        self._save_user_state()
        self.settings = self.settings.for_user(user.email)
        self._load_for_user()
        self.show_status(self.tr("Signed in as %1.").replace("%1", user.name))

    # -- menu commands ----------------------------------------------------------------------

    def save_view(self) -> None:
        try:
            info = self.sidebar.ask_and_save(self._query)
        except HelpDeskError as exc:
            self.show_error(str(exc))
            return
        if info is not None:
            self.show_status(self.tr("Saved the view “%1”.").replace("%1", info.name))

    def new_main_window(self) -> None:
        window = MainWindow(self._bridge, self.store, mail=self.mail)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _obj=None, w=window: self.forget_window(w))
        self._windows.append(window)
        window.show()

    def quit_application(self) -> None:
        self._quitting = True
        for window in list(self._windows):
            window.close()
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()  # type: ignore[attr-defined]

    def _install_notifications(self) -> None:
        from helpdesk_desktop.ui.notifications.install import install_notifications

        self.notifications = install_notifications(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        tray = getattr(getattr(self, "notifications", None), "tray", None)
        if not self._quitting and opts.close_to_tray(self.store) and tray is not None \
                and tray.isVisible():
            event.ignore()  # Preferences › close to tray: the tray menu's Quit ends the program
            self.hide()
            return
        for window in list(self._windows):
            window.close()
        if self._count_stop is not None:  # a count running for a closed window ends
            self._count_stop.set()
        if self._count_after_frame is not None:  # no count started for a closed window
            self._count_after_frame.cancel()
            self._count_after_frame = None
        super().closeEvent(event)

