"""Where an opened ticket shows: the panel beside the list, or a window of its own.

In the split layout the panel is always there. In the table and board layouts it appears on the
right when a ticket is opened (double-click or Enter) and closes with its ✕ button or Esc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QMenu, QToolButton, QVBoxLayout, QWidget

from helpdesk_desktop.ui import undo
from helpdesk_desktop.ui.actions.registry import ActionRegistry, icon
from helpdesk_desktop.ui.actions.spec import ActionContext, ActionHost, MenuKind, Selection
from helpdesk_desktop.ui.actions.ticket_actions import all_specs
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.status_bar import StatusBar, show_error
from helpdesk_desktop.ui.ticket_view import TicketView

if TYPE_CHECKING:
    from helpdesk_desktop.ui.main_window import MainWindow


def ticket_context(bridge: DeskBridge, view: TicketView) -> ActionContext:
    """The actions' context for the ticket open in ``view``."""
    detail = view.current_detail()
    rows = (detail.row,) if detail is not None else ()
    return ActionContext(bridge.user, Selection(rows=rows), detail)


def ticket_registry(view: TicketView, host: ActionHost) -> ActionRegistry:
    """The ticket view's own actions, on the ticket it shows: its menus, and its shortcuts
    while the focus is inside it (the list's actions keep the list's selection)."""
    registry = ActionRegistry(all_specs(), host, lambda: ticket_context(view.bridge, view),
                              view)
    install_ticket_menus(view, registry)
    registry.add_shortcuts_to(view, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
    for signal in (view.ticketOpened, view.ticketChanged):
        signal.connect(lambda _id: registry.refresh())
    view.ticketClosed.connect(registry.refresh)
    registry.refresh()
    return registry


def install_ticket_menus(view: TicketView, registry: ActionRegistry) -> tuple[QMenu, QMenu]:
    """Give ``view`` its Actions drop-down and ⋮ menu, both filled from ``registry`` for the
    open ticket when they pop up."""
    actions = _ticket_menu(view, registry, MenuKind.ACTIONS, "TicketActionsMenu")
    board = _ticket_menu(view, registry, MenuKind.BOARD, "TicketBoardMenu")
    view.set_actions_menu(actions)
    view.set_board_menu(board)
    return actions, board


def _ticket_menu(view: TicketView, registry: ActionRegistry, kind: MenuKind,
                 name: str) -> QMenu:
    menu = QMenu(view)
    menu.setObjectName(name)

    def fill() -> None:
        registry.refresh()
        registry.fill_menu(menu, kind)

    menu.aboutToShow.connect(fill)
    return menu


class TicketPanel(QWidget):
    """The ticket view beside the list, with a ✕ to close it (table and board layouts)."""

    closeRequested = Signal()

    def __init__(self, view: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketPanel")
        self.view = view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("CloseTicketPanel")
        self.close_button.setIcon(icon("close"))
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Close the ticket (Esc)"))
        self.close_button.setAccessibleName(self.tr("Close the ticket"))
        self.close_button.clicked.connect(self.closeRequested)
        top.addStretch(1)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        layout.addWidget(view, 1)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self._escape)

    def set_closable(self, closable: bool) -> None:
        self.close_button.setVisible(closable)

    def _escape(self) -> None:
        if self.close_button.isVisible():
            self.closeRequested.emit()


class TicketWindow(QMainWindow):
    """A ticket in a window of its own ("Open in New Window"), with the same actions."""

    def __init__(self, main: MainWindow, ticket_id: int) -> None:
        super().__init__(None)
        self.setObjectName("TicketWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.main = main
        self._bridge = main.bridge
        self.view = TicketView(main.bridge, self)
        self.setCentralWidget(self.view)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.registry = ActionRegistry(all_specs(), self,
                                       lambda: ticket_context(self._bridge, self.view), self)
        install_ticket_menus(self.view, self.registry)
        self.registry.add_shortcuts_to(self)
        self.view.ticketOpened.connect(self._opened)
        self.view.edited.connect(lambda result: undo.show_result(self, result))
        self.view.ticketClosed.connect(lambda: self.setWindowTitle(self.tr("Ticket")))
        self.view.open_ticket(ticket_id)
        self._opened(ticket_id)
        self.resize(900, 700)

    def _opened(self, _ticket_id: int) -> None:
        detail = self.view.current_detail()
        self.setWindowTitle(detail.row.name if detail is not None else self.tr("Ticket"))
        self.registry.refresh()

    # -- ActionHost -------------------------------------------------------------------------

    @property
    def bridge(self) -> DeskBridge:
        return self._bridge

    def dialog_parent(self) -> QWidget:
        return self

    def open_ticket(self, ticket_id: int, *, new_window: bool = False) -> None:
        self.main.open_ticket(ticket_id, new_window=new_window)

    def show_status(self, message: str, undo: Callable[[], None] | None = None) -> None:
        self.status.show_status(message, undo)

    def show_error(self, message: str) -> None:
        self.status.show_status(message)
        show_error(self, message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.main.forget_window(self)
        super().closeEvent(event)
