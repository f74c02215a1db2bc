"""Start-up imports only what it needs: ``--version`` nothing heavy, an up-to-date database
no Alembic (checking its revision is one query)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpdesk_desktop import __version__
from helpdesk_desktop.storage.database import create_db_engine, open_database

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return done.stdout


def test_version_imports_neither_sqlalchemy_nor_qt() -> None:
    out = _python("import sys\n"
                  "from helpdesk_desktop.__main__ import main\n"
                  "main(['--version'])\n"
                  "print(sorted(m for m in ('sqlalchemy', 'PySide6', 'alembic') "
                  "if m in sys.modules))")
    assert out.splitlines() == [f"helpdesk-desktop {__version__}", "[]"]


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite3"
    open_database(str(path)).dispose()  # created and migrated (this imports Alembic here)
    out = _python("import sys\n"
                  "from helpdesk_desktop.storage.database import create_db_engine, open_database\n"
                  f"database = open_database({str(path)!r})\n"
                  "print(database.backup_path, 'alembic' in sys.modules)\n"
                  "database.dispose()")
    assert out.split() == ["None", "False"]


def test_an_old_database_is_still_upgraded(tmp_path: Path) -> None:
    from sqlalchemy import text

    from helpdesk_desktop.storage import migrations

    path = tmp_path / "old.sqlite3"
    engine = create_db_engine(str(path))
    with engine.begin() as connection:
        migrations.upgrade(connection, "0001")
    engine.dispose()
    reopened = open_database(str(path))
    with reopened.engine.connect() as connection:
        assert migrations.current_revision(connection) == migrations.head_revision()
        names = connection.execute(text(
            "SELECT name FROM sqlite_master WHERE name = 'ix_tickets_state_closed_id'")).all()
    assert names and reopened.backup_path is not None
    reopened.dispose()


def test_the_revision_graph_read_from_the_files_is_alembics() -> None:
    """The files' ``revision``/``down_revision`` lines give Alembic's own graph: the real
    chain, whose order is not that of the file names (0007 comes before 0003)."""
    from alembic.script import ScriptDirectory

    from helpdesk_desktop.storage import migrations

    scripts = ScriptDirectory.from_config(migrations.alembic_config())
    alembic_graph = {script.revision: script.down_revision
                     for script in scripts.walk_revisions()}
    assert migrations._graph() == alembic_graph
    assert migrations.head_revision() == scripts.get_current_head()
    chain: list[str] = []
    revision: str | None = migrations.head_revision()
    while revision is not None:
        chain.append(revision)
        revision = migrations._graph()[revision]
    assert chain[::-1] == ["0001", "0002", "0007", "0003", "0005", "0006", "0004", "0008", "0009",
                          "0010", "0011", "0012", "0013", "0014", "0015", "0016", "0017", "0018"]
    assert all(migrations.is_known(r) for r in chain) and not migrations.is_known("0099")


#: What ``tickets show`` / ``tickets list`` must not load: the window, the PDF writer, the
#: migration tool and the mail stack (servers, the keyring, the mail parser, the sanitizer).
#: Babel is allowed: ``tickets show`` writes its dates by the language's CLDR rules (issue 12),
#: about 15 ms of imports.
HEAVY = ("PySide6", "reportlab", "alembic", "imaplib", "smtplib", "keyring", "nh3",
         "uharfbuzz", "phonenumbers", "helpdesk_desktop.services.mail.connect",
         "helpdesk_desktop.services.mail.sender", "helpdesk_desktop.services.mail_parse",
         "helpdesk_desktop.services.intake", "helpdesk_desktop.transcripts.model")


def test_reading_tickets_from_the_command_line_imports_nothing_heavy(tmp_path: Path) -> None:
    from helpdesk_desktop.application.startup import generate_demo

    path = tmp_path / "cli.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 3)
    database.dispose()
    for command in (["tickets", "show", "1"], ["tickets", "list"]):
        out = _python("import io, sys\n"
                      "from helpdesk_desktop.__main__ import main\n"
                      f"code = main(['--db', {str(path)!r}, *{command!r}])\n"
                      f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules))")
        assert out.splitlines()[-1] == "0 []", (command, out)


#: What the window must not load before its first page: the PDF and print stack, the mail
#: servers' modules, the keyring, the mail parser, the dialogs that open on demand, and the
#: parts built later (the split and board layouts on first use, the ticket view with its HTML
#: sanitizer after the start, the inboxes window; ui/main_parts.py), and the ORM's side of
#: the program: the mapped classes and the services that use them (the first frame is read by
#: services/first_page.py; the window imports them after that frame, Desk.warm_up).
WINDOW_DEFERRED = ("reportlab", "PIL", "babel", "phonenumbers", "uharfbuzz",
                   "PySide6.QtPrintSupport", "imaplib", "smtplib", "keyring", "alembic", "nh3",
                   "helpdesk_desktop.transcripts.model", "helpdesk_desktop.services.intake",
                   "helpdesk_desktop.services.mail.connect", "helpdesk_desktop.ui.transcript_print",
                   "helpdesk_desktop.ui.dialogs.split_dialog",
                   "helpdesk_desktop.ui.dialogs.merge_dialog",
                   "helpdesk_desktop.ui.dialogs.outbox_dialog",
                   "helpdesk_desktop.ui.dialogs.import_dialog",
                   "helpdesk_desktop.ui.dialogs.about_dialog",
                   "helpdesk_desktop.ui.dialogs.inbox_settings_dialog",
                   "helpdesk_desktop.ui.inbox_view", "helpdesk_desktop.ui.ticket_view",
                   "helpdesk_desktop.ui.layouts.split", "helpdesk_desktop.ui.layouts.board",
                   "helpdesk_desktop.ui.layouts.ticket_panel",
                   "helpdesk_desktop.services.html_sanitize",
                   "sqlalchemy.dialects.postgresql",  # a SQLite workspace: ~25 ms
                   "helpdesk_desktop.domain.models", "helpdesk_desktop.services.uow",
                   "helpdesk_desktop.services.listing", "helpdesk_desktop.services.list_rows",
                   "helpdesk_desktop.services.directory", "helpdesk_desktop.services.saved_views",
                   "helpdesk_desktop.services.demo", "helpdesk_desktop.services.mail.accounts",
                   # the data objects the first frame does not use, the property and backup
                   # commands' dialogs (imported when used)
                   "helpdesk_desktop.services.dto_later",
                   "helpdesk_desktop.ui.dialogs.property_dialog",
                   "helpdesk_desktop.ui.dialogs.common", "helpdesk_desktop.ui.backup_actions",
                   # the full command line: every command's module, the services with them
                   "helpdesk_desktop.cli.main", "helpdesk_desktop.cli.ticket_commands",
                   # the single-instance server listens after the first frame; the first-run
                   # page is for an empty database
                   "multiprocessing.connection", "PySide6.QtNetwork",
                   "helpdesk_desktop.ui.first_run",
                   # SQLAlchemy itself: an up-to-date SQLite file is read on a sqlite3
                   # connection until the engine is made after the first frame
                   "sqlalchemy", "sqlalchemy.orm")


def _window_script(path: Path, *, imports: str, body: str, before_app: str = "") -> str:
    """A program that opens ``path`` in a :class:`MainWindow` the way the application does
    (the collector paused while importing, settings in a temporary folder), runs ``body``
    with ``app``, ``bridge`` and ``window`` made, then closes everything."""
    return ("import sys, tempfile\n"
            f"{imports}\n"
            "from PySide6.QtCore import QSettings, QThreadPool\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from helpdesk_desktop import startup_gc\n"
            "startup_gc.pause()\n"
            "from helpdesk_desktop.application import startup\n"
            "from helpdesk_desktop.application.desk import Desk\n"
            "from helpdesk_desktop.ui.bridge import DeskBridge\n"
            "from helpdesk_desktop.ui.main_window import MainWindow\n"
            f"{before_app}"
            "app = QApplication(sys.argv[:1])\n"
            "QSettings.setDefaultFormat(QSettings.Format.IniFormat)\n"
            "QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,\n"
            "                  tempfile.mkdtemp())\n"
            f"database = startup.open_database({str(path)!r})\n"
            "bridge = DeskBridge(Desk(database, startup.default_user_id(database)))\n"
            "window = MainWindow(bridge)\n"
            f"{body}"
            "window.close(); bridge.shutdown()\n"
            "QThreadPool.globalInstance().waitForDone(30000); database.dispose()\n")


def test_the_window_shows_its_first_page_without_the_deferred_modules(tmp_path: Path) -> None:
    from helpdesk_desktop.application.startup import generate_demo

    path = tmp_path / "window.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 3)
    database.dispose()
    code = _window_script(path, imports="import gc, os", body=(
        "print('collector', gc.isenabled(), startup_gc.paused())\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.model.rowCount() > 0\n"
        f"print(sorted(m for m in {WINDOW_DEFERRED!r} if m in sys.modules))\n"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.splitlines()[-1] == "[]", done.stdout
    # The collector paused for start-up is running again once the window is built.
    assert "collector True False" in done.stdout.splitlines(), done.stdout


def test_a_window_opened_in_the_split_layout_builds_no_ticket_view_first(
        tmp_path: Path) -> None:
    """The split layout's first frame shows a stand-in beside its list (main_parts): the
    ticket view, its modules and the mapped classes come after it."""
    from helpdesk_desktop.application.startup import generate_demo

    path = tmp_path / "split.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 3)
    database.dispose()
    deferred = tuple(m for m in WINDOW_DEFERRED if m != "helpdesk_desktop.ui.layouts.split")
    code = _window_script(path, imports="", body=(
        "window.set_layout('split')\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.model.rowCount() > 0 and window.split.view.isVisible()\n"
        "assert window.parts.panel_slot().isVisible()\n"
        f"print(sorted(m for m in {deferred!r} if m in sys.modules))\n"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.splitlines()[-1] == "[]", done.stdout


def test_a_window_opened_on_its_board_reads_its_cards_without_the_orm(tmp_path: Path) -> None:
    """The board's pipelines and first cards are read without the mapped classes
    (services/first_board.py), which are imported once the start has finished."""
    from helpdesk_desktop.application.startup import generate_demo

    path = tmp_path / "board.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 6)
    database.dispose()
    code = _window_script(path, imports="from PySide6.QtCore import QEventLoop, QTimer",
                          before_app=(
        "reads = []\n"
        "def spy(name):\n"
        "    original = getattr(Desk, name)\n"
        "    def call(self, *args, **kwargs):\n"
        "        reads.append((name, startup.orm_loaded()))\n"
        "        return original(self, *args, **kwargs)\n"
        "    setattr(Desk, name, call)\n"
        "spy('pipelines'); spy('board')\n"), body=(
        "window.set_layout('board')\n"
        "window.show()\n"
        "app.processEvents()\n"
        "board = window.board\n"
        "while board.cards_loading():\n"
        "    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)\n"
        "print('cards', sum(c.model.rowCount() for c in board.columns) > 0,\n"
        "      all(c.count is not None for c in board.columns), reads)\n"
        "loop = QEventLoop()\n"
        "window.started.connect(loop.quit)\n"
        "QTimer.singleShot(60000, loop.quit)\n"
        "loop.exec()\n"
        "bridge.wait_for_idle()\n"
        "print('started', startup.orm_loaded())\n"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.splitlines()[-2:] == [
        "cards True True [('pipelines', False), ('board', False)]", "started True"], done.stdout


def test_the_program_opens_its_window_without_the_orm_and_imports_it_after(
        tmp_path: Path) -> None:
    """The composition root's own start (``Launcher``: is the database empty, an unfinished
    demo build, who signs in, the daily upkeep's scheduler) paints the first page without
    SQLAlchemy and the mapped classes; once the first frame is painted they are imported off
    the UI thread (SQLAlchemy first, with the engine), then the views' counts are read
    (through the services)."""
    from helpdesk_desktop.application.startup import generate_demo

    path = tmp_path / "launch.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 3)
    database.dispose()
    code = ("import argparse, os, sys, tempfile, threading\n"
            "from PySide6.QtCore import QEventLoop, QSettings, QThreadPool, QTimer\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from helpdesk_desktop.ui import app as gui\n"
            "from helpdesk_desktop.application import startup\n"
            "app = QApplication(sys.argv[:1])\n"
            "QSettings.setDefaultFormat(QSettings.Format.IniFormat)\n"
            "QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,\n"
            "                  tempfile.mkdtemp())\n"
            "threads = []\n"
            "class Spy:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name in ('helpdesk_desktop.domain.models', 'sqlalchemy'):\n"
            "            threads.append(threading.current_thread() is threading.main_thread())\n"
            "sys.meta_path.insert(0, Spy())\n"
            f"database = startup.open_database({str(path)!r})\n"
            "launcher = gui.Launcher(database, argparse.Namespace(upkeep=True))\n"
            "launcher.start()\n"
            "window = launcher.window\n"
            "app.processEvents()\n"
            "assert window.model.rowCount() > 0\n"
            "print('first frame', startup.orm_loaded(), window.sidebar.model._counts.get(\n"
            "      window.query.view))\n"
            "loop = QEventLoop()\n"
            "window.started.connect(loop.quit)\n"
            "QTimer.singleShot(60000, loop.quit)\n"
            "loop.exec()\n"
            "launcher.bridge.wait_for_idle()\n"
            "app.processEvents()\n"
            "print('started', startup.orm_loaded(), threads,\n"
            "      window.sidebar.model._counts.get(window.query.view) is not None)\n"
            "window.close(); launcher.shutdown()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.splitlines()[-2:] == ["first frame False None",
                                             "started True [False, False] True"], done.stdout


@pytest.mark.parametrize("layout", ["table", "split", "board"])
def test_the_program_s_own_start_paints_its_first_page_without_the_deferred_modules(
        tmp_path: Path, layout: str) -> None:
    """What ``helpdesk-desktop --db PATH`` has imported when its first page (or the board's
    first cards) is painted, in the layout the user last chose: the entry point, the command
    line, the single-instance lock, the launcher with its daily upkeep and mail. Measured by
    B1's own launch (tests/benchmarks/bench_launch.py), which starts the program that way."""
    from helpdesk_desktop.application.startup import generate_demo

    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    import bench_launch

    path = tmp_path / "start.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 6)
    database.dispose()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HELPDESK_BENCH_TIMEOUT": "120",
           "HELPDESK_BENCH_MODULES": str(tmp_path / "modules.txt")}
    settings = bench_launch.prepared_settings(str(path), layout, env)
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "bench_launch.py"),
                           "window", str(path), layout, settings],
                          check=False, capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300)
    assert done.returncode == 0 and done.stdout.startswith("ready"), done
    modules = set((tmp_path / "modules.txt").read_text().split())
    own = f"helpdesk_desktop.ui.layouts.{layout}"
    assert sorted(m for m in WINDOW_DEFERRED if m in modules and m != own) == []
    assert "helpdesk_desktop.ui.app" in modules and "helpdesk_desktop.ui.upkeep" in modules


def test_start_up_pauses_the_collector_and_a_command_runs_with_it(tmp_path: Path) -> None:
    """The entry point pauses cyclic collections while the program is imported (startup_gc);
    a command runs with them again, and they are on when ``main`` returns."""
    from helpdesk_desktop.application.startup import generate_demo

    path = tmp_path / "gc.sqlite3"
    database = open_database(str(path))
    generate_demo(database, 3)
    database.dispose()
    out = _python("import gc\n"
                  "import helpdesk_desktop.application.desk as desk\n"
                  "from helpdesk_desktop import startup_gc\n"
                  "original = desk.Desk.__init__\n"
                  "def init(self, *args, **kwargs):\n"
                  "    print('during', gc.isenabled(), startup_gc.paused())\n"
                  "    original(self, *args, **kwargs)\n"
                  "desk.Desk.__init__ = init\n"
                  "from helpdesk_desktop.cli import quick\n"
                  "run = quick.run\n"
                  "def spy(arguments):\n"
                  "    print('importing', gc.isenabled(), startup_gc.paused())\n"
                  "    return run(arguments)\n"
                  "quick.run = spy\n"
                  "from helpdesk_desktop.__main__ import main\n"
                  f"code = main(['--db', {str(path)!r}, 'tickets', 'list'])\n"
                  "print('after', code, gc.isenabled(), startup_gc.paused())")
    lines = out.splitlines()
    assert "importing False True" in lines and "during True False" in lines, out
    assert lines[-1] == "after 0 True False", out


def test_the_pause_leaves_a_collector_turned_off_by_someone_else_off() -> None:
    import gc

    from helpdesk_desktop import startup_gc

    assert gc.isenabled()
    try:
        startup_gc.pause()
        assert not gc.isenabled() and startup_gc.paused()
        startup_gc.resume()
        assert gc.isenabled() and not startup_gc.paused()
        startup_gc.resume()  # twice: nothing more
        assert gc.isenabled()
        gc.disable()  # e.g. a profiler's
        startup_gc.pause()
        startup_gc.resume()
        assert not gc.isenabled() and not startup_gc.paused()
    finally:
        gc.enable()


def test_pyside_import_hook_keeps_no_source_in_memory() -> None:
    """PySide6 asks of every module imported after it whether it uses PySide6; it read each
    file into linecache to answer (~20 MB at the window's first frame). The answer stays the
    same; the files are no longer kept."""
    out = _python("import linecache, sys\n"
                  "import PySide6.QtWidgets\n"
                  "import helpdesk_desktop.ui.main_window\n"
                  "import sqlalchemy.orm  # imported after the first frame, not by the window\n"
                  "from shibokensupport.feature import pyside_feature_dict as uses\n"
                  "kept = [f for f in linecache.cache if not f.startswith('<')\n"
                  "        and ('helpdesk_desktop' in f or 'sqlalchemy' in f)\n"
                  "        and not f.endswith('helpdesk_desktop/__init__.py')]\n"
                  "print(len(kept), uses['helpdesk_desktop.ui.layouts.table'],\n"
                  "      uses['helpdesk_desktop.domain.enums'], uses['sqlalchemy.orm'])")
    # The package root itself is read the old way: the hook is changed at its end.
    assert out.split() == ["0", "0", "-1", "-1"]


def test_the_ticket_view_modules_are_prepared_a_few_at_a_time_and_all() -> None:
    """``WindowParts.prepare_ticket_view`` imports the ticket view's modules one step per
    event-loop turn: no step imports more than three of ours (the package importing its view
    would pull them all into one turn), and building the view afterwards imports nothing more
    of ours (a module added to the view and not to the steps would be imported by the first
    open again)."""
    out = _python(
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "import helpdesk_desktop.ui.app, helpdesk_desktop.ui.main_window\n"
        "from helpdesk_desktop.ui import main_parts\n"
        "def ours(): return {m for m in sys.modules if m.startswith('helpdesk_desktop')}\n"
        "most, steps = 0, main_parts._ticket_view_modules()\n"
        "while True:\n"
        "    before = ours()\n"
        "    more = next(steps, False)\n"
        "    most = max(most, len(ours() - before))\n"
        "    if more is False: break\n"
        "before = ours()\n"
        "from helpdesk_desktop.ui.layouts.ticket_panel import TicketPanel, ticket_registry\n"
        "from helpdesk_desktop.ui.ticket_view import TicketView\n"
        "print(most, sorted(ours() - before))")
    assert out.split() == ["3", "[]"]


def test_the_windows_export_and_bell_leave_the_printing_and_preferences_modules_out() -> None:
    """The window's PDF export hands the worker process the transcript's words and asks for a
    file name: neither imports the transcript model (Babel's CLDR tables, the HTML-to-text,
    the masking), which the worker runs. The bell opens the preferences dialog, imported then."""
    out = _python("import sys\n"
                  "from helpdesk_desktop.ui.transcript_print import export, labels\n"
                  "from helpdesk_desktop.ui.notifications import bell\n"
                  "from helpdesk_desktop.transcripts import Labels, suggested_file_name\n"
                  "assert labels.qt_labels().ticket and Labels().locale == 'en'\n"
                  "assert suggested_file_name(7, 'Printer on fire!') == "
                  "'Ticket-7-Printer-on-fire.pdf'\n"
                  "print(sorted(m for m in ('babel', 'helpdesk_desktop.transcripts.model', "
                  "'helpdesk_desktop.ui.dialogs.preferences_dialog') if m in sys.modules))")
    assert out.splitlines()[-1] == "[]", out


def test_the_window_s_background_flush_with_nothing_due_imports_no_sending_module(
        tmp_path: Path) -> None:
    """The window's sender flushes every few seconds; with nothing due it reads the outbox
    only: SMTP, TLS and the composer's modules are imported once something is to be sent."""
    from helpdesk_desktop.application import startup

    path = tmp_path / "flush.sqlite3"
    database = open_database(str(path))
    startup.create_workspace(database, "Ada Admin", "ada@example.com")
    database.dispose()
    out = _python("import sys\n"
                  "from helpdesk_desktop.application import startup\n"
                  "from helpdesk_desktop.application.desk import Desk\n"
                  f"database = startup.open_database({str(path)!r})\n"
                  "desk = Desk(database, startup.default_user_id(database))\n"
                  "report = desk.flush_outbox()\n"
                  "print(report.sentence(), sorted(m for m in ('smtplib', 'imaplib', "
                  "'helpdesk_desktop.services.mail.sender', "
                  "'helpdesk_desktop.services.mail.compose') if m in sys.modules))\n"
                  "database.dispose()")
    assert out.strip() == "Nothing to send. []"
