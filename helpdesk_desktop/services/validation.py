"""Checking user input before it reaches the database."""

from __future__ import annotations

import re

from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _

# Deliberately simple: one @, a dot in the domain, no spaces. Full RFC 5322 is not the goal;
# catching typos is.
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$")


def clean_email(value: str) -> str:
    """A trimmed, lower-cased e-mail address, or :class:`InvalidInput`."""
    email = (value or "").strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(_("'{value}' is not a valid e-mail address.").format(value=value))
    return email


def without_nul(value: str | None) -> str:
    """``value`` without NUL characters: PostgreSQL cannot store them (SQLite can), so the same
    text is accepted alike on both back-ends."""
    return (value or "").replace("\x00", "")


def clean_text(value: str, label: str, *, max_length: int, allow_empty: bool = False) -> str:
    """Trimmed text without NUL characters, refused when empty (unless allowed) or longer than
    ``max_length``. ``label`` names the field in the refusal, already translated
    (``_("Name")``)."""
    text = without_nul(value).strip()
    if not text and not allow_empty:
        raise InvalidInput(_("{label} cannot be empty.").format(label=label))
    if len(text) > max_length:
        raise InvalidInput(_("{label} is too long ({length} characters; at most "
                             "{maximum}).").format(label=label, length=len(text),
                                                   maximum=max_length))
    return text
