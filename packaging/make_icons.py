"""Make every icon file the packages need from the master SVG.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Source: ``resources/icons/helpdesk-desktop.svg``. Writes the window icon
(``helpdesk_desktop/assets/icons/app.svg``), the freedesktop hicolor theme (PNG 16–512 px and the
SVG) for Linux, ``helpdesk-desktop.ico`` for Windows and ``helpdesk-desktop.icns`` for macOS
(Pillow, already installed with ReportLab). The outputs are committed; run this after changing the
master.
"""

from __future__ import annotations

import shutil
import sys
from io import BytesIO
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "resources" / "icons" / "helpdesk-desktop.svg"
APP_ID = "helpdesk-desktop"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HICOLOR = ROOT / "packaging" / "linux" / "icons" / "hicolor"


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(BytesIO(bytes(buffer.data().data()))).convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(MASTER))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {MASTER}")
    shutil.copy(MASTER, ROOT / "helpdesk_desktop" / "assets" / "icons" / "app.svg")
    images = {size: render(renderer, size) for size in PNG_SIZES}
    for size, image in images.items():
        folder = HICOLOR / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(folder / f"{APP_ID}.png", optimize=True)
    scalable = HICOLOR / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy(MASTER, scalable / f"{APP_ID}.svg")
    images[256].save(ROOT / "packaging" / "windows" / f"{APP_ID}.ico",
                     sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    images[512].save(ROOT / "packaging" / "macos" / f"{APP_ID}.icns")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
