"""Settings › Sender Rules… (also from Settings › Inboxes…): an inbox's allow and deny lists
of sender addresses and domains.

New mail from a denied sender is filed as spam; an allow entry wins over a deny entry, an
address over a domain, and a domain never sends a known contact to Spam. Changing the lists
needs account access; everyone else sees them read-only, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.layouts.empty_hint import EmptyHint
from helpdesk_desktop.ui.theme import error_style, make_muted

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class SenderRulesDialog(QDialog):
    """The allow and deny lists of one inbox at a time; each change is saved at once."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SenderRulesDialog")
        self.setWindowTitle(translate("Dialogs", "Sender Rules"))
        self.bridge = bridge
        user = bridge.user
        self.may_edit = user.super_admin or user.account_access
        self.busy = False
        intro = QLabel(translate(
            "Dialogs", "New mail from a denied address or domain goes to Spam. An allowed "
                       "address or domain is never filed as spam by these rules, and a domain "
                       "rule never sends a known contact to Spam."), self)
        intro.setWordWrap(True)
        make_muted(intro)
        self.inbox_combo = QComboBox(self)
        self.inbox_combo.setObjectName("rulesInbox")
        try:
            for inbox in bridge.desk.inboxes():
                self.inbox_combo.addItem(inbox.name, inbox.id)
        except HelpDeskError:
            pass
        self.rules = QTreeWidget(self)
        self.rules.setObjectName("rulesList")
        self.rules.setRootIsDecorated(False)
        self.rules.setHeaderLabels([translate("Dialogs", "Address or domain"),
                                    translate("Dialogs", "List")])
        self.rules_hint = EmptyHint(self.rules, translate(
            "Dialogs", "No rules: mail from every sender reaches this inbox. Type an address "
                       "or a domain below, then Allow or Deny."))
        self.pattern_edit = QLineEdit(self)
        self.pattern_edit.setObjectName("rulePattern")
        self.pattern_edit.setPlaceholderText(translate("Dialogs",
                                                       "name@example.com or example.com"))
        self.allow_button = QPushButton(translate("Dialogs", "&Allow"), self)
        self.allow_button.setObjectName("ruleAllow")
        self.deny_button = QPushButton(translate("Dialogs", "&Deny"), self)
        self.deny_button.setObjectName("ruleDeny")
        self.remove_button = QPushButton(translate("Dialogs", "&Remove"), self)
        self.remove_button.setObjectName("ruleRemove")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style(self.palette()))
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        self.allow_button.clicked.connect(lambda: self._set(True))
        self.deny_button.clicked.connect(lambda: self._set(False))
        self.remove_button.clicked.connect(self._remove)
        self.inbox_combo.currentIndexChanged.connect(self._load)
        self.pattern_edit.textChanged.connect(self._update_state)
        self.rules.currentItemChanged.connect(self._picked)

        form = QFormLayout()
        inbox_label = QLabel(translate("Dialogs", "&Inbox:"), self)
        inbox_label.setBuddy(self.inbox_combo)
        form.addRow(inbox_label, self.inbox_combo)
        entry = QHBoxLayout()
        entry.addWidget(self.pattern_edit, 1)
        entry.addWidget(self.allow_button)
        entry.addWidget(self.deny_button)
        entry.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.rules, 1)
        layout.addLayout(entry)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(520, 420)
        self._load()

    def _inbox_id(self) -> int | None:
        value = self.inbox_combo.currentData()
        return int(value) if value is not None else None

    def _load(self) -> None:
        self.rules.clear()
        inbox_id = self._inbox_id()
        if inbox_id is None:
            self._update_state()
            return
        try:
            rules = self.bridge.desk.sender_rules(inbox_id)
        except HelpDeskError as exc:
            self._show_error(str(exc))
            rules = []
        for rule in rules:
            item = QTreeWidgetItem([rule.pattern, translate("Dialogs", "Allow") if rule.allow
                                    else translate("Dialogs", "Deny")])
            item.setData(0, Qt.ItemDataRole.UserRole, rule.pattern)
            self.rules.addTopLevelItem(item)
        self.rules.resizeColumnToContents(0)
        self._update_state()

    def _update_state(self) -> None:
        reason = None if self.may_edit else translate(
            "Dialogs", "Only a super admin or a user with account access changes these lists.")
        has_text = bool(self.pattern_edit.text().strip())
        for button in (self.allow_button, self.deny_button, self.remove_button):
            button.setEnabled(self.may_edit and has_text and not self.busy)
            button.setToolTip(reason or "")
        self.pattern_edit.setEnabled(self.may_edit)

    def _picked(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.pattern_edit.setText(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def _set(self, allow: bool) -> None:
        inbox_id, pattern = self._inbox_id(), self.pattern_edit.text()
        if inbox_id is not None:
            self._run(lambda desk: desk.set_sender_rule(inbox_id, pattern, allow=allow))

    def _remove(self) -> None:
        inbox_id, pattern = self._inbox_id(), self.pattern_edit.text()
        if inbox_id is not None:
            self._run(lambda desk: desk.remove_sender_rule(inbox_id, pattern))

    def _run(self, change: Callable[[Desk], object]) -> None:
        """Save in the background; the list reloads after, a refusal is one sentence."""
        self.busy = True
        for button in (self.allow_button, self.deny_button, self.remove_button):
            button.setEnabled(False)

        def finished(_value: object) -> None:
            self.busy = False
            self._done()

        def failed(message: str) -> None:
            self.busy = False
            self._update_state()
            self._show_error(message)

        self.bridge.run(lambda desk, _progress: change(desk), on_done=finished, on_error=failed,
                        owner=self)

    def _done(self) -> None:
        self.error_label.hide()
        self.pattern_edit.clear()
        self._load()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
