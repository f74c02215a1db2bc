"""The log file: rotating, private (0600), in the platform's log folder; faulthandler on.

Run in a child process: logging's root handler and faulthandler are process-wide."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = """
import faulthandler, logging
from helpdesk_desktop.application.diagnostics import start_logging, log_file
path = start_logging()
assert path == log_file(), (path, log_file())
assert faulthandler.is_enabled()
logging.getLogger("helpdesk").error("a problem worth reporting")
for _ in range(3000):  # more than MAX_BYTES: the file rotates
    logging.getLogger("helpdesk").info("x" * 400)
print(path)
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_the_log_is_private_rotating_and_faulthandler_is_on(tmp_path: Path) -> None:
    env = {**os.environ, "HELPDESK_LOG_DIR": str(tmp_path / "logs")}
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    log = Path(done.stdout.strip())
    assert log.parent == tmp_path / "logs"
    rotated = sorted(log.parent.glob("helpdesk-desktop.log*"))
    assert len(rotated) >= 2 and all(p.stat().st_size <= 1_100_000 for p in rotated)
    for path in [*rotated, log.parent / "crash.log"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    everything = "".join(p.read_text(encoding="utf-8") for p in rotated)
    assert "ERROR helpdesk [MainThread] a problem worth reporting" in everything


def test_a_windowed_build_without_stdout_or_stderr_does_not_fail(tmp_path: Path) -> None:
    """PyInstaller's windowed program (and pythonw) has no stdout or stderr. In a child
    process: the streams and the logging set-up are process-wide."""
    result = tmp_path / "codes.txt"
    script = ("import sys; sys.stdout = sys.stderr = None\n"
              "from helpdesk_desktop.__main__ import main\n"
              "codes = (main(['--version']), main(['no-such-command']))\n"
              f"open({str(result)!r}, 'w').write(repr(codes))\n")
    env = {**os.environ, "HELPDESK_LOG_DIR": str(tmp_path / "log")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert result.read_text() == "(0, 2)"  # the parser's refusal goes nowhere, no crash
