"""The window's PDF export in a process of its own (``helpdesk-desktop --transcript-worker``).

A transcript's PDF loads ReportLab, its parsed fonts, HarfBuzz's faces and the locale data of
the dates (~20 MB that the window kept for the rest of its life) and takes the interpreter
for the length of the layout. The window (``ui/transcript_print/export.py``) starts this
process instead, reads the ticket through its facade (permissions checked there), writes the
process one :class:`~helpdesk_desktop.transcripts.options.ExportRequest` (pickled, on
standard input) and reads its answers, one JSON object per line on standard output:

- ``{"progress": [done, total]}`` while it works;
- ``{"done": [pages, missing]}`` once the file is in place;
- ``{"refused": sentence}`` for a refusal (no such ticket, not allowed, a file that cannot be
  written), ``{"oserror": [errno, strerror]}`` or ``{"error": type name}`` otherwise.

The file is written beside its target and renamed into place when complete
(:func:`write_atomically`): a cancelled export (``SIGTERM``), a failure, or the window gone
(its pipe closed: the next progress line fails) removes the temporary file and leaves the
target as it was.
"""

from __future__ import annotations

import json
import pickle
import signal
import sys
from pathlib import Path
from typing import IO, Any

from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.transcripts.options import ExportRequest

#: The hidden first argument that runs :func:`main` (``__main__.py``).
ARGUMENT = "--transcript-worker"


class _Stopped(BaseException):
    """``SIGTERM``: the export was cancelled (not an ``Exception``: nothing catches it)."""


def _stop(_signal: int, _frame: object) -> None:
    raise _Stopped


class _Reporter:
    """Answers to the window; progress only when it moved by at least 1/200."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.last = -1

    def send(self, **answer: Any) -> None:
        self.out.write(json.dumps(answer) + "\n")
        self.out.flush()

    def progress(self, done: int, total: int) -> None:
        step = done * 200 // max(1, total)
        if step != self.last:
            self.last = step
            self.send(progress=[done, total])


def export(request: ExportRequest, report: _Reporter) -> tuple[int, int]:
    """The export itself: the transcript, its pages, the file written atomically."""
    from helpdesk_desktop.application.safe_files import write_atomically
    from helpdesk_desktop.transcripts.model import build_transcript
    from helpdesk_desktop.transcripts.pages import typeset
    from helpdesk_desktop.transcripts.pdf import write_pages

    def build_progress(done: int, total: int) -> None:
        report.progress(done, total * 10)  # building is ~a tenth of the work

    transcript = build_transcript(request.detail, request.options, viewer=request.viewer,
                                  agents=request.agents,
                                  conversation_id=request.conversation_id,
                                  labels=request.labels, progress=build_progress,
                                  organisation=request.organisation, logo=request.logo)
    total = max(1, len(transcript.messages))

    def layout_progress(done: int, all_: int) -> None:
        report.progress(total + done * 5 * total // max(1, all_), total * 10)

    pages = typeset(transcript, request.paper, layout_progress)

    def write_progress(done: int, all_: int) -> None:
        report.progress(6 * total + done * 4 * total // max(1, all_), total * 10)

    # The save dialog has already asked before replacing an existing file.
    count = write_atomically(Path(request.path),
                             lambda out: write_pages(pages, out, progress=write_progress),
                             overwrite=True)
    return count, pages.missing


def _import_ahead() -> None:
    """The modules of :func:`export` and of the request's data objects."""
    from helpdesk_desktop.application import safe_files  # noqa: F401
    from helpdesk_desktop.services import dto  # noqa: F401
    from helpdesk_desktop.transcripts import model, pages, pdf  # noqa: F401


def main(stdin: IO[bytes] | None = None, stdout: IO[str] | None = None) -> int:
    """Reads one request, writes the PDF, answers; the exit status is 0 once done."""
    signal.signal(signal.SIGTERM, _stop)
    try:
        _import_ahead()  # while the window still asks for the options and the file
        request: ExportRequest = pickle.load(stdin or sys.stdin.buffer)
    except (EOFError, _Stopped):  # no export after all
        return 0
    report = _Reporter(stdout or sys.stdout)
    from helpdesk_desktop.domain.i18n import set_language

    set_language(request.language)
    try:
        try:
            pages, missing = export(request, report)
        except HelpDeskError as exc:
            report.send(refused=str(exc))
            return 2
        except OSError as exc:
            report.send(oserror=[exc.errno or 0, exc.strerror or str(exc)])
            return 1
        except Exception as exc:  # noqa: BLE001 - the window says so in one sentence
            report.send(error=type(exc).__name__)
            return 1
        report.send(done=[pages, missing])
    except (_Stopped, BrokenPipeError):  # cancelled, or the window is gone: nobody to tell
        return 1
    return 0
