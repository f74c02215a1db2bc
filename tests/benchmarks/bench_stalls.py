"""U (the longest event-loop stall) with the UI thread's stack sampled while it stalls.

    python tests/benchmarks/bench_stalls.py [--tickets 100000] [--pg] [--repeat 5] [--top 5]

Runs the suite's window rows (B2-B7, ``bench_suite.window_rows``) with its 5 ms heartbeat,
plus a watchdog thread that, whenever the heartbeat has not ticked for 15 ms, samples the UI
thread's Python stack every millisecond (``sys._current_frames``). For the longest stalls it
prints the phase, the gap, and the frames seen most often while it lasted (the innermost
frames of the program first): what the UI thread was doing. Outside the suite's own probes
(``Heartbeat.outside``) nothing is sampled. Figures only.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_data, bench_suite

ROOT = str(Path(__file__).resolve().parents[2])
STALL_MS = 15
# Ranked by the UI thread's CPU time between two ticks (``time.thread_time``): on a loaded
# machine the wall gap is mostly waiting for a core.


class SampledHeartbeat(bench_suite.Heartbeat):
    """The suite's heartbeat, and a watchdog that samples the UI thread's stack in a stall."""

    stalls: ClassVar[list[tuple[float, int, str, collections.Counter[str]]]] = []
    cpu_worst: ClassVar[float] = 0.0

    def __init__(self) -> None:
        super().__init__()
        self._main = threading.main_thread().ident
        self._last = time.perf_counter()
        self._samples: collections.Counter[str] = collections.Counter()
        self._paused = False
        self._cpu: float | None = None
        self._stop = False
        self._watch = threading.Thread(target=self._watchdog, daemon=True)
        self._watch.start()

    def _watchdog(self) -> None:
        while not self._stop:
            time.sleep(0.001)
            if self._paused or (time.perf_counter() - self._last) * 1000 < STALL_MS:
                continue
            frame = sys._current_frames().get(self._main or 0)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if ROOT in f.filename and "benchmarks" not in f.filename
                    and "site-packages" not in f.filename]
            lib = stack[-1]
            key = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                             for f in reversed(ours[-4:]))
            self._samples[f"[{Path(lib.filename).name}:{lib.lineno} {lib.name}] {key}"] += 1

    def _tick(self) -> None:
        phase = self.phase
        gap_before = self._carry + self.clock.elapsed()
        cpu = time.thread_time()  # the UI thread's own CPU time: what load does not inflate
        cpu_gap = (cpu - self._cpu) * 1000 if self._cpu is not None else 0.0
        self._cpu = cpu
        super()._tick()
        SampledHeartbeat.cpu_worst = max(SampledHeartbeat.cpu_worst, cpu_gap)
        if gap_before >= STALL_MS and self._samples:
            self.stalls.append((cpu_gap, gap_before, phase, self._samples))
        self._samples = collections.Counter()
        self._last = time.perf_counter()

    @contextmanager
    def outside(self) -> Iterator[None]:
        self._paused = True
        try:
            with super().outside():
                yield
        finally:
            self._samples = collections.Counter()
            self._last = time.perf_counter()
            self._cpu = time.thread_time()
            self._paused = False

    def start(self) -> None:
        self._cpu = time.thread_time()
        super().start()

    def stop(self) -> int:
        self._stop = True
        return super().stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    bench = bench_data.ensure(args.tickets, pg=args.pg)
    bench_suite.Heartbeat = SampledHeartbeat  # type: ignore[misc]
    raw = bench_suite.Raw(bench.url)
    try:
        rows, _figures = bench_suite.window_rows(bench, raw, args.repeat)
    finally:
        raw.close()
    for row in rows:
        if row.id == "U":
            print(f"U: {row.times[0]:.0f} ms — {row.operation}")
    print(f"longest stall in the UI thread's CPU time: {SampledHeartbeat.cpu_worst:.1f} ms")
    stalls = sorted(SampledHeartbeat.stalls, key=lambda s: -s[0])[:args.top]
    for cpu, gap, phase, samples in stalls:
        print(f"\n{cpu:.1f} ms of CPU ({gap} ms wall) in {phase} "
              f"({sum(samples.values())} samples):")
        for where, count in samples.most_common(6):
            print(f"  {count:3} {where}")


if __name__ == "__main__":
    main()
