"""The board card's short texts drawn from laid-out texts (``QStaticText``) give the pixels
``drawText`` gave, and the cache of laid-out texts stays bounded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication

from helpdesk_desktop.ui.layouts import board_card
from helpdesk_desktop.ui.layouts.board_card import CardDelegate

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


def _image(draw) -> QImage:  # type: ignore[no-untyped-def]
    image = QImage(320, 60, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#555555"))
    draw(painter)
    painter.end()
    return image


@pytest.mark.parametrize("text", ["Low", "Medium", "1w", "erased 23 02 2027", "Antoine Martin",
                                  "SM", "Ünïcödé · 東京", "سلام", "a name much too long to fit in the rectangle of a card line"])
@pytest.mark.parametrize("small", [False, True], ids=["font", "small"])
@pytest.mark.parametrize("centred", [False, True], ids=["left", "centred"])
def test_a_laid_out_text_draws_the_pixels_of_draw_text(qapp: QApplication, text: str,
                                                       small: bool, centred: bool) -> None:
    font = QFont(qapp.font())
    if small:
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        font.setBold(True)
    line = QFontMetrics(font).height()
    rect = QRect(13, 17, 181, line) if not small else QRect(201, 11, line + 4, line + 4)
    delegate = CardDelegate()

    def by_draw_text(painter: QPainter) -> None:
        painter.setFont(font)
        painter.drawText(rect, int(_CENTRE if centred else _LEFT), text)

    def by_static_text(painter: QPainter) -> None:
        painter.setFont(font)
        delegate._draw_line(painter, rect, delegate._static(text, font, font.key()), centred)

    assert _image(by_static_text) == _image(by_draw_text)


def test_the_laid_out_texts_are_kept_up_to_a_bound(qapp: QApplication,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_card, "STATIC_TEXTS", 3)
    delegate = CardDelegate()
    font = QFont(qapp.font())
    first = delegate._static("Low", font, font.key())
    assert delegate._static("Low", font, font.key()) is first  # laid out once
    for text in ("a", "b", "c"):
        delegate._static(text, font, font.key())
    assert len(delegate._texts) <= 3
    assert delegate._static("Low", font, font.key()).text() == "Low"
