"""The Qt face of the program. Only this package (and __main__) imports PySide6."""

import PySide6.QtCore  # noqa: F401 - loaded first, so that its import hook is lightened now

from helpdesk_desktop import pyside_sources

pyside_sources.install()
