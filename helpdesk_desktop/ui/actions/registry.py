"""One QAction per ticket action definition, created once; menus are filled from them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from helpdesk_desktop.resources import icon_path
from helpdesk_desktop.ui.actions.spec import (
    ActionContext,
    ActionHost,
    MenuKind,
    TicketActionSpec,
    menu_entries,
)


def icon(name: str | None) -> QIcon:
    """An SVG icon shipped in the package (empty icon when missing)."""
    if not name:
        return QIcon()
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else QIcon()


def tr(text: str) -> str:
    return QCoreApplication.translate("TicketActions", text)


class ActionRegistry(QObject):
    """Holds a QAction per definition; :meth:`update` applies the enabled rules for a context,
    :meth:`fill_menu` places them. Shortcuts work once the actions are added to the window."""

    def __init__(self, specs: Sequence[TicketActionSpec], host: ActionHost,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.specs = list(specs)
        self.host = host
        self.context: ActionContext | None = None
        self.actions: dict[str, QAction] = {}
        for spec in self.specs:
            action = QAction(icon(spec.icon), tr(spec.text), self)
            action.setObjectName(f"action.{spec.name}")
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            if spec.status_tip:
                action.setStatusTip(tr(spec.status_tip))
            action.triggered.connect(lambda _checked=False, s=spec: self.trigger(s.name))
            self.actions[spec.name] = action

    def spec(self, name: str) -> TicketActionSpec:
        return next(s for s in self.specs if s.name == name)

    def update(self, ctx: ActionContext) -> None:
        """Enable/disable every action for ``ctx``; a disabled one says why in its tooltip."""
        self.context = ctx
        for spec in self.specs:
            action = self.actions[spec.name]
            reason = spec.rule(ctx)
            action.setEnabled(reason is None)
            hidden = spec.hide_when is not None and spec.hide_when(ctx)
            action.setVisible(not hidden)
            tip = tr(spec.text).replace("&", "")
            if reason is not None:
                tip = f"{tip} — {tr(reason)}"
            action.setToolTip(tip)

    def trigger(self, name: str) -> None:
        """Run an action's handler, re-checking its rule (shortcuts bypass menus)."""
        ctx = self.context
        if ctx is None:
            return
        spec = self.spec(name)
        reason = spec.rule(ctx)
        if reason is not None:
            self.host.show_status(tr(reason))
            return
        spec.handler(self.host, ctx)

    def fill_menu(self, menu: QMenu, kind: MenuKind) -> None:
        """Replace ``menu``'s contents with the actions offered in ``kind`` for the context."""
        menu.clear()
        menu.setToolTipsVisible(True)
        if self.context is None:
            return
        for entry in menu_entries(self.specs, self.context, kind):
            if entry is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[entry.name])

    def add_shortcuts_to(self, widget: QWidget) -> None:
        for action in self.actions.values():
            widget.addAction(action)
