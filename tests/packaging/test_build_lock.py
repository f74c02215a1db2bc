"""The pinned build set (packaging/requirements-build.txt) is in step with pyproject.toml: every
runtime dependency (with the ``[postgres]`` extra) and every build tool is pinned, once, on each
Python and system the lock covers, to a version pyproject.toml allows (so the PySide6 6.12.0 /
Python 3.11 exclusion holds). ``test_wheel.py`` installs with the lock as constraints, which does
not notice a package the lock forgot; this does."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "packaging" / "requirements-build.txt"
TOOLS = ROOT / "packaging" / "build-tools.in"
# The Pythons and systems `uv pip compile --universal --python-version 3.11` covers.
ENVIRONMENTS = [
    {"python_version": python, "python_full_version": f"{python}.0", "sys_platform": platform,
     "platform_system": system, "os_name": os_name, "platform_machine": "x86_64",
     "platform_python_implementation": "CPython", "implementation_name": "cpython", "extra": ""}
    for python in ("3.11", "3.12", "3.13")
    for platform, system, os_name in (("linux", "Linux", "posix"), ("win32", "Windows", "nt"),
                                      ("darwin", "Darwin", "posix"))
]


def _required() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["postgres"]]
    lines += [line.strip() for line in TOOLS.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.lstrip().startswith("#")]
    return [Requirement(line) for line in lines]


def _pins() -> list[tuple[str, Version, Marker | None]]:
    pins = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "# " or "==" not in line:
            continue
        pin, _, marker = line.partition(";")
        name, _, version = pin.partition("==")
        pins.append((canonicalize_name(name.strip()), Version(version.strip()),
                     Marker(marker.strip()) if marker.strip() else None))
    return pins


@pytest.mark.parametrize("environment", ENVIRONMENTS,
                         ids=[f"{e['python_version']}-{e['sys_platform']}" for e in ENVIRONMENTS])
def test_the_build_lock_pins_every_dependency(environment: dict[str, str]) -> None:
    pins = _pins()
    problems = []
    for requirement in _required():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        versions = [version for pinned, version, marker in pins if pinned == name
                    and (marker is None or marker.evaluate(environment))]
        if len(versions) != 1:
            problems.append(f"{requirement}: pinned {len(versions)} times")
        elif not requirement.specifier.contains(versions[0], prereleases=True):
            problems.append(f"{requirement}: the lock pins {versions[0]}")
    assert not problems, ("packaging/requirements-build.txt is stale; regenerate it "
                          "(packaging/README.md): " + "; ".join(problems))
