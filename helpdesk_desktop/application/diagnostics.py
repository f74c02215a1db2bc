"""The log file: where the program writes what went wrong, for a person to send to support.

A windowed build has no stderr, so everything worth knowing goes to a rotating file in the
platform's log folder (``platformdirs.user_log_dir``), readable by its owner only (0600), and
``faulthandler`` writes a hard crash's Python stack to a file beside it.
"""

from __future__ import annotations

import faulthandler
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

import platformdirs

from helpdesk_desktop.storage.database import APP_NAME

LOG_FILE = "helpdesk-desktop.log"
CRASH_FILE = "crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 4
ENV_LOG_DIR = "HELPDESK_LOG_DIR"  # tests and portable installs point it elsewhere

_crash_stream: IO[str] | None = None


def log_folder() -> Path:
    """The platform's per-user log folder (``$HELPDESK_LOG_DIR`` when set)."""
    override = os.environ.get(ENV_LOG_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_folder() / LOG_FILE


def _private(path: Path) -> None:
    """Create ``path`` if needed, readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an older file keeps its mode through os.open


class _PrivateRotatingHandler(RotatingFileHandler):
    def doRollover(self) -> None:  # logging's name
        super().doRollover()
        _private(Path(self.baseFilename))


def start_logging(level: int = logging.INFO) -> Path | None:
    """Log to the rotating file and turn ``faulthandler`` on; returns the log file, or None
    when the folder cannot be written (the program then runs without a log, as before)."""
    global _crash_stream
    folder = log_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _private(folder / LOG_FILE)
        _private(folder / CRASH_FILE)
    except OSError:
        return None
    root = logging.getLogger()
    if not any(isinstance(h, _PrivateRotatingHandler) for h in root.handlers):
        handler = _PrivateRotatingHandler(folder / LOG_FILE, maxBytes=MAX_BYTES,
                                          backupCount=BACKUPS, encoding="utf-8")
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
        root.addHandler(handler)
        root.setLevel(min(root.level or level, level))
    if _crash_stream is None:
        # Kept open for the life of the process: faulthandler writes to its descriptor.
        _crash_stream = open(folder / CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_crash_stream, all_threads=True)
    return folder / LOG_FILE
