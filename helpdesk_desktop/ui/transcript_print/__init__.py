"""Printing a conversation: Qt's native print preview, and export as PDF.

Both start from the same transcript model (:mod:`helpdesk_desktop.transcripts`) and the same
page layout (:func:`transcripts.pages.typeset`): the preview paints the laid-out pages with Qt,
the export writes them with ReportLab. The slow part — reading the ticket, building the
transcript, laying out (or writing) hundreds of pages — runs on a worker thread behind a
``QProgressDialog``, so the window never freezes.

Entry points (wired to ``action.print`` and ``action.export_pdf`` by the main window):
:func:`print_preview` and :func:`export_pdf`. The modules, by concern:

- ``labels``: the transcript's words, translated;
- ``options``: the options remembered in the settings, and their widgets;
- ``tasks``: a background job behind a progress dialog, the warnings;
- ``rendering``: the laid-out document, painting a page with Qt, page sizes;
- ``page_view``: the preview's page view and dialog;
- ``preview``: the print preview and printing;
- ``export``: the PDF export.
"""

from helpdesk_desktop.ui.transcript_print.export import export_pdf
from helpdesk_desktop.ui.transcript_print.preview import print_preview

__all__ = ["export_pdf", "print_preview"]
