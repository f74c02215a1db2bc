"""The board card's short texts drawn from laid-out texts (``QStaticText``) give the pixels
``drawText`` gave, and the cache of laid-out texts stays bounded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette
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


def _largest_difference(first: QImage, second: QImage) -> int:
    assert first.size() == second.size()
    largest = 0
    for y in range(first.height()):
        for x in range(first.width()):
            a, b = first.pixel(x, y), second.pixel(x, y)
            if a != b:
                largest = max(largest, *(abs(((a >> s) & 255) - ((b >> s) & 255))
                                         for s in (0, 8, 16, 24)))
    return largest


@pytest.mark.parametrize("selected", [False, True], ids=["plain", "selected"])
def test_a_card_frame_from_its_pixmap_draws_the_frame(qapp: QApplication, selected: bool) -> None:
    """The frame kept in a pixmap gives the pixels of the frame drawn on the card (up to one
    level of a channel in the anti-aliased corners: drawn on transparent, then composed)."""
    delegate = CardDelegate()
    palette = qapp.palette()
    color = QColor("#e02424")
    item = QRect(7, 5, 230, 86)

    def direct(painter: QPainter) -> None:
        board_card.draw_frame(painter, item, selected, palette, color)

    def from_pixmap(painter: QPainter) -> None:
        painter.drawPixmap(item.topLeft(),
                           delegate._frame(painter, item.size(), selected, palette, color))

    first, second = _image(direct), _image(from_pixmap)
    assert _largest_difference(first, second) <= 1
    assert first != _image(lambda painter: None)  # a frame was drawn at all


def test_card_frames_are_drawn_once_and_kept_up_to_a_bound(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_card, "FRAMES", 2)
    drawn: list[QRect] = []
    original = board_card.draw_frame

    def counted(painter: QPainter, rect: QRect, *args: object) -> None:
        drawn.append(rect)
        original(painter, rect, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(board_card, "draw_frame", counted)
    delegate = CardDelegate()
    palette = qapp.palette()
    image = QImage(10, 10, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        size = QRect(0, 0, 230, 86).size()
        red, blue = QColor("#e02424"), QColor("#2f80ed")
        first = delegate._frame(painter, size, False, palette, red)
        assert delegate._frame(painter, size, False, palette, red) is first
        assert len(drawn) == 1
        delegate._frame(painter, size, True, palette, red)  # selected: another frame
        delegate._frame(painter, size, False, palette, blue)  # another priority
        assert len(drawn) == 3
        assert len(delegate._frames) <= 2
    finally:
        painter.end()


@pytest.mark.parametrize(("owner", "expected"), [("Sophie Martin", "SM"), ("eve", "E"),
                                                 ("Jean Paul Sartre", "JP"), (None, ""),
                                                 ("", "")])
def test_a_cards_initials(owner: str | None, expected: str) -> None:
    assert board_card.initials(owner) == expected


def test_the_menu_button_from_its_pixmap_draws_the_button(qapp: QApplication) -> None:
    delegate = CardDelegate()
    color = QColor("#9ca3af")
    button = board_card.menu_button_rect(QRect(7, 5, 230, 86).adjusted(4, 3, -4, -3))

    def from_pixmap(painter: QPainter) -> None:
        pixmap = delegate._menu_button(painter, color)
        assert delegate._menu_button(painter, color) is pixmap  # drawn once
        painter.drawPixmap(button.topLeft(), pixmap)

    direct = _image(lambda painter: board_card.draw_menu_button(painter, button, color))
    assert _largest_difference(direct, _image(from_pixmap)) <= 1
    assert direct != _image(lambda painter: None)


def test_a_frame_follows_the_palettes_colours(qapp: QApplication) -> None:
    """An inactive window's palette (or another theme) draws its own frame."""
    delegate = CardDelegate()
    active = QPalette(qapp.palette())
    other = QPalette(active)
    other.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    image = QImage(10, 10, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        size = QRect(0, 0, 230, 86).size()
        red = QColor("#e02424")
        first = delegate._frame(painter, size, False, active, red)
        dark = delegate._frame(painter, size, False, other, red)
        assert dark is not first
        assert dark.toImage().pixelColor(100, 40) == QColor("#202020")
    finally:
        painter.end()
