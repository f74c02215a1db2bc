"""The single-instance channel without QtNetwork (session 30): a socket file left by a crash,
messages that are not a launch's arguments, release and listening again, and the modules it
imports. The hand-over itself is tested in test_desktop_conventions.py."""

from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing.connection import Client
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from helpdesk_desktop.ui.single_instance import (
    MAX_MESSAGE,
    SingleInstance,
    channel_address,
    hand_over,
    instance_key,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui


def _key(tmp_path: Path, name: str) -> str:
    return instance_key(f"sqlite:///{tmp_path}/{name}.sqlite3") + "-test"


def test_the_owner_listens_and_hands_over_without_qtnetwork(tmp_path: Path) -> None:
    """A launch's whole exchange, owner and second launch in one fresh process: QtNetwork
    (~2.5 MB resident, docs/PERFORMANCE.md "Session 30") is never imported."""
    key = _key(tmp_path, "modules")
    script = (
        "import sys, pathlib\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from helpdesk_desktop.ui.single_instance import SingleInstance, hand_over\n"
        f"first = SingleInstance({key!r}, pathlib.Path({str(tmp_path)!r}))\n"
        "assert first.acquire()\n"
        "if 'PySide6.QtNetwork' in sys.modules:\n"
        "    sys.exit(3)  # listening imported it\n"
        "got = []\n"
        "first.argumentsReceived.connect(got.append)\n"
        f"assert hand_over({key!r}, ['--ticket', '5'])\n"
        "app.processEvents()  # queued before the answer: delivered now\n"
        "assert got == [['--ticket', '5']], got\n"
        "first.release()\n"
        "sys.exit(3 if 'PySide6.QtNetwork' in sys.modules else 0)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe leaves no file behind")
def test_a_socket_file_left_by_a_crash_is_replaced(qtbot: QtBot, tmp_path: Path) -> None:
    key = _key(tmp_path, "crashed")
    address, _family = channel_address(key)
    Path(address).write_bytes(b"")  # what a killed owner leaves (its lock is stale)
    first = SingleInstance(key, tmp_path)
    try:
        assert first.acquire()
        assert first.server is not None
        assert (os.stat(address).st_mode & 0o077) == 0  # the user's alone
        received: list[list[str]] = []
        first.argumentsReceived.connect(received.append)
        assert hand_over(key, ["--ticket", "9"])
        qtbot.waitUntil(lambda: received == [["--ticket", "9"]])
    finally:
        first.release()
    assert not Path(address).exists()


def test_what_is_not_a_launch_s_arguments_is_ignored(qtbot: QtBot, tmp_path: Path) -> None:
    key = _key(tmp_path, "garbage")
    first = SingleInstance(key, tmp_path)
    assert first.acquire()
    received: list[list[str]] = []
    first.argumentsReceived.connect(received.append)
    address, family = channel_address(key)
    try:
        nested = b"[" * 30_000 + b"]" * 30_000  # within the size, too deep for the parser
        for message in (b"not json", b'{"ticket": 3}', b"[1, 2]", nested,
                        b"[" * (MAX_MESSAGE + 1)):
            with Client(address, family) as connection:
                try:
                    connection.send_bytes(message)
                    answered = connection.poll(2) and connection.recv_bytes(16)
                except (EOFError, OSError):  # hung up without an answer
                    answered = b""
            assert not answered, message[:20]
        with Client(address, family):
            pass  # connected, said nothing, hung up
        assert hand_over(key, ["--ticket", "4"])  # still answering
        qtbot.waitUntil(lambda: received == [["--ticket", "4"]])
    finally:
        first.release()


def test_a_released_channel_is_closed_and_can_be_owned_again(qtbot: QtBot,
                                                            tmp_path: Path) -> None:
    key = _key(tmp_path, "again")
    first = SingleInstance(key, tmp_path)
    assert first.acquire()
    server = first.server
    assert server is not None
    first.release()
    assert first.server is None and not server._thread.is_alive()
    address, family = channel_address(key)
    with pytest.raises(OSError):
        Client(address, family)
    again = SingleInstance(key, tmp_path)
    try:
        assert again.acquire()
        received: list[list[str]] = []
        again.argumentsReceived.connect(received.append)
        assert hand_over(key, [])
        qtbot.waitUntil(lambda: received == [[]])
    finally:
        again.release()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe has no path to shorten")
def test_a_runtime_folder_too_deep_for_a_socket_uses_a_private_temporary_one(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk_desktop.ui import single_instance

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(single_instance, "runtime_folder", lambda: deep)
    key = _key(tmp_path, "deep")
    address, _family = channel_address(key)
    assert len(os.fsencode(address)) <= 100 and not address.startswith(str(deep))
    folder = Path(address).parent
    assert folder.stat().st_uid == os.getuid() and (folder.stat().st_mode & 0o077) == 0
    first = SingleInstance(key, tmp_path)
    try:
        assert first.acquire()
        received: list[list[str]] = []
        first.argumentsReceived.connect(received.append)
        assert hand_over(key, ["--ticket", "3"])
        qtbot.waitUntil(lambda: received == [["--ticket", "3"]])
    finally:
        first.release()
