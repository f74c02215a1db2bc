"""Keeps the unread count fresh (a poll every 30 s, and after every write from elsewhere) and
raises desktop notifications for new ones. The count is read off the UI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import NotificationInfo
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

POLL_MS = 30_000
Seen = tuple[int, list[NotificationInfo] | None]  # the unread count, the newest unread
LIST_LIMIT = 50



class NotificationCenter(QObject):
    """The signed-in user's notifications, as the bell and the tray see them.

    Notifications are written by other agents' programs too, so the count is polled; a write
    made here refreshes it at once (coalesced, so a burst of changes costs one query).
    """

    countChanged = Signal(int)
    notified = Signal(object)  # NotificationInfo: a new one arrived since the last look
    failed = Signal(str)

    def __init__(self, bridge: DeskBridge, open_ticket: Callable[[int], None],
                 parent: QObject | None = None, *, poll_ms: int = POLL_MS,
                 tray: QSystemTrayIcon | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.open_ticket = open_ticket
        self.count = 0
        self._newest_seen: int | None = None  # id of the newest notification already announced
        self._last_announced: NotificationInfo | None = None
        self.bell: QWidget | None = None  # set by install_notifications
        #: Tray menu › Pause Notifications: the bell still counts, the tray stays silent.
        self.paused = False
        self.tray = tray if tray is not None else self._make_tray()
        if self.tray is not None:
            self.tray.messageClicked.connect(self._open_announced)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.refresh)
        self.poll_timer.start()
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.refresh)
        self._reads = 0  # the latest read of the count (a later one wins)
        # Bound methods, not lambdas: Qt drops the connection when this object is deleted.
        bridge.changed.connect(self._data_changed)
        bridge.userChanged.connect(self._user_changed)
        self.refresh()

    def _make_tray(self) -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        app_icon = icon("app")
        tray = QSystemTrayIcon(app_icon if not app_icon.isNull() else icon("bell"), self)
        tray.setToolTip(translate("Notifications", "Help Desk"))
        tray.show()
        return tray

    def _data_changed(self, _result: object) -> None:
        if self.bridge.origin() is not None:
            return  # an operation of this user's: one's own changes never notify oneself
        self._soon.start()

    # -- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the unread count off the UI thread; announce notifications that arrived since
        the last look (read in the same job when the count says there may be some)."""
        self._read(False)

    def _read(self, mark_read: list[int] | None | bool,
              then: Callable[[], None] | None = None) -> None:
        """One job: mark notifications read first when ``mark_read`` is not ``False`` (a list
        of ids, or ``None`` for all), then the count, then the newest unread ones if needed.
        A later read's answer wins over an earlier one that comes back late."""
        self._reads += 1
        stamp = self._reads
        count_seen, first_look = self.count, self._newest_seen is None
        marking = mark_read is not False
        ids = mark_read if isinstance(mark_read, list) else None

        def work(desk: Desk, _progress: ProgressCallback) -> Seen:
            if marking:
                desk.mark_notifications_read(ids)
            count = desk.unread_notification_count()
            unread = None
            if count > 0 and (count != count_seen or first_look):
                unread = desk.notifications(limit=10, unread_only=True)
            return count, unread

        def done(seen: Seen) -> None:
            if stamp == self._reads:
                self._apply(*seen)
            if then is not None:
                then()

        def failed(message: str) -> None:
            self.failed.emit(message)
            if then is not None:
                then()

        self.bridge.run(work, done, failed, owner=self, origin=self if marking else None)

    def _apply(self, count: int, unread: list[NotificationInfo] | None) -> None:
        if unread is not None:
            self._announce_new(unread)
        elif self._newest_seen is None:
            self._newest_seen = 0
        if count != self.count:
            self.count = count
            self.countChanged.emit(count)

    def _announce_new(self, unread: list[NotificationInfo]) -> None:
        first_look = self._newest_seen is None
        newest_seen = self._newest_seen or 0
        fresh = [n for n in unread if n.id > newest_seen]
        if unread:
            self._newest_seen = max(newest_seen, max(n.id for n in unread))
        elif first_look:
            self._newest_seen = 0
        # What was already unread when the window opened is not news.
        if first_look or not fresh:
            return
        latest = fresh[0]
        self._last_announced = latest
        self.notified.emit(latest)
        if self.tray is not None and not self.paused and QSystemTrayIcon.supportsMessages():
            title = translate(
                "Notifications", "#{0} {1}").replace("{0}", str(latest.ticket_id)).replace(
                "{1}", latest.ticket_name)
            body = latest.summary + (f" — {latest.actor}" if latest.actor else "")
            if len(fresh) > 1:
                body += "\n" + translate(
                    "Notifications", "and {0} more").replace("{0}", str(len(fresh) - 1))
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 8000)

    def notifications(self) -> list[NotificationInfo]:
        try:
            return self.bridge.desk.notifications(limit=LIST_LIMIT)
        except HelpDeskError as exc:
            self.failed.emit(str(exc))
            return []

    # -- writing ----------------------------------------------------------------------------

    def mark_read(self, notification_ids: list[int] | None,
                  then: Callable[[], None] | None = None) -> None:
        """Mark some (or, with ``None``, all) notifications read and read the count again,
        off the UI thread; then call ``then``."""
        self._read(notification_ids, then)

    def open_notification(self, notification: NotificationInfo) -> None:
        if not notification.read:
            self.mark_read([notification.id])
        self.open_ticket(notification.ticket_id)

    def _open_announced(self) -> None:
        if self._last_announced is not None:
            self.open_notification(self._last_announced)

    def _user_changed(self, _user: object) -> None:
        self._newest_seen = None
        self._last_announced = None
        self.refresh()
