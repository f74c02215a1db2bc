"""Typed, per-user settings and remembered window state (QSettings).

Every option is declared once, here, with its default. Saved Qt state (window
geometry, dock/tool bar state, header and splitter state) is stored under a key that carries the
Qt version, so that a Qt upgrade never restores state written by another version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings, qVersion

T = TypeVar("T")

@dataclass(frozen=True)
class Option(Generic[T]):
    """One user setting: its key and its default (whose type is the setting's type)."""

    key: str
    default: T


LAYOUT = Option("layout", "table")
SIDEBAR_VISIBLE = Option("sidebar_visible", True)
BOARD_PIPELINE_ID = Option("board_pipeline_id", 0)  # 0: the first pipeline
SORT_KEY = Option("sort_key", "last_activity")
SORT_DESCENDING = Option("sort_descending", True)
# The ticket view's sidebar cards (its helper reads and writes these through Settings).
TICKET_SIDEBAR_CARDS = Option("ticket_sidebar_cards", "")
# The table's column order, widths and hidden columns are its header's saved state.


def qt_state_key(name: str) -> str:
    """The key of a saved Qt state blob, tied to the running Qt version."""
    return f"{name}_qt{qVersion()}"


def _user_group(email: str) -> str:
    return "users/" + re.sub(r"[^A-Za-z0-9_.-]", "_", email.strip().lower())


class Settings:
    """Settings of one user (by e-mail, so they follow the person across databases)."""

    def __init__(self, store: QSettings, email: str) -> None:
        self.store = store
        self.group = _user_group(email)

    def for_user(self, email: str) -> Settings:
        return Settings(self.store, email)

    def _key(self, key: str) -> str:
        return f"{self.group}/{key}"

    def get(self, option: Option[T]) -> T:
        """The user's value of ``option``, converted to the default's type."""
        raw = self.store.value(self._key(option.key), None)
        if raw is None:
            return option.default
        default = option.default
        try:
            if isinstance(default, bool):
                if isinstance(raw, str):
                    return raw.lower() in ("1", "true", "yes")  # type: ignore[return-value]
                return bool(raw)  # type: ignore[return-value]
            return type(default)(raw)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return default

    def set(self, option: Option[T], value: T) -> None:
        self.store.setValue(self._key(option.key), value)

    def state(self, name: str) -> QByteArray | None:
        """A saved Qt state blob (geometry, header, splitter), if saved by this Qt version."""
        value = self.store.value(self._key(qt_state_key(name)), None)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, name: str, value: QByteArray) -> None:
        self.store.setValue(self._key(qt_state_key(name)), value)

    def sync(self) -> None:
        self.store.sync()


#: This computer's choice (not per user): closing the main window keeps the program in the tray.
CLOSE_TO_TRAY_KEY = "interface/close_to_tray"


def close_to_tray(store: QSettings | None = None) -> bool:
    value = (store or QSettings()).value(CLOSE_TO_TRAY_KEY, False)
    return value.lower() in ("1", "true") if isinstance(value, str) else bool(value)


def set_close_to_tray(enabled: bool, store: QSettings | None = None) -> None:
    (store or QSettings()).setValue(CLOSE_TO_TRAY_KEY, enabled)
