"""Puts the notification bell into the main window's tool bar."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow, QToolBar

from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.notifications.bell import NotificationBell
from helpdesk_desktop.ui.notifications.center import NotificationCenter

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class _Window(Protocol):
    @property
    def bridge(self) -> DeskBridge: ...

    def open_ticket(self, ticket_id: int, *, new_window: bool = False) -> None: ...


def install_notifications(main_window: QMainWindow) -> NotificationCenter:
    """Add the bell to ``main_window``'s tool bar (a new one if it has none); the returned
    center keeps the count fresh. ``main_window`` needs ``bridge`` and ``open_ticket``."""
    window: _Window = main_window  # type: ignore[assignment]
    toolbar = main_window.findChild(QToolBar)
    if toolbar is None:
        toolbar = main_window.addToolBar(translate("Notifications", "Notifications"))
        toolbar.setObjectName("NotificationsToolBar")
    center = NotificationCenter(window.bridge, lambda ticket_id: window.open_ticket(ticket_id),
                                main_window)
    bell = NotificationBell(center, toolbar)
    toolbar.addWidget(bell)
    center.bell = bell
    return center
