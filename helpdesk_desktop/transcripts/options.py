"""The choices a user makes when printing or exporting a transcript."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class TranscriptOptions:
    """What goes into a transcript.

    ``all_conversations``: every conversation of a (merged) ticket, in time order, each headed
    by where it came from (the default; off: "this conversation only").
    ``include_notes``: internal notes and comments too, each marked as internal.
    ``mask_contacts``: hide third parties' e-mail addresses and phone numbers
    (see :mod:`helpdesk_desktop.transcripts.masking` for who counts as a third party).
    ``include_events``: the ticket's activity timeline, after the conversations.
    ``include_attachments``: each message's attachment list with sizes.
    """

    all_conversations: bool = True
    include_notes: bool = False
    mask_contacts: bool = False
    include_events: bool = False
    include_attachments: bool = True

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
