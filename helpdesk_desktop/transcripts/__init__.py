"""Conversation transcripts: what a printed or exported conversation holds, and its PDF.

No Qt here. :func:`build_transcript` turns the facade's ``TicketDetail`` into a
:class:`Transcript`; :func:`write_pdf` sets it with ReportLab; :func:`transcript_html` renders the
same model as HTML for Qt's print preview.

The names below are loaded on first use (PEP 562): the model pulls in the HTML sanitizer, Babel
and phonenumbers (~0.1 s), which a program that prints nothing never needs, while
:mod:`helpdesk_desktop.transcripts.options` (the choices and paper sizes) and
:mod:`helpdesk_desktop.transcripts.labels` (the words and the file's name, all the window's
export needs: the worker process builds the transcript) stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk_desktop.transcripts.labels import Labels, suggested_file_name
    from helpdesk_desktop.transcripts.model import (
        Transcript,
        TranscriptConversation,
        TranscriptMessage,
        build_transcript,
        load_transcript,
    )
    from helpdesk_desktop.transcripts.options import TranscriptOptions

__all__ = [
    "Labels",
    "Transcript",
    "TranscriptConversation",
    "TranscriptMessage",
    "TranscriptOptions",
    "build_transcript",
    "load_transcript",
    "suggested_file_name",
]


def __getattr__(name: str) -> Any:
    if name == "TranscriptOptions":
        from helpdesk_desktop.transcripts.options import TranscriptOptions

        return TranscriptOptions
    if name in ("Labels", "suggested_file_name"):
        from helpdesk_desktop.transcripts import labels

        return getattr(labels, name)
    if name in __all__:
        from helpdesk_desktop.transcripts import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
