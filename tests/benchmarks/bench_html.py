"""HTML work on hostile input: html_to_text and sanitize_html on 1 MB and 10 MB documents of
several shapes, and the whole e-mail intake of an HTML-only mail of each shape (parse, cut at
``intake.MAX_BODY_CHARS``, sanitize, text, store) into a fresh SQLite workspace.

    .venv/bin/python tests/benchmarks/bench_html.py [--runs N]

Medians of N runs (default 3). Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.application.startup import create_workspace, open_database
from helpdesk_desktop.services.html_sanitize import html_to_text, sanitize_html

SHAPES: dict[str, Callable[[int], str]] = {
    "one paragraph": lambda n: "<p>" + "word " * (n // 5) + "</p>",
    "many paragraphs": lambda n: "<p>hello world</p>" * (n // 18),
    "quoted paragraphs": lambda n: "<blockquote>" + "<p>x</p>" * (n // 8) + "</blockquote>",
    "nested divs": lambda n: "<div>" * (n // 5) + "x",
    "links on one line": lambda n: '<a href="http://x.y/">t</a> ' * (n // 28),
}


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _intake(folder: Path, html: str, number: int) -> float:
    """Seconds to import one HTML-only mail holding ``html`` (the workspace set up before)."""
    message = EmailMessage()
    message["From"] = "Customer <customer@example.org>"
    message["To"] = "support@example.com"
    message["Subject"] = f"Hostile {number}"
    message["Message-ID"] = f"<hostile{number}@example.org>"
    message.set_content(html, subtype="html", cte="8bit")
    path = folder / f"hostile{number}.eml"
    path.write_bytes(message.as_bytes())
    database = open_database(str(folder / f"bench{number}.sqlite3"))
    desk = Desk(database, create_workspace(database, "Bench Admin", "admin@example.com"))
    started = time.perf_counter()
    outcomes = desk.import_mail([path])
    elapsed = time.perf_counter() - started
    database.dispose()
    assert outcomes and outcomes[0].outcome.value == "created", outcomes
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    number = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for size in (1_000_000, 10_000_000):
            for shape, make in SHAPES.items():
                html = make(size)
                to_text = _median(args.runs, lambda html=html: html_to_text(html))
                sanitize = _median(args.runs, lambda html=html: sanitize_html(html))
                intakes = []
                for _ in range(args.runs):
                    number += 1
                    intakes.append(_intake(folder, html, number))
                print(f"{size / 1e6:>4.0f} MB {shape:<18} html_to_text {to_text:5.2f} s   "
                      f"sanitize_html {sanitize:5.2f} s   whole intake "
                      f"{statistics.median(intakes):5.2f} s", flush=True)


if __name__ == "__main__":
    main()
