"""The rows of a list (``services/list_rows.py``), on both back-ends: built past TicketRow's
``__init__``, they hold every field and equal the rows that ``__init__`` makes."""

from __future__ import annotations

import dataclasses

from helpdesk_desktop.domain.enums import MessageKind, Priority
from helpdesk_desktop.services.dto import TicketQuery, TicketRow
from tests.factories import Workspace, make_ticket


def test_rows_equal_rows_made_by_init(ws: Workspace) -> None:
    make_ticket(ws, "plain")
    make_ticket(ws, "full", owner="agent", contact="john", priority=Priority.HIGH,
                messages=((MessageKind.EMAIL, "  hello\n there "), (MessageKind.NOTE, "x")))
    rows = ws.desk("admin").list_tickets(TicketQuery(), limit=10).rows
    assert len(rows) == 2
    names = [f.name for f in dataclasses.fields(TicketRow)]
    for row in rows:
        assert list(vars(row)) == names
        rebuilt = TicketRow(**{name: getattr(row, name) for name in names})
        assert rebuilt == row and hash(rebuilt) == hash(row)
        assert dataclasses.replace(row, name="renamed").name == "renamed"
    full = next(r for r in rows if r.name == "full")
    assert (full.priority, full.snippet, full.contact) == (Priority.HIGH, "hello there",
                                                           "John Smith")
