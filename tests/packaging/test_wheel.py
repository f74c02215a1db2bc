"""The wheel carries everything the program needs: built, installed into a fresh virtual
environment (dependencies from the pinned build set, through pip's usual index and cache) and
run from there, far from the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "packaging" / "requirements-build.txt"


def _run(cmd: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("PYTHONPATH", "HELPDESK_DATABASE_URL", "VIRTUAL_ENV")}
    full_env.update(env)
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=600, check=False)


def _check(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy, so the checkout gets no build/ folder and no stale file slips in.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "helpdesk_desktop", src / "helpdesk_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp_path_factory.mktemp("dist")
    _check(_run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "-q", "-w", dist, src], cwd=src))
    (found,) = dist.glob("helpdesk_desktop-*.whl")
    return found


def test_the_wheel_holds_the_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "helpdesk_desktop/assets/fonts/NotoSans-Regular.ttf",
        "helpdesk_desktop/assets/fonts/LICENSE-OFL-1.1.txt",
        "helpdesk_desktop/assets/icons/app.svg",
        "helpdesk_desktop/assets/icons/spam.svg",
        "helpdesk_desktop/assets/translations/helpdesk_fr.qm",
        "helpdesk_desktop/assets/translations/messages_fr.mo",
        "helpdesk_desktop/storage/migrations/env.py",
        "helpdesk_desktop/storage/migrations/script.py.mako",
        "helpdesk_desktop/storage/migrations/versions/0001_initial_schema.py",
    }
    assert expected <= names, sorted(expected - names)
    fonts = {f"helpdesk_desktop/assets/fonts/{f.name}"
             for f in (ROOT / "helpdesk_desktop" / "assets" / "fonts").iterdir()}
    assert len(fonts) > 25 and fonts <= names, sorted(fonts - names)  # every font and licence
    assert not any(n.startswith(("resources/", "tests/")) for n in names)


def test_the_installed_wheel_runs_demo_list_and_transcript(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _check(_run([sys.executable, "-m", "venv", venv], cwd=tmp_path))
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _check(_run([bin_dir / "python", "-m", "pip", "install", "-q", "-c", LOCK, wheel],
                cwd=tmp_path))
    exe = bin_dir / "helpdesk-desktop"
    db = tmp_path / "desk.sqlite3"

    where = _check(_run([bin_dir / "python", "-c",
                         "import helpdesk_desktop; print(helpdesk_desktop.__file__)"],
                        cwd=tmp_path))
    assert str(venv) in where, "the program must come from the fresh environment"

    assert "helpdesk-desktop" in _check(_run([exe, "--version"], cwd=tmp_path))
    _check(_run([exe, "--db", db, "demo", "--tickets", "15"], cwd=tmp_path))
    listing = _check(_run([exe, "--db", db, "tickets", "list", "--view", "all"], cwd=tmp_path))
    assert len(listing.strip().splitlines()) >= 10
    ticket_id = listing.split()[0]
    pdf = tmp_path / "t.pdf"
    out = _check(_run([exe, "--db", db, "transcript", ticket_id, "--pdf", pdf],
                      cwd=tmp_path))
    assert out.startswith("Wrote ") and pdf.read_bytes().startswith(b"%PDF")

    # The services' sentences come in French from the installed catalogue, same exit code.
    french = _run([exe, "--db", db, "tickets", "show", "999999"], cwd=tmp_path,
                  LANGUAGE="", LC_ALL="", LC_MESSAGES="", LANG="fr_FR.UTF-8")
    assert french.returncode == 2
    assert french.stderr.startswith("erreur\u00a0: Le ticket n° 999999 n'existe pas")

    # The SQLite-only install has no PostgreSQL driver and says how to add it.
    refused = _run([exe, "--db", "postgresql://nobody@127.0.0.1:1/none", "tickets", "list"],
                   cwd=tmp_path)
    assert refused.returncode == 2
    assert "helpdesk-desktop[postgres]" in refused.stderr
    assert "Traceback" not in refused.stderr
