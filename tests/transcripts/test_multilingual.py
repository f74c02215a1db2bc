"""One ticket in many scripts, printed: the PDF's text layer, the glyphs, the frame, the preview.

The fixture holds Arabic, Hebrew, mixed-direction lines with brackets and numbers, Devanagari,
CJK, Thai, emoji sequences, a third party's address and a French phone number, and an HTML mail
with a table and lists.
"""

from __future__ import annotations

import io
import random
import unicodedata
from collections import Counter

import pytest
from pypdf import PdfReader

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
from helpdesk_desktop.transcripts.fonts import face
from helpdesk_desktop.transcripts.model import Transcript
from helpdesk_desktop.transcripts.pages import MARGIN, Pages, typeset
from helpdesk_desktop.transcripts.pdf import pdf_bytes
from tests.transcripts.builders import agent, conversation, message, ticket
from tests.transcripts.pdftext import all_text

ARABIC = "مرحبا، لدي مشكلة في الطابعة [رقم 123] (عاجل) منذ يومين"
HEBREW = "שלום, קיבלנו את הפנייה (מספר 4521) ונחזור אליך מחר"
MIXED = "The code is (ABC-123) وهو [مهم جدا] for 42% of us"
HINDI = "नमस्ते, मेरा प्रिंटर काम नहीं कर रहा है। क्षमा करें।"
CJK = "您好，打印机坏了。お問い合わせありがとうございます。문의 감사합니다."
THAI = "สวัสดีครับ เครื่องพิมพ์เสีย"
EMOJI = "Thanks 👨‍👩‍👧 and 👍🏽 from 🇫🇷 ❤️"
THIRD_PARTY = "Call my colleague on 06.12.34.56.78 or write to paul@autre-societe.fr please."
HIEROGLYPH = "Old script: \U00013000 end"
TABLE_MAIL = ("<p>Order summary:</p><table><tr><td>Item</td><td>Quantity</td></tr>"
              "<tr><td>Toner cartridge</td><td>2</td></tr></table>"
              "<ul><li>First point</li><li>Second point</li></ul>"
              "<ol><li>Step one</li><li>Step two</li></ol>")
NOTE = "Secret internal note about the customer"
LONG = "Long line to wrap: " + "pneumonoultramicroscopic " * 12 + "end."
SENTENCES = (HINDI, CJK, THAI, EMOJI, LONG)
RTL_LINES = (ARABIC, HEBREW, MIXED)


def fixture_transcript(**options: bool) -> Transcript:
    bodies = [ARABIC, HEBREW, MIXED, HINDI, CJK, THAI, EMOJI, THIRD_PARTY, HIEROGLYPH, LONG]
    messages = [message(i, MessageKind.EMAIL if i % 2 else MessageKind.REPLY, text)
                for i, text in enumerate(bodies, start=1)]
    messages.append(message(20, MessageKind.EMAIL, "", html=TABLE_MAIL))
    messages.append(message(21, MessageKind.NOTE, NOTE))
    return build_transcript(ticket([conversation(1, messages)]),
                            TranscriptOptions(mask_contacts=True, **options), viewer=agent(),
                            agents=[agent()])


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return fixture_transcript()


@pytest.fixture(scope="module")
def pages(transcript: Transcript) -> Pages:
    return typeset(transcript, "A4")


@pytest.fixture(scope="module")
def pdf_text(transcript: Transcript) -> str:
    return all_text(pdf_bytes(transcript, paper="A4"))


def _words(text: str) -> list[str]:
    return [w.strip("[](),.،%") for w in text.split() if w.strip("[](),.،%")]


def test_text_comes_back_in_logical_order(pdf_text: str) -> None:
    for sentence in SENTENCES:
        assert " ".join(sentence.split()) in " ".join(pdf_text.split()), sentence
    # Right-to-left lines: every word comes back as typed (never reversed, never presentation
    # forms), and the words in reading order.
    for line in RTL_LINES:
        at = -1
        for word in _words(line):
            found = pdf_text.find(word)
            assert found >= 0, word
            if unicodedata.bidirectional(word[0]) in ("R", "AL"):
                assert found > at, (line, word)
                at = found
    # No Arabic presentation forms (FB50–FDFF, FE70–FEFF) in place of the typed letters.
    assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in pdf_text)


def test_no_character_is_lost(transcript: Transcript, pdf_text: str) -> None:
    have = Counter(c for c in pdf_text if not c.isspace())
    for m in transcript.messages:
        for c, count in Counter(c for c in m.body if not c.isspace()).items():
            assert have[c] >= count, (repr(c), m.body)


def test_a_character_no_font_has_is_a_box_counted_and_kept(pages: Pages, pdf_text: str) -> None:
    assert pages.missing == 1
    assert "\U00013000" in pdf_text  # the text layer keeps it
    boxes = [run for page in pages.pages for placed in page.lines for run in placed.line.runs
             if 0 in run.glyphs]
    assert len(boxes) == 1  # drawn as the missing-glyph box


def test_third_parties_are_masked_including_a_french_dotted_number(pdf_text: str) -> None:
    assert "06.12.34.56.78" not in pdf_text and "paul@autre-societe.fr" not in pdf_text
    assert "Call my colleague on [phone hidden] or write to [e-mail hidden] please." in pdf_text


def test_html_mail_with_a_table_and_lists(pdf_text: str) -> None:
    for words in ("Order summary:", "Item", "Quantity", "Toner cartridge", "First point",
                  "Second point", "Step one", "Step two"):
        assert words in pdf_text
    assert pdf_text.index("First point") < pdf_text.index("Second point") < \
        pdf_text.index("Step one")


def test_brackets_are_mirrored_and_enclose_their_text_in_right_to_left_lines(
        pages: Pages) -> None:
    lines = {p.line.text: p.line for page in pages.pages for p in page.lines}
    arabic = lines[ARABIC]
    assert arabic.rtl
    entries = {piece.text.strip(): (piece, left, rtl) for piece, left, rtl in arabic.entries()}
    opening, closing = entries["["], entries["]"]
    sans = face(opening[0].font)
    # Logical "[" opens a right-to-left group: drawn as "]" on its right, and the other way.
    assert opening[2] and opening[0].shaped.glyphs == (sans.hb_font.get_nominal_glyph(ord("]")),)
    assert closing[0].shaped.glyphs == (sans.hb_font.get_nominal_glyph(ord("[")),)
    inside = [left for piece, left, _ in arabic.entries() if piece.text in ("رقم", "123")]
    assert closing[1] < min(inside) and max(inside) < opening[1]
    # In a left-to-right line the brackets around Latin text are not mirrored.
    mixed = lines[MIXED]
    first = next(piece for piece, _, _ in mixed.entries() if piece.text.startswith("(ABC"))
    assert face(first.font).hb_font.get_nominal_glyph(ord("(")) == first.shaped.glyphs[0]


def test_every_line_stays_inside_the_frame(transcript: Transcript, pages: Pages) -> None:
    for page in pages.pages:
        for placed in page.lines:
            assert placed.x >= MARGIN - 0.01, placed.line.text
            assert placed.x + placed.line.width <= pages.width - MARGIN + 0.01, placed.line.text
    # And where the PDF really puts the text: no text operator starts outside the margins.
    starts: list[float] = []
    for page in PdfReader(io.BytesIO(pdf_bytes(transcript, paper="A4"))).pages:
        page.extract_text(visitor_text=lambda text, cm, tm, *_: starts.append(tm[4])
                          if text.strip() else None)
    assert starts and min(starts) >= MARGIN - 0.5 and max(starts) <= pages.width - MARGIN
    assert sum(1 for page in pages.pages for p in page.lines if "pneumono" in p.line.text) > 1


def test_the_preview_lays_out_the_same_pages(transcript: Transcript, pages: Pages) -> None:
    pytest.importorskip("PySide6")
    from helpdesk_desktop.ui.transcript_print.rendering import TranscriptDocument

    document = TranscriptDocument(transcript, "A4")
    assert document.page_count == len(pages.pages)
    assert [[p.line.text for p in page.lines] for page in document.pages.pages] == \
        [[p.line.text for p in page.lines] for page in pages.pages]


def test_notes_only_when_asked(pdf_text: str) -> None:
    assert NOTE not in pdf_text
    with_notes = all_text(pdf_bytes(fixture_transcript(include_notes=True), paper="A4"))
    assert NOTE in with_notes and "INTERNAL — not seen by the customer" in with_notes


def test_notes_never_print_by_default_in_a_thousand_random_tickets() -> None:
    rng = random.Random(13)
    kinds = list(MessageKind)
    for number in range(1000):
        messages = []
        for index in range(rng.randint(1, 5)):
            kind = rng.choice(kinds)
            secret = f"SECRET-{number}-{index}" if kind.is_internal else f"said-{number}-{index}"
            messages.append(message(index + 1, kind, f"{rng.choice(SENTENCES)} {secret}",
                                    minutes=rng.randint(0, 500)))
        laid_out = typeset(build_transcript(
            ticket([conversation(1, messages)], ticket_id=number + 1), TranscriptOptions(),
            viewer=agent()), "A4").text()
        assert "SECRET-" not in laid_out and "INTERNAL" not in laid_out
        for m in messages:
            if not m.kind.is_internal:
                assert m.text.split()[-1] in laid_out
