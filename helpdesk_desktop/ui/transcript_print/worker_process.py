"""A PDF export written by a process of its own (``helpdesk-desktop --transcript-worker``,
``cli/transcript_worker.py``): ReportLab, the fonts and the locale data load there and leave
with it, and its CPU does not take the window's interpreter lock.

:class:`Worker` is started as the export begins (its imports overlap the dialogs);
:func:`write_in_worker` runs in a background job (a :class:`ui.jobs.Job`'s worker thread):
it hands the process the request on a pipe, passes its progress on (cancelling the
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


class Worker:
    """A worker process started ahead: it imports what an export needs (~0.5 s) while the
    window still asks for the options and the file, then waits for its request."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by write or discard
        self.process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def discard(self) -> None:
        """No export after all: the worker is stopped, not waited for.

        It may still be importing ReportLab (seconds, on a cold disk); waiting for it to read
        the end of its input would hold the UI thread that long, so it is terminated at once
        (it has written nothing yet) and killed if even that is not heard."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.terminate()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.errors.close()

    def write(self, request: ExportRequest,
              progress: Callable[[int, int], None]) -> tuple[int, int]:
        """Hands the worker ``request``; the pages written and the characters no font had.
        ``progress`` may raise (the job was cancelled): the process is then stopped and
        waited for before the exception goes on, so that nothing of it is left behind."""
        process = self.process
        answer: dict[str, Any] = {}
        with self.errors:
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
            except BrokenPipeError:  # the worker is gone: said below
                pass
            finally:
                if process.poll() is None and not answer:
                    process.terminate()
                status = process.wait()
                if process.stdout is not None:
                    process.stdout.close()
            if "done" in answer:
                pages, missing = answer["done"]
                return int(pages), int(missing)
            self.errors.seek(0)
            log.warning("The PDF worker ended with status %s: %s", status,
                        self.errors.read()[-4000:].decode("utf-8", "replace"))
        if "refused" in answer:
            raise HelpDeskError(str(answer["refused"]))
        if "oserror" in answer:
            number, reason = answer["oserror"]
            raise OSError(int(number), str(reason))
        raise WorkerFailed(str(answer.get("error") or f"exit status {status}"))


def write_in_worker(request: ExportRequest, progress: Callable[[int, int], None],
                    worker: Worker | None = None) -> tuple[int, int]:
    """Writes the PDF in ``worker`` (one started now if none was started ahead)."""
    return (worker or Worker()).write(request, progress)
