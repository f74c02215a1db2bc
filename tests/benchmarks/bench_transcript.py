"""Transcript speed: 1,000 messages per script against a raw ReportLab build of the same text,
one very long message, and the print preview's first page.

    python tests/benchmarks/bench_transcript.py [--messages 1000] [--repeat 3] [--long 1000000]
        [--huge 10000000] [--skip-preview]

For each script it prints the median of: our layout (``typeset``), our PDF writing
(``write_pages``), their sum, and a raw ReportLab build of the same text (platypus
``Paragraph``s in one TrueType font, no shaping, no bidi, no font fallback), then the ratio of
the two and, per script, the ratio to Latin. Then: laying out one message of ``--long`` and
``--huge`` characters, and how long the real print preview of a 1,000-message ticket takes to
show its first page (the rest is laid out on a worker thread). Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
from helpdesk_desktop.transcripts.fonts import FONTS
from helpdesk_desktop.transcripts.pages import typeset
from helpdesk_desktop.transcripts.pdf import write_pages
from helpdesk_desktop.transcripts.textlayout import layout_paragraph
from tests.transcripts.builders import agent, conversation, message, ticket

SENTENCES = {  # script -> (sentence, the font a raw ReportLab build sets it in)
    "Latin": ("Bonjour, the printer still smokes and the paper tray jams again today. ",
              "HD-Sans"),
    "Arabic": ("مرحبا، الطابعة ما زالت تدخن والورق عالق مرة أخرى اليوم في الدرج. ",
               "HD-Arabic"),
    "Hebrew": ("שלום, המדפסת עדיין מעשנת והנייר נתקע שוב היום במגש. ", "HD-Hebrew"),
    "Devanagari": ("नमस्ते, प्रिंटर अभी भी धुआं दे रहा है और कागज़ फिर से फंस गया है। ",
                   "HD-Devanagari"),
    "CJK": ("您好，打印机仍在冒烟，纸盒今天又卡纸了。", "HD-CJK"),
    "Thai": ("สวัสดีครับ เครื่องพิมพ์ยังมีควันอยู่ และกระดาษติดอีกแล้ววันนี้ ", "HD-Thai"),
}


def median_of(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()  # no garbage of the step before (another script's) collected in this one
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _body(sentence: str, index: int) -> str:
    return (f"Message {index}: " + sentence * 6 + f"\n\nSecond paragraph {index}: "
            + sentence * 2)


def raw_reportlab(transcript: Any, font: str) -> bytes:
    """The same words as platypus Paragraphs in one TrueType font: what ReportLab does alone."""
    if font not in pdfmetrics.getRegisteredFontNames():
        path = next(f for f in FONTS if f.name == font).file
        from helpdesk_desktop.resources import FONTS as FONTS_DIR

        pdfmetrics.registerFont(TTFont(font, str(FONTS_DIR / path)))
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=14)
    meta = ParagraphStyle("m", fontName=font, fontSize=8.5, leading=12)
    story = [Paragraph(transcript.title, body)]
    for m in transcript.messages:
        story.append(Paragraph(m.kind_label, body))
        for line in (m.sender, m.to, m.date):
            story.append(Paragraph(line, meta))
        story.extend(Paragraph(block.replace("\n", "<br/>"), body)
                     for block in m.body.split("\n\n"))
    out = io.BytesIO()
    SimpleDocTemplate(out).build(story)
    return out.getvalue()


def scripts(count: int, repeat: int) -> None:
    """Each repeat times every script in turn (layout, writing, raw ReportLab), so that a change
    in the machine's load during the run weighs on all scripts alike rather than on the ones
    measured at that moment; the medians are then taken per script."""
    print(f"{count:,} messages per script (median of {repeat}, scripts interleaved)")
    print(f"  {'script':<11} {'layout':>8} {'write':>8} {'ours':>8} {'raw RL':>8} "
          f"{'ours/RL':>8} {'vs Latin':>8}")
    transcripts = {}
    for name, (sentence, _font) in SENTENCES.items():
        messages = [message(i + 1, MessageKind.EMAIL if i % 2 else MessageKind.REPLY,
                            _body(sentence, i)) for i in range(count)]
        transcripts[name] = build_transcript(ticket([conversation(1, messages)]),
                                             TranscriptOptions(), viewer=agent())
        typeset(transcripts[name], "A4")  # fonts loaded, caches warm: measure the steady state
    times: dict[str, dict[str, list[float]]] = {
        name: {"layout": [], "write": [], "raw": []} for name in SENTENCES}
    page_counts = {}
    for _ in range(repeat):
        for name, (_sentence, font) in SENTENCES.items():
            transcript = transcripts[name]
            layout, pages = median_of(1, lambda t=transcript: typeset(t, "A4"))
            write, _ = median_of(1, lambda p=pages: write_pages(p, io.BytesIO()))
            raw, _ = median_of(1, lambda t=transcript, f=font: raw_reportlab(t, f))
            times[name]["layout"].append(layout)
            times[name]["write"].append(write)
            times[name]["raw"].append(raw)
            page_counts[name] = len(pages.pages)
    latin = None
    for name in SENTENCES:
        layout = statistics.median(times[name]["layout"])
        write = statistics.median(times[name]["write"])
        raw = statistics.median(times[name]["raw"])
        ours = layout + write
        latin = latin or ours
        print(f"  {name:<11} {layout:7.2f}s {write:7.2f}s {ours:7.2f}s {raw:7.2f}s "
              f"{ours / raw:7.2f}× {ours / latin:7.2f}×   ({page_counts[name]} pages)")


def long_message(characters: int, repeat: int) -> None:
    rng = random.Random(13)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyzéè") for _ in range(rng.randint(2, 10)))
             for _ in range(20000)]
    text = " ".join(rng.choice(words) for _ in range(characters // 5))[:characters]
    seconds, lines = median_of(repeat, lambda: layout_paragraph(text, 481.9, 10))
    print(f"one message of {characters:,} characters: laid out in {seconds:.2f}s "
          f"({len(lines):,} lines)")


def preview_first_page(count: int) -> None:
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop.storage.database import open_database
    from helpdesk_desktop.ui.transcript_print import page_view, print_preview
    from tests.factories import FakeClock, make_ticket, seed_workspace

    app = QApplication.instance() or QApplication([])
    painted: list[float] = []
    paint_page = page_view.paint_page

    def timed_paint(*args: Any) -> None:
        paint_page(*args)
        painted.append(time.perf_counter())

    page_view.paint_page = timed_paint  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(str(Path(folder) / "bench.sqlite3"))
        ws = seed_workspace(database, FakeClock(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)))
        ticket_id = make_ticket(ws, "A very long thread", owner="agent", messages=tuple(
            (MessageKind.EMAIL if i % 2 else MessageKind.REPLY,
             _body(SENTENCES["Arabic"][0] if i % 3 else SENTENCES["Latin"][0], i))
            for i in range(count)))
        desk = ws.desk("agent")
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        clock, worst = QElapsedTimer(), [0]
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: worst.__setitem__(0, max(worst[0], clock.restart())))
        clock.start()
        timer.start()
        started = time.perf_counter()
        preview = print_preview(None, desk, ticket_id, settings=settings)
        while not painted and time.perf_counter() - started < 120:
            app.processEvents()
            time.sleep(0.001)
        shown = (painted[0] if painted else time.perf_counter()) - started
        while not preview.complete and time.perf_counter() - started < 300:
            app.processEvents()
            time.sleep(0.002)
        done = time.perf_counter() - started
        timer.stop()
        pages = preview.document.page_count if preview.document else 0
        print(f"print preview of {count:,} messages: first page painted after "
              f"{shown * 1000:.0f} ms, all {pages} pages laid out after {done * 1000:.0f} ms, "
              f"longest UI stall {worst[0]} ms")
        if preview.dialog is not None:
            preview.dialog.reject()
        database.dispose()
    page_view.paint_page = paint_page  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--long", type=int, default=1_000_000)
    parser.add_argument("--huge", type=int, default=10_000_000)
    parser.add_argument("--skip-preview", action="store_true")
    args = parser.parse_args()
    scripts(args.messages, args.repeat)
    long_message(args.long, args.repeat)
    if args.huge:
        long_message(args.huge, 1)
    if not args.skip_preview:
        preview_first_page(args.messages)


if __name__ == "__main__":
    main()
