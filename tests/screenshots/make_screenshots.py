"""Every screenshot in docs/screenshots/, made from one demo database at 1280×800, offscreen.

    python -m tests.screenshots.make_screenshots [OUTPUT_FOLDER]
    python -m tests.screenshots.make_screenshots --language fr --size 1024x768 docs/screenshots/fr/1024x768

Each screenshot is one function in :data:`SCREENSHOTS` taking a :class:`Scene` (the demo
database, a bridge and the main window) and the output folder, returning what it wrote; the
dialogs' and the ticket view's are in their own modules. The order matters: the notifications
screenshot adds notes, and the dark one changes the application's palette.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.preferences_dialog import PreferencesDialog
from helpdesk_desktop.ui.first_run import FirstRunPage
from helpdesk_desktop.ui.i18n import install_translations
from helpdesk_desktop.ui.main_window import MainWindow
from helpdesk_desktop.ui.models.ticket_model import Column
from tests.screenshots.dialog_shots import (
    bulk_dialog_screenshots,
    dialog_screenshots,
    over_window,
)
from tests.screenshots.ticket_view_shot import ticket_view_screenshot, timeline_screenshot
from tests.screenshots.window_shots import window_screenshots

SIZE = (1280, 800)
DEMO_TICKETS = 2000


@dataclass
class Scene:
    app: QApplication
    database: object
    bridge: DeskBridge
    window: MainWindow

    def settle(self, rounds: int = 4) -> None:
        """Let background work (counts) finish and repaint."""
        for _ in range(rounds):
            self.bridge.wait_for_idle()
            self.app.processEvents()


def _save(scene: Scene, folder: Path, name: str) -> Path:
    scene.settle()
    path = folder / name
    scene.window.grab().save(str(path))
    return path


def table_screenshot(scene: Scene, folder: Path) -> Path:
    window = scene.window
    window.set_layout("table")
    window.close_ticket_panel()
    return _save(scene, folder, "table.png")


def split_screenshot(scene: Scene, folder: Path) -> Path:
    window = scene.window
    window.set_layout("split")
    # An unread, well-filled ticket a few rows down, so the list shows bold and normal rows.
    window.open_ticket(window.model.ticket_id(2))
    return _save(scene, folder, "split.png")


def board_screenshot(scene: Scene, folder: Path) -> Path:
    window = scene.window
    window.set_layout("board")
    window.close_ticket_panel()
    return _save(scene, folder, "board.png")


def property_dialog_screenshot(scene: Scene, folder: Path) -> Path:
    """property-dialog.png: Set Status… on three checked tickets of one pipeline, "Closed"
    chosen, over the table."""
    window = scene.window
    window.set_layout("table")
    window.close_ticket_panel()
    model = window.model
    first = model.ticket_row(0)
    rows = [r for r in range(model.rowCount())
            if model.ticket_row(r).pipeline_id == first.pipeline_id][:3]
    for row in rows:
        model.setData(model.index(row, Column.CHECK), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    scene.settle()
    window.registry.trigger("set_status")
    dialog = window.findChild(QDialog, "PropertyDialog")
    assert dialog is not None, window.status.message.text()
    combo = dialog.value_combo  # type: ignore[attr-defined]
    combo.setCurrentIndex(max(0, combo.findText("Closed")))
    scene.settle()
    path = over_window(window, dialog, folder / "property-dialog.png")
    dialog.reject()
    for row in rows:
        model.setData(model.index(row, Column.CHECK), Qt.CheckState.Unchecked,
                      Qt.ItemDataRole.CheckStateRole)
    scene.settle()
    return path


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (what a dark desktop theme hands the application)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
            (roles.Window, "#202124"), (roles.WindowText, "#e8eaed"), (roles.Base, "#17181a"),
            (roles.AlternateBase, "#26282b"), (roles.ToolTipBase, "#303134"),
            (roles.ToolTipText, "#e8eaed"), (roles.PlaceholderText, "#9aa0a6"),
            (roles.Text, "#e8eaed"), (roles.Button, "#2d2f31"), (roles.ButtonText, "#e8eaed"),
            (roles.BrightText, "#ff6b6b"), (roles.Light, "#3c4043"), (roles.Midlight, "#333538"),
            (roles.Mid, "#2a2c2e"), (roles.Dark, "#111214"), (roles.Shadow, "#000000"),
            (roles.Highlight, "#3d6fb4"), (roles.HighlightedText, "#ffffff"),
            (roles.Link, "#8ab4f8"), (roles.LinkVisited, "#c58af9")):
        palette.setColor(role, QColor(color))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    return palette


def split_dark_screenshot(scene: Scene, folder: Path) -> Path:
    """split-dark.png: the split layout in the Fusion style with a dark palette."""
    scene.app.setStyle("Fusion")
    scene.app.setPalette(dark_palette())
    window = scene.window
    window.set_layout("split")
    window.open_ticket(window.model.ticket_id(2))
    return _save(scene, folder, "split-dark.png")


def preferences_screenshot(scene: Scene, folder: Path) -> Path:
    """preferences-dialog.png: notifications, signature, time zone and the interface language."""
    dialog = PreferencesDialog(scene.bridge, scene.window)
    dialog.show()
    scene.settle()
    path = over_window(scene.window, dialog, folder / "preferences-dialog.png")
    dialog.reject()
    return path


def about_screenshot(scene: Scene, folder: Path) -> Path:
    """about-dialog.png: versions, database location, font licences."""
    dialog = scene.window.about()
    scene.settle()
    path = over_window(scene.window, dialog, folder / "about-dialog.png")
    dialog.close()
    return path


def shortcuts_screenshot(scene: Scene, folder: Path) -> Path:
    """shortcuts-dialog.png: Help › Keyboard Shortcuts."""
    dialog = scene.window.show_shortcuts()
    scene.settle()
    path = over_window(scene.window, dialog, folder / "shortcuts-dialog.png")
    dialog.close()
    return path


def first_run_screenshot(scene: Scene, folder: Path) -> Path:
    """first-run.png: the page of an empty database."""
    page = FirstRunPage(scene.database, 2000)
    page.resize(640, 420)
    page.show()
    scene.settle()
    path = folder / "first-run.png"
    page.grab().save(str(path))
    page.close()
    page.deleteLater()
    return path


# Each takes the scene and the output folder and returns the file(s) it wrote.
SCREENSHOTS: list[Callable[[Scene, Path], Path | list[Path]]] = [
    table_screenshot,
    split_screenshot,
    board_screenshot,
    ticket_view_screenshot,
    dialog_screenshots,
    property_dialog_screenshot,
    bulk_dialog_screenshots,
    preferences_screenshot,
    about_screenshot,
    shortcuts_screenshot,
    first_run_screenshot,
    timeline_screenshot,  # edits a ticket: after every screenshot that may show it
    window_screenshots,  # after the others: it deletes tickets and queues replies
    split_dark_screenshot,
]


def make_screenshots(folder: Path, demo_tickets: int = DEMO_TICKETS, language: str = "en",
                     size: tuple[int, int] = SIZE,
                     only: Sequence[str] = ()) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translations(app, language)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as temp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, temp)
        database = startup.open_database(f"sqlite:///{Path(temp) / 'demo.sqlite3'}")
        try:
            startup.generate_demo(database, demo_tickets)
            user_id = startup.default_user_id(database)
            assert user_id is not None
            bridge = DeskBridge(Desk(database, user_id))
            window = MainWindow(bridge)
            window.show()
            window.resize(*size)  # after show(): restoring the saved geometry comes first
            scene = Scene(app, database, bridge, window)
            scene.settle()
            for shoot in SCREENSHOTS:
                if only and shoot.__name__ not in only:
                    continue
                shot = shoot(scene, folder)
                made.extend(shot if isinstance(shot, list) else [shot])
            window.close()
            bridge.wait_for_idle()
            window.deleteLater()
            app.processEvents()
        finally:
            QThreadPool.globalInstance().waitForDone(30000)  # no job outlives the database
            database.dispose()  # type: ignore[attr-defined]
    return made


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Make the documentation's screenshots.")
    parser.add_argument("folder", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--language", default="en", choices=("en", "fr"))
    parser.add_argument("--size", default="x".join(map(str, SIZE)), help="e.g. 1024x768")
    parser.add_argument("--only", action="append", default=[],
                        help="a function of SCREENSHOTS, e.g. timeline_screenshot (repeatable)")
    options = parser.parse_args()
    width, height = (int(v) for v in options.size.split("x"))
    for made_path in make_screenshots(options.folder, language=options.language,
                                      size=(width, height), only=options.only):
        print(made_path)
