"""The subject-prefix rule: "Re:", "Fwd:", "AW:", "TR:", "RV:", "SV:"… in front of a subject
(one or several, with an optional counter such as "Re[2]:") are not part of it."""

from __future__ import annotations

import re

# English (re, fw, fwd), German (aw, wg), French (tr), Spanish/Portuguese (rv), Scandinavian (sv),
# Dutch (antw, doorst), Italian (r, i), Finnish (vs), Polish (odp, pd).
PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|tr|rv|sv|antw|doorst|vs|odp|pd|r|i)\s*(?:\[\d+\])?\s*:\s*)+",
    re.IGNORECASE)


def bare_subject(subject: str | None) -> str:
    """``subject`` without its reply and forward prefixes."""
    return PREFIX.sub("", subject or "").strip()


def subject_key(subject: str | None) -> str:
    """The form two subjects are compared in: bare, whitespace collapsed, case folded."""
    return " ".join(bare_subject(subject).split()).casefold()
