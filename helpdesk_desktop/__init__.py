"""Help Desk Desktop: a native desktop help desk."""

__version__ = "0.1.0"

from helpdesk_desktop import pyside_sources

pyside_sources.install()  # only when Qt for Python is already loaded (see the module)
