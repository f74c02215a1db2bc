"""B10 paired: the demo build of this tree against another tree's, interleaved.

    python tests/benchmarks/bench_build.py --against OLD_ROOT [--tickets N] [--pg] [--runs 3]

``OLD_ROOT`` is a folder holding another ``helpdesk_desktop`` package (for example
``git archive main helpdesk_desktop | tar -x -C /tmp/old``). Each run builds ``N`` tickets
with :func:`bench_data.ensure` (as the suite builds its databases: the long thread,
``ANALYZE``) in a fresh process, old and new in turn, into a scratch cache folder (SQLite) or
the PostgreSQL database ``$HELPDESK_BENCH_PG_DB`` (default ``helpdesk_bench_pairs``), and
prints wall seconds, rows/s and the build process's CPU seconds (user + system, all
threads and child processes), with the load average; then the medians. Nothing is kept.
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
assert helpdesk_desktop.__file__.startswith(sys.argv[1]), helpdesk_desktop.__file__
started = time.perf_counter()
db = bench_data.ensure(int(sys.argv[3]), pg=sys.argv[4] == "pg", log=lambda *a: None)
wall = time.perf_counter() - started
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"seconds": db.build["seconds"], "rows": db.build["rows"],
                  "rows_per_s": db.build["rows_per_s"], "cpu": round(cpu, 1),
                  "wall": round(wall, 1)}))
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
                  f"{result['rows_per_s']:>8,.0f} rows/s  CPU {result['cpu']:5.1f} s  "
                  f"({result['rows']:,} rows, load {load:.1f} at the start)", flush=True)
    for label in ("old", "new"):
        rows = results[label]
        print(f"median {label}: {statistics.median(r['seconds'] for r in rows):.1f} s, "
              f"{statistics.median(r['rows_per_s'] for r in rows):,.0f} rows/s, "
              f"CPU {statistics.median(r['cpu'] for r in rows):.1f} s")
    print(f"load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
