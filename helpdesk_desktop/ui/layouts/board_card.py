"""A board card: name (bold when unread), contact, priority, age (or the day it is erased),
owner initials, and ⋮."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from helpdesk_desktop.services.dto import TicketRow
from helpdesk_desktop.ui.layouts.font_set import FontSets
from helpdesk_desktop.ui.models import labels
from helpdesk_desktop.ui.models.ticket_model import Role

ModelIndex = QModelIndex | QPersistentModelIndex
MENU_BUTTON = 22  # the ⋮ hit area on a card, in pixels
CARD_MIN_WIDTH = 160


def menu_button_rect(card: QRect) -> QRect:
    """Where a card's ⋮ button is."""
    return QRect(card.right() - MENU_BUTTON - 4, card.top() + 6, MENU_BUTTON, MENU_BUTTON)


# Flags and colours every card uses, made once (making a Qt flag or colour per card cost more
# than drawing its text).
_WRAP_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                     | Qt.TextFlag.TextWordWrap)
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight
_OWNER_BLUE = QColor("#2f80ed")
_WHITE = QColor("#ffffff")
_SELECTED = QStyle.StateFlag.State_Selected
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTRE_LINE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
_PLAIN = Qt.TextFormat.PlainText
#: Laid-out texts kept at most (the short texts of cards repeat: priorities, ages, initials,
#: contacts); the cache starts again past it.
STATIC_TEXTS = 2000
#: Card frames (background, border, priority stripe, ⋮) kept at most: one per card size,
#: selection, priority and palette; the cache starts again past it.
FRAMES = 64


def initials(owner: str | None) -> str:
    """The owner's initials on a card: the first letters of the first two words."""
    return "".join(p[0] for p in (owner or "").split()[:2]).upper()


def draw_frame(painter: QPainter, rect: QRect, selected: bool, palette: QPalette,
               priority_color: QColor) -> None:
    """The parts of a card under its texts, in ``rect`` (the item's rectangle): the rounded
    background and border, and the priority stripe."""
    card = QRectF(rect.adjusted(4, 3, -4, -3))
    path = QPainterPath()
    path.addRoundedRect(card, 6, 6)
    painter.fillPath(path, palette.color(QPalette.ColorRole.Base))
    painter.setPen(palette.color(QPalette.ColorRole.Highlight) if selected else
                   palette.color(QPalette.ColorRole.Mid))
    painter.drawPath(path)
    painter.fillRect(QRectF(card.left() + 1, card.top() + 6, 3, card.height() - 12),
                     priority_color)


def draw_menu_button(painter: QPainter, button: QRect, color: QColor) -> None:
    """The ⋮ of a card's menu button (``button``: :func:`menu_button_rect`)."""
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    centre = button.center()
    for dy in (-5, 0, 5):
        painter.drawEllipse(QRectF(centre.x() - 1.5, centre.y() + dy - 1.5, 3, 3))


class CardDelegate(QStyledItemDelegate):
    """A card: name (bold when unread), contact, and a footer with priority, age and the
    owner's initials; a ⋮ button at the top right."""

    menuClicked = Signal(QModelIndex, QPoint)  # index, global position

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts_for = FontSets(small_scale=0.75, small_bold=True)
        self._colors: dict[object, QColor] = {}
        self._texts: dict[tuple[str, str], QStaticText] = {}
        self._frames: dict[tuple[object, ...], QPixmap] = {}
        self._initials: dict[str | None, str] = {}
        self._elided: dict[tuple[str, int, str], str] = {}
        self._buttons: dict[tuple[int, float], QPixmap] = {}

    def _menu_button(self, painter: QPainter, color: QColor) -> QPixmap:
        """The ⋮ (:func:`draw_menu_button`) drawn once in a pixmap of its button."""
        ratio = painter.device().devicePixelRatioF()
        key = (color.rgba(), ratio)
        found = self._buttons.get(key)
        if found is None:
            if len(self._buttons) >= FRAMES:
                self._buttons.clear()
            found = QPixmap(QSize(MENU_BUTTON, MENU_BUTTON) * ratio)
            found.setDevicePixelRatio(ratio)
            found.fill(Qt.GlobalColor.transparent)
            button_painter = QPainter(found)
            button_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw_menu_button(button_painter, QRect(0, 0, MENU_BUTTON, MENU_BUTTON), color)
            button_painter.end()
            self._buttons[key] = found
        return found

    def _frame(self, painter: QPainter, size: QSize, selected: bool, palette: QPalette,
               priority_color: QColor) -> QPixmap:
        """A card's frame (:func:`draw_frame`) drawn once in a pixmap for its size, state,
        priority and palette: one ``drawPixmap`` per card instead of a dozen calls."""
        ratio = painter.device().devicePixelRatioF()
        # The colours themselves: the palette's current group (active or inactive window)
        # is not part of its cache key.
        border = palette.color(QPalette.ColorRole.Highlight if selected
                               else QPalette.ColorRole.Mid)
        key = (size.width(), size.height(), selected, priority_color.rgba(), ratio,
               palette.color(QPalette.ColorRole.Base).rgba(), border.rgba())
        found = self._frames.get(key)
        if found is None:
            if len(self._frames) >= FRAMES:
                self._frames.clear()
            found = QPixmap(size * ratio)
            found.setDevicePixelRatio(ratio)
            found.fill(Qt.GlobalColor.transparent)
            frame_painter = QPainter(found)
            frame_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw_frame(frame_painter, QRect(QPoint(0, 0), size), selected, palette,
                       priority_color)
            frame_painter.end()
            self._frames[key] = found
        return found

    def _elide(self, metrics: QFontMetrics, font_key: str, text: str, width: int) -> str:
        """``text`` elided to ``width`` (kept: contacts repeat from card to card)."""
        key = (font_key, width, text)
        found = self._elided.get(key)
        if found is None:
            if len(self._elided) >= STATIC_TEXTS:
                self._elided.clear()
            found = self._elided[key] = metrics.elidedText(text, _ELIDE_RIGHT, width)
        return found

    def _static(self, text: str, font: QFont, font_key: str) -> QStaticText:
        """``text`` laid out once in ``font`` (``QStaticText``): drawn again, it costs about
        half of ``drawText``, which lays the text out at every call."""
        key = (font_key, text)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) >= STATIC_TEXTS:
                self._texts.clear()
            found = QStaticText(text)
            found.setTextFormat(_PLAIN)
            found.prepare(QTransform(), font)
            self._texts[key] = found
        return found

    @staticmethod
    def _draw_line(painter: QPainter, rect: QRect, text: QStaticText, centred: bool) -> None:
        """``text`` (one line) where ``drawText(rect, AlignLeft or AlignHCenter |
        AlignVCenter, …)`` puts it: the same pixels (checked by the GUI tests)."""
        size = text.size()
        if size.height() > rect.height() or size.width() > rect.width():
            # Taller (a fallback font's line: another script) or wider than the rectangle:
            # drawText clips it there, which a laid-out text would not.
            painter.drawText(rect, _CENTRE_LINE if centred else _LEFT, text.text())
            return
        x = rect.left() + (rect.width() - size.width()) / 2 if centred else rect.left()
        painter.drawStaticText(QPointF(x, rect.top() + (rect.height() - size.height()) / 2),
                               text)

    def _priority_color(self, priority: object) -> QColor:
        color = self._colors.get(priority)
        if color is None:
            color = self._colors[priority] = labels.priority_color(
                priority)  # type: ignore[arg-type]
        return color

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        line = self._fonts_for(option.font).line
        # The width is a minimum: the list gives each card its viewport's whole width, so a
        # card never reaches under the scroll bar (its owner circle cut at the right edge).
        return QSize(CARD_MIN_WIDTH, line * 4 + 22)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row: TicketRow | None = index.data(Role.ROW)
        if row is None:
            return
        fonts = self._fonts_for(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        selected = bool(option.state & _SELECTED)
        priority_color = self._priority_color(row.priority)
        painter.drawPixmap(option.rect.topLeft(),
                           self._frame(painter, option.rect.size(), selected, palette,
                                       priority_color))
        card = QRectF(option.rect.adjusted(4, 3, -4, -3))
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        font, line = fonts.base, fonts.line
        inner = card.toRect().adjusted(12, 6, -8, -6)
        name_width = inner.width() - MENU_BUTTON - 2
        name_font, metrics = ((fonts.bold, fonts.bold_metrics) if row.unread
                              else (font, fonts.base_metrics))
        painter.setFont(name_font)
        painter.setPen(text)
        name_rect = QRect(inner.left(), inner.top(), name_width, line * 2)
        elided = metrics.elidedText(row.name, _ELIDE_RIGHT, name_width * 2 - 20)
        # drawText gives the rectangle it filled: the name is laid out once, not measured again.
        drawn = painter.drawText(name_rect, _WRAP_TOP_LEFT, elided)
        name_height = min(drawn.height(), line * 2)
        painter.setFont(font)
        painter.setPen(muted)
        # The short texts repeat from card to card: each is laid out once (``_static``).
        key = fonts.key
        if row.contact:
            self._draw_line(painter, QRect(inner.left(), inner.top() + max(name_height, line),
                                           inner.width(), line),
                            self._static(self._elide(fonts.base_metrics, key, row.contact,
                                                     inner.width()), font, key),
                            False)
        footer = QRect(inner.left(), inner.bottom() - line, inner.width(), line)
        priority = labels.priority_label(row.priority)
        if priority:
            painter.setPen(priority_color)
            self._draw_line(painter, footer, self._static(priority, font, key), False)
        # In Spam and the trash the card says when the ticket is erased, not its age.
        purge_note: str | None = index.data(Role.PURGE_NOTE) if row.purge_at else None
        painter.setPen(muted)
        self._draw_line(painter, footer, self._static(purge_note or labels.age(row.created_at),
                                                      font, key), True)
        # Owner initials in a small circle (empty circle: unassigned).
        diameter = line + 4
        circle = QRect(footer.right() - diameter, footer.center().y() - diameter // 2,
                       diameter, diameter)
        owner_initials = self._initials.get(row.owner)
        if owner_initials is None:
            if len(self._initials) >= STATIC_TEXTS:
                self._initials.clear()
            owner_initials = self._initials[row.owner] = initials(row.owner)
        if owner_initials:
            painter.setBrush(_OWNER_BLUE)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(circle)
            painter.setFont(fonts.small)
            painter.setPen(_WHITE)
            self._draw_line(painter, circle,
                            self._static(owner_initials, fonts.small, fonts.small_key), True)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(muted)
            painter.drawEllipse(circle)
        # Over the texts, as its pixels were before it was kept in a pixmap.
        painter.drawPixmap(menu_button_rect(option.rect.adjusted(4, 3, -4, -3)).topLeft(),
                           self._menu_button(painter, muted))
        painter.restore()

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem,
                    index: ModelIndex) -> bool:
        if (event.type() == QEvent.Type.MouseButtonRelease
                and isinstance(event, QMouseEvent)
                and event.button() == Qt.MouseButton.LeftButton
                and menu_button_rect(option.rect.adjusted(4, 3, -4, -3)).contains(
                    event.position().toPoint())):
            view = option.widget
            global_pos = view.mapToGlobal(event.position().toPoint()) if view else QPoint()
            self.menuClicked.emit(QModelIndex(index), global_pos)
            return True
        return False
