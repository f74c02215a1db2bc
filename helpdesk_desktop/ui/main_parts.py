"""The parts of the main window that the first frame does not need.

The first frame needs the table only: the split and board layouts are built when chosen, and
the ticket view with its panel and actions (and their modules: the conversation, the composer,
the sanitizer, the card delegate) after the first frame. That keeps their imports, widgets and
reads off the path to the first page (issue 11, B1 and M1; see docs/PERFORMANCE.md). Once the
first frame is shown, the ticket view's modules are imported one per event-loop turn
(:meth:`WindowParts.prepare_ticket_view`); once the start has finished, the view, its panel and
its actions are built hidden, one part per turn (:meth:`WindowParts.build_ticket_view_ahead`),
so that the first open only shows them, as a second open does (issue 11 U: building them in
the open's turn made the first open's stall 30–45 ms longer). An open that comes first builds
what is left at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QWidget

from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui import jobs, undo
from helpdesk_desktop.ui import settings as opts
from helpdesk_desktop.ui.actions.spec import MenuKind

if TYPE_CHECKING:
    from helpdesk_desktop.ui.actions.registry import ActionRegistry
    from helpdesk_desktop.ui.layouts.board import BoardLayout
    from helpdesk_desktop.ui.layouts.split import SplitLayout
    from helpdesk_desktop.ui.layouts.table import TableLayout
    from helpdesk_desktop.ui.layouts.ticket_panel import TicketPanel
    from helpdesk_desktop.ui.main_window import MainWindow
    from helpdesk_desktop.ui.ticket_view import TicketView

    ListLayout = TableLayout | SplitLayout | BoardLayout

#: The layouts, in the order of the View menu.
LAYOUT_NAMES = ("table", "split", "board")
#: How often a part of the ticket view built ahead looks again whether background jobs are
#: still in flight, and how long in all it waits for them before it is built anyway.
AHEAD_POLL_MS = 40
AHEAD_WAIT_MS = 2_000
#: How long after the list last scrolled a part of the ticket view built ahead waits (a part
#: is 5–30 ms of the UI thread: run between two pages of a scroll, it made that page slow).
SCROLL_QUIET_MS = 300

def _ticket_view_modules() -> Iterator[None]:
    """Import the modules the ticket view needs beyond the first frame's, each after those it
    imports, one per ``next()``: :meth:`WindowParts.prepare_ticket_view` takes one per
    event-loop turn (about 45 ms of CPU in all when Python has no bytecode cache to read,
    which the first open paid in the same turn as building the view)."""
    from html import parser  # noqa: F401
    yield
    from helpdesk_desktop.services import dto_later  # noqa: F401 - (the warm-up's, usually)
    yield
    import nh3  # noqa: F401
    yield
    from helpdesk_desktop.services import html_sanitize  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import labels, safe_html  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import conversation  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import composer  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import cards  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import conflict, header  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import replying  # noqa: F401
    yield
    from helpdesk_desktop.ui.ticket_view import view  # noqa: F401
    yield
    from helpdesk_desktop.ui.layouts import ticket_panel  # noqa: F401


class WindowParts:
    """Builds the window's split and board layouts and its ticket view when first asked for.

    ``has_…`` says whether a part exists without building it: what the window does to a part
    the user has not seen yet (a query to show, a ticket to keep selected) waits until the part
    is built, which then reads the window's state.
    """

    def __init__(self, window: MainWindow, table: TableLayout) -> None:
        self._window = window
        self.layouts: dict[str, ListLayout] = {"table": table}
        self._ticket_view: TicketView | None = None
        self._ticket_panel: TicketPanel | None = None
        self._ticket_registry: ActionRegistry | None = None
        self._stand_in: QWidget | None = None  # in the ticket panel's place until it is built
        self._modules = _ticket_view_modules()
        self._building = self._ticket_view_steps()
        self._finished = False
        self._needed_now = False
        self._scrolled_at = -1e9  # time.monotonic() of the list's last scroll
        table.view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._wire_layout(table)

    # -- layouts ----------------------------------------------------------------------------

    def layout(self, name: str) -> ListLayout:
        """The layout called ``name``, built now if it was not yet."""
        if name not in self.layouts:
            if name == "split":
                self._build_split()
            elif name == "board":
                self._build_board()
            else:
                raise ValueError(f"Unknown layout {name!r}")
        return self.layouts[name]

    def has(self, name: str) -> bool:
        return name in self.layouts

    def board_if_built(self) -> BoardLayout | None:
        board = self.layouts.get("board")
        return board  # type: ignore[return-value]

    def _wire_layout(self, layout: ListLayout) -> None:
        window = self._window
        layout.openRequested.connect(window.open_ticket)
        layout.selectionChanged.connect(window._selection_changed)
        layout.contextMenuRequested.connect(
            lambda pos: window.popup_menu(MenuKind.CONTEXT, pos))

    def _add(self, name: str, layout: ListLayout) -> None:
        self.layouts[name] = layout
        self._window.stack.addWidget(layout)
        self._wire_layout(layout)

    def _build_split(self) -> None:
        from helpdesk_desktop.ui.layouts.split import SplitLayout

        window = self._window
        self._add("split", SplitLayout(window.model, window))

    def _build_board(self) -> None:
        from helpdesk_desktop.ui.layouts.board import BoardLayout

        window = self._window
        board = BoardLayout(window.bridge, window)
        board.on_refused = window._board_refused
        board.on_moved = window._board_moved
        board.cardMenuRequested.connect(lambda pos: window.popup_menu(MenuKind.BOARD, pos))
        self.load_pipelines(board)
        board.pipelineChanged.connect(
            lambda pid: window.settings.set(opts.BOARD_PIPELINE_ID, pid))
        board.set_query(window.query)
        window.bridge.follow(board, window)
        self._add("board", board)

    def load_pipelines(self, board: BoardLayout | None = None) -> None:
        """Give the board the workspace's pipelines and the user's chosen one (if it is
        built: a board built later reads them then)."""
        board = board or self.board_if_built()
        if board is None:
            return
        try:
            pipelines = self._window.bridge.desk.pipelines()
        except HelpDeskError:
            pipelines = []
        board.set_pipelines(pipelines, self._window.settings.get(opts.BOARD_PIPELINE_ID))

    # -- the opened ticket ------------------------------------------------------------------

    @property
    def has_ticket_view(self) -> bool:
        return self._ticket_view is not None

    @property
    def ticket_view(self) -> TicketView:
        if self._ticket_view is None:
            self._build_ticket_view()
        assert self._ticket_view is not None
        return self._ticket_view

    @property
    def ticket_panel(self) -> TicketPanel:
        if self._ticket_panel is None:
            self._build_ticket_view()
        assert self._ticket_panel is not None
        return self._ticket_panel

    @property
    def ticket_registry(self) -> ActionRegistry:
        if self._ticket_registry is None:
            self._build_ticket_view()
        assert self._ticket_registry is not None
        return self._ticket_registry

    def ticket_panel_if_built(self) -> TicketPanel | None:
        return self._ticket_panel

    def panel_slot(self) -> QWidget | None:
        """What stands beside the list: the ticket panel, or its stand-in, or nothing yet."""
        return self._ticket_panel if self._ticket_panel is not None else self._stand_in

    def show_stand_in(self, shown: bool) -> None:
        """Show (or hide) a stand-in where the ticket panel goes while the panel is not built
        (the split layout's first frame: ``layouts/panel_stand_in.py``). The panel takes its
        place when it is built."""
        if self._ticket_panel is not None:
            return
        if self._stand_in is None:
            if not shown:
                return
            from helpdesk_desktop.ui.layouts.panel_stand_in import PanelStandIn

            self._stand_in = PanelStandIn(self._window)
            self._window.content_splitter.addWidget(self._stand_in)
        self._stand_in.setVisible(shown)

    @property
    def ticket_view_finished(self) -> bool:
        """Whether the ticket view's build has nothing left to do, its last turn (the panel
        painted ahead) included."""
        return self._finished

    def prepare_ticket_view(self) -> None:
        """Import the ticket view's modules ahead of its first use, one per event-loop turn
        (the imports and the build in one turn stalled the window ~65 ms, issue 11 U).
        Nothing is built or shown here: :meth:`build_ticket_view_ahead` does that once the
        start has finished."""

        def step() -> None:
            if self._ticket_view is not None:
                return
            wait = self._scroll_wait_ms()
            if wait:
                QTimer.singleShot(wait, self._window, step)
            elif next(self._modules, False) is None:
                QTimer.singleShot(0, self._window, step)

        QTimer.singleShot(0, self._window, step)

    def build_ticket_view_ahead(self) -> None:
        """Build the ticket view, its panel and its actions, hidden, one part per event-loop
        turn (after any imports :meth:`prepare_ticket_view` has not done yet): the first
        open then only shows them. Building them in the open's own turn stalled the window
        30–45 ms more than a second open (issue 11 U). Called once the window's start has
        finished (``MainWindow.started``), never for the first frame; a part waits while
        background jobs are in flight (up to ``AHEAD_WAIT_MS``), so that it does not add to
        the turns that show their results (the counts, the filter menus' choices). An open
        that comes first builds what is left at once."""
        waited = 0

        def step() -> None:
            nonlocal waited
            wait = self._scroll_wait_ms()
            if wait and not self._finished:
                QTimer.singleShot(wait, self._window, step)
            elif jobs.in_flight() and waited < AHEAD_WAIT_MS:
                waited += AHEAD_POLL_MS
                QTimer.singleShot(AHEAD_POLL_MS, self._window, step)
            elif next(self._building, False) is None:
                QTimer.singleShot(0, self._window, step)

        QTimer.singleShot(0, self._window, step)

    def _scrolled(self) -> None:
        self._scrolled_at = time.monotonic()

    def _scroll_wait_ms(self) -> int:
        """How long a part built ahead waits yet: the list scrolled less than
        ``SCROLL_QUIET_MS`` ago (0: it may run now). A scroll goes on page after page; the
        parts wait until it pauses, as an open that comes first builds what is left."""
        left = SCROLL_QUIET_MS - (time.monotonic() - self._scrolled_at) * 1000
        return max(1, int(left)) if left > 0 else 0

    def _build_ticket_view(self) -> None:
        self._needed_now = True  # shown right after: not painted ahead
        for _ in self._building:  # what an ahead build left, all at once
            pass

    def _ticket_view_steps(self) -> Iterator[None]:
        """Build the ticket view in parts, one per ``next()``; the window sees it (``has_…``)
        only when it is whole, added to the splitter and wired."""
        yield from self._modules
        from helpdesk_desktop.ui.layouts.ticket_panel import TicketPanel, ticket_registry
        from helpdesk_desktop.ui.ticket_view import TicketView

        window = self._window
        view = TicketView(window.bridge, window)
        yield
        panel = TicketPanel(view, window)
        panel.hide()  # the caller shows it
        yield
        registry = ticket_registry(view, window)
        yield
        panel.set_closable(window.layout_name != "split")
        panel.closeRequested.connect(window.close_ticket_panel)
        self._ticket_view, self._ticket_panel = view, panel
        self._ticket_registry = registry
        view.ticketOpened.connect(window._ticket_opened)
        view.edited.connect(lambda result: undo.show_result(window, result))
        view.ticketClosed.connect(window._ticket_closed)
        stand_in, self._stand_in = self._stand_in, None
        if stand_in is None:
            window.content_splitter.addWidget(panel)
        else:  # the panel takes the stand-in's place, size and visibility
            shown = not stand_in.isHidden()
            window.content_splitter.replaceWidget(
                window.content_splitter.indexOf(stand_in), panel)
            panel.setVisible(shown)  # (the splitter keeps the panel's own, hidden)
            stand_in.deleteLater()
        if not panel.isVisibleTo(window):  # else kept as the user sees it
            window._restore_splitter()
        yield
        if not self._needed_now:
            _paint_ahead(panel, view, window.content_splitter.size())
        self._finished = True


def _paint_ahead(panel: QWidget, view: TicketView, room: QSize) -> None:
    """Style, lay out and paint the hidden panel once, off-screen, at about the size it gets
    beside the list, showing a ticket: its first show then finds its widgets polished, the
    fonts' and the style's caches warm and most of its layouts done."""
    if panel.isVisible():
        return  # opened meanwhile: painted for real
    panel.ensurePolished()
    panel.resize(max(room.width() // 2, 400), max(room.height(), 300))
    panel.render(QPixmap(panel.size()))  # lays the panel out: the placeholder page
    # A stack gives only its current page a geometry: the ticket's page gets the stack's.
    content = view.stack.widget(1)
    content.resize(view.stack.size())
    content.render(QPixmap(content.size()))


def focus_widget_of(layout: QWidget) -> QWidget:
    """The widget of ``layout`` that takes the focus (the board itself, a list's view)."""
    view = getattr(layout, "view", None)
    return view if isinstance(view, QWidget) else layout


class _FirstFrame(QObject):
    """Calls back once, after ``window`` handled its first UpdateRequest: a top-level window
    paints and flushes its frame while handling that event. The callback is given what
    ``at_frame`` answered as that frame began (what happened between the frame and the
    callback, queued behind it, is not on that frame)."""

    def __init__(self, window: QWidget, callback: Callable[[bool], None],
                 at_frame: Callable[[], bool]) -> None:
        super().__init__(window)
        self._callback = callback
        self._at_frame = at_frame
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            state = self._at_frame()
            # Queued: the frame being painted is finished (and flushed) first.
            QTimer.singleShot(0, self.parent(), lambda: self._callback(state))
            self.deleteLater()
        return False


def after_first_frame(window: QWidget, callback: Callable[[bool], None],
                      at_frame: Callable[[], bool] = lambda: False) -> None:
    """Call ``callback`` on the UI thread once ``window``'s first frame has been painted, with
    what ``at_frame`` answered when that frame began."""
    _FirstFrame(window, callback, at_frame)


class NextFrame(QObject):
    """Calls back once, after ``window``'s next frame is painted (its next UpdateRequest),
    or after ``fallback_ms`` when no frame comes (nothing to paint, a hidden window)."""

    def __init__(self, window: QWidget, callback: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(window)
        self._callback: Callable[[], None] | None = callback
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._call)  # once the frame is painted
        return False

    def _call(self) -> None:
        callback = self._callback
        self.cancel()
        if callback is not None:
            callback()

    @property
    def pending(self) -> bool:
        """Not called back (nor cancelled) yet."""
        return self._callback is not None

    def cancel(self) -> None:
        """Do not call back (if not done yet)."""
        if self._callback is not None:
            self._callback = None
            self.parent().removeEventFilter(self)
            self.deleteLater()


def after_next_frame(window: QWidget, callback: Callable[[], None],
                     fallback_ms: int = 200) -> NextFrame:
    """Call ``callback`` on the UI thread once ``window``'s next frame has been painted (work
    that would slow that frame down waits for it); ``cancel()`` the result to call it off."""
    return NextFrame(window, callback, fallback_ms)
