"""One window process per database: a second launch hands its arguments to the first and exits.

The first process holds a ``QLockFile`` named after the database and, once its first frame
is painted, listens on a local channel of the same name: a Unix socket in the runtime folder
(Linux, macOS) or a named pipe (Windows), through the standard library's
``multiprocessing.connection``. A later launch on the same database fails to take the lock,
connects, sends its command-line arguments (one JSON message) and waits for "ok"; the first
process raises its window and acts on them. A lock left by a crashed process is stale (its
process is gone) and is taken over, and the socket file it left is replaced.

Until session 30 the channel was Qt's ``QLocalServer``: ``PySide6.QtNetwork`` cost the window
~2.5 MB of resident memory for this alone (docs/PERFORMANCE.md, "Session 30").
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Qt, Signal, Slot

from helpdesk_desktop.application.startup import runtime_folder

if TYPE_CHECKING:  # imported once listening or handing over (not before the first frame)
    from collections.abc import Callable
    from multiprocessing.connection import Connection, Listener

    _Deliver = Callable[[list[str]], None]

CONNECT_MS = 2000
#: How long a launch keeps trying to reach the first process: that one takes the lock at
#: once but listens only once its first page is painted (``ui/app.py``), which on a large
#: database or a slow machine is a few seconds after a second launch can begin.
HAND_OVER_S = 10.0
RETRY_MS = 250
MAX_MESSAGE = 64 * 1024  # a launch's arguments; anything longer is refused
_UNIX_PATH_MAX = 100  # sun_path holds 104 bytes on macOS, 108 on Linux (with its NUL)


def instance_key(database_url: str) -> str:
    """A short name for ``database_url``, usable as a file and a local-socket name."""
    digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return f"helpdesk-desktop-{digest}"


def channel_address(key: str) -> tuple[str, str]:
    """Where the owner of ``key`` listens, and the ``multiprocessing.connection`` family:
    a named pipe on Windows, else a socket file in the user's runtime folder (a private
    folder of the temporary directory when that path would be too long for a socket)."""
    if sys.platform == "win32":
        return rf"\\.\pipe\{key}", "AF_PIPE"
    path = str(runtime_folder() / f"{key}.sock")
    if len(os.fsencode(path)) > _UNIX_PATH_MAX:
        folder = Path(tempfile.gettempdir()) / f"helpdesk-desktop-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        if folder.stat().st_uid == os.getuid():  # (not a folder another account made first)
            path = str(folder / f"{key}.sock")
    return path, "AF_UNIX"


class SingleInstance(QObject):
    """The lock and the server of the process that owns a database's window."""

    #: The arguments a later launch handed over (``argv`` without the program name).
    argumentsReceived = Signal(list)
    _received = Signal(list)  # from the server's thread, delivered on this object's thread

    def __init__(self, key: str, folder: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.lock = QLockFile(str((folder or runtime_folder()) / f"{key}.lock"))
        self.lock.setStaleLockTime(0)  # only a dead process's lock is stale
        self.server: _Server | None = None
        self._received.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock and listen (or, with ``listen`` False, leave that to :meth:`listen`);
        False when another live process has this database open."""
        if not self.lock.tryLock(0):
            return False
        if listen:
            self.listen()
        return True

    def listen(self) -> None:
        """Answer later launches. The window's start calls it after its first frame; a launch
        in between retries (``hand_over``). A channel that cannot be opened leaves later
        launches to say the window does not answer, as before."""
        if self.server is None:
            self.server = _Server.start(self.key, self._received.emit)

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()

    @Slot(list)
    def _deliver(self, arguments: list[str]) -> None:
        if self.server is not None:  # (not after release)
            self.argumentsReceived.emit(arguments)


class _Server:
    """The listening end: a thread that accepts one launch at a time."""

    def __init__(self, listener: Listener, address: str, family: str,
                 deliver: _Deliver) -> None:
        self._listener = listener
        self._address, self._family = address, family
        self._deliver = deliver
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="single-instance",
                                        daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, key: str, deliver: _Deliver) -> _Server | None:
        from multiprocessing.connection import Listener

        address, family = channel_address(key)
        try:
            if family == "AF_UNIX":
                # A socket file left by a crash (the lock, held now, says nobody owns it).
                Path(address).unlink(missing_ok=True)
            listener = Listener(address, family, backlog=8)
        except OSError:
            return None
        if family == "AF_UNIX":
            try:  # the user's alone (its folder is the user's already)
                os.chmod(address, 0o600)
            except OSError:
                pass
        return cls(listener, address, family, deliver)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection = self._listener.accept()
            except OSError:
                if self._stop.is_set():
                    return  # closed
                time.sleep(RETRY_MS / 1000)  # e.g. out of file descriptors for a moment
                continue
            with connection:
                if self._stop.is_set():
                    return
                self._answer(connection)

    def _answer(self, connection: Connection) -> None:
        try:
            if not connection.poll(CONNECT_MS / 1000):
                return
            message = connection.recv_bytes(MAX_MESSAGE)
        except (OSError, EOFError):
            return
        try:
            arguments = json.loads(message.decode("utf-8", "replace"))
        except (ValueError, RecursionError):  # (not JSON; nested too deep for the parser)
            return
        if isinstance(arguments, list) and all(isinstance(a, str) for a in arguments):
            self._deliver(arguments)  # queued for the owner's thread before it says "ok"
            try:
                connection.send_bytes(b"ok")
            except OSError:
                pass

    def close(self) -> None:
        """Stop listening; the thread ends once the connection that wakes it is accepted."""
        from multiprocessing.connection import Client

        self._stop.set()
        try:
            Client(self._address, self._family).close()  # wakes the thread's accept
        except OSError:
            pass
        self._thread.join(CONNECT_MS / 1000)
        self._listener.close()


def hand_over(key: str, arguments: list[str]) -> bool:
    """Send ``arguments`` to the process that owns ``key``; True once it confirmed, False if
    it did not within :data:`HAND_OVER_S`."""
    from multiprocessing.connection import Client

    address, family = channel_address(key)
    payload = json.dumps(arguments).encode("utf-8")
    deadline = time.monotonic() + HAND_OVER_S
    while True:
        reply = b""
        try:
            with Client(address, family) as connection:
                connection.send_bytes(payload)
                if connection.poll(CONNECT_MS / 1000):
                    reply = connection.recv_bytes(16)
        except (OSError, EOFError):
            pass  # nothing listens yet (or any more), or it hung up
        if reply == b"ok":
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(RETRY_MS / 1000)  # the owner may still be starting: not listening yet

