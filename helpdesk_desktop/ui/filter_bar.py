"""The filters above the ticket list: status, priority, owner, category, pipeline and inbox,
each a drop-down of checkable choices ("any" when none is checked)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from helpdesk_desktop.domain.enums import Category, Priority
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import TicketFilters
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.jobs import Job
from helpdesk_desktop.ui.models import labels

FIELDS = ("status_ids", "priorities", "owner_ids", "categories", "pipeline_ids", "inbox_ids")
TITLES = {"status_ids": QT_TRANSLATE_NOOP("FilterBar", "Status"),
          "priorities": QT_TRANSLATE_NOOP("FilterBar", "Priority"),
          "owner_ids": QT_TRANSLATE_NOOP("FilterBar", "Owner"),
          "categories": QT_TRANSLATE_NOOP("FilterBar", "Category"),
          "pipeline_ids": QT_TRANSLATE_NOOP("FilterBar", "Pipeline"),
          "inbox_ids": QT_TRANSLATE_NOOP("FilterBar", "Inbox")}


class FilterButton(QToolButton):
    """One filter: a button whose menu holds the checkable choices."""

    changed = Signal()

    def __init__(self, field: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.title = title
        self.setObjectName(f"Filter.{field}")
        self.setAccessibleName(title)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The text ends with "▾"; Qt's own small arrow would overlap it.
        self.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.menu_ = QMenu(self)
        self.menu_.setObjectName(f"FilterMenu.{field}")
        self.setMenu(self.menu_)
        self.values: list[Any] = []
        self._update_text()

    def set_choices(self, choices: list[tuple[str, Any]], sections: dict[int, str] | None = None
                    ) -> None:
        """``(label, value)`` pairs; ``sections`` puts a titled separator before an index."""
        chosen = set(self.selected())
        self.menu_.clear()
        self.values = []
        for i, (label, value) in enumerate(choices):
            if sections and i in sections:
                self.menu_.addSection(sections[i])
            action = QAction(label, self.menu_)
            action.setCheckable(True)
            action.setChecked(value in chosen)
            action.setData(i)
            action.toggled.connect(self._toggled)
            self.menu_.addAction(action)
            self.values.append(value)
        self._update_text()

    def _actions(self) -> list[QAction]:
        return [a for a in self.menu_.actions() if a.isCheckable()]

    def selected(self) -> tuple[Any, ...]:
        return tuple(self.values[a.data()] for a in self._actions() if a.isChecked())

    def set_selected(self, values: tuple[Any, ...]) -> None:
        wanted = set(values)
        for action in self._actions():
            action.blockSignals(True)
            action.setChecked(self.values[action.data()] in wanted)
            action.blockSignals(False)
        self._update_text()

    def check(self, value: Any, on: bool = True) -> None:
        """Check one choice (as a click would)."""
        for action in self._actions():
            if self.values[action.data()] == value:
                action.setChecked(on)

    def _toggled(self, _on: bool) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = [a.text().replace("&", "") for a in self._actions() if a.isChecked()]
        if not chosen:
            text = self.tr("%1: Any").replace("%1", self.title)
        else:
            # "Status: Open", "Status: 3" (French: "Statut : 3").
            value = chosen[0] if len(chosen) == 1 else str(len(chosen))
            text = self.tr("%1: %2", "filter title: chosen value or count").replace(
                "%1", self.title).replace("%2", value)
        self.setText(f"{text} ▾")
        self.setAccessibleDescription(text)


class FilterBar(QWidget):
    """All the filters; :attr:`filtersChanged` carries the new :class:`TicketFilters`."""

    filtersChanged = Signal(object)

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FilterBar")
        self.bridge = bridge
        self._choices_job: Job[Any] | None = None  # the choices being read
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(4)
        self.buttons: dict[str, FilterButton] = {}
        for field in FIELDS:
            button = FilterButton(field, self.tr(TITLES[field]), self)
            button.changed.connect(self._changed)
            layout.addWidget(button)
            self.buttons[field] = button
        self.clear_button = QPushButton(icon("close"), self.tr("C&lear filters"), self)
        self.clear_button.setObjectName("ClearFilters")
        self.clear_button.setFlat(True)
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self._update_clear()

    def reload_choices(self) -> None:
        """Fill the choices from the workspace (pipelines, statuses, users, inboxes), read off
        the UI thread (three reads: ~20 ms of the window's first turns, issue 11 U)."""

        def read(desk: Any, _progress: object) -> tuple[list[Any], list[Any], list[Any]]:
            try:
                return list(desk.pipelines()), list(desk.users()), list(desk.inboxes())
            except HelpDeskError:
                return [], [], []

        self._choices_job = self.bridge.run(read, self._show_choices, lambda _message: None,
                                            owner=self, followers=False, quiet=True,
                                            replaces=self._choices_job)

    def _show_choices(self, read: tuple[list[Any], list[Any], list[Any]]) -> None:
        pipelines, users, inboxes = read
        statuses: list[tuple[str, Any]] = []
        sections: dict[int, str] = {}
        for pipeline in pipelines:
            sections[len(statuses)] = pipeline.name
            statuses.extend((s.name, s.id) for s in pipeline.statuses)
        self.buttons["status_ids"].set_choices(statuses, sections)
        self.buttons["priorities"].set_choices(
            [(labels.priority_label(p), p) for p in reversed(list(Priority))])
        self.buttons["owner_ids"].set_choices(
            [(self.tr("Unassigned"), None)] + [(u.name, u.id) for u in users])
        self.buttons["categories"].set_choices([(labels.category_label(c), c) for c in Category])
        self.buttons["pipeline_ids"].set_choices([(p.name, p.id) for p in pipelines])
        self.buttons["inbox_ids"].set_choices([(i.name, i.id) for i in inboxes])

    def filters(self) -> TicketFilters:
        return TicketFilters(**{field: self.buttons[field].selected() for field in FIELDS})

    def set_filters(self, filters: TicketFilters) -> None:
        """Show ``filters`` without emitting a change."""
        for field in FIELDS:
            self.buttons[field].set_selected(tuple(getattr(filters, field)))
        self._update_clear()

    def clear(self) -> None:
        self.set_filters(TicketFilters())
        self._changed()

    def _changed(self) -> None:
        self._update_clear()
        self.filtersChanged.emit(self.filters())

    def _update_clear(self) -> None:
        self.clear_button.setVisible(self.filters() != TicketFilters())
