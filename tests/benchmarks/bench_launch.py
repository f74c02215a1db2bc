"""One cold start, run as a child process by the suite (``run.py``), which times it.

    python tests/benchmarks/bench_launch.py bare|floor
    python tests/benchmarks/bench_launch.py window URL [table|split|board] [SETTINGS]
    python tests/benchmarks/bench_launch.py settings URL table|split|board

``bare``: an empty QMainWindow with a QTableView. ``floor``: the same after importing
``sqlalchemy.orm`` (the stack floor). ``window``: the program started as ``helpdesk-desktop
--db URL`` starts it (its entry point, the command line, the single-instance lock, the
launcher with the daily upkeep and mail), in the layout remembered in SETTINGS (a folder
printed by ``settings``, made once by the parent; without one, a first start: the table),
until the first page (the board's first cards) is painted. Each prints ``ready <max RSS in
KB>`` once that frame is painted, then exits; the parent measures from spawning the process
to that line. The program's files (settings, log, lock) go to a temporary folder.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from collections.abc import Callable
from typing import Any

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
    if os.environ.get("HELPDESK_BENCH_EXIT_AT_READY"):
        os._exit(0)


#: The folders the program's start writes to or reads from (settings, the log, the lock),
#: pointed into the launch's own temporary folder.
XDG_FOLDERS = ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
               "XDG_RUNTIME_DIR")
#: The settings file of ``QSettings()`` for the program's organization and application
#: names (ui/app.py), below XDG_CONFIG_HOME.
SETTINGS_FILE = ("HelpDeskDesktop", "Help Desk Desktop.conf")


def _settings(url: str, layout: str) -> None:
    """Print a folder holding the program's settings with ``layout`` remembered for the user
    a start on ``url`` signs in as: a window opened with them starts in that layout, as a
    user's does. Run once by the parent, not timed (``prepared_settings``)."""
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QSettings

    from helpdesk_desktop.application import startup
    from helpdesk_desktop.application.desk import Desk
    from helpdesk_desktop.ui import settings as opts

    database = startup.open_database(url)
    user_id = startup.default_user_id(database)
    assert user_id is not None
    email = Desk(database, user_id).me().email
    database.dispose()
    folder = tempfile.mkdtemp(prefix="hd-launch-settings-")
    path = os.path.join(folder, *SETTINGS_FILE)
    os.makedirs(os.path.dirname(path))
    store = QSettings(path, QSettings.Format.IniFormat)
    opts.Settings(store, email).set(opts.LAYOUT, layout)
    store.sync()
    print(folder)


def prepared_settings(url: str, layout: str, env: dict[str, str] | None = None) -> str:
    """The folder of :func:`_settings`, made by a child process (for the parent scripts)."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, "settings", url, layout], check=True,
                          capture_output=True, text=True, env=env)
    return done.stdout.split()[-1]


class _Watch:
    """Reports "ready" from inside the window's first UpdateRequest that paints the first page
    (table, split) or the board's first cards: the frame is painted and flushed first
    (``QWidget.event``), then the line is written, before anything queued behind the frame
    (the program's ``finish_start``) runs. Then the window is closed as a user closes it."""

    def __init__(self, layout: str) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.layout = layout
        self.update_request = QEvent.Type.UpdateRequest
        watch = self

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:
                return watch._event_filter(watched, event)

        self.filter = Filter()

    def watch(self, window: Any) -> None:
        self.window = window
        window.installEventFilter(self.filter)

    def _shows_its_page(self) -> bool:
        window = self.window
        if window.layout_name != self.layout:
            raise RuntimeError(f"opened in {window.layout_name}, not {self.layout}")
        if self.layout == "board":
            board = window.parts.board_if_built()
            return board is not None and not board.cards_loading() and any(
                c.model.rowCount() for c in board.columns)
        return window.model.rowCount() > 0

    def _event_filter(self, watched: Any, event: Any) -> bool:
        try:
            if event.type() != self.update_request or not self._shows_its_page():
                return False
            watched.removeEventFilter(self.filter)
            watched.event(event)  # the frame, painted and flushed
            _ready()
            if os.environ.get("HELPDESK_BENCH_EXIT_AT_READY"):  # counting instructions
                os._exit(0)
            modules = os.environ.get("HELPDESK_BENCH_MODULES")
            if modules:  # tests/test_startup_imports.py: what the start imported by then
                with open(modules, "w", encoding="utf-8") as out:
                    out.write("\n".join(sorted(sys.modules)))
            # Not measured: closed as a user closes it (settings saved, jobs finished,
            # connections closed by the launcher), so the next launch finds a cleanly closed
            # file, as a user's next start would (no -wal left).
            watched.close()
            return True
        except BaseException:  # noqa: BLE001 - the program's hook would show a message box
            import traceback

            traceback.print_exc()
            os._exit(3)


def run_program(url: str, settings: str | None, opened: Callable[[Any], None], *,
                timeout_s: float | None = None) -> int:
    """The program's own start (``helpdesk-desktop --db URL``: the entry point, the command
    line's parse, the single-instance lock, the launcher with its daily upkeep and mail), with
    the settings in ``settings`` (a folder from :func:`prepared_settings`; none: a first
    start) and its files in a temporary folder; ``opened`` gets the main window once made.
    Returns the program's exit code once its event loop ends; the process is ended (exit
    code 4) after ``timeout_s`` (default ``$HELPDESK_BENCH_TIMEOUT`` or 600 s)."""
    import shutil
    import threading

    folder = tempfile.mkdtemp(prefix="hd-launch-")
    for name in XDG_FOLDERS:
        os.environ[name] = os.path.join(folder, name.lower())
        os.makedirs(os.environ[name], mode=0o700)
    if settings:
        shutil.copytree(settings, os.environ["XDG_CONFIG_HOME"], dirs_exist_ok=True)
    # A start that never paints (a message box on the offscreen screen) ends after this.
    if timeout_s is None:
        timeout_s = float(os.environ.get("HELPDESK_BENCH_TIMEOUT", "600"))
    watchdog = threading.Timer(timeout_s, lambda: os._exit(4))
    watchdog.daemon = True
    watchdog.start()
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from helpdesk_desktop import __main__ as entry

    run_gui = entry._run_gui

    def run_gui_watched(args: Any) -> int:
        # The launcher's module is imported where the entry point imports it (in _run_gui,
        # after the command line is parsed), and Qt with it (not before the program's
        # package: helpdesk_desktop/__init__ then differs); its window is handed over once made.
        from helpdesk_desktop.ui.app import Launcher

        open_main = Launcher.open_main

        def open_main_watched(self: Any, user_id: int) -> Any:
            window = open_main(self, user_id)
            opened(window)
            return window

        Launcher.open_main = open_main_watched  # type: ignore[method-assign]
        return run_gui(args)

    entry._run_gui = run_gui_watched  # type: ignore[assignment]
    try:
        return entry.main(["--db", url])
    finally:
        watchdog.cancel()
        shutil.rmtree(folder, ignore_errors=True)


def _window(url: str, layout: str, settings: str | None) -> None:
    """:func:`run_program` in the layout remembered in ``settings``, until the frame that
    paints its first page (:class:`_Watch`)."""
    watch: list[_Watch] = []

    def opened(window: Any) -> None:
        watch.append(_Watch(layout))
        watch[0].watch(window)

    os._exit(run_program(url, settings, opened))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "window":
        _window(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "table",
                sys.argv[4] if len(sys.argv) > 4 else None)
    elif mode == "settings":
        _settings(sys.argv[2], sys.argv[3])
    else:
        _bare(with_orm=mode == "floor")
        os._exit(0)
