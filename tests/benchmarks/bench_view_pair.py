"""One side of a paired B4 measurement, as JSON: the suite's own window code (``window_on``)
changing to Following, Unread, Closed, Assigned to me and All open (from All, as the suite
does), sorting by contact and owner (alternating order), filtering on the signed-in owner;
then ``Desk.list_tickets`` and ``listing.page_ids`` of the same queries. Wall and process
CPU medians (ms) of ``REPEAT`` runs each.

    PYTHONPATH=/main/checkout python tests/benchmarks/bench_view_pair.py URL [REPEAT]
    PYTHONPATH=/branch/checkout python tests/benchmarks/bench_view_pair.py URL2 [REPEAT]

Run the two sides alternately in fresh processes, each on its own copy of the database (a
branch with a migration upgrades its copy). ``PYTHONPATH`` picks the code; the JSON says
which was used.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import helpdesk_desktop
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.domain.models import User
from helpdesk_desktop.services import listing, saved_views
from helpdesk_desktop.services.dto import TicketFilters, TicketQuery
from tests.benchmarks.bench_suite import QApplication_process, window_on

VIEWS = (View.FOLLOWING, View.UNREAD, View.CLOSED, View.ASSIGNED_TO_ME, View.ALL_OPEN)


def time_views(window: Any, repeat: int, label: str, wall: dict[str, float],
               cpu: dict[str, float]) -> None:
    """Each of :data:`VIEWS` shown from All, timed into ``wall`` and ``cpu`` under
    ``"{label} {view}"``; the window is left on All open."""
    def show(view: View) -> None:
        window.set_view(view)
        QApplication_process()

    show(View.ALL_OPEN)
    for view in VIEWS:
        key = f"{label} {view.value}"
        wall[key], cpu[key] = timed(lambda _n, v=view: show(v), repeat,
                                    before=lambda _n: show(View.ALL))
    show(View.ALL_OPEN)


def timed(step: Callable[[int], None], repeat: int,
          before: Callable[[int], None] | None = None) -> tuple[float, float]:
    """Median wall and process-CPU ms of ``step(n)`` (the first run is a warm-up)."""
    walls: list[float] = []
    cpus: list[float] = []
    for n in range(repeat + 1):
        if before is not None:
            before(n)
        started, cpu = time.perf_counter(), time.process_time()
        step(n)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def main() -> None:
    from PySide6.QtCore import Qt

    from helpdesk_desktop.ui.models.ticket_model import Column

    url, repeat = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    out: dict[str, object] = {"code": helpdesk_desktop.__file__}
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with window_on(url) as window:
        model = window.model
        time_views(window, repeat, "window view", wall, cpu)
        orders = (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)
        for column in (Column.CONTACT, Column.OWNER):
            def sort(n: int, c: Column = column) -> None:
                model.sort(int(c), orders[n % 2])
                QApplication_process()

            key = f"window sort {column.name.lower()}"
            wall[key], cpu[key] = timed(sort, repeat)
        model.sort(int(Column.LAST_ACTIVITY), Qt.SortOrder.DescendingOrder)
        QApplication_process()
        base = window.query
        owner = window.bridge.user.id
        mine = dataclasses.replace(base, filters=TicketFilters(owner_ids=(owner,)))

        def query(q: TicketQuery) -> None:
            model.set_query(q)
            QApplication_process()

        wall["window filter owner me"], cpu["window filter owner me"] = timed(
            lambda _n: query(mine), repeat, before=lambda _n: query(base))
        desk = window.bridge.desk
        queries = {f"view {v.value}": TicketQuery(view=v) for v in VIEWS}
        queries["filter owner me"] = TicketQuery(filters=TicketFilters(owner_ids=(owner,)))
        database = desk._database
        for name, q in queries.items():
            wall[f"call {name}"], cpu[f"call {name}"] = timed(
                lambda _n, q=q: desk.list_tickets(q, limit=100), repeat)  # type: ignore[misc]
            with database.session() as session:
                actor = session.get_one(User, owner)
                resolved = saved_views.resolve(session, actor, q)
                wall[f"ids {name}"], cpu[f"ids {name}"] = timed(
                    lambda _n, r=resolved, a=actor: listing.page_ids(  # type: ignore[misc]
                        session, a, r, None, 100), repeat)
    out["wall"], out["cpu"] = wall, cpu
    print(json.dumps(out))


if __name__ == "__main__":
    main()
