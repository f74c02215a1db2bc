"""Help › Keyboard Shortcuts: a sheet generated from the window's actions, never typed by hand.

Sections follow the menu bar; the Actions menu (filled on demand) is read from the ticket action
registry. Shortcuts are shown in the platform's own notation (⌘ on macOS).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

Section = tuple[str, list[tuple[str, str]]]


def action_label(action: QAction) -> str:
    """The action's text as read aloud: without its mnemonic and trailing ellipsis."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.removesuffix("…").removesuffix("...")


def _on_a_keyboard(sequence: QKeySequence) -> bool:
    # Platform bindings may add media-keyboard keys ("New", "Find", "Refresh", "Help" keys):
    # most keyboards lack them, so the sheet leaves them out.
    if sequence.isEmpty():
        return False
    key = sequence[0].key()  # type: ignore[index]  # PySide6's stubs lack QKeySequence[i]
    return bool(key != Qt.Key.Key_Help and key.value < Qt.Key.Key_Back.value)


def shortcut_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                     for s in action.shortcuts() if _on_a_keyboard(s))


def _rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        if action.menu() is not None:
            rows += _rows(action.menu().actions())  # type: ignore[union-attr]
        elif not action.isSeparator() and shortcut_text(action):
            rows.append((action_label(action), shortcut_text(action)))
    return rows


def shortcut_sections(menus: Sequence[QMenu], ticket_actions: Iterable[QAction],
                      ticket_menu: QMenu | None = None) -> list[Section]:
    """(menu title, [(action, shortcut)]) for each menu that has any shortcut."""
    sections: list[Section] = []
    for menu in menus:
        actions: Iterable[QAction] = ticket_actions if menu is ticket_menu else menu.actions()
        rows = _rows(actions)
        if rows:
            sections.append((menu.title().replace("&", ""), rows))
    return sections


class ShortcutsDialog(QDialog):
    def __init__(self, sections: Sequence[Section], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard Shortcuts"))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([translate("ShortcutsDialog", "Action"),
                                   translate("ShortcutsDialog", "Shortcut")])
        self.tree.setRootIsDecorated(False)
        for title, rows in sections:
            section = QTreeWidgetItem(self.tree, [title])
            font = section.font(0)
            font.setBold(True)
            section.setFont(0, font)
            section.setFirstColumnSpanned(True)
            for label, keys in rows:
                QTreeWidgetItem(section, [label, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(520, 600)

    @classmethod
    def for_window(cls, window: QMainWindow, ticket_actions: Iterable[QAction],
                   ticket_menu: QMenu | None) -> ShortcutsDialog:
        menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
        return cls(shortcut_sections(menus, ticket_actions, ticket_menu),  # type: ignore[arg-type]
                   window)
