"""The right sidebar: cards that can be collapsed, hidden and reordered (remembered per user)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import (
    ActivityInfo,
    CompanyInfo,
    ContactInfo,
    DealInfo,
    TicketDetail,
)
from helpdesk_desktop.ui.settings import TICKET_SIDEBAR_CARDS, Settings
from helpdesk_desktop.ui.ticket_view.labels import channel_label, format_time

ItemInfo = ContactInfo | CompanyInfo | DealInfo
ID_ROLE = Qt.ItemDataRole.UserRole
INFO_ROLE = Qt.ItemDataRole.UserRole + 1


class Card(QFrame):
    """A titled box whose body can be collapsed; its ⋯ menu hides or moves it."""

    collapsedChanged = Signal(str, bool)
    hideRequested = Signal(str)
    moveRequested = Signal(str, int)  # key, -1 up / +1 down

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self.setObjectName(f"Card.{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName(f"Card.{key}.toggle")
        self.toggle.setText(title)
        self._collapsed = False
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName(self.tr("{0} card: expand or collapse").replace("{0}", title))
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.clicked.connect(lambda: self.set_collapsed(not self._collapsed))
        self.menu_button = QToolButton(self)
        self.menu_button.setObjectName(f"Card.{key}.menu")
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setAccessibleName(self.tr("{0} card options").replace("{0}", title))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.menu = QMenu(self)
        self.collapse_action = QAction(self.tr("Collapse"), self)
        self.collapse_action.setObjectName("card.collapse")
        self.collapse_action.triggered.connect(lambda: self.set_collapsed(not self.collapsed))
        self.up_action = QAction(self.tr("Move up"), self)
        self.up_action.setObjectName("card.move_up")
        self.up_action.triggered.connect(lambda: self.moveRequested.emit(self.key, -1))
        self.down_action = QAction(self.tr("Move down"), self)
        self.down_action.setObjectName("card.move_down")
        self.down_action.triggered.connect(lambda: self.moveRequested.emit(self.key, 1))
        self.hide_action = QAction(self.tr("Hide card"), self)
        self.hide_action.setObjectName("card.hide")
        self.hide_action.triggered.connect(lambda: self.hideRequested.emit(self.key))
        for action in (self.collapse_action, self.up_action, self.down_action, self.hide_action):
            self.menu.addAction(action)
        self.menu_button.setMenu(self.menu)

        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(6, 0, 6, 6)
        head = QHBoxLayout()
        head.setContentsMargins(2, 2, 2, 0)
        head.addWidget(self.toggle)
        head.addStretch(1)
        head.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.body)

    @property
    def collapsed(self) -> bool:
        return self._collapsed

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed == self._collapsed:
            return
        self._collapsed = collapsed
        expanded = not collapsed
        self.body.setVisible(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.collapse_action.setText(self.tr("Collapse") if expanded else self.tr("Expand"))
        self.collapsedChanged.emit(self.key, not expanded)

    def set_position(self, index: int, count: int) -> None:
        self.up_action.setEnabled(index > 0)
        self.down_action.setEnabled(index < count - 1)


class DetailsCard(Card):
    """Description, pipeline, source, inbox, created and last activity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("details", self.tr("Ticket details"), parent)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.values: dict[str, QLabel] = {}
        for key, label in (("description", self.tr("Description")),
                           ("pipeline", self.tr("Pipeline")),
                           ("source", self.tr("Source")),
                           ("inbox", self.tr("Inbox")),
                           ("created", self.tr("Created")),
                           ("last_activity", self.tr("Last activity")),
                           ("closed", self.tr("Closed"))):
            value = QLabel(self.body)
            value.setObjectName(f"Detail.{key}")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, value)
            self.values[key] = value
        self.body_layout.addLayout(form)

    def set_detail(self, detail: TicketDetail, time_zone: str | None) -> None:
        row = detail.row
        self.values["description"].setText(detail.description or self.tr("No description"))
        self.values["pipeline"].setText(detail.pipeline.name)
        self.values["source"].setText(channel_label(row.source))
        self.values["inbox"].setText(row.inbox)
        self.values["created"].setText(format_time(row.created_at, time_zone))
        self.values["last_activity"].setText(format_time(row.last_activity_at, time_zone))
        self.values["closed"].setText(format_time(row.closed_at, time_zone) or "—")


def describe(info: ItemInfo) -> str:
    """One line for a contact, company or deal."""
    if isinstance(info, ContactInfo):
        extra = ", ".join(x for x in (info.email, info.company_name) if x)
    elif isinstance(info, CompanyInfo):
        extra = info.domain or ""
    else:
        amount = f"{info.amount_cents / 100:,.2f}" if info.amount_cents is not None else ""
        extra = " · ".join(x for x in (amount, info.stage) if x)
    return f"{info.name} — {extra}" if extra else info.name


class AssociationCard(Card):
    """Associated contacts, companies or deals: add (search), remove, open."""

    addRequested = Signal(str)
    removeRequested = Signal(str, int)
    openRequested = Signal(str, object)

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(key, title, parent)
        self._editable = True
        self.list = QListWidget(self.body)
        self.list.setObjectName(f"{key}.list")
        self.list.setAccessibleName(title)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemActivated.connect(lambda item: self._open(item))
        self.add_button = QPushButton(self.tr("Add…"), self.body)
        self.add_button.setObjectName(f"{key}.add")
        self.add_button.setAccessibleName(self.tr("Add to {0}").replace("{0}", title))
        self.remove_button = QPushButton(self.tr("Remove"), self.body)
        self.remove_button.setObjectName(f"{key}.remove")
        self.remove_button.setAccessibleName(self.tr("Remove from {0}").replace("{0}", title))
        self.open_button = QPushButton(self.tr("Open"), self.body)
        self.open_button.setObjectName(f"{key}.open")
        self.open_button.setAccessibleName(self.tr("Show details of the selected item"))
        self.add_button.clicked.connect(lambda: self.addRequested.emit(self.key))
        self.remove_button.clicked.connect(self._remove)
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.body_layout.addWidget(self.list)
        self.body_layout.addLayout(buttons)
        self._update_buttons()

    def set_items(self, items: Sequence[ItemInfo]) -> None:
        current = self.list.currentItem()
        keep = current.data(ID_ROLE) if current is not None else None
        self.list.clear()
        for info in items:
            item = QListWidgetItem(describe(info))
            item.setToolTip(describe(info))
            item.setData(ID_ROLE, info.id)
            item.setData(INFO_ROLE, info)
            self.list.addItem(item)
            if info.id == keep:
                self.list.setCurrentItem(item)
        if not items:
            placeholder = QListWidgetItem(self.tr("None"))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        # As tall as its rows (up to five), so that short lists do not waste the sidebar.
        rows = min(max(self.list.count(), 1), 5)
        row_height = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 4)
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth() + 2)
        self._update_buttons()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._update_buttons()

    def ids(self) -> list[int]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                if self.list.item(i).data(ID_ROLE) is not None]

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        selected = item is not None and item.data(ID_ROLE) is not None
        self.add_button.setEnabled(self._editable)
        self.remove_button.setEnabled(selected and self._editable)
        self.open_button.setEnabled(selected)

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(ID_ROLE) is not None:
            self.removeRequested.emit(self.key, int(item.data(ID_ROLE)))

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(INFO_ROLE) is not None:
            self.openRequested.emit(self.key, item.data(INFO_ROLE))


class ActivityCard(Card):
    """The ticket's activity timeline, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("activity", self.tr("Activity"), parent)
        self.list = QListWidget(self.body)
        self.list.setObjectName("activity.list")
        self.list.setAccessibleName(self.tr("Activity timeline"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(120)
        self.body_layout.addWidget(self.list)

    def set_activities(self, activities: Sequence[ActivityInfo], time_zone: str | None) -> None:
        self.list.clear()
        for activity in activities:
            who = activity.actor or self.tr("System")
            item = QListWidgetItem(
                f"{activity.summary}\n{who} · {format_time(activity.created_at, time_zone)}")
            item.setData(ID_ROLE, activity.id)
            self.list.addItem(item)


class AssociationPicker(QDialog):
    """A small search popup: type, pick one result, press Enter."""

    def __init__(self, title: str, search: Callable[[str], Sequence[ItemInfo]],
                 exclude: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AssociationPicker")
        self.setWindowTitle(title)
        self._search = search
        self._exclude = set(exclude)
        self.query = QLineEdit(self)
        self.query.setObjectName("AssociationPicker.query")
        self.query.setPlaceholderText(self.tr("Type a name to search…"))
        self.query.setAccessibleName(self.tr("Search"))
        self.results = QListWidget(self)
        self.results.setObjectName("AssociationPicker.results")
        self.results.setAccessibleName(self.tr("Results"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.results.itemActivated.connect(lambda _item: self.accept())
        self.results.currentItemChanged.connect(lambda *_: self._update_ok())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self._return_pressed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.buttons)
        self.resize(360, 320)
        self.refresh()

    def refresh(self) -> None:
        """Search now with the text typed so far."""
        self._timer.stop()
        self.results.clear()
        try:
            found = self._search(self.query.text().strip())
        except HelpDeskError as exc:  # the refusal's sentence, in place of results
            item = QListWidgetItem(str(exc))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
            found = []
        for info in found:
            if info.id in self._exclude:
                continue
            item = QListWidgetItem(describe(info))
            item.setData(ID_ROLE, info.id)
            item.setData(INFO_ROLE, info)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        self._update_ok()

    def _return_pressed(self) -> None:
        if self._timer.isActive():
            self.refresh()
        elif self.chosen() is not None:
            self.accept()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.chosen() is not None)

    def chosen(self) -> ItemInfo | None:
        item = self.results.currentItem()
        if item is None:
            return None
        info: ItemInfo | None = item.data(INFO_ROLE)
        return info


class InfoDialog(QDialog):
    """The details of a contact, company or deal."""

    def __init__(self, info: ItemInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AssociationDetails")
        self.setWindowTitle(info.name)
        form = QFormLayout()
        rows: list[tuple[str, str]] = [(self.tr("Name"), info.name)]
        if isinstance(info, ContactInfo):
            rows += [(self.tr("E-mail"), info.email or "—"), (self.tr("Phone"), info.phone or "—"),
                     (self.tr("Company"), info.company_name or "—")]
        elif isinstance(info, CompanyInfo):
            rows += [(self.tr("Domain"), info.domain or "—")]
        else:
            amount = f"{info.amount_cents / 100:,.2f}" if info.amount_cents is not None else "—"
            rows += [(self.tr("Amount"), amount), (self.tr("Stage"), info.stage or "—")]
        for label, value in rows:
            text = QLabel(value, self)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class CardStack(QWidget):
    """Holds the cards in the user's order, hides and collapses them, and remembers it."""

    def __init__(self, cards: Sequence[Card], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketCards")
        self.cards: dict[str, Card] = {card.key: card for card in cards}
        self.default_order = [card.key for card in cards]
        self.order = list(self.default_order)
        self.hidden: set[str] = set()
        self._settings: Settings | None = None
        self._restoring = False
        self.hidden_button = QToolButton(self)
        self.hidden_button.setObjectName("HiddenCardsButton")
        self.hidden_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.hidden_button.setAccessibleName(self.tr("Show a hidden card"))
        self.hidden_menu = QMenu(self)
        self.hidden_button.setMenu(self.hidden_menu)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        for card in cards:
            card.setParent(self)
            card.collapsedChanged.connect(lambda *_: self.save())
            card.hideRequested.connect(self.hide_card)
            card.moveRequested.connect(self.move_card)
        self._relayout()

    # -- state ------------------------------------------------------------------------------

    def visible_order(self) -> list[str]:
        return [key for key in self.order if key not in self.hidden]

    def state(self) -> dict[str, Any]:
        return {"order": list(self.order), "hidden": sorted(self.hidden),
                "collapsed": sorted(k for k, c in self.cards.items() if c.collapsed)}

    def restore(self, email: str, store: QSettings | None = None) -> None:
        """Apply what this user (the settings follow the person, by e-mail) chose last time."""
        self._settings = Settings(store if store is not None else QSettings(), email)
        raw = self._settings.get(TICKET_SIDEBAR_CARDS)
        try:
            state = json.loads(raw) if isinstance(raw, str) and raw else {}
        except ValueError:
            state = {}
        if not isinstance(state, dict):
            state = {}
        saved = [k for k in state.get("order", []) if k in self.cards]
        self.order = saved + [k for k in self.default_order if k not in saved]
        self.hidden = {k for k in state.get("hidden", []) if k in self.cards}
        collapsed = set(state.get("collapsed", []))
        self._restoring = True
        try:
            for key, card in self.cards.items():
                card.set_collapsed(key in collapsed)
        finally:
            self._restoring = False
        self._relayout()

    def save(self) -> None:
        if self._settings is None or self._restoring:
            return
        self._settings.set(TICKET_SIDEBAR_CARDS, json.dumps(self.state()))
        self._settings.sync()

    # -- changes ----------------------------------------------------------------------------

    def hide_card(self, key: str) -> None:
        self.hidden.add(key)
        self._relayout()
        self.save()

    def show_card(self, key: str) -> None:
        self.hidden.discard(key)
        self._relayout()
        self.save()

    def move_card(self, key: str, delta: int) -> None:
        """Move ``key`` past the next visible card in that direction."""
        visible = self.visible_order()
        index = visible.index(key)
        target = index + delta
        if not 0 <= target < len(visible):
            return
        other = visible[target]
        i, j = self.order.index(key), self.order.index(other)
        self.order[i], self.order[j] = self.order[j], self.order[i]
        self._relayout()
        self.save()
        self.cards[key].menu_button.setFocus()

    def _relayout(self) -> None:
        while self._layout.count():
            self._layout.takeAt(0)
        visible = self.visible_order()
        previous: QWidget | None = None
        for key in self.order:
            card = self.cards[key]
            card.setVisible(key not in self.hidden)
            if key in self.hidden:
                continue
            self._layout.addWidget(card)
            card.set_position(visible.index(key), len(visible))
            for widget in (card.toggle, card.menu_button):
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
            # Keep the card's own controls in reading order after its header.
            for child in card.body.findChildren(QWidget):
                if child.focusPolicy() != Qt.FocusPolicy.NoFocus and previous is not None:
                    QWidget.setTabOrder(previous, child)
                    previous = child
        self._layout.addWidget(self.hidden_button)
        self._layout.addStretch(1)
        self.hidden_menu.clear()
        for key in self.order:
            if key in self.hidden:
                action = self.hidden_menu.addAction(
                    self.tr("Show “{0}”").replace("{0}", self.cards[key].title))
                action.setObjectName(f"card.show.{key}")
                action.triggered.connect(lambda _checked=False, k=key: self.show_card(k))
        count = len(self.hidden)
        self.hidden_button.setText(self.tr("%n hidden cards", "", count))
        self.hidden_button.setVisible(count > 0)
