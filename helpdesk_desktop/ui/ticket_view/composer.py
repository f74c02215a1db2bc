"""The composer: a reply to the customer or an internal note, sent with Ctrl+Enter."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.ui.ticket_view.conversation import note_colors

TEXT_MAX_LENGTH = 100_000


class ComposeMode(StrEnum):
    REPLY = "reply"
    NOTE = "note"


class Composer(QWidget):
    """``sendRequested(mode, text)`` when the agent sends; the text stays until
    :meth:`sent` is called, so a failed send loses nothing."""

    sendRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Composer")
        self._busy = False
        self.reply_button = QRadioButton(self.tr("&Reply"), self)
        self.reply_button.setObjectName("ComposerReply")
        self.reply_button.setAccessibleName(self.tr("Reply to the customer"))
        self.note_button = QRadioButton(self.tr("Internal &note"), self)
        self.note_button.setObjectName("ComposerNote")
        self.note_button.setAccessibleName(self.tr("Internal note, not sent to the customer"))
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.reply_button)
        self.mode_group.addButton(self.note_button)
        self.reply_button.setChecked(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("ComposerHint")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("ComposerText")
        self.editor.setAccessibleName(self.tr("Message text"))
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(60)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setObjectName("ComposerSend")
        self.send_button.setAccessibleName(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.send)
        self.editor.textChanged.connect(self._update_enabled)
        self.mode_group.buttonToggled.connect(lambda *_: self._mode_changed())

        top = QHBoxLayout()
        top.addWidget(self.reply_button)
        top.addWidget(self.note_button)
        top.addWidget(self.hint, 1)
        top.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.editor)
        self._mode_changed()

    @property
    def mode(self) -> ComposeMode:
        return ComposeMode.NOTE if self.note_button.isChecked() else ComposeMode.REPLY

    def set_mode(self, mode: ComposeMode) -> None:
        (self.note_button if mode is ComposeMode.NOTE else self.reply_button).setChecked(True)

    def text(self) -> str:
        return self.editor.toPlainText()

    def send(self) -> None:
        text = self.text().strip()
        if self._busy or not text or not self.isEnabled():
            return
        if len(text) > TEXT_MAX_LENGTH:
            self.hint.setText(self.tr("The text is too long to send."))
            return
        self.sendRequested.emit(self.mode.value, text)

    def set_busy(self, busy: bool) -> None:
        """While sending, the text is read-only and Send is disabled."""
        self._busy = busy
        self.editor.setReadOnly(busy)
        self._update_enabled()
        self.send_button.setText(self.tr("Sending…") if busy else self.tr("Send"))

    def sent(self) -> None:
        """The send succeeded: empty the box."""
        self.set_busy(False)
        self.editor.clear()

    def _update_enabled(self) -> None:
        self.send_button.setEnabled(not self._busy and bool(self.text().strip()))

    def _mode_changed(self) -> None:
        note = self.mode is ComposeMode.NOTE
        palette = self.palette()
        editor_palette = QPalette(palette)
        if note:
            background, text, _border = note_colors(palette)
            editor_palette.setColor(QPalette.ColorRole.Base, QColor(background))
            editor_palette.setColor(QPalette.ColorRole.Text, QColor(text))
            self.editor.setPlaceholderText(
                self.tr("Write an internal note (only your team sees it)…"))
            self.hint.setText(self.tr("Only your team will see this note."))
        else:
            self.editor.setPlaceholderText(self.tr("Write a reply to the customer…"))
            self.hint.setText(self.tr("The customer will receive this reply."))
        self.editor.setPalette(editor_palette)
        self.send_button.setText(self.tr("Add note") if note else self.tr("Send"))
