"""Starting the program: which database, whether it holds a workspace, and who signs in.

The faces (Qt UI, CLI) call these instead of reaching into storage or building units of work.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk_desktop.application import lazy
from helpdesk_desktop.domain import rules
from helpdesk_desktop.storage import database as storage
from helpdesk_desktop.storage.database import Database

if TYPE_CHECKING:
    from helpdesk_desktop.services import directory, first_page, workspace
    from helpdesk_desktop.services.uow import UnitOfWork
else:  # imported on first use: opening the window reads through first_page
    directory = lazy.module("helpdesk_desktop.services.directory")
    workspace = lazy.module("helpdesk_desktop.services.workspace")
    first_page = lazy.module("helpdesk_desktop.services.first_page")

# The opened database the faces hand back to the facade (re-exported: the UI never imports
# storage).
__all__ = ["Database", "create_workspace", "default_url", "default_user_id", "demo_url",
           "generate_demo", "is_empty", "open_database"]


def open_database(url: str | None = None, *, create: bool = True, quick_check: bool = True,
                  upgrade_runner: Callable[[Callable[[], Any]], Any] | None = None
                  ) -> Database:
    """Open (upgrading if needed; creating it when ``create``) the database at ``url`` or the
    default one. Raises ``DatabaseError``/``SchemaTooNew`` with a sentence for the user.
    ``upgrade_runner``: runs the backup and upgrade, when there is one (the window: on
    another thread, showing it is busy)."""
    if upgrade_runner is None:
        return storage.open_database(url, create=create, quick_check=quick_check)
    return storage.open_database(url, create=create, quick_check=quick_check,
                                 upgrade_runner=upgrade_runner)


def default_url() -> str:
    return storage.default_url()


def demo_url() -> str:
    return storage.demo_url()


def is_empty(database: Database) -> bool:
    """Whether the database holds no workspace yet."""
    if not orm_loaded():
        return first_page.is_empty(database)
    return workspace.is_empty(_uow(database))


def orm_loaded() -> bool:
    """Whether the mapped classes are imported: until then (a window's first frame) the
    facade reads what it can without them (``services.first_page``)."""
    return "helpdesk_desktop.domain.models" in sys.modules


def machine_time_zone() -> str:
    """This computer's IANA time zone (``Europe/Paris``), or ``UTC`` when it cannot tell."""
    from babel.localtime import get_localzone  # only when a workspace is created

    try:
        key = getattr(get_localzone(), "key", None)
    except Exception:  # noqa: BLE001 - an odd /etc/localtime or registry: UTC, not a failure
        return "UTC"
    return key if isinstance(key, str) and rules.zone_of(key) is not None else "UTC"


def create_workspace(database: Database, admin_name: str, admin_email: str) -> int:
    """Create the first admin (who sees times in this computer's zone), the help desk inbox
    and the default pipeline, named in the current language; the admin's id."""
    return workspace.create_workspace(_uow(database), admin_name, admin_email,
                                      time_zone=machine_time_zone())


def default_user_id(database: Database, email: str | None = None) -> int | None:
    """The user with ``email`` (``NotFound`` if none), else the first admin."""
    if email:
        found = None if orm_loaded() else first_page.find_user_id(database, email)
        return found if found is not None else directory.find_user_id(database, email)
    if not orm_loaded():
        return first_page.first_admin_id(database)
    return directory.first_admin_id(database)


def generate_demo(database: Database, tickets: int,
                  progress: Callable[[int, int], None] | None = None, *,
                  seed: int = 0) -> dict[str, Any]:
    """Add ``tickets`` generated demo tickets (and the demo workspace, if the database is
    empty); returns the generator's summary (what was created, with counts)."""
    from helpdesk_desktop.services import demo  # imported on use: most starts never need it

    return demo.generate_demo(database, tickets=tickets, seed=seed, progress=progress)


def database_identity(url: str) -> str:
    """One spelling per database (a relative and an absolute path name the same file), for
    telling whether another window already has it open."""
    return storage.normalize_url(url)


def runtime_folder() -> Path:
    """The per-user folder for lock files (a private temporary folder where the platform has
    none, e.g. no ``XDG_RUNTIME_DIR``)."""
    import os
    import tempfile
    import warnings

    import platformdirs

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "XDG_RUNTIME_DIR is not set": the fallback is fine
            return Path(platformdirs.user_runtime_dir(storage.APP_NAME, appauthor=False,
                                                      ensure_exists=True))
    except OSError:  # e.g. no /run/user/<uid> for this user
        user = os.getuid() if hasattr(os, "getuid") else "user"
        folder = Path(tempfile.gettempdir()) / f"{storage.APP_NAME}-{user}"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder


def interrupted_demo(database: Database) -> dict[str, int] | None:
    """An unfinished demo build ({"tickets", "seed", "done"}), or ``None``."""
    if not first_page.demo_build_pending(database):
        return None  # (the demo builder is not imported for every start)
    from helpdesk_desktop.services import demo

    return demo.interrupted_build(database)


def finish_demo(database: Database,
                progress: Callable[[int, int], None] | None = None) -> dict[str, Any] | None:
    """Complete an interrupted demo build; ``None`` when there was none."""
    from helpdesk_desktop.services import demo

    return demo.finish_interrupted_build(database, progress)


def _uow(database: Database) -> UnitOfWork:
    from helpdesk_desktop.services.uow import UnitOfWork

    return UnitOfWork(database, None)
