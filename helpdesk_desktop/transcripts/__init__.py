"""Conversation transcripts: what a printed or exported conversation holds, and its PDF.

No Qt here. :func:`build_transcript` turns the facade's ``TicketDetail`` into a
:class:`Transcript`; :func:`write_pdf` sets it with ReportLab; :func:`transcript_html` renders the
same model as HTML for Qt's print preview.
"""

from helpdesk_desktop.transcripts.model import (
    Labels,
    Transcript,
    TranscriptConversation,
    TranscriptMessage,
    build_transcript,
    load_transcript,
    suggested_file_name,
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
