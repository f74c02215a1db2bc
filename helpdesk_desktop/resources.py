"""Where the bundled resources (icons, fonts) live: ``resources/`` beside the package.

One place to change when the packaging issue ships them inside wheels.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICONS = RESOURCES / "icons"
FONTS = RESOURCES / "fonts"
