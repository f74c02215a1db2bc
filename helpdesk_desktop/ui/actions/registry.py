"""One QAction per ticket action definition, created once; menus are filled from them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt
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

#: The icons made so far, by name: a QIcon is implicitly shared, so each registry (the list's,
#: each ticket view's) and button reuses one instead of a stat and a new icon per action.
_ICONS: dict[str, QIcon] = {}


def icon(name: str | None) -> QIcon:
    """An SVG icon shipped in the package (empty icon when missing)."""
    if not name:
        return QIcon()
    made = _ICONS.get(name)
    if made is None:
        path = icon_path(name)
        made = _ICONS[name] = QIcon(str(path)) if path.exists() else QIcon()
    return QIcon(made)  # a shared copy: a caller that adds to it changes its own


def tr(text: str) -> str:
    return QCoreApplication.translate("TicketActions", text)


def shortcuts_of(spec: TicketActionSpec) -> list[QKeySequence]:
    """The keys of an action: the platform's standard keys when the spec names some and the
    platform has them (Print, Delete), else its own ``shortcut``."""
    if spec.standard is not None:
        platform = QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, spec.standard))
        if platform:
            return list(platform)
    return [QKeySequence(spec.shortcut)] if spec.shortcut else []


class ActionRegistry(QObject):
    """Holds a QAction per definition for one place (the list, or one ticket view), whose
    context ``context_of()`` gives: :meth:`update` applies the enabled rules for it,
    :meth:`fill_menu` places the actions, :meth:`trigger` runs a handler on the context as it
    is at that moment. A window has one registry per place, never a shared mutable context."""

    def __init__(self, specs: Sequence[TicketActionSpec], host: ActionHost,
                 context_of: Callable[[], ActionContext],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.specs = list(specs)
        self.host = host
        self.context_of = context_of
        self.context: ActionContext | None = None  # the context the actions were updated for
        self.actions: dict[str, QAction] = {}
        for spec in self.specs:
            action = QAction(icon(spec.icon), tr(spec.text), self)
            action.setObjectName(f"action.{spec.name}")
            action.setShortcuts(shortcuts_of(spec))
            if spec.status_tip:
                action.setStatusTip(tr(spec.status_tip))
            action.triggered.connect(lambda _checked=False, s=spec: self.trigger(s.name))
            self.actions[spec.name] = action

    def spec(self, name: str) -> TicketActionSpec:
        return next(s for s in self.specs if s.name == name)

    def refresh(self) -> None:
        """:meth:`update` for the place's current context."""
        self.update(self.context_of())

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
        """Run an action's handler on the place's context now, re-checking its rule
        (shortcuts bypass menus)."""
        ctx = self.context_of()
        spec = self.spec(name)
        reason = spec.rule(ctx)
        if reason is not None:
            self.host.show_status(tr(reason))
            return
        text = tr(spec.text).replace("&", "").removesuffix("…").removesuffix("...")
        spec.handler(self.host, dataclasses.replace(ctx, action_text=text))

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

    def add_shortcuts_to(self, *widgets: QWidget,
                         context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut
                         ) -> None:
        """Make the shortcuts work while the focus is in ``widgets`` (``context``)."""
        for action in self.actions.values():
            action.setShortcutContext(context)
            for widget in widgets:
                widget.addAction(action)
