"""One side of a paired measurement of the window's reads (B4, B6, B7 as the suite does them),
as JSON: view changes from All, searches from the unfiltered list, tickets opened; wall and
process CPU (every thread's) medians in ms.

    PYTHONPATH=/base/tree python tests/benchmarks/bench_window_reads.py URL [REPEAT]
    PYTHONPATH=/branch/tree python tests/benchmarks/bench_window_reads.py URL [REPEAT]

Run the two sides alternately in fresh processes on the same database copy (opening a ticket
marks it read: point it at a copy). Session 28 used it to check that one warm SQLite page
cache (``storage.database._one_warm_cache``) does not make these reads slower. Figures only.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import helpdesk_desktop
from tests.benchmarks.bench_suite import (
    SEARCHES,
    QApplication_process,
    _open_and_wait,
    window_on,
)
from tests.benchmarks.bench_view_pair import time_views, timed


def main() -> None:
    url, repeat = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with window_on(url) as window:
        model = window.model
        time_views(window, repeat, "view", wall, cpu)
        base = window.query

        def search(word: str) -> None:
            model.set_query(dataclasses.replace(base, search=word))
            QApplication_process()

        for name, word in SEARCHES.items():
            key = f"search {name}"
            wall[key], cpu[key] = timed(lambda _n, w=word: search(w), repeat,
                                        before=lambda _n: search(""))
        search("")
        rows = model.rowCount()

        def open_ticket(n: int) -> None:
            _open_and_wait(window, model.ticket_id(n * 7 % rows))

        wall["open ticket"], cpu["open ticket"] = timed(open_ticket, repeat * 3)
    print(json.dumps({"code": helpdesk_desktop.__file__, "wall": wall, "cpu": cpu}))


if __name__ == "__main__":
    main()
