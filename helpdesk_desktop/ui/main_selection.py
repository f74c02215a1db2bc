"""What the main window's ticket actions act on, its menus, and its pane keys and drops.

:class:`WindowSelection` is a part of :class:`~.main_window.MainWindow` (a mixin): the
selection the actions act on (checked tickets, else the highlighted ones, or every matching
ticket), the Actions menu, right-click and card menus and the selection bar filled from it,
F6 between the panes, Ctrl+F into the search field, and mail files dropped on the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from helpdesk_desktop.services.dto import BulkResult
from helpdesk_desktop.ui import undo
from helpdesk_desktop.ui.actions.spec import ActionContext, MenuKind, Selection, menu_entries
from helpdesk_desktop.ui.dropped_files import dropped_paths
from helpdesk_desktop.ui.main_parts import focus_widget_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QLineEdit

    from helpdesk_desktop.services.dto import TicketQuery
    from helpdesk_desktop.ui.actions.registry import ActionRegistry
    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.layouts.board import BoardLayout
    from helpdesk_desktop.ui.layouts.split import SplitLayout
    from helpdesk_desktop.ui.layouts.table import TableLayout
    from helpdesk_desktop.ui.main_parts import WindowParts
    from helpdesk_desktop.ui.models.ticket_model import TicketListModel
    from helpdesk_desktop.ui.sidebar_views import SidebarViews
    from helpdesk_desktop.ui.ticket_view import TicketView

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class WindowSelection:
    """The selection, the menus built from it, the pane keys and drops (see the module
    docstring)."""

    if TYPE_CHECKING:  # provided by MainWindow
        _bridge: DeskBridge
        _query: TicketQuery
        _matching_count: int | None
        _shown_context: ActionContext | None
        layout_name: str
        table: TableLayout
        model: TicketListModel
        parts: WindowParts
        registry: ActionRegistry
        actions_menu: QMenu
        context_menu: QMenu | None
        search_field: QLineEdit
        sidebar: SidebarViews

        @property
        def ticket_view(self) -> TicketView: ...
        def current_layout(self) -> TableLayout | SplitLayout | BoardLayout: ...
        def show_status(self, message: str, undo: Callable[[], None] | None = None) -> None: ...
        def import_mail(self, paths: list[str]) -> None: ...

    def current_selection(self) -> Selection:
        """The tickets the list's actions act on (checked, else highlighted)."""
        if self.layout_name == "table" and self.table.all_matching:
            return Selection(rows=tuple(self.model.checked_rows()), all_matching=self._query,
                             all_matching_count=self._matching_count)
        return Selection(rows=tuple(self.current_layout().selected_rows()))

    def list_context(self) -> ActionContext:
        detail = self.ticket_view.current_detail() if self.parts.has_ticket_view else None
        selection = self.current_selection()
        matches = detail is not None and selection.single is not None \
            and selection.single.id == detail.id
        return ActionContext(self._bridge.user, selection, detail if matches else None)

    def _selection_changed(self) -> None:
        ctx = self.list_context()
        # A view change reports the same (empty) selection several times: the model's reset,
        # the selection model, the check boxes; the actions and menus are built once for it.
        if ctx == self._shown_context:
            return
        self._shown_context = ctx
        self.registry.update(ctx)
        self.registry.fill_menu(self.actions_menu, MenuKind.MENU_BAR)
        bulk: list[QAction | None] = []
        for entry in menu_entries(self.registry.specs, ctx, MenuKind.MENU_BAR):
            if entry is None:
                if bulk and bulk[-1] is not None:
                    bulk.append(None)
            elif entry.enabled:
                bulk.append(self.registry.actions[entry.name])
        self.table.selection_bar.set_actions(bulk[:-1] if bulk and bulk[-1] is None else bulk)

    def fill_actions_menu(self) -> None:
        self._shown_context = None
        self.registry.update(self.list_context())
        self.registry.fill_menu(self.actions_menu, MenuKind.MENU_BAR)

    def popup_menu(self, kind: MenuKind, global_pos: object) -> QMenu:
        """The right-click (or card ⋮) menu for the selection, shown at ``global_pos``."""
        self.registry.update(self.list_context())
        assert isinstance(self, QWidget)
        menu = QMenu(self)
        menu.setObjectName("TicketContextMenu" if kind is MenuKind.CONTEXT else "CardMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.registry.fill_menu(menu, kind)
        self.context_menu = menu
        menu.popup(global_pos)  # type: ignore[arg-type]
        return menu

    def _board_moved(self, result: BulkResult) -> None:
        undo.show_result(self, result)

    def _board_refused(self, message: str) -> None:
        self.show_status(translate("MainWindow", "The card was put back: %1").replace("%1", message))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.import_mail(paths)

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def focus_next_pane(self) -> None:
        """F6: views panel → ticket list → opened ticket → views panel."""
        layout = self.current_layout()
        columns = getattr(layout, "columns", None)
        list_widget = columns[0].view if columns else focus_widget_of(layout)
        panel = self.parts.ticket_panel_if_built()
        ticket_view = panel.view if panel is not None else None
        panes: list[QWidget] = [w for w in (self.sidebar.list, list_widget, ticket_view)
                                if w is not None and w.isVisible()]
        focused = QApplication.focusWidget()
        index = next((i for i, pane in enumerate(panes)
                      if focused is not None and (focused is pane or pane.isAncestorOf(focused))),
                     -1)
        target = panes[(index + 1) % len(panes)] if panes else None
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)
            if target is ticket_view:
                target.focusNextChild()
