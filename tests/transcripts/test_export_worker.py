"""The PDF export written by a worker process (``cli/transcript_worker.py``), as the window
starts and follows it (``ui/transcript_print/worker_process.py``)."""

from __future__ import annotations

import io
import json
import pickle
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from helpdesk_desktop.application import safe_files
from helpdesk_desktop.cli import transcript_worker
from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.domain.i18n import current_language, set_language
from helpdesk_desktop.transcripts import Labels, TranscriptOptions
from helpdesk_desktop.transcripts.options import ExportRequest
from helpdesk_desktop.ui.transcript_print import export as pdf_export
from helpdesk_desktop.ui.transcript_print import worker_process
from helpdesk_desktop.ui.transcript_print.export import export_pdf
from tests.factories import Workspace, make_ticket
from tests.transcripts.pdftext import all_text

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[ExportRequest]:
    """The requests handed to worker processes (the real ones still run)."""
    seen: list[ExportRequest] = []
    real = pdf_export.write_in_worker

    def spy(request: ExportRequest, progress: Any,
            worker: worker_process.Worker | None = None) -> tuple[int, int]:
        seen.append(request)
        return real(request, progress, worker)

    monkeypatch.setattr(pdf_export, "write_in_worker", spy)
    return seen


def test_an_export_is_written_by_a_worker_process(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, workers: list[ExportRequest]) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    path = tmp_path / "out.pdf"
    export = export_pdf(None, ws.desk("agent"), ticket_id, options=TranscriptOptions(),
                        path=path, settings=_settings(tmp_path))
    assert export is not None
    with qtbot.waitSignal(export.done, timeout=60000) as done:
        pass
    assert done.args == [str(path)]
    assert [(r.detail.id, r.viewer.id) for r in workers] == [(ticket_id, ws.users["agent"])]
    assert export.pages == 1
    text = all_text(path.read_bytes())
    assert "Hello, my printer is on fire." in text and "Please unplug it." in text
    assert not list(tmp_path.glob(".*.partial"))


def test_a_refusal_is_the_services_sentence_and_the_worker_leaves(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, workers: list[ExportRequest],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    started: list[worker_process.Worker] = []
    real = worker_process.Worker.__init__

    def spy(self: worker_process.Worker) -> None:
        real(self)
        started.append(self)

    monkeypatch.setattr(worker_process.Worker, "__init__", spy)
    path = tmp_path / "out.pdf"
    # With the options and the file given, nothing is read before the job: the facade refuses
    # there, and the worker started ahead is sent away.
    export = export_pdf(None, ws.desk("sales"), ticket_id, options=TranscriptOptions(),
                        path=path, settings=_settings(tmp_path))
    assert export is not None
    with qtbot.waitSignal(export.failed, timeout=60000) as failed:
        pass
    assert failed.args == [f"Ticket #{ticket_id} does not exist or you cannot see it."]
    assert workers == [] and len(started) == 1
    # Stopped: during its imports (its handler: status 0) or before them (killed by it).
    assert started[0].process.wait(timeout=30) in (0, -signal.SIGTERM)
    assert not path.exists()


def test_cancelling_stops_the_worker_and_leaves_no_file(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, workers: list[ExportRequest]) -> None:
    ticket_id = make_ticket(ws, "Long thread", owner="agent", messages=tuple(
        (MessageKind.EMAIL if i % 2 else MessageKind.REPLY, f"Message {i} " + "text " * 60)
        for i in range(400)))
    path = tmp_path / "cancelled.pdf"
    export = export_pdf(None, ws.desk("agent"), ticket_id, options=TranscriptOptions(),
                        path=path, settings=_settings(tmp_path))
    assert export is not None and export.task is not None
    # Cancelled once the worker reports its first progress (it is then working).
    qtbot.waitUntil(lambda: export.task is not None and export.task.progress.maximum() > 0,
                    timeout=60000)
    cancel = export.task.progress.findChild(QPushButton)
    assert cancel is not None
    cancel.click()
    with qtbot.waitSignal(export.failed, timeout=60000) as failed:
        pass
    assert failed.args == [""]
    assert not path.exists()
    assert not list(tmp_path.glob(".*.partial"))  # the worker removed its temporary file


def test_a_worker_that_dies_is_one_sentence(
        ws: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker_process, "worker_command",
                        lambda: [sys.executable, "-c", "import os; os._exit(3)"])
    export = export_pdf(None, ws.desk("agent"), make_ticket(ws, owner="agent"),
                        options=TranscriptOptions(), path=tmp_path / "x.pdf",
                        settings=_settings(tmp_path))
    assert export is not None
    with qtbot.waitSignal(export.failed, timeout=60000) as failed:
        pass
    assert failed.args == ["The transcript could not be made (exit status 3)."]


@pytest.fixture
def worker_signals() -> Iterator[None]:
    """The worker's main installs a SIGTERM handler: the test process gets its own back."""
    before = signal.getsignal(signal.SIGTERM)
    language = current_language()
    yield
    signal.signal(signal.SIGTERM, before)
    set_language(language)


def _request(ws: Workspace, ticket_id: int, path: Path, language: str = "en") -> ExportRequest:
    desk = ws.desk("agent")
    return ExportRequest(desk.ticket(ticket_id), desk.me(), desk.users(), "", None,
                         TranscriptOptions(), None, Labels(), "A4", str(path), language)


def _run_worker(request: ExportRequest) -> tuple[int, list[dict[str, Any]]]:
    out = io.StringIO()
    status = transcript_worker.main(io.BytesIO(pickle.dumps(request)), out)
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_worker_answers_its_progress_then_done(
        ws: Workspace, tmp_path: Path, worker_signals: None) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    path = tmp_path / "out.pdf"
    status, answers = _run_worker(_request(ws, ticket_id, path))
    assert status == 0
    assert answers[-1] == {"done": [1, 0]}
    steps = [a["progress"] for a in answers[:-1]]
    assert steps and all(0 <= done <= total for done, total in steps)
    assert "Hello, my printer is on fire." in all_text(path.read_bytes())


def test_the_worker_answers_an_os_error_and_removes_nothing_else(
        ws: Workspace, tmp_path: Path, worker_signals: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_args: Any, **_kwargs: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_files, "write_atomically", disk_full)
    path = tmp_path / "full.pdf"
    status, answers = _run_worker(_request(ws, make_ticket(ws, owner="agent"), path))
    assert status == 1
    assert answers[-1] == {"oserror": [28, "No space left on device"]}
    assert not path.exists()


def test_the_worker_refuses_in_the_windows_language(
        ws: Workspace, tmp_path: Path, worker_signals: None) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    target = tmp_path / "missing" / "x.pdf"  # a folder that does not exist
    english = _run_worker(_request(ws, ticket_id, target))
    french = _run_worker(_request(ws, ticket_id, target, language="fr"))
    assert english[0] == french[0] == 2
    assert english[1][-1]["refused"].startswith(f"Cannot write {target}")
    assert french[1][-1]["refused"] and str(target) in french[1][-1]["refused"]
    assert english[1][-1]["refused"] != french[1][-1]["refused"]
    assert not target.parent.exists()


def test_a_worker_whose_window_is_gone_stops_and_leaves_no_file(
        ws: Workspace, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Long thread", owner="agent", messages=tuple(
        (MessageKind.EMAIL if i % 2 else MessageKind.REPLY, f"Message {i} " + "text " * 60)
        for i in range(400)))
    path = tmp_path / "orphan.pdf"
    worker = worker_process.Worker()
    process = worker.process
    assert process.stdin is not None and process.stdout is not None
    with process.stdin:
        process.stdin.write(pickle.dumps(_request(ws, ticket_id, path)))
    assert "progress" in json.loads(process.stdout.readline())
    process.stdout.close()  # the window is gone: the worker's next answer fails
    assert process.wait(timeout=60) != 0
    worker.errors.close()
    assert not path.exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_a_worker_not_needed_is_stopped_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialog cancelled: the worker (here one still busy, not reading its input) is stopped
    at once by ``SIGTERM`` instead of being waited for on the UI thread, then killed."""
    monkeypatch.setattr(worker_process, "worker_command",
                        lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    worker = worker_process.Worker()
    worker.discard()
    assert worker.process.returncode == -signal.SIGTERM
