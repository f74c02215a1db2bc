"""A count whose answer is no longer wanted ends early (SQLite), and leaves the database as
it was for the next read; on PostgreSQL it runs to its end (storage.stoppable)."""

from __future__ import annotations

import pytest

from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.domain.errors import Stopped
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.storage import stoppable
from tests.factories import Workspace, make_ticket


def _search(ws: Workspace) -> TicketQuery:
    for n in range(30):
        make_ticket(ws, f"Invoice question {n}")
    return TicketQuery(view=View.ALL, search="invoice")


def test_a_count_still_wanted_counts_to_the_end(ws: Workspace,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    query = _search(ws)
    monkeypatch.setattr(stoppable, "STEPS", 1)  # looks at stop() at every step
    desk = ws.desk("admin")
    looked: list[bool] = []

    def wanted() -> bool:
        looked.append(True)
        return False

    assert desk.count_tickets(query, wanted) == desk.count_tickets(query) == 30
    assert looked or ws.db.dialect != "sqlite"  # SQLite looked; PostgreSQL never does


def test_a_count_no_longer_wanted_ends_early_on_sqlite(ws: Workspace,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    query = _search(ws)
    monkeypatch.setattr(stoppable, "STEPS", 1)
    desk = ws.desk("admin")
    if ws.db.dialect == "sqlite":
        with pytest.raises(Stopped):
            desk.count_tickets(query, lambda: True)
    else:  # PostgreSQL: the statement runs to its end
        assert desk.count_tickets(query, lambda: True) == 30
    # The connection is as it was: the next reads and a write work.
    assert desk.count_tickets(query) == 30
    make_ticket(ws, "Invoice question, later")
    assert desk.count_tickets(query) == 31
