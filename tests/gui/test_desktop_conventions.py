"""Desktop conventions: one window process per database, Help › Keyboard Shortcuts generated
from the actions, About, Show Log Folder, the tray menu and close-to-tray."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QTreeWidget
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application.diagnostics import ENV_LOG_DIR
from helpdesk_desktop.ui import app as app_module
from helpdesk_desktop.ui import main_commands
from helpdesk_desktop.ui.dialogs.about_dialog import AboutDialog, font_licences
from helpdesk_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from helpdesk_desktop.ui.main_window import MainWindow
from helpdesk_desktop.ui.notifications.install import tray_menu
from helpdesk_desktop.ui.settings import set_close_to_tray
from helpdesk_desktop.ui.single_instance import SingleInstance, hand_over, instance_key
from tests.gui.conftest import GuiWorkspace

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                        "does not support grabbing the keyboard")]


def test_a_second_launch_hands_its_arguments_to_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    key = instance_key(f"sqlite:///{tmp_path}/one.sqlite3") + "-test"
    first = SingleInstance(key, tmp_path)
    assert first.acquire()
    received: list[list[str]] = []
    first.argumentsReceived.connect(received.append)
    # The second launch is another process, as in real life.
    script = (f"import sys; from PySide6.QtCore import QCoreApplication; "
              f"app = QCoreApplication([]); "
              f"from helpdesk_desktop.ui.single_instance import SingleInstance, hand_over; "
              f"second = SingleInstance({key!r}, __import__('pathlib').Path({str(tmp_path)!r})); "
              f"assert not second.acquire(); "
              f"sys.exit(0 if hand_over({key!r}, ['--ticket', '42']) else 3)")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=20000)
    assert child.returncode == 0
    qtbot.waitUntil(lambda: received == [["--ticket", "42"]])
    first.release()
    # Released (or left by a dead process): the next launch owns the database.
    again = SingleInstance(key, tmp_path)
    assert again.acquire()
    again.release()
    assert not hand_over(key + "-nobody", ["x"])


def test_a_launch_before_the_first_listens_hands_over_once_it_does(qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    """The window's start takes the lock at once but listens after its first frame
    (ui/app.py): a launch in between retries until it can hand over."""
    key = instance_key(f"sqlite:///{tmp_path}/early.sqlite3") + "-test"
    first = SingleInstance(key, tmp_path)
    assert first.acquire(listen=False)
    assert first.server is None
    received: list[list[str]] = []
    first.argumentsReceived.connect(received.append)
    script = (f"import sys; from PySide6.QtCore import QCoreApplication; "
              f"app = QCoreApplication([]); "
              f"from helpdesk_desktop.ui.single_instance import hand_over; "
              f"sys.exit(0 if hand_over({key!r}, ['--ticket', '7']) else 3)")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    qtbot.wait(1500)  # the child is refused meanwhile (nothing listens) and tries again
    first.listen()
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=20000)
    assert child.returncode == 0
    qtbot.waitUntil(lambda: received == [["--ticket", "7"]])
    first.release()


def test_the_window_s_process_listens_once_its_first_page_is_painted(
        qtbot: QtBot, gui_ws: GuiWorkspace, tmp_path: Path) -> None:
    from helpdesk_desktop.ui.main_window import MainWindow

    instance = SingleInstance(instance_key(f"sqlite:///{tmp_path}/w.sqlite3") + "-t", tmp_path)
    assert instance.acquire(listen=False)
    window = MainWindow(gui_ws.bridge("admin"))
    qtbot.addWidget(window)
    app_module._listen_after_first_page(window, instance)
    assert instance.server is None
    window.show()
    qtbot.waitUntil(lambda: instance.server is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.parts.ticket_view_finished, timeout=10_000)
    gui_ws.settle()
    instance.release()
    alone = SingleInstance(instance_key(f"sqlite:///{tmp_path}/a.sqlite3") + "-t", tmp_path)
    assert alone.acquire(listen=False)
    app_module._listen_after_first_page(None, alone)  # the first-run page: at once
    assert alone.server is not None
    alone.release()


def test_a_launch_on_an_open_database_raises_its_window_and_opens_the_ticket(
        qtbot: QtBot, gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = gui_ws.window("admin")
    launcher = app_module.Launcher(gui_ws.db, argparse.Namespace())
    launcher.window = window
    ticket_id = gui_ws.tickets["Printer on fire"]
    window.showMinimized()
    launcher.take_arguments(["--ticket", str(ticket_id)])
    gui_ws.settle()
    assert not window.isMinimized()
    assert window.ticket_view.ticket_id() == ticket_id
    told: list[str] = []
    monkeypatch.setattr(app_module, "tell_error", told.append)
    monkeypatch.setattr(app_module, "hand_over", lambda _key, args: args == [])
    monkeypatch.setattr(SingleInstance, "acquire", lambda self, **_kwargs: False)
    db_arg = argparse.Namespace(db=str(gui_ws.db.engine.url.database), demo=False, ticket=None)
    assert app_module.run_gui(db_arg) == 0  # handed over: this process ends at once
    monkeypatch.setattr(app_module, "hand_over", lambda _key, _args: False)
    assert app_module.run_gui(db_arg) == 1
    assert told and "already open on this database" in told[0]


def test_the_shortcut_sheet_lists_every_shortcut_of_the_window(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Question)
    dialog = window.findChild(ShortcutsDialog, "ShortcutsDialog")
    assert dialog is not None and dialog.isVisible(), "? opens the sheet"
    tree = dialog.findChild(QTreeWidget, "shortcutsTree")
    rows = {}
    for i in range(tree.topLevelItemCount()):
        section = tree.topLevelItem(i)
        for j in range(section.childCount()):
            rows[section.child(j).text(0)] = section.child(j).text(1)
    native = QKeySequence.SequenceFormat.NativeText
    # Window actions, ticket actions from the registry (the Actions menu is filled lazily).
    assert rows["Refresh"].startswith(QKeySequence("F5").toString(native))
    assert rows["Set Status"] == QKeySequence("Ctrl+Shift+T").toString(native)
    assert rows["Keyboard Shortcuts"] == "?, F1"  # no key most keyboards lack (the Help key)
    assert "Table" in rows and "Quit" in rows
    dialog.close()


def test_about_names_versions_database_and_font_licences(qtbot: QtBot,
                                                        gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    dialog = window.about()
    assert isinstance(dialog, AboutDialog)
    text = dialog.details.toPlainText()
    import PySide6
    from PySide6.QtCore import qVersion
    assert qVersion() in text and PySide6.__version__ in text
    assert str(gui_ws.db.engine.url.database) in text
    assert "SIL Open Font License 1.1" in text and "Apache License 2.0" in text
    assert all(Path(url.removeprefix("file://")).exists() for _f, _l, url in font_licences())
    families = [family for family, _l, _u in font_licences()]
    assert len(families) == len(set(families))  # one row per family (Noto Sans has two files)
    licences = {family: licence for family, licence, _u in font_licences()}
    assert licences["Noto Sans Ethiopic"] == "SIL Open Font License 1.1"
    assert "Noto Sans Devanagari" in text
    dialog.close()


class FakeTray(QSystemTrayIcon):
    def isVisible(self) -> bool:  # Qt's name; offscreen has no tray
        return True


def test_tray_menu_pauses_notifications_and_close_to_tray(
        qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    center = window.notifications
    menu: QMenu = tray_menu(center, window)
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["tray.open", "tray.pause", "tray.quit"]
    pause = menu.actions()[1]
    pause.trigger()
    assert center.paused
    pause.trigger()
    assert not center.paused
    # Close-to-tray is off by default: closing closes.
    center.tray = FakeTray()
    window.close()
    assert not window.isVisible()
    window.show()
    set_close_to_tray(True, QSettings())
    window.close()
    assert not window.isVisible() and window.testAttribute(Qt.WidgetAttribute.WA_WState_Hidden)
    menu.actions()[0].trigger()  # Open Help Desk
    assert window.isVisible()
    set_close_to_tray(False, QSettings())
    assert isinstance(window, MainWindow) and QApplication.instance() is not None


class FakeDesktop:
    """QDesktopServices' openUrl, recorded; ``works`` says whether a file manager answered."""

    opened: ClassVar[list[str]] = []
    works = True

    @classmethod
    def openUrl(cls, url: QUrl) -> bool:  # Qt's name
        cls.opened.append(url.toLocalFile())
        return cls.works


def test_help_show_log_folder_opens_the_log_folder_or_names_it(
        qtbot: QtBot, gui_ws: GuiWorkspace, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "logs"
    monkeypatch.setenv(ENV_LOG_DIR, str(folder))
    monkeypatch.setattr(main_commands, "QDesktopServices", FakeDesktop)
    window = gui_ws.window("admin")
    shown: list[str] = []
    monkeypatch.setattr(window, "show_error", shown.append)
    window.help_actions["show_log_folder"].trigger()
    assert FakeDesktop.opened == [str(folder)] and folder.is_dir() and not shown
    FakeDesktop.works = False  # no file manager: the folder is named instead
    window.help_actions["show_log_folder"].trigger()
    assert shown == [f"The log folder is {folder}."]


def test_undo_redo_print_and_delete_take_the_platforms_standard_keys(
        gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    standard = QKeySequence.StandardKey
    assert window.edit_actions["undo"].shortcuts() == QKeySequence.keyBindings(standard.Undo)
    assert window.edit_actions["redo"].shortcuts() == QKeySequence.keyBindings(standard.Redo)
    assert window.registry.actions["print"].shortcuts() == QKeySequence.keyBindings(
        standard.Print)
    assert window.registry.actions["delete"].shortcuts() == QKeySequence.keyBindings(
        standard.Delete)
    # Every named standard key exists; a platform without it falls back to the spec's key.
    for spec in window.registry.specs:
        if spec.standard is not None:
            assert isinstance(getattr(standard, spec.standard), standard)
            assert spec.shortcut is not None
