"""HTML work on hostile input: html_to_text and sanitize_html on 1 MB and 10 MB documents of
several shapes, and a whole e-mail intake (bodies are cut at intake.MAX_BODY_CHARS first).

    .venv/bin/python tests/benchmarks/bench_html.py
"""

from __future__ import annotations

import time

from helpdesk_desktop.services.html_sanitize import html_to_text, sanitize_html

SHAPES = {
    "one paragraph": lambda n: "<p>" + "word " * (n // 5) + "</p>",
    "many paragraphs": lambda n: "<p>hello world</p>" * (n // 18),
    "quoted paragraphs": lambda n: "<blockquote>" + "<p>x</p>" * (n // 8) + "</blockquote>",
    "nested divs": lambda n: "<div>" * (n // 5) + "x",
    "links on one line": lambda n: '<a href="http://x.y/">t</a> ' * (n // 28),
}


def main() -> None:
    for size in (1_000_000, 10_000_000):
        for name, make in SHAPES.items():
            html = make(size)
            started = time.perf_counter()
            html_to_text(html)
            to_text = time.perf_counter() - started
            started = time.perf_counter()
            sanitize_html(html)
            sanitize = time.perf_counter() - started
            print(f"{size / 1e6:>4.0f} MB {name:<20} html_to_text {to_text:6.2f} s   "
                  f"sanitize_html {sanitize:6.2f} s", flush=True)


if __name__ == "__main__":
    main()
