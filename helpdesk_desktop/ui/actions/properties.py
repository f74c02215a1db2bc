"""What the property actions (status, owner, category) choose, apart from their dialog: the
actions are defined at start (``ticket_actions``), the dialog (``dialogs/property_dialog.py``,
its widgets and the dialogs' common module) is imported when one opens. No Qt here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from helpdesk_desktop.domain.enums import Category
from helpdesk_desktop.services.dto import TicketChanges

if TYPE_CHECKING:
    from helpdesk_desktop.ui.actions.spec import Selection


class TicketProperty(enum.StrEnum):
    """The properties this dialog sets; each value is the facade's field name."""

    STATUS = "status_id"
    OWNER = "owner_id"
    CATEGORY = "category"


@dataclass(frozen=True)
class PropertyChoice:
    """What the user chose: :attr:`changes` is the edit to write."""

    field: str
    value: Any
    text: str  # how the value reads in the combo

    @property
    def changes(self) -> TicketChanges:
        if self.field == TicketProperty.STATUS:
            return TicketChanges(status=int(self.value))
        if self.field == TicketProperty.OWNER:
            return TicketChanges(owner=self.value)
        return TicketChanges(category=Category(self.value) if self.value else None)


def selection_pipeline_id(selection: Selection) -> int | None:
    """The one pipeline the selected tickets are in, when the selection says so."""
    if selection.all_matching is not None:
        pipelines = set(selection.all_matching.filters.pipeline_ids)
    else:
        pipelines = {row.pipeline_id for row in selection.rows}
    return pipelines.pop() if len(pipelines) == 1 else None
