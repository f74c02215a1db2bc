"""B10 paired: the demo build of this tree against another tree's, interleaved.

    python tests/benchmarks/bench_build.py --against OLD_ROOT [--tickets N] [--pg] [--runs 3]

``OLD_ROOT`` is a folder holding another ``helpdesk_desktop`` package (for example
``git archive main helpdesk_desktop | tar -x -C /tmp/old``). Each run builds ``N`` tickets
with :func:`bench_data.ensure` (as the suite builds its databases: the long thread,
``ANALYZE``) in a fresh process, old and new in turn, into a scratch cache folder (SQLite) or
the PostgreSQL database ``$HELPDESK_BENCH_PG_DB`` (default ``helpdesk_bench_pairs``), and
prints wall seconds, rows/s and the build process's CPU seconds (user + system, all
threads and child processes), with the load average, and the CPU of each part (the
generating process, this process's main thread and its other threads while the rows are
made, then what runs after the data); then the medians. Nothing is kept.

On a machine shared with other work the wall time says little; "critical path" is the CPU
time that would set the wall time on two idle cores: the longest of the parts that run side
by side while the rows are made (the main thread, the other threads of the process, the
generating process of :mod:`demo_process`), plus the CPU after the data (indexes,
full-text, counters, the long thread, ``ANALYZE``: the main thread's CPU, or half the
process's when worker threads sort beside it). Threads that share Python's lock do not
really run side by side, so this favours a build that uses threads.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, sys.argv[2])
import bench_data
import helpdesk_desktop
from helpdesk_desktop.services import demo_bulk
assert helpdesk_desktop.__file__.startswith(sys.argv[1]), helpdesk_desktop.__file__

def usage(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime

marks = {}
close = demo_bulk.FastInserts.close
def timed_close(self, failed=False):
    # The end of the data: the rows are planned; the writer stores its last ones.
    marks.setdefault("main", time.thread_time())
    marks.setdefault("children", usage(resource.RUSAGE_CHILDREN))
    close(self, failed)
    marks.setdefault("stored", usage(resource.RUSAGE_SELF))
    marks.setdefault("stored_main", time.thread_time())
demo_bulk.FastInserts.close = timed_close
started = time.perf_counter()
db = bench_data.ensure(int(sys.argv[3]), pg=sys.argv[4] == "pg", log=lambda *a: None)
wall = time.perf_counter() - started
cpu = usage(resource.RUSAGE_SELF) + usage(resource.RUSAGE_CHILDREN)
# What would set the wall time on two idle cores: the longest of the parts that run side
# by side while the rows are made (this process's main thread, its other threads, a
# generating process), then what runs after the data (indexes, full-text, ANALYZE): on
# the main thread, with the sorts of the index builds on worker threads beside it.
side_by_side = max(marks["children"], marks["main"], marks["stored"] - marks["main"])
after_all = usage(resource.RUSAGE_SELF) - marks["stored"]
after = max(time.thread_time() - marks["stored_main"], after_all / 2)
print(json.dumps({"seconds": db.build["seconds"], "rows": db.build["rows"],
                  "rows_per_s": db.build["rows_per_s"], "cpu": round(cpu, 1),
                  "critical": round(side_by_side + after, 1), "wall": round(wall, 1),
                  "side_by_side": round(side_by_side, 1), "after": round(after, 1),
                  "after_cpu": round(after_all, 1), "generator": round(marks["children"], 1),
                  "main_data": round(marks["main"], 1),
                  "others_data": round(marks["stored"] - marks["main"], 1)}))
"""


def build_once(root: Path, tickets: int, pg: bool, pg_name: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as cache:
        env = dict(os.environ, HELPDESK_BENCH_CACHE=cache, HELPDESK_BENCH_PG_DB=pg_name)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(root), str(HERE), str(tickets),
             "pg" if pg else "sqlite"],
            env=env, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, required=True,
                        help="a folder holding the other helpdesk_desktop package")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pg_name = os.environ.get("HELPDESK_BENCH_PG_DB", "helpdesk_bench_pairs")
    trees = {"old": args.against.resolve(), "new": ROOT}
    results: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for run in range(args.runs):
        for label in ("old", "new") if run % 2 == 0 else ("new", "old"):
            load = os.getloadavg()[0]
            result = build_once(trees[label], args.tickets, args.pg, pg_name)
            result["load"] = round(load, 1)
            results[label].append(result)
            print(f"run {run + 1} {label}: {result['seconds']:6.1f} s  "
                  f"{result['rows_per_s']:>8,.0f} rows/s  CPU {result['cpu']:5.1f} s, "
                  f"critical path {result['critical']:5.1f} s "
                  f"({result['rows']:,} rows, load {load:.1f} at the start)\n"
                  f"        data: generating process {result['generator']:5.1f} s, main thread "
                  f"{result['main_data']:5.1f} s, other threads {result['others_data']:5.1f} s; "
                  f"after: {result['after']:5.1f} s critical, {result['after_cpu']:5.1f} s CPU",
                  flush=True)
    for label in ("old", "new"):
        rows = results[label]
        print(f"median {label}: {statistics.median(r['seconds'] for r in rows):.1f} s, "
              f"{statistics.median(r['rows_per_s'] for r in rows):,.0f} rows/s, "
              f"CPU {statistics.median(r['cpu'] for r in rows):.1f} s, critical path "
              f"{statistics.median(r['critical'] for r in rows):.1f} s")
    print(f"load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
