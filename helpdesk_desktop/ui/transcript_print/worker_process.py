"""A PDF export written by a process of its own (``helpdesk-desktop --transcript-worker``,
``cli/transcript_worker.py``): ReportLab, the fonts and the locale data load there and leave
with it, and its CPU does not take the window's interpreter lock.

:func:`write_in_worker` runs in a background job (a :class:`ui.jobs.Job`'s worker thread):
it starts the process, hands it the request on a pipe, passes its progress on (cancelling the
job stops the process: ``SIGTERM``, after which it removes its temporary file) and turns its
answer into the job's result or one of the errors the job reports as a sentence.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.transcripts.options import ExportRequest

log = logging.getLogger(__name__)


class WorkerFailed(Exception):
    """The worker ended with an unexpected error; ``kind`` names it (its exception's type,
    or how the process ended)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def worker_command() -> list[str]:
    """How to start the worker: the frozen program itself, or this interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--transcript-worker"]
    return [sys.executable, "-m", "helpdesk_desktop", "--transcript-worker"]


def write_in_worker(request: ExportRequest,
                    progress: Callable[[int, int], None]) -> tuple[int, int]:
    """Writes the PDF in a worker process; the pages written and the characters no font had.
    ``progress`` may raise (the job was cancelled): the process is stopped and waited for
    before the exception goes on, so that nothing of it is left behind."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=errors,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        answer: dict[str, Any] = {}
        try:
            assert process.stdin is not None and process.stdout is not None
            with process.stdin:
                process.stdin.write(pickle.dumps(request))
            for line in process.stdout:
                message = json.loads(line)
                if "progress" in message:
                    done, total = message["progress"]
                    progress(int(done), int(total))
                else:
                    answer = message
        finally:
            if process.poll() is None and not answer:
                process.terminate()
            status = process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if "done" in answer:
            pages, missing = answer["done"]
            return int(pages), int(missing)
        errors.seek(0)
        log.warning("The PDF worker ended with status %s: %s", status,
                    errors.read()[-4000:].decode("utf-8", "replace"))
    if "refused" in answer:
        raise HelpDeskError(str(answer["refused"]))
    if "oserror" in answer:
        number, reason = answer["oserror"]
        raise OSError(int(number), str(reason))
    raise WorkerFailed(str(answer.get("error") or f"exit status {status}"))
