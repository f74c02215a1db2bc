"""B1/M1 before and after a change, interleaved in one run (not collected by pytest).

    python tests/benchmarks/bench_launch_pair.py BEFORE_CHECKOUT URL [ROUNDS] [LAYOUT]

Spawns, round after round, the stack floor and each checkout's ``bench_launch.py window URL
LAYOUT SETTINGS`` (the program's own start, in the layout its settings remember; each
checkout's own program on ``PYTHONPATH``; the two checkouts in turns, their
order swapped every other round), after one warm launch of each (byte code written). Prints the medians of the wall time from spawning to the "ready" line,
of the child's CPU time at that line (``time.process_time()``: steadier than the wall time on
a loaded machine) and of its maximum RSS, with the ratios to the floor and after/before.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AFTER = HERE.parents[1]
#: Run in the child: the launch script, with the CPU time added to its "ready" line.
WRAPPER = """
import runpy, sys, time
class _Out:
    def __init__(self, out): self.out = out
    def write(self, text):
        if text.startswith("ready"):
            text = text.rstrip("\\n") + " %.1f\\n" % (time.process_time() * 1000)
        return self.out.write(text)
    def __getattr__(self, name): return getattr(self.out, name)
sys.stdout = _Out(sys.stdout)
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""


def launch(root: Path, args: list[str]) -> tuple[float, float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(root), QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", WRAPPER,
                              str(root / "tests" / "benchmarks" / "bench_launch.py"), *args],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=root)
    assert child.stdout is not None
    line = child.stdout.readline()
    wall = (time.perf_counter() - started) * 1000
    child.wait()
    if not line.startswith("ready"):
        raise RuntimeError(f"launch {root} {args} failed (exit {child.returncode})")
    _ready, rss_kb, cpu_ms = line.split()
    return wall, float(cpu_ms), int(rss_kb) / 1024


def settings_folder(root: Path, url: str, layout: str) -> list[str]:
    """The settings a launch of ``root`` opens ``layout`` with (bench_launch.py settings);
    none for a checkout whose bench_launch.py (before session 29) sets the layout itself."""
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(root / "tests" / "benchmarks" / "bench_launch.py"),
                           "settings", url, layout], check=False, capture_output=True,
                          text=True, env=env, cwd=root)
    return done.stdout.split()[-1:] if done.returncode == 0 else []


def main() -> None:
    before = Path(sys.argv[1]).resolve()
    url = sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    layout = sys.argv[4] if len(sys.argv) > 4 else "table"
    # Each checkout's own settings (its own program writes them): the user's layout.
    settings = {root: settings_folder(root, url, layout) for root in (before, AFTER)}
    kinds = {"floor": (AFTER, ["floor"]),
             "before": (before, ["window", url, layout, *settings[before]]),
             "after": (AFTER, ["window", url, layout, *settings[AFTER]])}
    for root, args in kinds.values():
        launch(root, args)  # warm
    figures: dict[str, list[tuple[float, float, float]]] = {k: [] for k in kinds}
    load = os.getloadavg()
    for round_ in range(rounds):
        # The floor first; then before and after, swapped every other round (the first of
        # two launches in a row measured some 10-20 % faster on a loaded machine).
        order = ["floor", "before", "after"] if round_ % 2 == 0 else ["floor", "after", "before"]
        for name in order:
            root, args = kinds[name]
            figures[name].append(launch(root, args))
    load_end = os.getloadavg()
    for folders in settings.values():
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    median = {name: tuple(statistics.median(f[i] for f in found) for i in range(3))
              for name, found in figures.items()}
    print(f"{layout} on {url}, {rounds} rounds, load {load[0]:.1f} → {load_end[0]:.1f}")
    for name, (wall, cpu, rss) in median.items():
        floor = median["floor"]
        print(f"  {name:7} wall {wall:7.0f} ms ({wall / floor[0]:.2f}× floor)  "
              f"cpu {cpu:6.0f} ms ({cpu / floor[1]:.2f}× floor)  rss {rss:6.1f} MB "
              f"(+{rss - floor[2]:.1f})")
    b, a = median["before"], median["after"]
    print(f"  after/before: wall {a[0] / b[0]:.2f}×, cpu {a[1] / b[1]:.2f}×, "
          f"rss {a[2] - b[2]:+.1f} MB")


if __name__ == "__main__":
    main()
