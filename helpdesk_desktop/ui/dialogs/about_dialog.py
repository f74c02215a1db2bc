"""Help › About: the version, what it runs on, where the data is and the bundled fonts' licences."""

from __future__ import annotations

import platform
from html import escape

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop import __version__
from helpdesk_desktop.application.diagnostics import log_folder
from helpdesk_desktop.resources import FONTS
from helpdesk_desktop.ui.actions.registry import icon

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

#: Licence of each bundled font family, and the file in assets/fonts that holds its text; every
#: family not named here (all the Noto families and NanumSquare) is under the SIL OFL 1.1.
FONT_LICENCES: dict[str, tuple[str, str]] = {
    "Droid Sans Fallback": ("Apache License 2.0", "LICENSE-Apache-2.0.txt"),
    "DejaVu Sans": ("Bitstream Vera License (DejaVu changes: public domain)",
                    "LICENSE-DejaVu.txt"),
}
DEFAULT_FONT_LICENCE = ("SIL Open Font License 1.1", "LICENSE-OFL-1.1.txt")


def font_licences() -> list[tuple[str, str, str]]:
    """(family, licence, licence file URL) of every bundled font family, in fallback order."""
    from helpdesk_desktop.transcripts.fonts import family_list  # HarfBuzz: only when asked

    rows = []
    for family in family_list():
        licence, file = FONT_LICENCES.get(family, DEFAULT_FONT_LICENCE)
        rows.append((family, licence, QUrl.fromLocalFile(str(FONTS / file)).toString()))
    return rows


class AboutDialog(QDialog):
    def __init__(self, database_location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(translate("AboutDialog", "About Help Desk Desktop"))
        logo = QLabel(self)
        logo.setPixmap(QIcon(icon("app")).pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2>Help Desk Desktop {escape(__version__)}</h2>"
                       + escape(translate("AboutDialog", "A native desktop help desk.")), self)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addWidget(title, 1)
        self.details = QTextBrowser(self)
        self.details.setObjectName("aboutDetails")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(QDesktopServices.openUrl)
        self.details.setHtml(self.details_html(database_location))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(560, 460)

    @staticmethod
    def details_html(database_location: str) -> str:
        def row(label: str, value: str) -> str:
            return f"<tr><td><b>{escape(label)}</b>&nbsp;&nbsp;</td><td>{value}</td></tr>"

        rows = [
            row(translate("AboutDialog", "Version"), escape(__version__)),
            row("Qt", escape(qVersion())),
            row("PySide6", escape(PySide6.__version__)),
            row("Python", escape(f"{platform.python_version()} ({platform.system()})")),
            row(translate("AboutDialog", "Database"), escape(database_location)),
            row(translate("AboutDialog", "Log folder"), escape(str(log_folder()))),
        ]
        fonts = "".join(
            f"<tr><td>{escape(family)}&nbsp;&nbsp;</td><td><a href=\"{url}\">{escape(licence)}"
            "</a></td></tr>" for family, licence, url in font_licences())
        fonts_title = translate("AboutDialog", "Bundled fonts and their licences")
        return (f"<table>{''.join(rows)}</table><h4>{escape(fonts_title)}</h4>"
                f"<table>{fonts}</table>")
