"""The Linux one-folder bundle (PyInstaller) works on its own: built from
packaging/helpdesk-desktop.spec, then run offscreen — --version, a demo of 50 tickets, the
list, a transcript PDF, and the window (proved open by a second launch that it answers).

About 1.5–3 minutes on the 2-core CI machine, so it is marked ``packaging`` and deselected by
default; run it with ``pytest -m packaging tests/packaging/test_bundle.py`` (needs PyInstaller
from packaging/requirements-build.txt). It prints the build time and the bundle's size.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYINSTALLER = shutil.which("pyinstaller", path=str(Path(sys.executable).parent))

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
    pytest.mark.skipif(PYINSTALLER is None, reason="PyInstaller is not installed "
                       "(pip install -r packaging/requirements-build.txt)"),
]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert PYINSTALLER is not None
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    done = subprocess.run([PYINSTALLER, "--noconfirm", "--clean", "--log-level", "WARN",
                           "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
                           str(ROOT / "packaging" / "helpdesk-desktop.spec")],
                          cwd=work, capture_output=True, text=True, timeout=1200, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    folder = work / "dist" / "helpdesk-desktop"
    archive = work / "helpdesk-desktop.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:  # what "tar czf" does
        tar.add(folder, arcname="helpdesk-desktop")
    print(f"\nbundle built in {time.monotonic() - started:.0f} s: "
          f"{_size(folder) / 2**20:.0f} MB unpacked, {archive.stat().st_size / 2**20:.0f} MB "
          "as tar.gz")
    return folder


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_RUNTIME_DIR=str(tmp_path / "runtime"), HELPDESK_LOG_DIR=str(tmp_path / "log"))
    (tmp_path / "runtime").mkdir(mode=0o700)
    return env


def _run(exe: Path, *args: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run([str(exe), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_bundle_runs_the_cli_and_opens_the_window(bundle: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    exe, cli = bundle / "helpdesk-desktop", bundle / "helpdesk-desktop-cli"
    db = tmp_path / "desk.sqlite3"
    assert _run(exe, "--version", env=env, cwd=tmp_path).startswith("helpdesk-desktop ")
    _run(cli, "--db", str(db), "demo", "--tickets", "50", env=env, cwd=tmp_path)
    listing = _run(cli, "--db", str(db), "tickets", "list", "--view", "all", env=env,
                   cwd=tmp_path)
    ticket_id = listing.split()[0]
    pdf = tmp_path / "t.pdf"
    assert _run(cli, "--db", str(db), "transcript", ticket_id, "--pdf", str(pdf), env=env,
                cwd=tmp_path).startswith("Wrote ")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000  # fonts inside
    # The gettext catalogue is in the bundle: a French environment gets French refusals.
    french = subprocess.run([str(cli), "--db", str(db), "tickets", "show", "999999"],
                            env={**env, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
                                 "LANG": "fr_FR.UTF-8"},
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            check=False)
    assert french.returncode == 2
    assert french.stderr.startswith("erreur\u00a0: Le ticket n° 999999 n'existe pas")

    # The window: it runs its event loop once a second launch on the same database gets its
    # arguments answered (one window process per database).
    window = subprocess.Popen([str(exe), "--db", str(db)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log_path = tmp_path / "log" / "helpdesk-desktop.log"
    try:
        deadline = time.monotonic() + 120
        while "Main window open on" not in (log_path.read_text(encoding="utf-8")
                                            if log_path.exists() else ""):
            assert window.poll() is None, "the window process ended"
            assert time.monotonic() < deadline, "the window did not open within 2 minutes"
            time.sleep(0.5)
        second = subprocess.run([str(exe), "--db", str(db), "--ticket", ticket_id], env=env,
                                cwd=tmp_path, capture_output=True, text=True, timeout=120,
                                check=False)
        assert second.returncode == 0, second.stderr
        assert window.poll() is None, "the first window must keep running"
        log = log_path.read_text(encoding="utf-8")
        assert f"Arguments handed over by another launch: ['--ticket', '{ticket_id}']" in log
        assert "Traceback" not in log and "ERROR" not in log, log
    finally:
        window.send_signal(signal.SIGTERM)
        try:
            window.wait(timeout=30)
        except subprocess.TimeoutExpired:
            window.kill()
