"""Where the database lives and what its files say, without SQLAlchemy.

The URL of the database (:func:`default_url`, :func:`normalize_url`), its files kept private
to the user, and whether a SQLite file needs ``quick_check`` before use. :mod:`.database`
builds on these; ``tickets show``'s quick path (:mod:`helpdesk_desktop.services.ticket_sheet`)
uses them without importing SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from helpdesk_desktop.domain.errors import DatabaseError
from helpdesk_desktop.domain.i18n import _

APP_NAME = "HelpDeskDesktop"
ENV_URL = "HELPDESK_DATABASE_URL"
BUSY_TIMEOUT_MS = 5000


def data_dir() -> Path:
    """The platform's per-user data folder for the program."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_url() -> str:
    """``$HELPDESK_DATABASE_URL``, or the embedded SQLite file in the user data folder."""
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return sqlite_url(data_dir() / "helpdesk.sqlite3")


def demo_url() -> str:
    """The demo workspace, a separate SQLite file beside the default one."""
    return sqlite_url(data_dir() / "demo.sqlite3")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


SUPPORTED_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


def normalize_url(url: str) -> str:
    """Accept a bare file path or a ``postgresql://`` URL and return a SQLAlchemy URL.

    Any other scheme (``mysql://``…) is refused with a sentence, before a driver is looked for.
    """
    if "://" not in url:
        return sqlite_url(Path(url).expanduser().resolve())
    scheme = url.split("://", 1)[0].lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise DatabaseError(
            _("Help Desk Desktop works with SQLite files and PostgreSQL "
              "(postgresql://…); '{scheme}' databases are not supported.").format(scheme=scheme))
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def plain_sqlite_path(url: str) -> Path | None:
    """The file of a normalized SQLite URL in its plain spelling (``sqlite:///relative`` or
    ``sqlite:////absolute``: no query, no percent-escapes, not in memory), read without
    SQLAlchemy; ``None`` for anything else (SQLAlchemy's parser then reads it)."""
    scheme, _sep, rest = url.partition("://")
    if (scheme != "sqlite" or not rest.startswith("/") or "?" in rest or "%" in rest
            or rest in ("/", "/:memory:")):
        return None
    return Path(rest[1:])


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and its parents) readable by the user only (0700)."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            _("Cannot create the folder {folder}: {strerror}.").format(
                folder=folder, strerror=exc.strerror)) from None


def make_private(db_path: Path) -> None:
    """Tighten an existing database of ours (and its WAL files) to 0600, and the program's
    own data folder to 0700: files made world-readable by an older version are fixed."""
    for candidate in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        try:
            if candidate.exists() and candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)
        except OSError:
            pass  # not ours to change (another owner): left as it is
    try:
        if db_path.parent == data_dir() and db_path.parent.stat().st_mode & 0o077:
            db_path.parent.chmod(0o700)
    except OSError:
        pass


def create_private_file(path: Path) -> None:
    """Create an empty ``path`` readable by the user only (0600), if it does not exist."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(_("Cannot create the database {path}: {strerror}.").format(
                                path=path, strerror=exc.strerror)) from None
    os.close(fd)


def needs_quick_check(path: Path) -> bool:
    """Whether the file may not have been closed cleanly, so ``quick_check`` must run at open.

    In WAL mode SQLite deletes the ``-wal`` file when the last connection closes cleanly (it
    checkpoints first); a crash, a kill or a power cut leaves it behind. So a file whose header
    says WAL and that has no ``-wal`` (nor ``-journal``) beside it was closed cleanly by every
    process that had it open, and is not checked again on the path to the first page (0.9 s
    warm, 12 s cold for a 950 MB file). A ``-wal`` beside it needs no check either when:

    - it is empty: no transaction was written since it was created or truncated, so nothing
      was being written into the database file when its last user stopped (a checkpoint
      truncates the ``-wal`` only after the database file is synced), and there is nothing to
      recover;
    - another process has the database open right now (:func:`held_by_another_process`): the
      ``-wal`` is that process's, not a crash's. Whoever opened the file first after a crash
      found the leftover ``-wal`` with no live holder and ran the check then (this program
      does); a second process checking again would only read the whole file while the first
      one writes (a CLI command while the window is open paid 0.7 s at 100k tickets).

    Anything else is checked: a non-empty ``-wal`` nobody holds (an unclean exit), a
    ``-journal``, a file not in WAL mode (an older or restored file, a copy, one we never
    opened), a header we cannot read. See docs/PERFORMANCE.md ("Integrity check at open").
    """
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError:
        return True
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return True
    if header[18:20] != b"\x02\x02":  # write/read format version 2: WAL mode
        return True
    if Path(f"{path}-journal").exists():
        return True
    try:
        wal_size = Path(f"{path}-wal").stat().st_size
    except FileNotFoundError:
        return False  # closed cleanly by its last user
    except OSError:
        return True
    if wal_size == 0:
        return False
    return not held_by_another_process(path)


#: The byte of the ``-shm`` file that SQLite's unix VFS keeps read-locked while a connection
#: has the database open (its "dead man switch", ``UNIX_SHM_DMS`` in ``os_unix.c``).
_SHM_DMS_BYTE = 128


def held_by_another_process(path: Path) -> bool:
    """Whether a process other than this one has the WAL database ``path`` open now.

    Read from ``/proc/locks`` (Linux): each connection holds a read lock on byte 128 of the
    ``-shm`` file while it is open. The ``-shm`` is not opened to ask (``F_GETLK``): closing
    any descriptor of a file drops every POSIX lock this process holds on it, SQLite's own
    included. Elsewhere (or when unsure) the answer is False, and the check runs.
    """
    try:
        shm = Path(f"{path}-shm").stat()
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    ident = f"{os.major(shm.st_dev):02x}:{os.minor(shm.st_dev):02x}:{shm.st_ino}"
    mine = str(os.getpid())
    for line in table.splitlines():
        # "3: POSIX  ADVISORY  READ 1234 fe:00:2147506 128 128" (a waiter's line has "->")
        fields = line.split()
        if len(fields) != 8 or fields[1] != "POSIX" or fields[5] != ident:
            continue
        if fields[4] == mine or not fields[6].isdigit():
            continue
        end = fields[7]
        if int(fields[6]) <= _SHM_DMS_BYTE and (end == "EOF" or (
                end.isdigit() and _SHM_DMS_BYTE <= int(end))):
            return True
    return False
