"""The PDF: what text it holds, its pages, its fonts, its metadata."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
from helpdesk_desktop.transcripts.pages import typeset
from helpdesk_desktop.transcripts.pdf import pdf_bytes, write_pdf
from tests.transcripts.builders import agent, conversation, long_conversation, message, ticket
from tests.transcripts.pdftext import all_text, pages_text


def _positions(text: str, needles: list[str]) -> list[int]:
    positions = [text.find(n) for n in needles]
    assert -1 not in positions, [n for n, p in zip(needles, positions, strict=True) if p == -1]
    return positions


def test_every_customer_and_agent_message_in_order_and_no_internal_ones() -> None:
    detail = long_conversation(60)
    text = all_text(pdf_bytes(build_transcript(detail, TranscriptOptions(), viewer=agent())))
    shown = [f"Message number {i}." for i in range(1, 61) if i % 10]
    positions = _positions(text, shown)
    assert positions == sorted(positions)
    for i in range(10, 61, 10):  # every tenth message is an internal note
        assert f"Message number {i}." not in text
    assert "Internal note" not in text and "INTERNAL" not in text


def test_internal_notes_print_marked_when_asked() -> None:
    detail = ticket([conversation(1, [
        message(1, MessageKind.EMAIL, "Customer question"),
        message(2, MessageKind.NOTE, "Note: customer is a VIP"),
        message(3, MessageKind.COMMENT, "Comment: moved from Sales"),
        message(4, MessageKind.REPLY, "Agent answer"),
    ])])
    without = all_text(pdf_bytes(build_transcript(detail, TranscriptOptions(), viewer=agent())))
    assert "VIP" not in without and "moved from Sales" not in without
    text = all_text(pdf_bytes(build_transcript(detail, TranscriptOptions(include_notes=True),
                                               viewer=agent())))
    positions = _positions(text, ["Customer question", "Note: customer is a VIP",
                                  "Comment: moved from Sales", "Agent answer"])
    assert positions == sorted(positions)
    assert text.count("INTERNAL — not seen by the customer") == 2
    assert "Internal note\n" in text and "Internal comment\n" in text


def test_pages_are_numbered_page_x_of_y() -> None:
    pdf = pdf_bytes(build_transcript(long_conversation(120), TranscriptOptions(),
                                     viewer=agent()))
    pages = pages_text(pdf)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert re.findall(r"page \d+ of \d+", page) == [f"page {number} of {len(pages)}"]


def test_write_pdf_reports_the_page_count_and_progress(tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    path = tmp_path / "out.pdf"
    pages = write_pdf(build_transcript(long_conversation(100), TranscriptOptions(),
                                       viewer=agent()), path,
                      progress=lambda done, total: seen.append((done, total)))
    assert pages == len(PdfReader(path).pages)
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert any(done > total // 2 for done, total in seen[:-1])  # page layout reports too


MULTILINGUAL = {
    "French": "Bonjour Élodie, la crème brûlée est prête à 15 h, ça coûte 12 €.",
    "Greek": "Καλημέρα, το πρόβλημα λύθηκε.",
    "Russian": "Здравствуйте, принтер снова работает.",
    "Japanese": "お問い合わせありがとうございます。日本語の文章です。",
    "Chinese": "谢谢您的耐心等待。",
    "Korean": "문의해 주셔서 감사합니다.",
    "Thai": "ขอบคุณครับ",
    "Armenian": "Շնորհակալություն",
    "Georgian": "გმადლობთ",
    "Arabic": "مرحبا، كيف يمكنني مساعدتك اليوم؟",
    "Hebrew": "שלום, הבעיה נפתרה.",
    "Emoji": "Thanks a lot 😀👍🎉",
}


def test_text_in_any_language_round_trips_through_extraction() -> None:
    messages = [message(i, MessageKind.EMAIL if i % 2 else MessageKind.REPLY, text)
                for i, text in enumerate(MULTILINGUAL.values(), start=1)]
    pdf = pdf_bytes(build_transcript(ticket([conversation(1, messages)]), TranscriptOptions(),
                                     viewer=agent()))
    text = all_text(pdf)
    for language, sentence in MULTILINGUAL.items():
        assert sentence in text, language


def test_every_character_is_in_a_font_that_has_it_and_fonts_are_embedded() -> None:
    pages = typeset(build_transcript(ticket([conversation(1, [
        message(i, MessageKind.EMAIL, sentence)
        for i, sentence in enumerate(MULTILINGUAL.values(), start=1)])]),
        TranscriptOptions(), viewer=agent()))
    assert pages.missing == 0
    for page in pages.pages:
        for placed in page.lines:
            for run in placed.line.runs:
                assert 0 not in run.glyphs, placed.line.text  # glyph 0 is the missing-glyph box
    reader = PdfReader(io.BytesIO(pdf_bytes(build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, " ".join(MULTILINGUAL.values()))])]),
        TranscriptOptions(), viewer=agent()))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) >= 5
    for ref in fonts.values():
        font = ref.get_object()
        assert "/FontFile2" in font["/FontDescriptor"]  # embedded TrueType, never a base-14 font


def test_metadata_names_the_ticket_and_the_agent() -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes(build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, "hi")])], ticket_id=9,
               name="Oven broken"), TranscriptOptions(), viewer=agent()))))
    assert reader.metadata.title == "Ticket #9: Oven broken"
    assert reader.metadata.author == "Arno Agent"
    assert reader.metadata.subject == "Conversation: Printer on fire"


def test_long_words_and_urls_wrap_inside_the_margins() -> None:
    url = "https://example.com/" + "a" * 300
    pdf = pdf_bytes(build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, f"See {url} now")])]),
        TranscriptOptions(), viewer=agent()))
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    width = float(page.mediabox.width)
    pieces: list[str] = []

    def visit(text: str, cm, tm, font_dict, font_size) -> None:
        if "aaaa" in text:
            pieces.append(text)
            # A Paragraph line starts at the left margin; none may start off the page.
            assert 0 < tm[4] + cm[4] < width

    page.extract_text(visitor_text=visit)
    assert len(pieces) >= 3  # the URL was cut over several lines
    assert "".join(p.strip() for p in pieces).count("a") >= 300
