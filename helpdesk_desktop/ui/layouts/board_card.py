"""A board card: name (bold when unread), contact, priority, age (or the day it is erased),
owner initials, and ⋮."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
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
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from helpdesk_desktop.services.dto import TicketRow
from helpdesk_desktop.ui.models import labels
from helpdesk_desktop.ui.models.ticket_model import Role

ModelIndex = QModelIndex | QPersistentModelIndex
MENU_BUTTON = 22  # the ⋮ hit area on a card, in pixels
CARD_MIN_WIDTH = 160


def menu_button_rect(card: QRect) -> QRect:
    """Where a card's ⋮ button is."""
    return QRect(card.right() - MENU_BUTTON - 4, card.top() + 6, MENU_BUTTON, MENU_BUTTON)


class CardDelegate(QStyledItemDelegate):
    """A card: name (bold when unread), contact, and a footer with priority, age and the
    owner's initials; a ⋮ button at the top right."""

    menuClicked = Signal(QModelIndex, QPoint)  # index, global position

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        line = QFontMetrics(option.font).height()
        # The width is a minimum: the list gives each card its viewport's whole width, so a
        # card never reaches under the scroll bar (its owner circle cut at the right edge).
        return QSize(CARD_MIN_WIDTH, line * 4 + 22)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row: TicketRow | None = index.data(Role.ROW)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        card = QRectF(option.rect.adjusted(4, 3, -4, -3))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        path = QPainterPath()
        path.addRoundedRect(card, 6, 6)
        painter.fillPath(path, palette.color(QPalette.ColorRole.Base))
        border = palette.color(QPalette.ColorRole.Highlight) if selected else \
            palette.color(QPalette.ColorRole.Mid)
        painter.setPen(border)
        painter.drawPath(path)
        # Priority as a coloured stripe on the left edge.
        painter.fillRect(QRectF(card.left() + 1, card.top() + 6, 3, card.height() - 12),
                         labels.priority_color(row.priority))
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        font = QFont(option.font)
        bold = QFont(font)
        bold.setBold(True)
        line = QFontMetrics(font).height()
        inner = card.toRect().adjusted(12, 6, -8, -6)
        name_width = inner.width() - MENU_BUTTON - 2
        name_font = bold if row.unread else font
        painter.setFont(name_font)
        painter.setPen(text)
        metrics = QFontMetrics(name_font)
        name_rect = QRect(inner.left(), inner.top(), name_width, line * 2)
        elided = metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, name_width * 2 - 20)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                    | Qt.TextFlag.TextWordWrap)
        painter.drawText(name_rect, flags, elided)
        name_height = min(metrics.boundingRect(name_rect, flags, elided).height(), line * 2)
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(inner.left(), inner.top() + max(name_height, line), inner.width(),
                               line),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         QFontMetrics(font).elidedText(row.contact or "",
                                                       Qt.TextElideMode.ElideRight,
                                                       inner.width()))
        footer = QRect(inner.left(), inner.bottom() - line, inner.width(), line)
        priority = labels.priority_label(row.priority)
        if priority:
            painter.setPen(labels.priority_color(row.priority))
            painter.drawText(footer, int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter), priority)
        # In Spam and the trash the card says when the ticket is erased, not its age.
        purge_note: str | None = index.data(Role.PURGE_NOTE)
        painter.setPen(muted)
        painter.drawText(footer, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                         purge_note or labels.age(row.created_at))
        # Owner initials in a small circle (empty circle: unassigned).
        diameter = line + 4
        circle = QRect(footer.right() - diameter, footer.center().y() - diameter // 2,
                       diameter, diameter)
        initials = "".join(p[0] for p in (row.owner or "").split()[:2]).upper()
        if initials:
            painter.setBrush(QColor("#2f80ed"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(circle)
            small = QFont(font)
            small.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
            small.setBold(True)
            painter.setFont(small)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(circle, int(Qt.AlignmentFlag.AlignCenter), initials)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(muted)
            painter.drawEllipse(circle)
        # The ⋮ button.
        button = menu_button_rect(option.rect.adjusted(4, 3, -4, -3))
        painter.setBrush(muted)
        painter.setPen(Qt.PenStyle.NoPen)
        for dy in (-5, 0, 5):
            painter.drawEllipse(QRectF(button.center().x() - 1.5, button.center().y() + dy - 1.5,
                                       3, 3))
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
