"""One window process per database: a second launch hands its arguments to the first and exits.

The first process holds a ``QLockFile`` named after the database and listens on a
``QLocalServer`` of the same name. A later launch on the same database fails to take the lock,
connects, sends its command-line arguments (one JSON line) and waits for "ok"; the first
process raises its window and acts on them. A lock left by a crashed process is stale (its
process is gone) and is taken over.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QThread, Signal

from helpdesk_desktop.application.startup import runtime_folder

if TYPE_CHECKING:  # QtNetwork once listening or handing over (not before the first frame)
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_MS = 2000
#: How long a launch keeps trying to reach the first process: that one takes the lock at
#: once but listens only once its first page is painted (``ui/app.py``), which on a large
#: database or a slow machine is a few seconds after a second launch can begin.
HAND_OVER_S = 10.0
RETRY_MS = 250


def instance_key(database_url: str) -> str:
    """A short name for ``database_url``, usable as a file and a local-socket name."""
    digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return f"helpdesk-desktop-{digest}"


class SingleInstance(QObject):
    """The lock and the server of the process that owns a database's window."""

    #: The arguments a later launch handed over (``argv`` without the program name).
    argumentsReceived = Signal(list)

    def __init__(self, key: str, folder: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.lock = QLockFile(str((folder or runtime_folder()) / f"{key}.lock"))
        self.lock.setStaleLockTime(0)  # only a dead process's lock is stale
        self.server: QLocalServer | None = None

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock and listen (or, with ``listen`` False, leave that to :meth:`listen`);
        False when another live process has this database open."""
        if not self.lock.tryLock(0):
            return False
        if listen:
            self.listen()
        return True

    def listen(self) -> None:
        """Answer later launches. The window's start calls it after its first frame (QtNetwork
        and its ~26 enums are imported here); a launch in between retries (``hand_over``)."""
        if self.server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.key)  # a socket file left by a crash
        if server.listen(self.key):
            server.newConnection.connect(self._accept)
            self.server = server

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()

    def _accept(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data()).decode("utf-8", "replace")
        try:
            arguments = json.loads(line)
        except ValueError:
            arguments = None
        if isinstance(arguments, list) and all(isinstance(a, str) for a in arguments):
            socket.write(b"ok\n")
            socket.flush()
            self.argumentsReceived.emit(arguments)
        socket.disconnectFromServer()


def hand_over(key: str, arguments: list[str]) -> bool:
    """Send ``arguments`` to the process that owns ``key``; True once it confirmed, False if
    it did not within :data:`HAND_OVER_S`."""
    from PySide6.QtNetwork import QLocalSocket

    payload = (json.dumps(arguments) + "\n").encode("utf-8")
    deadline = time.monotonic() + HAND_OVER_S
    while True:
        socket = QLocalSocket()
        socket.connectToServer(key)
        reply = b""
        if socket.waitForConnected(CONNECT_MS):
            socket.write(payload)
            socket.flush()
            while not socket.canReadLine() and socket.waitForReadyRead(CONNECT_MS):
                pass
            if socket.canReadLine():
                reply = bytes(socket.readLine().data())
        socket.abort()
        if reply.strip() == b"ok":
            return True
        if time.monotonic() >= deadline:
            return False
        QThread.msleep(RETRY_MS)  # the owner may still be starting: not listening yet
