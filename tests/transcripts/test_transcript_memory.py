"""The bundled fonts, once loaded, hold no Python copy of their files or coverage (issue 11, M3).

Loading all 25 faces used to keep ~11 MB of ``bytes`` (each file read whole) and ~6 MB of
Python ints (a ``frozenset`` of every code point each font covers) for the rest of the
session after the first transcript.
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from helpdesk_desktop.transcripts import fonts


@pytest.fixture
def fresh_fonts():
    kept = fonts._loaded
    fonts._loaded = None
    yield
    fonts._loaded = kept


def test_loading_every_face_keeps_little_python_memory(fresh_fonts) -> None:
    tracemalloc.start()
    try:
        loaded = fonts.faces()
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(face is not None for face in loaded) == len(fonts.FONTS)
    assert held < 1_000_000, f"{held / 2**20:.1f} MB held by the loaded fonts"


def test_coverage_and_file_bytes_still_answer(fresh_fonts) -> None:
    cjk = fonts.face(fonts.FONTS.index(next(f for f in fonts.FONTS if f.name == "HD-CJK")))
    assert 0x4E00 in cjk.coverage
    assert 0x0410 not in fonts.face(fonts.EMOJI).coverage
    regular = fonts.face(fonts.REGULAR)
    assert ord("a") in regular.coverage
    assert regular.data == (fonts.FONTS_DIR / regular.font.file).read_bytes()
    assert regular.data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


def test_a_transcript_without_masking_does_not_load_phonenumbers() -> None:
    """libphonenumber's metadata (~4 MB resident) is read only when numbers are masked."""
    code = ("import sys\n"
            "import helpdesk_desktop.transcripts.pdf\n"
            "from helpdesk_desktop.transcripts import masking\n"
            "print('phonenumbers' in sys.modules)\n"
            "masking.valid_somewhere('+33 1 23 45 67 89')\n"
            "print('phonenumbers' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == ["False", "True"]
