"""Start-up imports only what it needs: ``--version`` nothing heavy, an up-to-date database
no Alembic (checking its revision is one query)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
                          "0010"]
    assert all(migrations.is_known(r) for r in chain) and not migrations.is_known("0099")
