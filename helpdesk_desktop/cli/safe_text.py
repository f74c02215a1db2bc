"""Terminal-safe text: what the database holds (a subject, a name) may carry control
characters — a newline that forges a row of ``tickets list``, an ESC sequence that drives the
terminal. The CLI shows them escaped (``\\n``, ``\\x1b``) instead."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

# C0 and C1 controls, DEL, and the Unicode bidirectional overrides that reorder a line.
_OTHER_CONTROLS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_ANY_CONTROL = re.compile(f"[\x00-\x1f{_OTHER_CONTROLS}]")
_CONTROL_BUT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER_CONTROLS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with every control character escaped, newlines and tabs included: a field
    of a one-line row."""
    return _ANY_CONTROL.sub(_escape, text)


def escape_controls(text: str) -> str:
    """``text`` with control characters escaped except newline and tab (the layout the
    program itself writes)."""
    return _CONTROL_BUT_LAYOUT.sub(_escape, text)


class EscapingWriter:
    """A text stream that escapes control characters (but newline and tab) on the way to
    ``stream``: the net under every line the CLI prints."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()
