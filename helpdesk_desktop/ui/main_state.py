"""The main window's remembered state: its geometry, splitters and the table's columns, per user.

:class:`WindowState` is a part of :class:`~.main_window.MainWindow` (a mixin), as
:class:`~.main_commands.WindowCommands` is: what is saved when the window closes or another
user signs in, and restored when it opens or the panel first appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QSplitter, QWidget

from helpdesk_desktop.ui import settings as opts

if TYPE_CHECKING:
    from helpdesk_desktop.ui.layouts.table import TableLayout
    from helpdesk_desktop.ui.main_parts import WindowParts
    from helpdesk_desktop.ui.settings import Settings

FIRST_SIZE = QSize(1280, 800)


def first_size(screen: QScreen | None) -> QSize:
    """The window's size on its first start: 1280×800, or less on a smaller screen (the
    screen's available area, without its panels)."""
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return FIRST_SIZE
    return FIRST_SIZE.boundedTo(screen.availableGeometry().size())


class WindowState:
    """Saving and restoring the window's layout (see the module docstring)."""

    if TYPE_CHECKING:  # provided by MainWindow (and QMainWindow)
        settings: Settings
        table: TableLayout
        parts: WindowParts
        sidebar: QWidget
        main_splitter: QSplitter
        content_splitter: QSplitter
        layout_name: str

        def restoreGeometry(self, geometry: QByteArray) -> bool: ...
        def saveGeometry(self) -> QByteArray: ...
        def restoreState(self, state: QByteArray, version: int = 0) -> bool: ...
        def saveState(self, version: int = 0) -> QByteArray: ...
        def resize(self, size: QSize) -> None: ...
        def screen(self) -> QScreen: ...

    def _restore_header(self) -> None:
        header = self.table.view.horizontalHeader()
        state = self.settings.state("table_header")
        if state is not None:
            header.restoreState(state)

    def _save_splitter(self) -> None:
        panel = self.parts.panel_slot()
        if panel is not None and panel.isVisible():
            self.settings.set_state(f"content_splitter_{self.layout_name}",
                                    self.content_splitter.saveState())

    def _restore_splitter(self) -> None:
        if self.parts.panel_slot() is None:
            return  # restored when the panel (or its stand-in) is added
        state = self.settings.state(f"content_splitter_{self.layout_name}")
        if state is not None:
            self.content_splitter.restoreState(state)
        else:
            width = max(self.content_splitter.width(), 1000)
            list_width = {"split": 360, "table": width // 2, "board": width // 2}[self.layout_name]
            self.content_splitter.setSizes([list_width, width - list_width])

    def _restore_window_state(self) -> None:
        geometry = self.settings.state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(first_size(self.screen()))
        state = self.settings.state("window_state")
        if state is not None:
            self.restoreState(state)
        main = self.settings.state("main_splitter")
        if main is not None:
            self.main_splitter.restoreState(main)

    def _save_user_state(self) -> None:
        self.settings.set_state("table_header", self.table.header_state())
        self.settings.set_state("main_splitter", self.main_splitter.saveState())
        self._save_splitter()

    def save_settings(self) -> None:
        """Write window geometry, splitters and the table's columns for this user."""
        self._save_user_state()
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("window_state", self.saveState())
        self.settings.sync()

    def set_sidebar_visible(self, visible: bool) -> None:
        self.sidebar.setVisible(visible)
        self.settings.set(opts.SIDEBAR_VISIBLE, visible)
