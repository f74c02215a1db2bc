"""Notifications in the window: the bell with its unread badge, the list under it, and a
desktop notification through the system tray where the platform has one."""

from helpdesk_desktop.ui.notifications.bell import NotificationBell, NotificationPopup
from helpdesk_desktop.ui.notifications.center import NotificationCenter
from helpdesk_desktop.ui.notifications.install import install_notifications

__all__ = ["NotificationBell", "NotificationCenter", "NotificationPopup",
           "install_notifications"]
