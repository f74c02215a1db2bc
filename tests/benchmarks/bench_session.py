"""M3 (the scripted session) paired: two source trees, interleaved, in fresh processes.

    python tests/benchmarks/bench_session.py --base /path/to/other/tree [--pg] [--quick]
                                             [--rounds 3] [--tickets 100000]

Runs the suite's own M3 child (``run.py --m3-child``) of each tree in turn (the order swapped
every round, so that load drifts fall on both), each in a fresh process on the same cached
database, and prints for each run the resident memory at the end and the growth of the
second half, then the medians. The suite's session writes (opening a ticket marks it read):
point ``HELPDESK_BENCH_CACHE`` at a copy of the SQLite database. Figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def one(tree: Path, args: argparse.Namespace) -> tuple[float, float]:
    out = Path(tempfile.mkdtemp(prefix="hd-m3pair-")) / "m3.json"
    command = [sys.executable, str(tree / "tests" / "benchmarks" / "run.py"), "--m3-child",
               str(out), "--tickets", str(args.tickets)]
    command += (["--pg"] if args.pg else []) + (["--quick"] if args.quick else [])
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(command, check=True, cwd=tree, env=env)
    row = json.loads(out.read_text())
    growth = re.search(r"second half ([+-][0-9.]+) %", row["operation"])
    return float(row["times"][0]), float(growth.group(1)) if growth else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the tree to compare with")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "branch": ROOT}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for n in range(args.rounds):
        order = list(trees) if n % 2 == 0 else list(reversed(trees))
        for name in order:
            load = os.getloadavg()[0]
            end, growth = one(trees[name], args)
            results[name].append((end, growth))
            print(f"round {n + 1} {name:6}: end {end:6.1f} MB, second half {growth:+.1f} % "
                  f"(load {load:.1f})", flush=True)
    for name, values in results.items():
        ends = [e for e, _ in values]
        growths = [g for _, g in values]
        print(f"{name:6}: end median {statistics.median(ends):.1f} MB "
              f"({min(ends):.1f}–{max(ends):.1f}), second half median "
              f"{statistics.median(growths):+.1f} % ({min(growths):+.1f}–{max(growths):+.1f})")


if __name__ == "__main__":
    main()
