"""Runs the program's daily upkeep (the day's backup, then the 90-day purge) in the
background: once shortly after start, then again whenever the date changes while the window
stays open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from helpdesk_desktop.ui.bridge import DeskBridge

if TYPE_CHECKING:  # its module imports the trash service and the mapped classes, which the
    # window's first frame does without (the scheduler is made before that frame)
    from helpdesk_desktop.application.upkeep import UpkeepReport

START_DELAY_MS = 5_000  # let the window draw first
CHECK_EVERY_MS = 15 * 60 * 1000


class UpkeepScheduler(QObject):
    """Calls ``Desk.daily_upkeep`` at start and once a day; reports through ``tell``."""

    def __init__(self, bridge: DeskBridge, tell: Callable[[str, bool], None],
                 parent: QObject | None = None, *, today: Callable[[], dt.date] = dt.date.today
                 ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._tell = tell
        self._today = today
        self._last_run: dt.date | None = None
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.run_if_due)
        self.timer.start()
        QTimer.singleShot(START_DELAY_MS, self, self.run_if_due)

    def run_if_due(self) -> None:
        if self._running or self._last_run == self._today():
            return
        self._running = True
        self._bridge.run(lambda desk, _progress: desk.daily_upkeep(), self._done, self._failed,
                         owner=self)

    def _done(self, report: UpkeepReport) -> None:
        self._running = False
        self._last_run = self._today()
        if report.problem:
            self._tell(report.problem, True)
            return
        parts = []
        if report.backup is not None:
            parts.append(QCoreApplication.translate("Upkeep", "Daily backup saved."))
        if report.purge is not None and report.purge.removed_ticket_ids:
            count = len(report.purge.removed_ticket_ids)
            parts.append(QCoreApplication.translate(
                "Upkeep", "%n tickets older than 90 days were deleted for good from Spam "
                          "and Recently deleted.", None, count))
        if parts:
            self._tell(" ".join(parts), False)

    def _failed(self, message: str) -> None:
        self._running = False
        self._last_run = self._today()  # tried today; said why; tomorrow tries again
        self._tell(QCoreApplication.translate("Upkeep", "Daily upkeep failed: {0}")
                   .replace("{0}", message), True)
