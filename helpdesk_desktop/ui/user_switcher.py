""""Signed in as …" in the status bar. In a local SQLite workspace its menu switches between the
workspace's agents, so that every permission difference can be tried in one window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import UserInfo
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.status_bar import show_error


def describe(user: UserInfo) -> str:
    """A short line of what the user may do, for the menu's tooltips."""
    parts = [user.role, str(user.scope)]
    if user.super_admin:
        parts.append("super admin")
    if user.service_seat:
        parts.append("service seat")
    if user.can_delete_tickets:
        parts.append("delete")
    return ", ".join(parts)


class UserSwitcher(QToolButton):
    """Shows who is signed in; with ``switchable``, a menu of the workspace's agents."""

    def __init__(self, bridge: DeskBridge, switchable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UserSwitcher")
        self.bridge = bridge
        self.switchable = switchable
        self.setIcon(icon("user"))
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.menu_ = QMenu(self)
        self.menu_.setObjectName("UserSwitcherMenu")
        self.menu_.aboutToShow.connect(self._fill)
        if switchable:
            self.setMenu(self.menu_)
            self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bridge.userChanged.connect(self._user_changed)
        self._show_user()

    def _user_changed(self, _user: UserInfo) -> None:
        self._show_user()

    def _show_user(self) -> None:
        user = self.bridge.user
        self.setText(self.tr("Signed in as %1").replace("%1", user.name))
        self.setAccessibleName(self.text())
        self.setToolTip(self.tr("Switch to another agent of this workspace")
                        if self.switchable else describe(user))

    def _fill(self) -> None:
        self.menu_.clear()
        group = QActionGroup(self.menu_)
        try:
            users = self.bridge.desk.users()
        except HelpDeskError:
            users = []
        for user in users:
            if not (user.help_desk_access or user.super_admin):
                continue
            action = QAction(f"{user.name} <{user.email}>", self.menu_)
            action.setObjectName(f"user.{user.id}")
            action.setCheckable(True)
            action.setChecked(user.id == self.bridge.user.id)
            action.setToolTip(describe(user))
            action.triggered.connect(lambda _c=False, uid=user.id: self.switch_to(uid))
            group.addAction(action)
            self.menu_.addAction(action)
        self.menu_.setToolTipsVisible(True)

    def switch_to(self, user_id: int) -> None:
        if user_id == self.bridge.user.id:
            return
        try:
            self.bridge.switch_user(user_id)
        except HelpDeskError as exc:  # e.g. deactivated meanwhile
            show_error(self.window(), str(exc))
