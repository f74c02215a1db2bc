"""The bell in the tool bar (with the unread count) and the list that drops down from it."""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.services.dto import NotificationInfo
from helpdesk_desktop.ui.actions.registry import icon
from helpdesk_desktop.ui.dialogs.common import local_time
from helpdesk_desktop.ui.guard import alive
from helpdesk_desktop.ui.notifications.center import NotificationCenter
from helpdesk_desktop.ui.theme import make_muted

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

NOTIFICATION_ROLE = Qt.ItemDataRole.UserRole + 1


class NotificationDelegate(QStyledItemDelegate):
    """Paints one notification in three lines: what happened (bold while unread), who and
    when, and which ticket; a blue dot marks the unread ones."""

    PAD = 8
    DOT = 8

    def _lines(self, notification: NotificationInfo, user: object) -> tuple[str, str, str]:
        who = notification.actor or translate("Notifications", "A customer")
        return (notification.summary,
                f"{who} · {local_time(notification.created_at, user)}",  # type: ignore[arg-type]
                f"#{notification.ticket_id} {notification.ticket_name}")

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:
        metrics = option.fontMetrics
        # The width follows the list (no horizontal scrolling); texts are elided.
        return QSize(1, 3 * metrics.height() + 2 * self.PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        notification: NotificationInfo | None = index.data(NOTIFICATION_ROLE)
        if notification is None:
            super().paint(painter, option, index)
            return
        popup = self.parent()
        user = popup.center.bridge.user if isinstance(popup, NotificationPopup) else None
        summary, who_when, ticket = self._lines(notification, user)
        painter.save()
        rect = option.rect
        palette = option.palette
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, palette.highlight())
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.alternateBase())
        painter.setPen(palette.mid().color())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        left = rect.left() + self.PAD + self.DOT + 6
        width = rect.width() - (left - rect.left()) - self.PAD
        line = option.fontMetrics.height()
        if not notification.read:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#2563eb"))
            painter.drawEllipse(rect.left() + self.PAD, rect.top() + self.PAD + line // 2 - 3,
                                self.DOT, self.DOT)
        bold = QFont(option.font)
        bold.setBold(not notification.read)
        if option.state & QStyle.StateFlag.State_Selected:
            text_color = muted = link = palette.highlightedText().color()
        else:  # the palette's colours: readable in light and dark themes
            text_color = palette.text().color()
            muted = palette.placeholderText().color()
            link = palette.link().color()
        texts = ((summary, bold, text_color), (who_when, option.font, muted),
                 (ticket, option.font, link))
        top = rect.top() + self.PAD
        for text, font, color in texts:
            painter.setFont(font)
            painter.setPen(color)
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, top, width, line),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             elided)
            top += line + 2
        painter.restore()


class NotificationPopup(QFrame):
    """The list of notifications: what happened, who, when, which ticket. Clicking one opens
    its ticket; "Mark all read" clears the badge."""

    def __init__(self, center: NotificationCenter, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("NotificationPopup")
        self.center = center
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(translate("Notifications", "Notifications"), self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.mark_all_button = QPushButton(icon("mark_all_read"), translate(
            "Notifications", "Mark all read"), self)
        self.mark_all_button.setObjectName("markAllReadButton")
        self.mark_all_button.setFlat(True)
        self.mark_all_button.clicked.connect(self.mark_all_read)
        self.preferences_button = QToolButton(self)
        self.preferences_button.setObjectName("notificationPreferencesButton")
        self.preferences_button.setIcon(icon("preferences"))
        self.preferences_button.setToolTip(translate("Notifications", "Notification preferences…"))
        self.preferences_button.setAutoRaise(True)
        self.preferences_button.clicked.connect(self.open_preferences)
        self.list = QListWidget(self)
        self.list.setObjectName("notificationList")
        self.list.setMouseTracking(True)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setItemDelegate(NotificationDelegate(self))
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemActivated.connect(self._open_item)
        self.list.itemClicked.connect(self._open_item)
        self.empty_label = QLabel(translate(
            "Notifications", "No notifications yet. Follow a ticket to hear about its "
                             "changes."), self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(24)
        make_muted(self.empty_label)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.mark_all_button)
        header.addWidget(self.preferences_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        self.resize(420, 480)

    def reload(self) -> None:
        """Fill the list from the database, newest first; unread ones in bold."""
        self.list.clear()
        notifications = self.center.notifications()
        user = self.center.bridge.user
        for notification in notifications:
            who = notification.actor or translate("Notifications", "A customer")
            # The delegate paints it; the text is what accessibility tools and tests read.
            text = (f"{notification.summary}\n"
                    f"{who} · {local_time(notification.created_at, user)} · "
                    f"#{notification.ticket_id} {notification.ticket_name}")
            item = QListWidgetItem(text)
            item.setData(NOTIFICATION_ROLE, notification)
            item.setToolTip(translate(
                "Notifications", "Open ticket #{0}").replace("{0}", str(notification.ticket_id)))
            if not notification.read:
                font = QFont(self.list.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        self.list.setVisible(bool(notifications))
        self.empty_label.setVisible(not notifications)
        self.mark_all_button.setEnabled(any(not n.read for n in notifications))

    def _open_item(self, item: QListWidgetItem) -> None:
        notification: NotificationInfo = item.data(NOTIFICATION_ROLE)
        self.hide()
        self.center.open_notification(notification)

    def mark_all_read(self) -> None:
        self.mark_all_button.setEnabled(False)
        self.center.mark_read(None, then=self._marked)

    def _marked(self) -> None:
        if alive(self) and self.isVisible():
            self.reload()

    def open_preferences(self) -> None:
        # Imported here: a session that never opens it does not hold its module.
        from helpdesk_desktop.ui.dialogs.preferences_dialog import PreferencesDialog

        self.hide()
        dialog = PreferencesDialog(self.center.bridge, self.parentWidget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_below(self, anchor: QWidget) -> None:
        self.reload()
        below = anchor.mapToGlobal(QPoint(anchor.width() - self.width(), anchor.height()))
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        if screen is not None:
            below.setX(max(screen.left(), min(below.x(), screen.right() - self.width())))
        self.move(below)
        self.show()


class NotificationBell(QToolButton):
    """A bell with a red badge counting unread notifications; a click shows the list."""

    def __init__(self, center: NotificationCenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NotificationBell")
        self.center = center
        self.setIcon(icon("bell"))
        self.setIconSize(QSize(22, 22))
        self.setAutoRaise(True)
        self.popup = NotificationPopup(center, self)
        self.clicked.connect(self.show_popup)
        center.countChanged.connect(self._count_changed)
        self._count_changed(center.count)

    @property
    def count(self) -> int:
        return self.center.count

    def badge_text(self) -> str:
        count = self.center.count
        return "" if count <= 0 else ("99+" if count > 99 else str(count))

    def _count_changed(self, count: int) -> None:
        tip = (translate(
            "Notifications", "Notifications — {0} unread").replace("{0}", str(count)) if count
               else translate("Notifications", "Notifications — none unread"))
        self.setToolTip(tip)
        self.setAccessibleName(tip)
        self.update()

    def show_popup(self) -> None:
        self.popup.show_below(self)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), 40), max(hint.height(), 32))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        text = self.badge_text()
        if not text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        width = max(16, painter.fontMetrics().horizontalAdvance(text) + 8)
        badge = QRect(self.width() - width - 1, 1, width, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#dc2626"))
        painter.drawRoundedRect(badge, 8, 8)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
