"""Starting the window: the QApplication, the database, who signs in, and the main window.

This is the composition root of the Qt face: Database → Desk → DeskBridge → MainWindow. A
database that cannot be opened is reported in one message box, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from helpdesk_desktop import __version__, startup_gc
from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.application.diagnostics import log_file, start_logging
from helpdesk_desktop.application.startup import Database
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui import jobs
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.guard import alive
from helpdesk_desktop.ui.i18n import effective_language, install_translations, preferred_language
from helpdesk_desktop.ui.mail_service import MailService
from helpdesk_desktop.ui.main_window import MainWindow
from helpdesk_desktop.ui.single_instance import SingleInstance, hand_over, instance_key

if TYPE_CHECKING:  # the message boxes, progress dialogs and first-run page when used
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from helpdesk_desktop.ui.first_run import FirstRunPage
    from helpdesk_desktop.ui.upkeep import UpkeepScheduler

log = logging.getLogger(__name__)
ORGANIZATION = "HelpDeskDesktop"
APPLICATION = "Help Desk Desktop"
DESKTOP_FILE_NAME = "helpdesk-desktop"


def tell_error(message: str, parent: Any = None) -> None:
    """The one message box of a failed start."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, APPLICATION, message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("StartError")
    box.exec()


def upgrade_showing_progress(work: Callable[[], Any]) -> Any:
    """Run ``work`` (the database's backup and upgrade at start-up: a minute or more for a
    big file) on another thread while a busy dialog says what happens; its result, or its
    exception raised here."""
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(QApplication.translate(
        "App", "Upgrading the database to this version (after a backup). A large "
               "workspace can take a few minutes…"), "", 0, 0)
    dialog.setObjectName("UpgradeProgress")
    dialog.setWindowTitle(APPLICATION)
    dialog.setCancelButton(None)  # type: ignore[arg-type]
    dialog.setMinimumDuration(0)
    dialog.show()
    outcome: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # noqa: BLE001 - raised again on the UI thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="database-upgrade", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    thread.start()
    timer.start()
    loop.exec()
    timer.stop()
    thread.join()
    dialog.close()
    dialog.deleteLater()
    if failure:
        raise failure[0]
    return outcome[0]


def error_message(exc: BaseException) -> str:
    """The one sentence a user sees for an error nothing else caught; it says where the log
    with the details is (Help › Show Log Folder opens it)."""
    if isinstance(exc, HelpDeskError):
        return str(exc)
    return QApplication.translate(
        "App", "Something went wrong; the last action may not have finished. (%1) The details "
               "are in the log file %2 (Help › Show Log Folder).").replace(
            "%1", type(exc).__name__).replace("%2", str(log_file()))


def _qt_message(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    # Qt's own warnings go to the log file too: a windowed build has no stderr.
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def report_unexpected(kind: type[BaseException], exc: BaseException,
                      tb: TracebackType | None) -> None:
    """``sys.excepthook`` while the window runs: an exception that escaped a slot is logged
    with its traceback and shown as one sentence, instead of a traceback on stderr only."""
    from PySide6.QtWidgets import QMessageBox

    log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    box = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, error_message(exc),
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setObjectName("ErrorMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _error_boxes.add(box)  # a box without a parent window lives only as long as a reference
    box.finished.connect(lambda _result: _error_boxes.discard(box))
    box.open()


_error_boxes: set[QMessageBox] = set()


class Launcher(QObject):
    """Holds what the running program is made of, and walks the start-up steps."""

    def __init__(self, database: Database, args: argparse.Namespace,
                 demo_tickets: int | None = None) -> None:
        super().__init__()
        self.database = database
        self.args = args
        self.demo_tickets = demo_tickets  # None: the first-run page's number
        self.window: MainWindow | None = None
        self.bridge: DeskBridge | None = None
        self.mail: MailService | None = None
        self.first_run: FirstRunPage | None = None
        self.progress: QProgressDialog | None = None
        self.failed: str | None = None
        self._job: object | None = None  # keeps the running job (and its signals) alive
        self.upkeep: UpkeepScheduler | None = None

    def start(self) -> None:
        """Show the first-run page, the demo progress, or the main window."""
        if not startup.is_empty(self.database):
            unfinished = startup.interrupted_demo(self.database)
            if unfinished is not None:  # a demo build was interrupted: finish it first
                self._generate_demo(unfinished["tickets"] - unfinished["done"], resume=True)
            else:
                self.open_main(self._user_id())
        elif getattr(self.args, "demo", False):
            self._generate_demo()
        else:
            from helpdesk_desktop.ui.first_run import DEMO_TICKETS, FirstRunPage

            self.first_run = FirstRunPage(self.database, self.demo_tickets or DEMO_TICKETS)
            self.first_run.workspaceReady.connect(self._first_run_done)
            self.first_run.resize(640, 420)
            self.first_run.show()

    def _user_id(self) -> int:
        user_id = startup.default_user_id(self.database, getattr(self.args, "as_user", None))
        if user_id is None:
            raise HelpDeskError("This database holds no user to sign in as.")
        return user_id

    def _first_run_done(self, user_id: int) -> None:
        if self.first_run is not None:
            self.first_run.close()
            self.first_run.deleteLater()
            self.first_run = None
        self.open_main(user_id)

    def _generate_demo(self, tickets: int | None = None, *, resume: bool = False) -> None:
        text = (self.tr("Finishing the demo workspace (its creation was interrupted)…")
                if resume else self.tr("Creating the demo workspace…"))
        from PySide6.QtWidgets import QProgressDialog

        from helpdesk_desktop.ui.first_run import DEMO_TICKETS

        count = self.demo_tickets or DEMO_TICKETS
        dialog = QProgressDialog(text, "", 0, max(1, tickets or count))
        dialog.setObjectName("DemoProgress")
        dialog.setWindowTitle(APPLICATION)
        dialog.setCancelButton(None)  # type: ignore[arg-type]
        dialog.setMinimumDuration(0)
        dialog.setValue(0)
        dialog.show()
        self.progress = dialog
        database = self.database

        def work(progress: jobs.ProgressCallback) -> int:
            if resume:
                startup.finish_demo(database, progress)
            else:
                startup.generate_demo(database, count, progress)
            return 0

        def progressed(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)

        def done(_result: object) -> None:
            dialog.close()
            self.progress = None
            try:
                self.open_main(self._user_id())
            except HelpDeskError as exc:
                self._fail(str(exc))

        self._job = jobs.start(work, done, self._fail, progressed)

    def _fail(self, message: str) -> None:
        self.failed = message
        if self.progress is not None:
            self.progress.close()
        tell_error(message)
        app = QApplication.instance()
        if app is not None:
            app.exit(1)  # type: ignore[attr-defined]

    def open_main(self, user_id: int) -> MainWindow:
        desk = Desk(self.database, user_id)
        self.bridge = DeskBridge(desk)
        self.mail = MailService(self.bridge)
        self.window = MainWindow(self.bridge, mail=self.mail)
        self.mail.passwordNeeded.connect(self.window.ask_mail_password)
        # Mail starts after the first frame, with the window's other deferred reads.
        self.window.started.connect(self.mail.start)
        self.window.show()
        log.info("Main window open on %s as user #%d", desk.database_location(), user_id)
        ticket = getattr(self.args, "ticket", None)
        if ticket:
            self.window.open_ticket(int(ticket))
        if self.upkeep is None and getattr(self.args, "upkeep", True):
            from helpdesk_desktop.ui.upkeep import UpkeepScheduler

            # Owned by the window (destroyed on the UI thread with it), not by the launcher,
            # which Python may collect on a worker thread.
            self.upkeep = UpkeepScheduler(self.bridge, self._tell_upkeep, self.window)
        return self.window

    def take_arguments(self, arguments: list[str]) -> None:
        """A later launch on this database handed over its arguments: come to the front and
        open the ticket it names."""
        from helpdesk_desktop.ui.notifications.install import bring_to_front

        log.info("Arguments handed over by another launch: %s", arguments)
        ticket = handed_ticket(arguments)
        if self.window is None:
            if self.first_run is not None:
                bring_to_front(self.first_run)  # type: ignore[arg-type]
            return
        bring_to_front(self.window)
        if ticket is not None:
            self.window.open_ticket(ticket)

    def _tell_upkeep(self, message: str, problem: bool) -> None:
        window = self.window
        if window is None or not alive(window):
            return
        if problem:
            window.show_error(message)
        else:
            window.show_status(message)

    def shutdown(self) -> None:
        if self.mail is not None:
            self.mail.shutdown()
        if self.bridge is not None:
            self.bridge.shutdown()
        QThreadPool.globalInstance().waitForDone(30000)
        self.database.dispose()


def handed_arguments(args: argparse.Namespace) -> list[str]:
    """What a later launch hands to the window already open on its database."""
    ticket = getattr(args, "ticket", None)
    return ["--ticket", str(ticket)] if ticket else []


def handed_ticket(arguments: list[str]) -> int | None:
    if "--ticket" in arguments[:-1]:
        value = arguments[arguments.index("--ticket") + 1]
        return int(value) if value.isdigit() else None
    return None


def run_gui(args: argparse.Namespace) -> int:
    """Open the window on ``args.db`` (or the default or, with ``--demo``, the demo database),
    signed in as ``args.as_user`` (or the first admin). Returns the exit code.

    When a window is already open on that database, the arguments go to it and this process
    ends (one window process per database)."""
    start_logging()
    previous_handler = qInstallMessageHandler(_qt_message)
    try:
        return _run_gui(args)
    finally:
        qInstallMessageHandler(previous_handler)


def _run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    # Ties the windows to packaging/linux/helpdesk-desktop.desktop (icon and name in docks).
    app.setDesktopFileName(DESKTOP_FILE_NAME)  # type: ignore[attr-defined]
    app.setWindowIcon(icon("app"))  # type: ignore[attr-defined]
    install_translations(app, effective_language(preferred_language()))
    url = getattr(args, "db", None) or (startup.demo_url() if getattr(args, "demo", False)
                                        else startup.default_url())
    try:
        instance = SingleInstance(instance_key(startup.database_identity(url)))
    except (OSError, HelpDeskError) as exc:
        tell_error(str(exc))
        return 1
    if not instance.acquire(listen=False):  # listening once the first frame is painted
        if hand_over(instance.key, handed_arguments(args)):
            log.info("Handed over to the window already open on %s", url)
            return 0
        tell_error(QApplication.translate(
            "App", "Help Desk is already open on this database but does not answer. Close it, "
                   "or wait a moment and try again."))
        return 1
    try:
        while True:
            code = _run_window(app, args, url, instance)
            # The restore's module, once the window is closed (not before the first frame).
            from helpdesk_desktop.ui.backup_actions import RESTART_EXIT_CODE

            if code != RESTART_EXIT_CODE:  # else a restore asks to reopen the database
                return code
    finally:
        instance.release()


def _listen_after_first_page(window: MainWindow | None, instance: SingleInstance) -> None:
    """Answer later launches once ``window``'s first page (or its board's first cards) is
    painted: the channel's thread and modules are not started before it. A launch in between
    retries (hand_over)."""
    if window is None:  # the first-run page or the demo's progress
        instance.listen()
    else:
        window.firstPageShown.connect(instance.listen, Qt.ConnectionType.SingleShotConnection)


def _run_window(app: QApplication, args: argparse.Namespace, url: str,
                instance: SingleInstance) -> int:
    try:
        database = startup.open_database(url, upgrade_runner=upgrade_showing_progress)
    except HelpDeskError as exc:
        tell_error(str(exc))
        return 1
    launcher = Launcher(database, args)
    instance.argumentsReceived.connect(launcher.take_arguments)
    try:
        launcher.start()
        _listen_after_first_page(launcher.window, instance)
    except HelpDeskError as exc:
        tell_error(str(exc))
        database.dispose()
        return 1
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback on screen
        log.error("Start-up failed:\n%s", traceback.format_exc())
        tell_error(QApplication.translate("App", "The window could not open: %1").replace(
            "%1", f"{type(exc).__name__}: {exc}"))
        database.dispose()
        return 1
    startup_gc.resume()  # the window resumed it when it opened; not yet when it has not
    previous_hook, sys.excepthook = sys.excepthook, report_unexpected
    code = 1  # (if the event loop raised, its error goes on after the clean-up below)
    try:
        code = app.exec()  # type: ignore[attr-defined]
    finally:
        sys.excepthook = previous_hook
        launcher.shutdown()
        from helpdesk_desktop.ui.backup_actions import RESTART_EXIT_CODE

        if code == RESTART_EXIT_CODE:
            for widget in QApplication.topLevelWidgets():
                widget.close()
                widget.deleteLater()
    return int(code)
