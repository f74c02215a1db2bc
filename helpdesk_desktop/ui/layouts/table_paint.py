"""The ticket table's rows painted in one pass, from the texts the model made once per row.

Qt's table paints cell by cell: for each cell the delegate asks the model for seven roles (a
call into Python) and the style lays the text out several times (its check, icon and text
rectangles are each measured from the text before it is drawn). A page down at 1280×800
paints ~240 cells and that was most of the UI thread's time for it (s25-scroll). Here one
Python call paints the rows shown: the alternate rows' background, the check boxes and each
cell's elided text in its font and colour, as Qt's delegate draws them.

Only the plain case is painted so: rows read (or not read yet by a positional list: their
placeholder, so that a page down ahead of its read is not painted cell by cell, then again),
none of them selected or current, no grid, no drag or edit under way, left-to-right, no hover
highlight under the mouse. Anything else is painted by Qt as before (:func:`paint_rows`
returns False), as are the rows when the model does not hold their texts.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QTableView

from helpdesk_desktop.ui.models.positional import PLACEHOLDER
from helpdesk_desktop.ui.models.row_cells import Cells
from helpdesk_desktop.ui.models.ticket_model import Column, TicketListModel

_CHECK = int(Column.CHECK)
_NAME = int(Column.NAME)
_PRIORITY = int(Column.PRIORITY)
_TEXT_FLAGS = (int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
               | int(Qt.TextFlag.TextSingleLine))
_ELIDE = Qt.TextElideMode.ElideRight
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_CHECKABLE = QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
_NO_STATE = QAbstractItemView.State.NoState
#: Texts as elided to fit a column: (font key and DPI, width, text) -> what is drawn.
_ELIDED: dict[tuple[str, int, str], str] = {}
_ELIDED_MOST = 20_000  # (then forgotten at once: a few hundred are painted at a time)


def paint_rows(view: QTableView, model: TicketListModel, event: QPaintEvent) -> bool:
    """Paint the rows of ``event``'s area of ``view``'s viewport in one pass; False (nothing
    painted) when Qt must paint them (see the module docstring)."""
    viewport = view.viewport()
    area = event.rect()
    first = view.rowAt(area.top())
    if first < 0:
        return False
    last = view.rowAt(area.bottom())
    if last < 0:
        last = model.rowCount() - 1
    if (view.showGrid() or view.state() != _NO_STATE or view.isRightToLeft()
            or view.wordWrap() or view.verticalHeader().sectionsMoved()
            # a style that highlights the row under the mouse (Qt paints it)
            or (viewport.testAttribute(Qt.WidgetAttribute.WA_Hover) and viewport.underMouse())):
        return False
    if first <= view.currentIndex().row() <= last:
        return False
    selection = view.selectionModel()
    if selection is not None and any(  # a range or two, however many rows they hold
            part.top() <= last and part.bottom() >= first for part in selection.selection()):
        return False
    rows: list[tuple[int, Cells | None]] = []
    for position in range(first, last + 1):
        cells = model.painted_cells(position)
        if cells is None and not model.hole_painted(position):
            return False  # (a row whose data was dropped: read again, Qt paints it)
        rows.append((position, cells))
    header = view.horizontalHeader()
    columns = []
    for visual in range(header.count()):
        column = header.logicalIndex(visual)
        if header.isSectionHidden(column):
            continue
        x, size = header.sectionViewportPosition(column), header.sectionSize(column)
        if x + size > area.left() and x <= area.right() and size > 0:
            columns.append((column, x, size))
    if not columns:
        return False
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    style = view.style()
    state = option.state  # type: ignore[attr-defined]
    group = (QPalette.ColorGroup.Disabled if not state & QStyle.StateFlag.State_Enabled
             else QPalette.ColorGroup.Active if state & QStyle.StateFlag.State_Active
             else QPalette.ColorGroup.Inactive)
    text_color = option.palette.color(group, QPalette.ColorRole.Text)  # type: ignore[attr-defined]
    font = option.font  # type: ignore[attr-defined]
    metrics = option.fontMetrics  # type: ignore[attr-defined]
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    left = columns[0][1]
    right = max(x + size for _column, x, size in columns)
    alternate = view.alternatingRowColors()
    check_at = next((x for column, x, _size in columns if column == _CHECK), None)
    if check_at is not None:  # the boxes, placed where Qt's delegate puts them
        boxes = _check_options(view, option, QRect(check_at, 0, header.sectionSize(_CHECK),
                                                   view.rowHeight(first)))
        box: QRect = boxes[0].rect  # type: ignore[attr-defined]
        box_x, box_y, box_w, box_h = box.x(), box.y(), box.width(), box.height()
    dpi = f"@{viewport.logicalDpiX()}"  # (the same font measures apart on another screen)
    plain_key = font.key() + dpi
    painter = QPainter(viewport)
    try:
        for position, cells in rows:
            top, height = view.rowViewportPosition(position), view.rowHeight(position)
            if alternate and position & 1:
                option.rect = QRect(left, top, right - left, height)  # type: ignore[attr-defined]
                option.features = _ALTERNATE  # type: ignore[attr-defined]
                style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option,
                                    painter, view)
            if cells is None:  # not read yet: its name's placeholder only, as Qt shows it
                name_at = next((c for c in columns if c[0] == _NAME), None)
                if name_at is not None:
                    painter.setFont(font)
                    painter.setPen(text_color)
                    _column, x, size = name_at
                    painter.drawText(QRect(x + margin, top, size - 2 * margin, height),
                                     _TEXT_FLAGS, metrics.elidedText(
                                         PLACEHOLDER, _ELIDE, size - 2 * margin))
                continue
            row, texts, bold, color = cells
            if check_at is not None:
                checkbox = boxes[model.is_checked(row.id)]
                checkbox.rect = QRect(box_x, top + box_y,  # type: ignore[attr-defined]
                                      box_w, box_h)
                style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
                                    checkbox, painter, view)
            if bold is not None:
                row_font = bold.resolve(font)
                painter.setFont(row_font)
                row_metrics = painter.fontMetrics()
                row_key = row_font.key() + dpi
            else:
                painter.setFont(font)
                row_metrics = metrics
                row_key = plain_key
            for column, x, size in columns:
                text = texts[column]
                if not text:
                    continue
                painter.setPen(color if column == _PRIORITY else text_color)
                room = size - 2 * margin
                # A page's statuses, labels, owners and days repeat: each elided once.
                key = (row_key, room, text)
                shown = _ELIDED.get(key)
                if shown is None:
                    if len(_ELIDED) >= _ELIDED_MOST:
                        _ELIDED.clear()
                    shown = _ELIDED[key] = row_metrics.elidedText(text, _ELIDE, room)
                painter.drawText(QRect(x + margin, top, room, height), _TEXT_FLAGS, shown)
    finally:
        painter.end()
    return True


def _check_options(view: QTableView, base: QStyleOptionViewItem,
                   cell: QRect) -> tuple[QStyleOptionViewItem, QStyleOptionViewItem]:
    """The options of an unchecked and a checked box in ``cell`` (a row at the top), placed
    where Qt's delegate puts them (its rectangle's top is then moved to each row's)."""
    style = view.style()
    option = QStyleOptionViewItem(base)
    option.rect = cell  # type: ignore[attr-defined]
    option.features = _CHECKABLE  # type: ignore[attr-defined]
    box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    boxes = []
    for state in (QStyle.StateFlag.State_Off, QStyle.StateFlag.State_On):
        made = QStyleOptionViewItem(option)
        made.rect = QRect(box)  # type: ignore[attr-defined]
        made.state = (option.state & ~(QStyle.StateFlag.State_On  # type: ignore[attr-defined]
                                       | QStyle.StateFlag.State_Off) | state)
        boxes.append(made)
    return boxes[0], boxes[1]

