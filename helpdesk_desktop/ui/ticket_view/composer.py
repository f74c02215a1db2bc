"""The composer: a reply to the customer, an internal note, or a comment that @mentions an
agent; sent with Ctrl+Enter.

A reply has editable To and Cc fields and the agent's signature below the text. The composer
never says a reply was sent: the reply is stored and queued, and the outbox sender sends it.
The text stays in the box until :meth:`Composer.sent` is called, so a failed send loses
nothing; :attr:`Composer.draftEdited` tells the view when to keep a draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.services.dto import UserInfo
from helpdesk_desktop.ui.ticket_view.conversation import note_colors

TEXT_MAX_LENGTH = 100_000
DRAFT_DELAY_MS = 800  # a draft is kept this long after the last keystroke
SIGNATURE_SEPARATOR = "\n\n-- \n"
_MENTION_PREFIX = re.compile(r"@([\w.\- ]{0,40})$")


class ComposeMode(StrEnum):
    REPLY = "reply"
    NOTE = "note"
    COMMENT = "comment"


@dataclass(frozen=True)
class ComposeRequest:
    """What the agent asked to send."""

    mode: ComposeMode
    text: str  # with the signature, for a reply
    to: str = ""
    cc: str = ""
    mention_ids: tuple[int, ...] = field(default_factory=tuple)


def with_signature(text: str, signature: str) -> str:
    """``text`` followed by the signature block (unless it already ends with it)."""
    signature = signature.strip("\n")
    if not signature or text.rstrip().endswith(signature.rstrip()):
        return text
    return text.rstrip() + SIGNATURE_SEPARATOR + signature


def mentioned_ids(text: str, agents: Sequence[UserInfo]) -> tuple[int, ...]:
    """The agents whose ``@Name`` appears in ``text`` (longest names first, so that "@Ann Lee"
    is not also read as "@Ann")."""
    found: list[int] = []
    rest = text
    for agent in sorted(agents, key=lambda a: len(a.name), reverse=True):
        token = f"@{agent.name}"
        if token in rest:
            found.append(agent.id)
            rest = rest.replace(token, " ")
    return tuple(sorted(found))


class _MentionEditor(QPlainTextEdit):
    """A plain text editor that completes ``@Name`` from the agent list (in comment mode)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mentions_enabled = False
        self.names = QStringListModel(self)
        self.completer = QCompleter(self.names, self)
        self.completer.setObjectName("MentionCompleter")
        self.completer.setWidget(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.activated.connect(self.insert_mention)

    def set_names(self, names: Sequence[str]) -> None:
        self.names.setStringList(list(names))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer.popup()
        if popup is not None and popup.isVisible() and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab,
                Qt.Key.Key_Backtab):
            event.ignore()  # the completer's popup takes these
            return
        super().keyPressEvent(event)
        self.update_completion()

    def mention_prefix(self) -> str | None:
        """The text typed after an ``@`` just before the cursor, or None."""
        cursor = self.textCursor()
        block = cursor.block().text()[:cursor.positionInBlock()]
        match = _MENTION_PREFIX.search(block)
        if match is None or (match.start() > 0 and not block[match.start() - 1].isspace()):
            return None
        return match.group(1)

    def update_completion(self) -> None:
        prefix = self.mention_prefix() if self.mentions_enabled else None
        popup = self.completer.popup()
        if prefix is None or popup is None:
            if popup is not None:
                popup.hide()
            return
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() == 0:
            popup.hide()
            return
        rect = self.cursorRect()
        rect.setWidth(max(220, popup.sizeHintForColumn(0) + 24))
        self.completer.complete(rect)
        # The best match is preselected: Enter takes it, as in other mail programs.
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def insert_mention(self, name: str) -> None:
        """Replace the ``@prefix`` before the cursor with ``@name `` ."""
        prefix = self.mention_prefix()
        cursor = self.textCursor()
        if prefix is not None:
            cursor.movePosition(QTextCursor.MoveOperation.Left,
                                QTextCursor.MoveMode.KeepAnchor, len(prefix) + 1)
        cursor.insertText(f"@{name} ")
        self.setTextCursor(cursor)
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()


def comment_colors(palette: QPalette) -> tuple[str, str, str]:
    """(background, text, border) of the composer in Comment mode: pale blue in light themes,
    dark blue in dark themes (an Internal note is yellow, see :func:`note_colors`)."""
    if palette.color(QPalette.ColorRole.Base).lightness() < 128:
        return "#1c2d4a", "#dce8fc", "#5b8def"
    return "#e6efff", "#10264a", "#5b8def"


class Composer(QWidget):
    """``sendRequested(ComposeRequest)`` when the agent sends; the text stays until
    :meth:`sent` is called, so a failed send loses nothing."""

    sendRequested = Signal(object)  # ComposeRequest
    draftEdited = Signal()  # the agent paused typing: time to keep the draft

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Composer")
        self._busy = False
        self._loading = False
        self._agents: tuple[UserInfo, ...] = ()
        self._signature = ""
        self.reply_button = QRadioButton(self.tr("&Reply"), self)
        self.reply_button.setObjectName("ComposerReply")
        self.reply_button.setAccessibleName(self.tr("Reply to the customer"))
        self.note_button = QRadioButton(self.tr("Internal &note"), self)
        self.note_button.setObjectName("ComposerNote")
        self.note_button.setAccessibleName(self.tr("Internal note, not sent to the customer"))
        self.comment_button = QRadioButton(self.tr("Co&mment"), self)
        self.comment_button.setObjectName("ComposerComment")
        self.comment_button.setAccessibleName(
            self.tr("Internal comment; type @ to mention an agent, who is notified"))
        self.mode_group = QButtonGroup(self)
        for button in (self.reply_button, self.note_button, self.comment_button):
            self.mode_group.addButton(button)
        self.reply_button.setChecked(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("ComposerHint")
        # The hint wraps (and gives way) in a narrow panel rather than widening the window.
        self.hint.setWordWrap(True)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status = QLabel(self)
        self.status.setObjectName("ComposerStatus")
        self.status.setAccessibleName(self.tr("Composer status"))

        self.to_edit = QLineEdit(self)
        self.to_edit.setObjectName("ComposerTo")
        self.to_edit.setAccessibleName(self.tr("To"))
        self.to_edit.setPlaceholderText(self.tr("customer@example.com"))
        self.cc_edit = QLineEdit(self)
        self.cc_edit.setObjectName("ComposerCc")
        self.cc_edit.setAccessibleName(self.tr("Cc"))
        self.cc_edit.setPlaceholderText(self.tr("Addresses separated by commas"))
        self.addresses = QWidget(self)
        address_form = QFormLayout(self.addresses)
        address_form.setContentsMargins(0, 0, 0, 0)
        address_form.setVerticalSpacing(2)
        to_label = QLabel(self.tr("&To:"), self.addresses)
        to_label.setBuddy(self.to_edit)
        cc_label = QLabel(self.tr("C&c:"), self.addresses)
        cc_label.setBuddy(self.cc_edit)
        address_form.addRow(to_label, self.to_edit)
        address_form.addRow(cc_label, self.cc_edit)

        self.editor = _MentionEditor(self)
        self.editor.setObjectName("ComposerText")
        self.editor.setAccessibleName(self.tr("Message text"))
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(60)
        self.signature_label = QLabel(self)
        self.signature_label.setObjectName("ComposerSignature")
        self.signature_label.setWordWrap(False)
        self.signature_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                           QSizePolicy.Policy.Preferred)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setObjectName("ComposerSend")
        self.send_button.setAccessibleName(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.send)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.draftEdited)
        self.editor.textChanged.connect(self._edited)
        self.to_edit.textEdited.connect(self._edited)
        self.cc_edit.textEdited.connect(self._edited)
        self.mode_group.buttonToggled.connect(self._mode_toggled)

        modes = QHBoxLayout()
        modes.addWidget(self.reply_button)
        modes.addWidget(self.note_button)
        modes.addWidget(self.comment_button)
        modes.addStretch(1)
        # The hint follows the modes, or goes under them in a narrow panel (resizeEvent).
        self.mode_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.mode_row.addLayout(modes)
        self.mode_row.addWidget(self.hint, 1)
        # Send sits under the text, so the mode row stays narrow enough for a small screen.
        bottom = QHBoxLayout()
        bottom.addWidget(self.signature_label, 1)
        bottom.addWidget(self.status)
        bottom.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(self.mode_row)
        layout.addWidget(self.addresses)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bottom)
        self._mode_changed()
        self._update_enabled()  # nothing to send yet

    def hint_wrapped(self) -> bool:
        """Whether the hint is shown under the mode buttons (a narrow panel)."""
        return self.mode_row.direction() is QBoxLayout.Direction.TopToBottom

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place_hint(event.size().width())
        super().resizeEvent(event)

    def _place_hint(self, width: int) -> None:
        modes = self.mode_row.itemAt(0)
        margins = self.layout().contentsMargins()
        hint = self.hint.fontMetrics().horizontalAdvance(self.hint.text())
        needed = (modes.minimumSize().width() if modes is not None else 0) + hint \
            + self.mode_row.spacing() + margins.left() + margins.right()
        wrap = width < needed
        if wrap != self.hint_wrapped():
            self.mode_row.setDirection(QBoxLayout.Direction.TopToBottom if wrap
                                       else QBoxLayout.Direction.LeftToRight)

    # -- state ------------------------------------------------------------------------------

    @property
    def mode(self) -> ComposeMode:
        if self.note_button.isChecked():
            return ComposeMode.NOTE
        if self.comment_button.isChecked():
            return ComposeMode.COMMENT
        return ComposeMode.REPLY

    def set_mode(self, mode: ComposeMode) -> None:
        {ComposeMode.NOTE: self.note_button, ComposeMode.COMMENT: self.comment_button}.get(
            mode, self.reply_button).setChecked(True)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_agents(self, agents: Sequence[UserInfo]) -> None:
        """The agents an @mention can name (completion in Comment mode)."""
        self._agents = tuple(agents)
        self.editor.set_names([agent.name for agent in self._agents])

    def set_signature(self, signature: str) -> None:
        self._signature = signature.strip("\n")
        self._mode_changed()

    def load(self, mode: ComposeMode, text: str, to: str, cc: str) -> None:
        """Show a ticket's draft (or an empty box with the default recipients)."""
        self._loading = True
        try:
            self._draft_timer.stop()
            self.set_mode(mode)
            self.editor.setPlainText(text)
            self.to_edit.setText(to)
            self.cc_edit.setText(cc)
            self.status.clear()
        finally:
            self._loading = False

    def draft(self) -> tuple[str, str, str, str]:
        """(mode, text, to, cc) as the agent left them."""
        return self.mode.value, self.text(), self.to_edit.text(), self.cc_edit.text()

    def take_pending_draft(self) -> bool:
        """Whether an edit was not reported through :attr:`draftEdited` yet; the caller
        keeps it now (the pending report is cancelled)."""
        pending = self._draft_timer.isActive()
        self._draft_timer.stop()
        return pending

    # -- sending ----------------------------------------------------------------------------

    def request(self) -> ComposeRequest | None:
        """The send request for what is in the box, or None (and a hint) when it cannot go."""
        text = self.text().strip()
        if not text:
            return None
        if len(text) > TEXT_MAX_LENGTH:
            self.status.setText(self.tr("The text is too long to send."))
            return None
        mode = self.mode
        if mode is ComposeMode.REPLY:
            if not self.to_edit.text().strip():
                self.status.setText(self.tr("Add a recipient in To."))
                self.to_edit.setFocus()
                return None
            return ComposeRequest(mode, with_signature(self.text().rstrip(), self._signature),
                                  self.to_edit.text().strip(), self.cc_edit.text().strip())
        mentions = mentioned_ids(text, self._agents) if mode is ComposeMode.COMMENT else ()
        return ComposeRequest(mode, text, mention_ids=mentions)

    def send(self) -> None:
        if self._busy or not self.isEnabled():
            return
        request = self.request()
        if request is not None:
            self._draft_timer.stop()
            self.sendRequested.emit(request)

    def set_busy(self, busy: bool) -> None:
        """While sending, the text is read-only and Send is disabled."""
        self._busy = busy
        self.editor.setReadOnly(busy)
        self.to_edit.setReadOnly(busy)
        self.cc_edit.setReadOnly(busy)
        self._update_enabled()
        if busy:
            self.send_button.setText(self.tr("Saving…"))
        else:
            self._update_send_text()

    def sent(self, message: str = "") -> None:
        """The send succeeded: empty the box and say what happened (e.g. "Reply queued.")."""
        self.set_busy(False)
        self._loading = True
        try:
            self._draft_timer.stop()
            self.editor.clear()
            self.cc_edit.clear()
        finally:
            self._loading = False
        self.status.setText(message)

    # -- internals --------------------------------------------------------------------------

    def _edited(self) -> None:
        self._update_enabled()
        if not self._loading:
            self.status.clear()
            self._draft_timer.start()

    def _update_enabled(self) -> None:
        self.send_button.setEnabled(not self._busy and bool(self.text().strip()))

    def _update_send_text(self) -> None:
        self.send_button.setText({ComposeMode.NOTE: self.tr("Add note"),
                                  ComposeMode.COMMENT: self.tr("Add comment")}.get(
            self.mode, self.tr("Send")))

    def _mode_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self._mode_changed()
            if not self._loading and self.text().strip():
                self._draft_timer.start()

    def _mode_changed(self) -> None:
        mode = self.mode
        internal = mode is not ComposeMode.REPLY
        palette = self.palette()
        editor_palette = QPalette(palette)
        if internal:
            # Notes are yellow as in the conversation; comments, which notify the agents they
            # mention, are blue: the two internal kinds never look alike.
            background, text, _border = (note_colors(palette) if mode is ComposeMode.NOTE
                                         else comment_colors(palette))
            editor_palette.setColor(QPalette.ColorRole.Base, QColor(background))
            editor_palette.setColor(QPalette.ColorRole.Text, QColor(text))
        if mode is ComposeMode.NOTE:
            self.editor.setPlaceholderText(
                self.tr("Write an internal note (only your team sees it)…"))
            self.hint.setText(self.tr("Only your team will see this note."))
        elif mode is ComposeMode.COMMENT:
            self.editor.setPlaceholderText(
                self.tr("Write a comment; type @ to mention an agent…"))
            self.hint.setText(self.tr("Only your team sees it; mentioned agents are notified."))
        else:
            self.editor.setPlaceholderText(self.tr("Write a reply to the customer…"))
            self.hint.setText(self.tr("Your reply goes to the customer by e-mail."))
        self.editor.mentions_enabled = mode is ComposeMode.COMMENT
        self._place_hint(self.width())
        self.editor.setPalette(editor_palette)
        self.addresses.setVisible(not internal)
        if not internal and self._signature:
            first = self._signature.splitlines()[0]
            more = "…" if "\n" in self._signature else ""
            self.signature_label.setText(
                self.tr("Signature: {0}").replace("{0}", first[:60] + more))
            self.signature_label.setToolTip(self._signature)
        else:
            self.signature_label.clear()
            self.signature_label.setToolTip("")
        self.signature_label.setVisible(not internal)
        if not self._busy:
            self._update_send_text()
