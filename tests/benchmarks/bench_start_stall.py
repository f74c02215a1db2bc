"""The longest event-loop stall of the window's start after its first frame (the U row's
heartbeat, not collected by pytest).

    python tests/benchmarks/bench_start_stall.py BEFORE_CHECKOUT URL [ROUNDS]

Each round spawns a window of this checkout and one of BEFORE_CHECKOUT (each its own program
on ``PYTHONPATH``) on URL; once the first frame is painted, a 5 ms timer beats until the
window's after-first-frame work has reported (``started``, the bridge idle) and 300 ms more.
Prints the medians of the longest gap between two beats beyond the 5 ms, and of the time to
``started``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

AFTER = Path(__file__).resolve().parents[2]
CHILD = """
import os, sys, tempfile, time
from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication
from helpdesk_desktop import startup_gc
startup_gc.pause()
from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
database = startup.open_database(sys.argv[1])
bridge = DeskBridge(Desk(database, startup.default_user_id(database)))
window = MainWindow(bridge)
window.resize(1280, 800)
window.show()
app.processEvents()
window.repaint()
clock = QElapsedTimer()
clock.start()
beats = []
timer = QTimer()
timer.setInterval(5)
timer.timeout.connect(lambda: beats.append(clock.elapsed()))
timer.start()
started = []
window.started.connect(lambda: started.append(clock.elapsed()))
loop = QEventLoop()
def check():
    if started and bridge._running == 0 and not QThreadPool.globalInstance().activeThreadCount():
        QTimer.singleShot(300, loop.quit)
    else:
        QTimer.singleShot(20, check)
QTimer.singleShot(20, check)
QTimer.singleShot(20000, loop.quit)
loop.exec()
gaps = [b - a for a, b in zip(beats, beats[1:])]
print("stall", max(gaps) - 5 if gaps else -1, started[0] if started else -1)
sys.stdout.flush()
bridge.shutdown()
QThreadPool.globalInstance().waitForDone(30000)
database.dispose()
os._exit(0)
"""


def run(root: Path, url: str) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(root), QT_QPA_PLATFORM="offscreen",
               QT_LOGGING_RULES="qt.qpa.*=false")
    done = subprocess.run([sys.executable, "-c", CHILD, url], capture_output=True, text=True,
                          env=env, cwd=root, check=True, timeout=120)
    _word, stall, started = done.stdout.split()[-3:]
    return float(stall), float(started)


def main() -> None:
    before, url = Path(sys.argv[1]).resolve(), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    found: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    load = os.getloadavg()[0]
    for _ in range(rounds):
        for name, root in (("before", before), ("after", AFTER)):
            found[name].append(run(root, url))
    print(f"start-up stall after the first frame on {url}, {rounds} rounds, load {load:.1f}")
    for name, values in found.items():
        stalls = sorted(v[0] for v in values)
        print(f"  {name:6} longest stall median {statistics.median(stalls):.0f} ms "
              f"(all {stalls}), started after "
              f"{statistics.median(v[1] for v in values):.0f} ms")


if __name__ == "__main__":
    main()
