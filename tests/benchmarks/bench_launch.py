"""One cold start, run as a child process by the suite (``run.py``), which times it.

    python tests/benchmarks/bench_launch.py bare|floor|window [URL] [table|split|board]

``bare``: an empty QMainWindow with a QTableView. ``floor``: the same after importing
``sqlalchemy.orm`` (the stack floor). ``window``: the program's main window on ``URL`` with
its first page. Each prints ``ready <max RSS in KB>`` once the first frame is painted, then
exits; the parent measures from spawning the process to that line.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


def _peak_rss_kb() -> int:
    """This process's peak resident memory. Linux's ``ru_maxrss`` carries the parent's peak
    across fork and exec (a suite that has just built a database in its own process gave
    every child its 674 MB), so the memory's own high-water mark is read where it exists."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _ready() -> None:
    rss_kb = _peak_rss_kb()
    sys.stdout.write(f"ready {rss_kb}\n")
    sys.stdout.flush()


def _bare(with_orm: bool) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    if with_orm:
        import sqlalchemy.orm  # noqa: F401

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.repaint()
    _ready()


def _window(url: str, layout: str) -> None:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QEventLoop, QSettings, QThreadPool
    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop import startup_gc  # after Qt: the package root then installs
    # pyside_sources' hook before the program's modules are imported, as ui/__init__ does

    startup_gc.pause()  # as the entry point does (helpdesk_desktop.__main__); the window resumes
    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk
    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    folder = tempfile.mkdtemp(prefix="hd-launch-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    database = startup.open_database(url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    bridge = DeskBridge(Desk(database, user_id))
    window = MainWindow(bridge)
    if layout != "table":
        window.set_layout(layout)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    if layout == "board":  # its cards are read in a job: the frame counts once they are in
        board = window.board
        while board.cards_loading():
            # One pass of the event loop at a time (with a time limit, processEvents went on
            # with what followed the cards, for up to that limit, before the frame counted).
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()
        assert any(c.model.rowCount() for c in board.columns)
    else:
        assert window.model.rowCount() > 0
    window.repaint()
    _ready()
    # Not measured: close as the program does (jobs finished, connections closed), so the
    # next launch finds a cleanly closed file, as a user's next start would (no -wal left:
    # storage.database.needs_quick_check).
    window.close()
    bridge.shutdown()
    QThreadPool.globalInstance().waitForDone(30000)
    database.dispose()
    os._exit(0)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "window":
        _window(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "table")
    else:
        _bare(with_orm=mode == "floor")
        os._exit(0)
