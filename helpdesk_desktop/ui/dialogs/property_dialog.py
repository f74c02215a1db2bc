"""Choose one property value (status, owner or category) for the selected tickets.

The dialog only collects the choice: the action handler writes it with
``ticket_actions.edit_properties`` (off the UI thread, progress and Undo in the status bar),
so a bulk edit of thousands of tickets never waits inside a dialog.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from helpdesk_desktop.domain.enums import Category
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import PipelineInfo, TicketRow
from helpdesk_desktop.ui.actions.properties import (
    PropertyChoice,
    TicketProperty,
    selection_pipeline_id,
)
from helpdesk_desktop.ui.actions.spec import Selection
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.dialogs.common import OperationDialog, fill_owner_combo
from helpdesk_desktop.ui.models.labels import category_label
from helpdesk_desktop.ui.theme import make_muted, note_style

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

__all__ = ["PropertyChoice", "PropertyDialog", "TicketProperty", "selection_pipeline_id"]


def _row_value(row: TicketRow, prop: TicketProperty) -> Any:
    if prop is TicketProperty.STATUS:
        return row.status_id
    if prop is TicketProperty.OWNER:
        return row.owner_id
    return row.category.value if row.category is not None else None


class PropertyDialog(OperationDialog[PropertyChoice]):
    """A combo of the values ``prop`` can take, the shared current value preselected, and a
    line saying how many tickets the choice changes. Accepting emits ``succeeded`` with a
    :class:`PropertyChoice`; the caller does the write."""

    def __init__(self, bridge: DeskBridge, prop: TicketProperty, selection: Selection,
                 parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, translate("Dialogs", "Apply"))
        self.setObjectName("PropertyDialog")
        self.prop = prop
        self.selection = selection
        # Known rows only: for "all N matching this view" the loaded rows are a sample.
        self.rows: tuple[TicketRow, ...] = (
            selection.rows if selection.all_matching is None else ())
        self.pipeline: PipelineInfo | None = None

        self.value_combo = QComboBox(self)
        self.value_combo.setObjectName("valueCombo")
        self.value_combo.setMinimumContentsLength(24)
        self.intro_label = QLabel(self)
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setWordWrap(True)
        self.intro_label.setStyleSheet(note_style(self.palette()))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("changeCount")
        self.count_label.setWordWrap(True)
        make_muted(self.count_label)

        form = QFormLayout()
        form.addRow(self._field_label(), self.value_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.setWindowTitle(self._title())
        self.intro_label.setText(self._intro())
        try:
            self._fill()
        except HelpDeskError as exc:
            self.value_combo.clear()
            self.show_error(str(exc))
        self._preselect()
        self.value_combo.currentIndexChanged.connect(lambda _i: self._update_count())
        self._update_count()
        self.resize(460, self.sizeHint().height())

    # -- texts ------------------------------------------------------------------------------

    def _title(self) -> str:
        return {
            TicketProperty.STATUS: translate("Dialogs", "Set Status"),
            TicketProperty.OWNER: translate("Dialogs", "Assign To"),
            TicketProperty.CATEGORY: translate("Dialogs", "Set Category"),
        }[self.prop]

    def _field_label(self) -> str:
        return {
            TicketProperty.STATUS: translate("Dialogs", "&Status"),
            TicketProperty.OWNER: translate("Dialogs", "&Owner"),
            TicketProperty.CATEGORY: translate("Dialogs", "&Category"),
        }[self.prop]

    def _intro(self) -> str:
        count = self.selection.count
        if self.selection.all_matching is not None:
            text = translate("Dialogs", "All %n tickets matching this view are selected.",
                             None, count)
        elif count == 1 and self.rows:
            text = translate("Dialogs", "Ticket #{0}: “{1}”.").replace(
                "{0}", str(self.rows[0].id)).replace("{1}", self.rows[0].name)
        else:
            text = translate("Dialogs", "%n tickets are selected.", None, count)
        return text

    # -- choices ----------------------------------------------------------------------------

    def _fill(self) -> None:
        combo = self.value_combo
        desk = self.bridge.desk
        if self.prop is TicketProperty.STATUS:
            pipeline_id = selection_pipeline_id(self.selection)
            self.pipeline = next((p for p in desk.pipelines() if p.id == pipeline_id), None)
            if self.pipeline is None:
                self.show_error(translate(
                    "Dialogs", "The selected tickets are not in one pipeline you can see."))
                return
            for status in self.pipeline.statuses:
                combo.addItem(status.name, status.id)
            self.intro_label.setText(self._intro() + " " + translate(
                "Dialogs", "Pipeline: {0}.").replace("{0}", self.pipeline.name))
        elif self.prop is TicketProperty.OWNER:
            fill_owner_combo(combo, desk.users())
        else:
            for category in Category:
                combo.addItem(category_label(category), category.value)
            combo.addItem(translate("Dialogs", "No category"), None)

    def _preselect(self) -> None:
        """The value every selected row shares, else no choice yet (a placeholder)."""
        combo = self.value_combo
        combo.setPlaceholderText(translate("Dialogs", "Choose…"))
        values = {_row_value(row, self.prop) for row in self.rows}
        index = combo.findData(values.pop()) if len(values) == 1 else -1
        combo.setCurrentIndex(index)

    def chosen(self) -> PropertyChoice | None:
        combo = self.value_combo
        if combo.currentIndex() < 0:
            return None
        return PropertyChoice(self.prop.value, combo.currentData(), combo.currentText())

    def changing(self) -> int | None:
        """How many of the known rows the current choice changes (``None``: not known)."""
        choice = self.chosen()
        if choice is None or not self.rows:
            return None
        return sum(1 for row in self.rows if _row_value(row, self.prop) != choice.value)

    def _update_count(self) -> None:
        total = self.selection.count
        changing = self.changing()
        if self.chosen() is None:
            text = translate("Dialogs", "Nothing changes until you choose a value.")
        elif changing is None:
            text = translate("Dialogs", "Up to %n tickets will change.", None, total)
        elif changing == 0:
            text = (translate("Dialogs", "The ticket already has this value.") if total == 1
                    else translate("Dialogs", "The selected tickets already have this value."))
        elif changing == total:
            text = translate("Dialogs", "%n tickets will change.", None, total)
        else:
            text = translate("Dialogs", "%n of {0} tickets will change; the others already "
                                        "have this value.", None, changing).replace(
                "{0}", str(total))
        self.count_label.setText(text)
        self.update_state()

    # -- OperationDialog --------------------------------------------------------------------

    def refusal(self) -> str | None:
        if self.chosen() is None:
            return translate("Dialogs", "Choose a value first.")
        if self.changing() == 0:
            return translate("Dialogs", "Nothing would change.")
        return None

    def start(self) -> None:
        choice = self.chosen()
        if choice is not None:
            self.finish(choice)
