"""Reading a transcript PDF back for tests."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader


def pages_text(pdf: bytes) -> list[str]:
    """Each page's extracted text as pypdf reads it (NFC): the text layer holds what was typed,
    so nothing is normalized away (no presentation forms to undo)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))
