"""The window's e-mail traffic: one background watcher per connected inbox (IMAP IDLE, else
polling) and a background sender flushing the outbox, all off the UI thread.

Created once by the composition root and shared by every main window. It uses its own
facade (the same database and user) so that its writes, made on its threads, reach the views
through :attr:`DeskBridge.changed` on the UI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.ui.bridge import DeskBridge

if TYPE_CHECKING:
    from helpdesk_desktop.services.mail.accounts import MailAccountInfo

log = logging.getLogger(__name__)
SEND_INTERVAL_MS = 5000


@dataclass(frozen=True)
class InboxState:
    """What the status bar shows for one inbox."""

    inbox: str
    state: str  # connecting, connected, fetching, idle, error, stopped
    detail: str = ""
    last_error: str = ""


class _Watcher:
    def __init__(self, account: MailAccountInfo, thread: threading.Thread,
                 stop: threading.Event) -> None:
        self.account, self.thread, self.stop = account, thread, stop


class MailService(QObject):
    """Fetches and sends in the background while the window runs."""

    stateChanged = Signal(object)  # InboxState
    passwordNeeded = Signal(object, str)  # MailAccountInfo, why there is no keyring
    sendReport = Signal(str)  # a flush's sentence, when something happened
    replyQueued = Signal(int, int)  # outbox id, seconds before it leaves (undo-send)
    _changed = Signal(object)  # OpResult from a worker thread
    _state = Signal(str, str, str)  # inbox, state, detail from a worker thread
    _flushed = Signal(object)  # FlushReport or an error sentence
    _loaded = Signal(object)  # [(account, needs a password, keyring problem)]

    def __init__(self, bridge: DeskBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._desk: Desk = bridge.desk.as_user(bridge.user.id)
        self._desk.subscribe(self._changed.emit)
        self._changed.connect(self._forward)
        bridge.changed.connect(self._on_bridge_changed)
        self._state.connect(self._on_state)
        self._flushed.connect(self._on_flushed)
        self._loaded.connect(self._on_loaded)
        self._watchers: dict[int, _Watcher] = {}
        self._states: dict[str, InboxState] = {}
        self._asked: set[int] = set()
        self._flushing = False
        self._sender: threading.Thread | None = None
        self._stopped = False
        self.send_timer = QTimer(self)
        self.send_timer.setInterval(SEND_INTERVAL_MS)
        self.send_timer.timeout.connect(self.flush_now)

    @property
    def states(self) -> dict[str, InboxState]:
        return dict(self._states)

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Watch every connected inbox and start the sender. The accounts and their secrets
        are read on a worker thread (a keyring may take a moment to answer)."""
        self._stopped = False

        def load() -> None:
            try:
                accounts = self._desk.mail_accounts()
                checked = [(a, self._desk.needs_password(a), self._desk.keyring_problem())
                           for a in accounts]
            except HelpDeskError as exc:
                log.warning("Mail accounts unavailable: %s", exc)
                checked = []
            self._loaded.emit(checked)

        threading.Thread(target=load, name="mail-accounts", daemon=True).start()
        self.send_timer.start()
        self.flush_now()

    def _on_loaded(self, checked: list[tuple[MailAccountInfo, bool, str | None]]) -> None:
        if self._stopped:
            return
        for account, needs_password, problem in checked:
            self._start_watcher(account, needs_password, problem)

    def restart(self) -> None:
        """After the inbox settings changed. The old watchers are told to stop but not waited
        for (one may be inside a 20-second connection attempt): the window never blocks."""
        self.stop_watchers(wait=False)
        self.start()

    def stop_watchers(self, *, wait: bool = True) -> None:
        watchers, self._watchers = list(self._watchers.values()), {}
        for watcher in watchers:
            watcher.stop.set()
        if wait:
            for watcher in watchers:
                watcher.thread.join(5)

    @Slot()
    def shutdown(self) -> None:
        """Stop everything (the window closes); waits at most a few seconds."""
        self._stopped = True
        self.send_timer.stop()
        self.stop_watchers()
        if self._sender is not None:
            self._sender.join(30)

    def _start_watcher(self, account: MailAccountInfo, needs_password: bool,
                       problem: str | None) -> None:
        if needs_password:
            if problem is not None and account.id not in self._asked:
                self._asked.add(account.id)  # asked once per session
                self.passwordNeeded.emit(account, problem)
                return
            # Worded as the services' error for the same case (services/mail/connect.py).
            self._on_state(account.inbox_name, "error", self.tr(
                "No password is stored for the IMAP account %1; enter it in Settings › "
                "Inboxes.").replace("%1", account.imap_user))
            return
        stop = threading.Event()
        name = account.inbox_name

        def on_state(state: str, detail: str) -> None:
            if not stop.is_set():  # a replaced watcher no longer speaks for the inbox
                self._state.emit(name, state, detail)

        def run() -> None:
            try:
                self._desk.watch_inbox(account, stop, on_state)
            except Exception:  # noqa: BLE001 - the thread must never die silently
                log.error("Mail watcher failed:\n%s", traceback.format_exc())
                self._state.emit(name, "error", self.tr("Fetching stopped unexpectedly."))

        thread = threading.Thread(target=run, name=f"mail-watch-{account.inbox_id}",
                                  daemon=True)
        self._watchers[account.inbox_id] = _Watcher(account, thread, stop)
        thread.start()

    def provide_password(self, account: MailAccountInfo, password: str) -> None:
        """The password the user typed when asked (no keyring): use it for this session."""
        self._desk.remember_password(account, password)
        self._start_watcher(account, False, None)

    # -- sending ----------------------------------------------------------------------------

    @Slot()
    def flush_now(self) -> None:
        """Send what is due, on a worker thread (one flush at a time)."""
        if self._flushing or self._stopped:
            return
        self._flushing = True

        def run() -> None:
            try:
                self._flushed.emit(self._desk.flush_outbox())
            except HelpDeskError as exc:
                self._flushed.emit(str(exc))
            except Exception:  # noqa: BLE001
                log.error("Mail sender failed:\n%s", traceback.format_exc())
                self._flushed.emit(self.tr("Sending stopped unexpectedly."))

        self._sender = threading.Thread(target=run, name="mail-send", daemon=True)
        self._sender.start()

    def _on_flushed(self, report: object) -> None:
        self._flushing = False
        if isinstance(report, str):
            self.sendReport.emit(report)
        elif report.sent or report.retrying or report.failed:  # type: ignore[attr-defined]
            self.sendReport.emit(report.sentence())  # type: ignore[attr-defined]

    def schedule_flush(self, delay_ms: int) -> None:
        """Flush when an undo-send delay ends (besides the regular interval)."""
        QTimer.singleShot(max(delay_ms, 0) + 200, self, self.flush_now)

    def _on_bridge_changed(self, result: OpResult) -> None:
        payload = result.payload if isinstance(result, OpResult) else None
        send_after = getattr(payload, "send_after", None)
        outbox_id = getattr(payload, "outbox_id", None)
        if not isinstance(send_after, dt.datetime) or not isinstance(outbox_id, int):
            return
        seconds = max((send_after - self._desk.clock()).total_seconds(), 0.0)
        self.replyQueued.emit(outbox_id, round(seconds))
        self.schedule_flush(int(seconds * 1000))

    # -- UI thread --------------------------------------------------------------------------

    def _forward(self, result: OpResult) -> None:
        self._bridge.changed.emit(result)

    def _on_state(self, inbox: str, state: str, detail: str) -> None:
        previous = self._states.get(inbox)
        last_error = detail if state == "error" else (previous.last_error if previous else "")
        current = InboxState(inbox, state, detail, last_error)
        self._states[inbox] = current
        self.stateChanged.emit(current)
