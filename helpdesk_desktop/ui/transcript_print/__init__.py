"""Printing a conversation: Qt's native print preview, and export as PDF.

Both start from the same transcript model (:mod:`helpdesk_desktop.transcripts`) and the same
page layout (:func:`transcripts.pages.typeset`): the preview paints the laid-out pages with Qt,
the export writes them with ReportLab. The slow part — reading the ticket, building the
transcript, laying out (or writing) hundreds of pages — runs on a worker thread (the export:
in a worker process, ``worker_process``) behind a ``QProgressDialog``, so the window never
freezes.

Entry points (wired to ``action.print`` and ``action.export_pdf`` by the main window):
:func:`print_preview` and :func:`export_pdf`. The modules, by concern:

- ``labels``: the transcript's words, translated;
- ``options``: the options remembered in the settings, and their widgets;
- ``tasks``: a background job behind a progress dialog, the warnings;
- ``rendering``: the laid-out document, painting a page with Qt, page sizes;
- ``page_view``: the preview's page view and dialog;
- ``preview``: the print preview and printing;
- ``export``: the PDF export;
- ``worker_process``: the export's worker process, started and followed from a job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk_desktop.ui.transcript_print.export import export_pdf
    from helpdesk_desktop.ui.transcript_print.preview import print_preview

__all__ = ["export_pdf", "print_preview"]


def __getattr__(name: str) -> Any:
    # Each entry point loads on first use (PEP 562): an export, written by a worker process,
    # never loads the preview's text engine (HarfBuzz, the fonts) into the window.
    if name == "export_pdf":
        from helpdesk_desktop.ui.transcript_print.export import export_pdf

        return export_pdf
    if name == "print_preview":
        from helpdesk_desktop.ui.transcript_print.preview import print_preview

        return print_preview
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
