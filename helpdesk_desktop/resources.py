"""Where the files shipped with the program live: ``helpdesk_desktop/assets/`` inside the package.

The one place that knows. They are found with :mod:`importlib.resources`, so a checkout, an
installed wheel (``pip``/``pipx``) and a PyInstaller bundle all work alike. Fonts go to ReportLab
and Qt as file names, so the package must be installed as files (wheels and PyInstaller one-folder
builds are; a zipped package is refused with one sentence).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _on_disk(package: str) -> Path:
    found = files(package)
    if isinstance(found, Path):
        return found
    # A zip import: fonts and migrations need real files.
    raise RuntimeError(f"{package} must be installed as files, not inside a zip archive.")


ASSETS = _on_disk("helpdesk_desktop") / "assets"
ICONS = ASSETS / "icons"
FONTS = ASSETS / "fonts"
TRANSLATIONS = ASSETS / "translations"
MIGRATIONS = _on_disk("helpdesk_desktop.storage") / "migrations"


def icon_path(name: str) -> Path:
    """The SVG file of the icon called ``name`` (it may not exist)."""
    return ICONS / f"{name}.svg"
