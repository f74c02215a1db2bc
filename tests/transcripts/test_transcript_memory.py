"""The bundled fonts, once loaded, hold no Python copy of their files or coverage (issue 11, M3).

Loading all 25 faces used to keep ~11 MB of ``bytes`` (each file read whole) and ~6 MB of
Python ints (a ``frozenset`` of every code point each font covers) for the rest of the
session after the first transcript.
"""

from __future__ import annotations

import random
import string
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript, fonts, textlayout
from helpdesk_desktop.transcripts.pages import typeset
from tests.transcripts.builders import agent, conversation, long_conversation, message, ticket


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


def _wordy_ticket(seed: int, messages: int = 40):
    """A ticket whose messages use ~5,000 words never seen before (and a few in Greek, which
    take the general layout path)."""
    rnd = random.Random(seed)

    def word() -> str:
        return "".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(4, 9)))

    return ticket([conversation(1, [
        message(i, MessageKind.EMAIL, " ".join(word() for _ in range(120)) + " αβγ" + word())
        for i in range(1, messages + 1)])])


def test_the_layout_caches_stay_bounded_across_transcripts() -> None:
    """Each transcript's distinct words were kept shaped for the rest of the session (~1.7 KB a
    word): printing transcripts of different tickets grew the process without end."""
    textlayout.release_caches()
    for seed in range(4):
        pages = typeset(build_transcript(_wordy_ticket(seed), TranscriptOptions(),
                                         viewer=agent()))
        assert pages.pages
        assert textlayout.cached_words() <= textlayout.KEPT_BETWEEN_LAYOUTS


def test_the_caches_of_a_small_transcript_are_kept_for_the_next() -> None:
    textlayout.release_caches()
    detail = long_conversation(30)
    typeset(build_transcript(detail, TranscriptOptions(), viewer=agent()))
    kept = textlayout.cached_words()
    assert 0 < kept <= textlayout.KEPT_BETWEEN_LAYOUTS
    typeset(build_transcript(detail, TranscriptOptions(), viewer=agent()))
    assert textlayout.cached_words() == kept
