"""The choices a user makes when printing or exporting a transcript, and the paper sizes.

Light on purpose (no text engine, no ReportLab): the command line's parser and the print
dialog's options read it without loading the typesetter.
"""

from __future__ import annotations

import locale
import os
from dataclasses import asdict, dataclass, fields
from typing import Any

PAPER_SIZES: dict[str, tuple[float, float]] = {"A4": (595.2756, 841.8898),
                                               "Letter": (612.0, 792.0)}
_LETTER_COUNTRIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA", "SV",
                     "DO", "NI", "BZ"}


def default_paper(locale_name: str | None = None) -> str:
    """Letter where the locale's country uses it (US, Canada, Mexico, …), A4 elsewhere and for
    the neutral C/POSIX locale."""
    if locale_name is None:
        locale_name = next((os.environ[k] for k in ("LC_ALL", "LC_PAPER", "LANG")
                            if os.environ.get(k)), "")
        if not locale_name:  # Windows and macOS set no variables: ask the C library
            try:
                locale_name = locale.getlocale(locale.LC_CTYPE)[0] or ""
            except ValueError:
                locale_name = ""
    name = locale_name.split(".")[0].replace("-", "_")
    if name in ("", "C", "POSIX"):
        return "A4"
    country = name.partition("_")[2]
    if country in ("United States", "Canada", "Mexico"):  # Windows' long names
        return "Letter"
    return "Letter" if country[:2].upper() in _LETTER_COUNTRIES else "A4"


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


@dataclass(frozen=True)
class ExportRequest:
    """What the window hands a worker process to write (``cli/transcript_worker.py``): the
    ticket as the facade read it for the signed-in user, and how and where to print it. The
    data objects are typed loosely here (``services.dto``, ``transcripts.Labels``): this
    module stays light."""

    detail: Any  # services.dto.TicketDetail
    viewer: Any  # services.dto.UserInfo: who prints (their name, their time zone)
    agents: Any  # list[services.dto.UserInfo]
    organisation: str
    logo: bytes | None
    options: TranscriptOptions
    conversation_id: int | None
    labels: Any  # transcripts.Labels, the window's words
    paper: str
    path: str
    language: str  # the window's language, for the sentences of refusals
