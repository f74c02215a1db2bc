"""Transcript speed for a 1,000-message conversation: build, preview layout/render, PDF.

    python tests/benchmarks/bench_transcript.py [--messages 1000] [--repeat 3]

Prints the median of each step, plus the longest stall of the UI thread while the real print
preview opens (the build runs on a worker thread; Qt then paints the preview's pages on the UI
thread). Uses a temporary SQLite database filled with the test factories. Figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.storage.database import open_database
from helpdesk_desktop.transcripts import TranscriptOptions, load_transcript
from helpdesk_desktop.transcripts.pdf import write_pdf
from helpdesk_desktop.ui.transcript_print import (
    TranscriptDocument,
    default_page_layout,
    print_preview,
    qt_labels,
)
from tests.factories import FakeClock, make_ticket, seed_workspace


def median_of(repeat: int, step: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def thread(count: int) -> tuple[tuple[MessageKind, str], ...]:
    kinds = (MessageKind.EMAIL, MessageKind.REPLY, MessageKind.EMAIL, MessageKind.REPLY,
             MessageKind.NOTE)
    return tuple((kinds[i % len(kinds)],
                  f"Message {i}: " + "Bonjour, the printer still smokes — Ελληνικά 日本語. " * 4
                  + f"\n\nSecond paragraph with a link https://example.com/tickets/{i}.")
                 for i in range(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(str(Path(folder) / "bench.sqlite3"))
        ws = seed_workspace(database, FakeClock(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)))
        ticket_id = make_ticket(ws, "A very long thread", owner="agent",
                                messages=thread(args.messages))
        desk = ws.desk("agent")
        options = TranscriptOptions()
        labels = qt_labels()
        print(f"transcript of one conversation with {args.messages:,} messages "
              f"(median of {args.repeat})")

        seconds, transcript = median_of(args.repeat, lambda: load_transcript(
            desk, ticket_id, options, labels=labels))
        print(f"  read ticket + build transcript   {seconds * 1000:8.0f} ms  "
              f"({len(transcript.messages):,} messages printed)")

        seconds, document = median_of(args.repeat, lambda: TranscriptDocument(
            transcript, default_page_layout()))
        print(f"  preview layout (QTextDocument)   {seconds * 1000:8.0f} ms  "
              f"({document.page_count} pages)")

        def render() -> None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(Path(folder) / "qt.pdf"))
            printer.setPageLayout(default_page_layout())
            document.paint(printer)

        seconds, _ = median_of(args.repeat, render)
        print(f"  preview render (all pages)       {seconds * 1000:8.0f} ms")

        seconds, pages = median_of(args.repeat, lambda: write_pdf(
            transcript, Path(folder) / "out.pdf"))
        size = (Path(folder) / "out.pdf").stat().st_size
        print(f"  PDF with ReportLab               {seconds * 1000:8.0f} ms  "
              f"({pages} pages, {size / 1024:,.0f} KB)")

        # The real preview: how long does the UI thread go without processing events?
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        clock, ticks, worst = QElapsedTimer(), [0], [0]
        timer = QTimer()
        timer.setInterval(10)

        def tick() -> None:
            worst[0] = max(worst[0], clock.restart())
            ticks[0] += 1

        timer.timeout.connect(tick)
        started = time.perf_counter()
        clock.start()
        timer.start()
        preview = print_preview(None, desk, ticket_id, settings=settings)
        building_worst = [0]
        while preview.dialog is None and time.perf_counter() - started < 300:
            app.processEvents()
            building_worst[0] = worst[0]
            time.sleep(0.002)
        shown = time.perf_counter() - started
        for _ in range(50):
            app.processEvents()
            time.sleep(0.002)
        timer.stop()
        print(f"  print preview shown after        {shown * 1000:8.0f} ms")
        print(f"  longest UI stall until shown    {building_worst[0]:8.0f} ms")
        print(f"  longest UI stall incl. painting  {worst[0]:8.0f} ms  "
              "(QPrintPreviewDialog paints its pages on the UI thread)")
        if preview.dialog is not None:
            preview.dialog.reject()
        database.dispose()


if __name__ == "__main__":
    main()
