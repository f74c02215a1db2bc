"""The UI thread's share of showing a ticket whose message carries a large HTML body.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_ticket_html.py [--mb 2] [--runs 3]

Opens a ticket in a ``TicketView`` on a fresh SQLite workspace, one message being an HTML
newsletter of about ``--mb`` MB, and prints medians of ``--runs`` opens: the time the UI thread
spends in ``sanitize_html``, in ``TicketView._show`` (sanitizing, building the HTML and
``QTextBrowser.setHtml``), in ``setHtml`` alone, and the longest stall of a 10 ms timer on the UI thread. Figures only;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

BLOCK = ('<table width="100%" style="border:1px solid #ddd"><tr><td style="color:#333">'
         '<h2>News {i}</h2><p style="font-family: Arial; font-size: 14px">Dear customer, '
         '<b>this</b> is paragraph {i} of our <i>newsletter</i>, with a '
         '<a href="https://example.com/article/{i}?utm_source=mail">link</a> and a tracking '
         '<img src="https://tracker.example/p/{i}.gif" width="1" height="1" alt="">.</p>'
         '<ul><li>first point</li><li>second point</li></ul></td></tr></table>\n')


def newsletter(size: int) -> str:
    parts: list[str] = ["<html><body>"]
    length, i = 0, 0
    while length < size:
        block = BLOCK.format(i=i)
        parts.append(block)
        length += len(block)
        i += 1
    parts.append("</body></html>")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from helpdesk_desktop.domain.enums import MessageKind
    from helpdesk_desktop.domain.models import Message
    from helpdesk_desktop.services import html_sanitize
    from helpdesk_desktop.storage.database import open_database
    from helpdesk_desktop.ui.bridge import DeskBridge
    from helpdesk_desktop.ui.ticket_view import conversation
    from helpdesk_desktop.ui.ticket_view.view import TicketView
    from tests.factories import FakeClock, make_ticket, seed_workspace

    app = QApplication.instance() or QApplication([])
    ui_thread = threading.current_thread()
    in_sanitize: list[float] = []
    in_show: list[float] = []
    in_set_html: list[float] = []
    original = html_sanitize.sanitize_html

    def timed_sanitize(html: str) -> str:
        started = time.perf_counter()
        try:
            return original(html)
        finally:
            if threading.current_thread() is ui_thread:
                in_sanitize.append(time.perf_counter() - started)

    # Every module of the ticket view that imported the sanitizer by name.
    import helpdesk_desktop.ui.ticket_view as package
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith(package.__name__) and getattr(module, "sanitize_html", None) is original:
            module.sanitize_html = timed_sanitize  # type: ignore[attr-defined]
    show = TicketView._show

    def timed_show(self: TicketView, detail: Any) -> None:
        started = time.perf_counter()
        show(self, detail)
        in_show.append(time.perf_counter() - started)

    TicketView._show = timed_show  # type: ignore[method-assign]
    del conversation  # imported so that its sanitize_html is patched above

    html = newsletter(int(args.mb * 1_000_000))
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(str(Path(folder) / "bench.sqlite3"))
        ws = seed_workspace(database, FakeClock(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)))
        ticket_id = make_ticket(ws, "Newsletter", owner="agent")
        with ws.db.session() as session:
            message = session.query(Message).filter(Message.kind == MessageKind.EMAIL).order_by(
                Message.id.desc()).first()
            assert message is not None
            message.body_html = html
            session.commit()
        bridge = DeskBridge(ws.desk("agent"))
        view = TicketView(bridge)
        browser = view.conversation.browser
        set_html = browser.setHtml

        def timed_set_html(text: str) -> None:
            started = time.perf_counter()
            set_html(text)
            in_set_html.append(time.perf_counter() - started)

        browser.setHtml = timed_set_html  # type: ignore[method-assign]
        view.resize(1280, 800)
        view.show()
        sanitize_ms: list[float] = []
        show_ms: list[float] = []
        stall_ms: list[float] = []
        set_html_ms: list[float] = []
        for _run in range(args.runs):
            view.clear()
            app.processEvents()
            in_sanitize.clear()
            in_show.clear()
            in_set_html.clear()
            stall_ms.append(longest_stall(app, lambda: view.open_ticket(ticket_id),
                                          lambda: bool(in_show)))
            sanitize_ms.append(sum(in_sanitize) * 1000)
            show_ms.append(sum(in_show) * 1000)
            set_html_ms.append(sum(in_set_html) * 1000)
        bridge.wait_for_idle()
        view.close()
        database.dispose()
    print(f"ticket with a {len(html) / 1e6:.1f} MB HTML message, median of {args.runs} opens: "
          f"sanitize_html on the UI thread {statistics.median(sanitize_ms):.0f} ms, "
          f"TicketView._show {statistics.median(show_ms):.0f} ms "
          f"(setHtml {statistics.median(set_html_ms):.0f} ms), "
          f"longest UI stall {statistics.median(stall_ms):.0f} ms")


def longest_stall(app: Any, start: Callable[[], None], done: Callable[[], bool]) -> float:
    """The longest gap (ms) between ticks of a 10 ms timer on the UI thread from ``start()``
    until a little after ``done()``."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    clock, worst = QElapsedTimer(), [0]
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: worst.__setitem__(0, max(worst[0], clock.restart())))
    clock.start()
    timer.start()
    start()
    wait_until(app, done)
    settled = time.perf_counter() + 0.1  # the timer notices the last stall
    wait_until(app, lambda: time.perf_counter() > settled)
    timer.stop()
    return worst[0]


def wait_until(app: Any, condition: Callable[[], bool], timeout: float = 120) -> None:
    started = time.perf_counter()
    while not condition() and time.perf_counter() - started < timeout:
        app.processEvents()
        time.sleep(0.001)


if __name__ == "__main__":
    main()
