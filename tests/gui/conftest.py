"""Fixtures for the main window's GUI tests: a seeded SQLite workspace, a bridge per user and a
MainWindow factory. GUI tests run on SQLite only; the services' SQL is covered on both backends
by the service tests."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Category, MessageKind, Priority
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage.database import Database, copy_sqlite_file, create_db_engine
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.i18n import install_translations
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.gui.dialog_support import dws, make_bridge  # noqa: F401 - the dialog tests' fixtures

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

# (name, owner, status, priority, category, contact)
NAMED_TICKETS = (
    ("Printer on fire", "agent", "New", Priority.URGENT, Category.PRODUCT_ISSUE, "marie"),
    ("Invoice charged twice", "lead", "Waiting on us", Priority.HIGH, Category.BILLING_ISSUE,
     "john"),
    ("Please add dark mode", None, "New", Priority.LOW, Category.FEATURE_REQUEST, "john"),
    ("Cannot log in", "sales", "Waiting on contact", Priority.MEDIUM,
     Category.PRODUCT_ISSUE, "marie"),
    ("Where is my parcel", "seller", "New", Priority.MEDIUM, Category.GENERAL_INQUIRY,
     "marie"),
    ("Refund for order 1042", None, "Closed", Priority.LOW, Category.BILLING_ISSUE, "john"),
)
FILLERS = 130  # more than one page of the table (100 rows)


@dataclass
class GuiWorkspace:
    """A seeded workspace plus helpers to build bridges and windows on it."""

    ws: Workspace
    tickets: dict[str, int]
    fillers: list[int]
    qtbot: QtBot
    bridges: list[DeskBridge] = field(default_factory=list)
    windows: list[object] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return self.ws.db

    def bridge(self, user: str = "admin") -> DeskBridge:
        bridge = DeskBridge(self.ws.desk(user))
        self.bridges.append(bridge)
        return bridge

    def window(self, user: str = "admin", layout: str | None = None,
               bridge: DeskBridge | None = None):  # type: ignore[no-untyped-def]
        """A shown MainWindow (1280×800) signed in as ``user``."""
        from helpdesk_desktop.ui.main_window import MainWindow

        window = MainWindow(bridge or self.bridge(user))
        self.qtbot.addWidget(window)
        started: list[bool] = []
        window.started.connect(lambda: started.append(True))
        window.resize(1280, 800)
        window.show()
        if layout is not None:
            window.set_layout(layout)
        self.windows.append(window)
        # Its start finished (the bell is built a few event-loop turns after the first frame),
        # and the ticket view built ahead after it (a part per turn once no job is in flight):
        # what a test then does is not interleaved with those turns.
        self.qtbot.waitUntil(lambda: bool(started), timeout=10_000)
        self.qtbot.waitUntil(lambda: window.parts.ticket_view_finished, timeout=10_000)
        self.settle()  # and what its last turn posted (the hidden panel's layout requests)
        return window

    def settle(self) -> None:
        """Let background jobs finish and their callbacks run on the UI thread, including
        the jobs those callbacks start (a count, then the rows it lets the list read ahead):
        at least three rounds, then until two rounds in a row end with no job in flight (nor a
        count waiting for its list's next frame)."""
        from helpdesk_desktop.ui import jobs
        from helpdesk_desktop.ui.models.list_reads import wait_for_reads

        quiet = 0
        for round_ in range(60):
            for bridge in self.bridges:
                wait_for_reads(bridge)
                bridge.wait_for_idle()
            self.qtbot.wait(15)
            # A count that waits for its list's next frame has no job yet.
            waiting = any(getattr(w, "count_waits_for_frame", False) for w in self.windows)
            quiet = quiet + 1 if jobs.in_flight() == 0 and not waiting else 0
            if round_ >= 2 and quiet >= 2:
                return
        raise AssertionError("background jobs kept starting for 60 rounds")

    def loaded(self, *models) -> None:  # type: ignore[no-untyped-def]
        """Wait until each list model (default: the last window's) shows the first page of
        its query: a new query's page is read in the background (``loaded``)."""
        for model in models or (self.windows[-1].model,):  # type: ignore[attr-defined]
            self.qtbot.waitUntil(lambda m=model: not m.is_loading(), timeout=10_000)

    def desk(self, user: str = "admin"):  # type: ignore[no-untyped-def]
        return self.ws.desk(user)


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture(scope="session", autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """The English catalogue (its plural forms), as the program installs it at start."""
    translators = install_translations(qapp, "en")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture(autouse=True)
def isolated_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log folder is the test's; the process-wide log handler is tested in a subprocess
    (tests/test_diagnostics.py), so run_gui does not install it here."""
    monkeypatch.setenv("HELPDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr("helpdesk_desktop.ui.app.start_logging", lambda: None)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    """QSettings() writes into the test's folder, never the user's real settings."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    qapp.setOrganizationName("HelpDeskDesktopTests")
    qapp.setApplicationName("main-window")
    yield


@pytest.fixture(autouse=True)
def no_leftovers(qapp: QApplication) -> Iterator[None]:
    """Widgets closed at the end of a test are deleted before the next test starts.

    pytest-qt closes a test's widgets and calls ``deleteLater()``, but without a running main
    event loop Qt never performs those deletions: the windows lived on into later tests, their
    timers fired there and their background reads reported to objects deleted at a random
    moment ("ViewListModel already deleted"). This fixture is torn down after the others (it is
    set up first), when every bridge has finished its jobs."""
    yield
    QApplication.processEvents()  # results of finished jobs, while their widgets still exist
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


@dataclass
class _Template:
    path: Path
    ws: Workspace
    tickets: dict[str, int]
    fillers: list[int]


@pytest.fixture(scope="session")
def gui_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> _Template:
    """Seed once per session; each test copies the file (ids stay the same)."""
    path = tmp_path_factory.mktemp("gui") / "gui-template.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = create_db_engine(str(path))
    ws = seed_workspace(Database(engine=engine, bind=engine), FakeClock(START))
    fillers = [make_ticket(ws, f"Filler ticket {i:03d}", owner=None, priority=Priority.LOW,
                           messages=((MessageKind.EMAIL, f"Filler message {i}"),))
               for i in range(FILLERS)]
    tickets = {}
    for name, owner, status, priority, category, contact in NAMED_TICKETS:
        tickets[name] = make_ticket(ws, name, owner=owner,
                                    status="New" if status == "Closed" else status,
                                    priority=priority, category=category, contact=contact,
                                    messages=((MessageKind.EMAIL, f"{name}: details inside."),))
        if status == "Closed":  # through the facade, which also sets the closing time
            ws.desk("admin").update(tickets[name], TicketChanges(status=ws.status("Closed")))
    engine.dispose()
    return _Template(path, ws, tickets, fillers)


@pytest.fixture
def gui_ws(gui_template: _Template, tmp_path: Path, qtbot: QtBot) -> Iterator[GuiWorkspace]:
    path = tmp_path / "gui.sqlite3"
    copy_sqlite_file(gui_template.path, path)
    engine = create_db_engine(str(path))
    template_ws = gui_template.ws
    clock = FakeClock(template_ws.clock.now + dt.timedelta(minutes=5))
    ws = Workspace(db=Database(engine=engine, bind=engine), clock=clock,
                   users=template_ws.users, teams=template_ws.teams,
                   inboxes=template_ws.inboxes, pipelines=template_ws.pipelines,
                   statuses=template_ws.statuses, contacts=template_ws.contacts,
                   companies=template_ws.companies, deals=template_ws.deals)
    gui = GuiWorkspace(ws, dict(gui_template.tickets), list(gui_template.fillers), qtbot)
    yield gui
    for window in gui.windows:
        window.close()  # type: ignore[attr-defined]
    from helpdesk_desktop.ui.models.list_reads import wait_for_reads

    for bridge in gui.bridges:
        wait_for_reads(bridge)
        bridge.wait_for_idle()
    engine.dispose()

