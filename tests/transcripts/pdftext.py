"""Reading a transcript PDF back for tests."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader


def pages_text(pdf: bytes) -> list[str]:
    """Each page's extracted text, NFKC-normalized (Arabic is drawn with presentation forms,
    which normalize back to the letters that were written)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))
