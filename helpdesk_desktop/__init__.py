"""Help Desk Desktop: a native desktop help desk."""

__version__ = "0.1.0"
