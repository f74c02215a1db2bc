"""The choices a user makes when printing or exporting a transcript."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class TranscriptOptions:
    """What goes into a transcript.

    ``all_conversations``: every conversation of a (merged) ticket instead of the current one.
    ``include_notes``: internal notes and comments too, each marked as internal.
    ``mask_contacts``: hide third parties' e-mail addresses and phone numbers
    (see :mod:`helpdesk_desktop.transcripts.masking` for who counts as a third party).
    """

    all_conversations: bool = False
    include_notes: bool = False
    mask_contacts: bool = False

    def to_dict(self) -> dict[str, bool]:
        """Plain values to remember between runs (settings, JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TranscriptOptions:
        """Options from remembered values; unknown keys are ignored, bad values use defaults."""
        known = {f.name: f.default for f in fields(cls)}
        return cls(**{name: _as_bool(values.get(name), bool(default))
                      for name, default in known.items()})


def _as_bool(value: Any, default: bool) -> bool:
    # QSettings hands back "true"/"false" strings on some platforms.
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
    if isinstance(value, int):
        return bool(value)
    return default
