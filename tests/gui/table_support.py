"""A ticket table shown on a list model, for the GUI tests of the list's loading and paint."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui.layouts.table import TicketTableView
from helpdesk_desktop.ui.models.ticket_model import TicketListModel


def shown_table(qtbot: QtBot, model: TicketListModel, *, width: int = 600, height: int = 300,
                settle_ms: int = 20) -> TicketTableView:
    """A :class:`TicketTableView` of ``model`` shown at ``width``×``height``, exposed, then
    ``settle_ms`` of events (its first page painted)."""
    view = TicketTableView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    if settle_ms:
        qtbot.wait(settle_ms)
    return view
