"""Puts the notification bell into the main window's tool bar."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon, QToolBar

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
    if center.tray is not None:
        center.tray.setContextMenu(tray_menu(center, main_window))
        def activated(reason: QSystemTrayIcon.ActivationReason) -> None:
            if reason == QSystemTrayIcon.ActivationReason.Trigger:
                bring_to_front(main_window)

        center.tray.activated.connect(activated)
    return center


def bring_to_front(window: QMainWindow) -> None:
    """Show ``window`` (also from the tray or minimized) and give it the focus."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def tray_menu(center: NotificationCenter, main_window: QMainWindow) -> QMenu:
    """The tray icon's menu: open the window, pause notifications, quit."""
    menu = QMenu(main_window)
    menu.setObjectName("TrayMenu")
    open_action = menu.addAction(translate("Notifications", "&Open Help Desk"))
    open_action.setObjectName("tray.open")
    open_action.triggered.connect(lambda: bring_to_front(main_window))
    pause = menu.addAction(translate("Notifications", "&Pause Notifications"))
    pause.setObjectName("tray.pause")
    pause.setCheckable(True)
    pause.toggled.connect(lambda checked: setattr(center, "paused", checked))
    menu.addSeparator()
    quit_action = menu.addAction(translate("Notifications", "&Quit"))
    quit_action.setObjectName("tray.quit")
    quit_action.triggered.connect(getattr(main_window, "quit_application", main_window.close))
    return menu
