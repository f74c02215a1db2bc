"""Thai, written without spaces between words, wraps between words of the dictionary."""

from __future__ import annotations

import pytest
from newmm_tokenizer.tokenizer import word_tokenize

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
from helpdesk_desktop.transcripts.pages import typeset
from helpdesk_desktop.transcripts.pdf import pdf_bytes
from helpdesk_desktop.transcripts.textlayout import layout_paragraph
from tests.transcripts.builders import agent, conversation, message, ticket
from tests.transcripts.pdftext import all_text

# "The printer still smokes and the paper jammed again today, please send a technician" with
# no spaces, as Thai is written.
THAI = "เครื่องพิมพ์ยังมีควันอยู่และกระดาษติดอีกแล้ววันนี้กรุณาส่งช่างมาตรวจสอบด้วยครับ"


def _boundaries(text: str) -> set[int]:
    ends, position = set(), 0
    for word in word_tokenize(text):
        position += len(word)
        ends.add(position)
    return ends


@pytest.mark.parametrize("width", [60.0, 90.0, 140.0, 481.2])
def test_a_thai_paragraph_wraps_between_words_never_inside_one(width: float) -> None:
    text = THAI * 3
    lines = layout_paragraph(text, width, 10.0)
    assert "".join(line.text for line in lines) == text
    assert all(line.width <= width for line in lines)
    if width < 481.2:
        assert len(lines) > 3
    words = _boundaries(text)
    position = 0
    for line in lines[:-1]:
        position += len(line.text)
        assert position in words, (line.text, text[position:position + 10])


def test_thai_with_spaces_and_latin_still_wraps_at_the_spaces_too() -> None:
    text = f"Ticket 42: {THAI} ok {THAI}"
    lines = layout_paragraph(text, 150.0, 10.0)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
    words = _boundaries(text)
    position = 0
    for line in lines[:-1]:
        position = text.index(line.text, position) + len(line.text)
        assert position in words or text[position] == " "


def test_the_pdf_and_the_preview_wrap_thai_alike() -> None:
    transcript = build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, (THAI + "\n") * 4 + THAI * 6)])]),
        TranscriptOptions(), viewer=agent())
    pages = typeset(transcript, "A4")
    thai_lines = [p.line.text for page in pages.pages for p in page.lines if "เครื่อง" in
                  p.line.text or "ครับ" in p.line.text]
    assert len(thai_lines) > 5
    assert THAI[:20] in all_text(pdf_bytes(transcript, paper="A4"))
    pytest.importorskip("PySide6")
    from helpdesk_desktop.ui.transcript_print import TranscriptDocument

    document = TranscriptDocument(transcript, "A4")
    assert [[p.line.text for p in page.lines] for page in document.pages.pages] == \
        [[p.line.text for p in page.lines] for page in pages.pages]
