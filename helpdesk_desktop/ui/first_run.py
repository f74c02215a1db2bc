"""The first-run page: on a new, empty database, create the workspace (first admin user, help desk
inbox, default pipeline) or load the demo data (in the background, with progress)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.startup import Database
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui import formatting, jobs
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.jobs import Job

DEMO_TICKETS = 2000


class FirstRunPage(QWidget):
    """Asks for the first admin, or loads the demo. Emits :attr:`workspaceReady` with the id
    of the user to sign in as."""

    workspaceReady = Signal(int)

    def __init__(self, database: Database, demo_tickets: int = DEMO_TICKETS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstRun")
        self.setWindowTitle(self.tr("Welcome to Help Desk"))
        self.setWindowIcon(icon("app"))
        self.database = database
        self.demo_tickets = demo_tickets
        self._job: Job[Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        title = QLabel(self.tr("Welcome to Help Desk"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "This database is empty. Create your workspace — you become its first "
            "administrator, with a help desk inbox and a default pipeline — or load the demo "
            "data to look around."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("AdminName")
        self.name.setAccessibleName(self.tr("Your name"))
        self.email = QLineEdit(self)
        self.email.setObjectName("AdminEmail")
        self.email.setAccessibleName(self.tr("Your e-mail address"))
        self.email.setPlaceholderText(self.tr("you@example.com", "an e-mail address as an example"))
        form.addRow(self.tr("Your &name:"), self.name)
        form.addRow(self.tr("Your &e-mail:"), self.email)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("FirstRunError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #e0383e")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.create_button = QPushButton(self.tr("&Create workspace"), self)
        self.create_button.setObjectName("CreateWorkspace")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_workspace)
        self.demo_button = QPushButton(self.tr("Load the &demo (%1 tickets)").replace(
            "%1", formatting.number(demo_tickets)), self)
        self.demo_button.setObjectName("LoadDemo")
        self.demo_button.clicked.connect(self.load_demo)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("DemoProgress")
        self.progress.setAccessibleName(self.tr("Demo data progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        layout.addStretch(1)
        self.name.returnPressed.connect(self.email.setFocus)
        self.email.returnPressed.connect(self.create_workspace)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.create_button, self.demo_button, self.name, self.email):
            widget.setEnabled(not busy)

    def create_workspace(self) -> None:
        """Create the workspace with the typed admin (a refusal is shown on the page)."""
        self.error.hide()
        try:
            user_id = startup.create_workspace(self.database, self.name.text(),
                                               self.email.text())
        except HelpDeskError as exc:
            self._fail(str(exc))
            return
        self.workspaceReady.emit(user_id)

    def load_demo(self) -> None:
        """Generate the demo workspace off the UI thread, showing progress."""
        self.error.hide()
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        database, tickets = self.database, self.demo_tickets

        def work(progress: Callable[[int, int], None]) -> int:
            startup.generate_demo(database, tickets, progress)
            user_id = startup.default_user_id(database)
            assert user_id is not None
            return user_id

        def progressed(done: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

        self._job = jobs.start(work, self._demo_done, self._fail, progressed)

    def _demo_done(self, user_id: int) -> None:
        self._job = None
        self.progress.hide()
        self.workspaceReady.emit(user_id)
