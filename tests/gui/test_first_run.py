"""Starting the program: the first-run page on an empty database, the demo with progress, and
errors shown in one message box, never as a traceback."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.diagnostics import log_file
from helpdesk_desktop.domain.errors import PermissionDenied, SchemaTooNew
from helpdesk_desktop.storage.database import Database, copy_sqlite_file, create_db_engine
from helpdesk_desktop.ui import app as app_module
from helpdesk_desktop.ui.app import Launcher
from helpdesk_desktop.ui.first_run import FirstRunPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def empty_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "empty.sqlite3"
    copy_sqlite_file(sqlite_template, path)
    engine = create_db_engine(str(path))
    yield Database(engine=engine, bind=engine)
    engine.dispose()


def args(**values: object) -> argparse.Namespace:
    """What the command line parses into (see helpdesk_desktop.cli.main)."""
    return argparse.Namespace(**{"db": None, "as_user": None, "demo": False, "command": None,
                                 **values})


def test_create_the_workspace_from_the_first_run_page(empty_db: Database,
                                                      qtbot: QtBot) -> None:
    page = FirstRunPage(empty_db)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.name, "Ada Admin")
    qtbot.keyClicks(page.email, "ada@example.com")
    with qtbot.waitSignal(page.workspaceReady) as ready:
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert not startup.is_empty(empty_db)
    assert startup.default_user_id(empty_db) == ready.args[0]
    assert startup.default_user_id(empty_db, "ada@example.com") == ready.args[0]


def test_a_bad_address_is_refused_on_the_page(empty_db: Database, qtbot: QtBot) -> None:
    page = FirstRunPage(empty_db)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.name, "Ada Admin")
    qtbot.keyClicks(page.email, "not an address")
    with qtbot.assertNotEmitted(page.workspaceReady):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.error.isVisible() and page.error.text()
    assert startup.is_empty(empty_db)


def test_load_the_demo_in_the_background(empty_db: Database, qtbot: QtBot) -> None:
    page = FirstRunPage(empty_db, demo_tickets=25)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.workspaceReady, timeout=60000):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
        assert page.progress.isVisible()  # the page stays responsive meanwhile
        assert not page.create_button.isEnabled()
    assert not startup.is_empty(empty_db)


def test_launcher_goes_from_first_run_to_the_main_window(empty_db: Database,
                                                         qtbot: QtBot) -> None:
    launcher = Launcher(empty_db, args())
    launcher.start()
    page = launcher.first_run
    assert page is not None and page.isVisible()
    qtbot.keyClicks(page.name, "Ada Admin")
    qtbot.keyClicks(page.email, "ada@example.com")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    window = launcher.window
    assert window is not None and window.isVisible()
    assert window.bridge.user.email == "ada@example.com"
    assert "Ada Admin" in window.user_switcher.text()
    window.close()
    launcher.bridge.wait_for_idle()


def test_launcher_with_demo_fills_an_empty_database_then_opens(empty_db: Database,
                                                               qtbot: QtBot) -> None:
    launcher = Launcher(empty_db, args(demo=True), demo_tickets=25)
    launcher.start()
    assert launcher.progress is not None and launcher.progress.isVisible()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=60000)
    assert launcher.window.model.rowCount() > 0
    launcher.window.close()
    launcher.bridge.wait_for_idle()


def test_signing_in_as_a_given_user(empty_db: Database, qtbot: QtBot) -> None:
    startup.create_workspace(empty_db, "Ada Admin", "ada@example.com")
    launcher = Launcher(empty_db, args(as_user="ADA@example.com"))
    launcher.start()
    assert launcher.window is not None
    assert launcher.window.bridge.user.name == "Ada Admin"
    launcher.window.close()
    launcher.bridge.wait_for_idle()


def test_a_database_that_cannot_open_is_one_message(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    told: list[str] = []
    monkeypatch.setattr(app_module, "tell_error", told.append)

    def too_new(_url: str, **_options: object) -> Database:
        raise SchemaTooNew("This database was created by a newer version of Help Desk Desktop.")

    monkeypatch.setattr(startup, "open_database", too_new)
    assert app_module.run_gui(args(db=str(tmp_path / "x.sqlite3"))) == 1
    assert told == ["This database was created by a newer version of Help Desk Desktop."]


def test_an_unknown_user_is_one_message(monkeypatch: pytest.MonkeyPatch,
                                        sqlite_template: Path, tmp_path: Path) -> None:
    told: list[str] = []
    monkeypatch.setattr(app_module, "tell_error", told.append)
    path = tmp_path / "ws.sqlite3"
    copy_sqlite_file(sqlite_template, path)
    database = startup.open_database(str(path))
    startup.create_workspace(database, "Ada Admin", "ada@example.com")
    database.dispose()
    assert app_module.run_gui(args(db=str(path), as_user="nobody@example.com")) == 1
    assert told and "nobody@example.com" in told[0]


def test_an_error_that_escapes_a_slot_is_one_sentence(qtbot: QtBot,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    def shown() -> str:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.objectName() == "ErrorMessage"
                 and w.isVisible()]
        assert len(boxes) == 1
        text = boxes[0].text()
        boxes[0].close()
        return text

    refusal = PermissionDenied("You cannot see ticket #7.")
    app_module.report_unexpected(PermissionDenied, refusal, None)
    assert shown() == "You cannot see ticket #7."
    try:
        raise KeyError("row")
    except KeyError as exc:
        app_module.report_unexpected(KeyError, exc, exc.__traceback__)
    assert shown() == ("Something went wrong; the last action may not have finished. (KeyError) "
                       f"The details are in the log file {log_file()} (Help › Show Log Folder).")
    assert "Traceback" in caplog.text and "KeyError: 'row'" in caplog.text


# -- an upgrade at start-up: a busy dialog while it runs off the UI thread -------------------


def _shown_while_working(qtbot: QtBot, work_result: object = 42,
                         error: Exception | None = None) -> tuple[object, list[str]]:
    """Run ``upgrade_showing_progress`` on work that waits until the UI thread looked at the
    shown windows (the event loop turns while it works)."""
    import threading

    from PySide6.QtCore import QTimer

    release = threading.Event()
    seen: list[str] = []

    def look() -> None:
        seen.extend(w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible())
        release.set()

    def work() -> object:
        assert release.wait(10), "the UI thread did not turn while the work ran"
        if error is not None:
            raise error
        return work_result

    QTimer.singleShot(0, look)
    return app_module.upgrade_showing_progress(work), seen


def test_an_upgrade_shows_a_busy_dialog_and_returns_its_result(qtbot: QtBot) -> None:
    result, seen = _shown_while_working(qtbot)
    assert result == 42
    assert "UpgradeProgress" in seen
    assert not any(w.objectName() == "UpgradeProgress" and w.isVisible()
                   for w in QApplication.topLevelWidgets())


def test_an_upgrade_that_fails_raises_on_the_ui_thread(qtbot: QtBot) -> None:
    with pytest.raises(SchemaTooNew, match="newer"):
        _shown_while_working(qtbot, error=SchemaTooNew("newer"))


def test_opening_an_old_file_upgrades_it_with_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    """A file of revision 0016 is backed up and upgraded through the runner the window
    passes; a file up to date never calls it."""
    from alembic import command

    from helpdesk_desktop.storage import migrations

    path = tmp_path / "old.sqlite3"
    database = startup.open_database(str(path))
    with database.engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), "0016")
    database.dispose()
    calls: list[int] = []

    def runner(work: object) -> object:
        calls.append(1)
        return app_module.upgrade_showing_progress(work)  # type: ignore[arg-type]

    database = startup.open_database(str(path), upgrade_runner=runner)
    try:
        assert calls == [1] and database.backup_path is not None
        with database.engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
    finally:
        database.dispose()
    database = startup.open_database(str(path), upgrade_runner=runner)
    database.dispose()
    assert calls == [1]
