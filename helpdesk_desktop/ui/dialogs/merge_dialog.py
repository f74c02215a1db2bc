"""Merge ticket: find another ticket, choose which one survives, and merge."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import (
    OpResult,
    TicketDetail,
    TicketQuery,
    TicketRow,
    UserInfo,
)
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.common import OperationDialog, local_time
from helpdesk_desktop.ui.models.labels import priority_label
from helpdesk_desktop.ui.theme import make_muted, note_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RESULT_LIMIT = 30
SEARCH_DELAY_MS = 250


@dataclass(frozen=True)
class MergeResult:
    op: OpResult
    primary_id: int
    secondary_id: int


class TicketPanel(QGroupBox):
    """One ticket's property values, with the "Primary" radio button under them."""

    FIELDS = ("number", "name", "status", "priority", "owner", "contact", "created",
              "conversations")

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        labels = {"number": translate("Dialogs", "Number"),
                  "name": translate("Dialogs", "Name"),
                  "status": translate("Dialogs", "Status"),
                  "priority": translate("Dialogs", "Priority"),
                  "owner": translate("Dialogs", "Owner"),
                  "contact": translate("Dialogs", "Contact"),
                  "created": translate("Dialogs", "Created"),
                  "conversations": translate("Dialogs", "Conversations")}
        for key in self.FIELDS:
            value = QLabel("—", self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(labels[key], value)
        self.primary_radio = QRadioButton(translate("Dialogs", "Primary"), self)
        self.primary_radio.setToolTip(translate(
            "Dialogs", "The merged ticket keeps this ticket's number and "
                       "property values."))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.primary_radio, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_ticket(self, row: TicketRow | None, conversations: int | None,
                    user: UserInfo | None = None) -> None:
        if row is None:
            for label in self.values.values():
                label.setText("—")
            self.primary_radio.setEnabled(False)
            return
        self.primary_radio.setEnabled(True)
        self.values["number"].setText(f"#{row.id}")
        self.values["name"].setText(row.name)
        self.values["status"].setText(f"{row.status} ({row.pipeline})")
        self.values["priority"].setText(priority_label(row.priority) if row.priority
                                        else translate("Dialogs", "No priority"))
        self.values["owner"].setText(row.owner or translate("Dialogs", "Unassigned"))
        self.values["contact"].setText(row.contact or "—")
        self.values["created"].setText(local_time(row.created_at, user))
        self.values["conversations"].setText("—" if conversations is None else str(conversations))

    def set_primary_look(self, primary: bool) -> None:
        for label in self.values.values():
            make_muted(label, not primary)


class MergeDialog(OperationDialog[MergeResult]):
    """A search for the other ticket, the two tickets side by side with a "Primary" radio
    under each, and an expandable explanation of what merging does."""

    def __init__(self, bridge: DeskBridge, detail: TicketDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Merge"))
        self.setObjectName("MergeDialog")
        self.detail = detail
        self.other: TicketRow | None = None  # a row of the results: no whole ticket is read
        self._rows: dict[int, TicketRow] = {}
        self._counts: dict[int, int] = {detail.id: len(detail.conversations)}
        self.setWindowTitle(translate(
            "Dialogs", "Merge ticket #{0}").replace("{0}", str(detail.id)))

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(translate(
            "Dialogs", "Find a ticket by number, name or words…"))
        self.search_edit.setClearButtonEnabled(True)
        self.results_list = QListWidget(self)
        self.results_list.setObjectName("resultsList")
        self.results_list.setMinimumHeight(120)
        self.results_list.currentItemChanged.connect(self._on_result_chosen)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.search)

        self.this_panel = TicketPanel(translate("Dialogs", "This ticket"), self)
        self.other_panel = TicketPanel(translate("Dialogs", "Other ticket"), self)
        self.primary_this_radio = self.this_panel.primary_radio
        self.primary_other_radio = self.other_panel.primary_radio
        self.primary_this_radio.setObjectName("primaryThisRadio")
        self.primary_other_radio.setObjectName("primaryOtherRadio")
        self.primary_group = QButtonGroup(self)
        self.primary_group.addButton(self.primary_this_radio)
        self.primary_group.addButton(self.primary_other_radio)
        self.primary_this_radio.setChecked(True)
        self.primary_group.buttonToggled.connect(lambda _b, _c: self.update_state())
        self.this_panel.show_ticket(detail.row, len(detail.conversations), bridge.user)
        self.other_panel.show_ticket(None, None)

        self.explain_button = QToolButton(self)
        self.explain_button.setObjectName("explainButton")
        self.explain_button.setText(translate("Dialogs", "What happens when you merge"))
        self.explain_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.explain_button.setArrowType(Qt.ArrowType.RightArrow)
        self.explain_button.setCheckable(True)
        self.explain_button.setAutoRaise(True)
        self.explain_label = QLabel(self)
        self.explain_label.setObjectName("explainLabel")
        self.explain_label.setWordWrap(True)
        self.explain_label.setTextFormat(Qt.TextFormat.RichText)
        self.explain_label.setStyleSheet(note_style(self.palette()))
        self.explain_label.hide()
        self.explain_button.toggled.connect(self._toggle_explanation)

        panels = QHBoxLayout()
        panels.addWidget(self.this_panel, 1)
        panels.addWidget(self.other_panel, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(translate("Dialogs", "Merge with:"), self))
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results_list, 1)
        layout.addLayout(panels)
        layout.addWidget(self.explain_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.explain_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(820, 600)
        self.search()
        self.update_state()
        self.search_edit.setFocus()

    # -- search -----------------------------------------------------------------------------

    def search(self) -> None:
        """Fill the results with live tickets the agent may see, other than this one."""
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        query = TicketQuery(view=View.ALL, search=text)
        try:
            rows = self.bridge.desk.list_tickets(query, limit=RESULT_LIMIT + 1).rows
        except HelpDeskError as exc:
            self.show_error(str(exc))
            return
        self.clear_error()
        chosen = self.other.id if self.other is not None else None
        self.results_list.blockSignals(True)
        self.results_list.clear()
        for row in rows:
            if row.id == self.detail.id:
                continue
            self._rows[row.id] = row
            extra = " · ".join(part for part in (row.contact, row.status) if part)
            item = QListWidgetItem(f"#{row.id}  {row.name}" + (f"  —  {extra}" if extra else ""))
            item.setData(TICKET_ID_ROLE, row.id)
            self.results_list.addItem(item)
            if row.id == chosen:
                self.results_list.setCurrentItem(item)
        if self.results_list.count() == 0:
            placeholder = QListWidgetItem(translate("Dialogs", "No other ticket matches."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results_list.addItem(placeholder)
        self.results_list.blockSignals(False)

    def result_ids(self) -> list[int]:
        return [self.results_list.item(i).data(TICKET_ID_ROLE)
                for i in range(self.results_list.count())
                if self.results_list.item(i).data(TICKET_ID_ROLE) is not None]

    def choose(self, ticket_id: int) -> None:
        """Select ``ticket_id`` among the results (tests and keyboard users)."""
        for i in range(self.results_list.count()):
            if self.results_list.item(i).data(TICKET_ID_ROLE) == ticket_id:
                self.results_list.setCurrentRow(i)
                return
        raise ValueError(f"ticket #{ticket_id} is not among the results")

    def _on_result_chosen(self, item: QListWidgetItem | None,
                          _previous: QListWidgetItem | None) -> None:
        ticket_id = item.data(TICKET_ID_ROLE) if item is not None else None
        self.other = self._rows.get(ticket_id) if ticket_id is not None else None
        if self.other is not None:
            self.other_panel.show_ticket(self.other, self._counts.get(self.other.id),
                                         self.bridge.user)
            if self.other.id not in self._counts:
                self._count(self.other.id)
        else:
            self.other_panel.show_ticket(None, None)
            self.primary_this_radio.setChecked(True)
        self.update_state()

    def _count(self, ticket_id: int) -> None:
        """The other ticket's conversations, counted off the UI thread."""
        def done(counts: dict[int, int]) -> None:
            self._counts.update(counts)
            if self.other is not None and self.other.id == ticket_id:
                self.other_panel.show_ticket(self.other, counts.get(ticket_id),
                                             self.bridge.user)
                self.update_state()

        self.bridge.run(lambda desk, _p: desk.conversation_counts([ticket_id]), done,
                        self.show_error, owner=self)

    # -- state ------------------------------------------------------------------------------

    def primary_and_secondary(self) -> tuple[int, int] | None:
        """(primary id, secondary id) as chosen."""
        if self.other is None:
            return None
        if self.primary_other_radio.isChecked():
            return self.other.id, self.detail.id
        return self.detail.id, self.other.id

    def refusal(self) -> str | None:
        if self.other is None:
            return translate("Dialogs", "Choose the ticket to merge with.")
        return None

    def update_state(self) -> None:
        super().update_state()
        if not hasattr(self, "explain_label"):
            return
        pair = self.primary_and_secondary()
        this_primary = pair is None or pair[0] == self.detail.id
        self.this_panel.set_primary_look(this_primary)
        self.other_panel.set_primary_look(not this_primary)
        self.explain_label.setText(self.explanation())

    def explanation(self) -> str:
        pair = self.primary_and_secondary()
        moving = self._counts.get(pair[1]) if pair is not None else None
        if pair is None:
            primary, secondary = f"#{self.detail.id}", translate("Dialogs", "the other ticket")
        else:
            primary, secondary = f"#{pair[0]}", f"#{pair[1]}"
        if moving is None:  # not counted yet
            conversations = translate(
                "Dialogs", "The conversations of {s} move to {p}, each as its own thread, with "
                           "every message and attachment; a switcher in the ticket view shows "
                           "each thread.")
        else:
            conversations = translate(
                "Dialogs", "The %n conversations of {s} move to {p}, each as its own thread, "
                           "with every message and attachment; a switcher in the ticket view "
                           "shows each thread.", None, moving)
        points = [
            translate("Dialogs", "{s} is merged into {p}; {p} keeps its number.")
            .replace("{s}", secondary).replace("{p}", primary),
            translate("Dialogs", "{p} keeps its own name, description, pipeline, status, "
                      "priority, category and owner; the values {s} had are kept in the "
                      "history of {p}.")
            .replace("{s}", secondary).replace("{p}", primary),
            conversations.replace("{s}", secondary).replace("{p}", primary),
            translate("Dialogs", "Contacts, companies, deals and followers of both tickets are "
                      "combined; the older creation time is kept."),
            translate("Dialogs", "Opening or searching for {s} opens {p} from then on.")
            .replace("{s}", secondary).replace("{p}", primary),
            translate("Dialogs", "Only a super admin can undo a merge, and only while nothing "
                      "new happened in the moved conversations."),
        ]
        return "<ul style='margin-left: -20px'>" + "".join(
            f"<li>{p}</li>" for p in points) + "</ul>"

    def _toggle_explanation(self, shown: bool) -> None:
        self.explain_button.setArrowType(Qt.ArrowType.DownArrow if shown
                                         else Qt.ArrowType.RightArrow)
        self.explain_label.setVisible(shown)

    # -- the operation ----------------------------------------------------------------------

    def start(self) -> None:
        pair = self.primary_and_secondary()
        if pair is None:
            return
        primary_id, secondary_id = pair
        self.run_operation(
            lambda desk, _p: desk.merge(primary_id, secondary_id),
            lambda op: MergeResult(op=op, primary_id=primary_id, secondary_id=secondary_id))
