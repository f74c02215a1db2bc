"""The ticket view: header, conversation, composer and sidebar cards for one ticket.

The main window embeds it in the split layout, a side panel and separate windows. It reloads
itself when the bridge reports a change to its ticket, and every write goes through
``DeskBridge.run`` so the UI thread never waits on the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.application.safe_files import write_atomically
from helpdesk_desktop.domain.enums import Category, Priority, TicketState
from helpdesk_desktop.domain.errors import Conflict, HelpDeskError
from helpdesk_desktop.services.dto import (
    AttachmentInfo,
    MergeDone,
    MessageInfo,
    OpenedTicket,
    OpResult,
    PropertyEdit,
    TicketChanges,
    TicketDetail,
    UserInfo,
)
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.models.labels import full_time
from helpdesk_desktop.ui.ticket_view.cards import (
    ActivityCard,
    AssociationCard,
    AssociationPicker,
    CardStack,
    DetailsCard,
    InfoDialog,
    ItemInfo,
)
from helpdesk_desktop.ui.ticket_view.composer import ComposeMode, Composer, ComposeRequest
from helpdesk_desktop.ui.ticket_view.conflict import Banner, ConflictBanner
from helpdesk_desktop.ui.ticket_view.conversation import (
    EARLIER_CHUNK,
    MESSAGES_SHOWN,
    ConversationPane,
)
from helpdesk_desktop.ui.ticket_view.header import TicketHeader
from helpdesk_desktop.ui.ticket_view.labels import category_label, priority_label
from helpdesk_desktop.ui.ticket_view.replying import ReplyFlow
from helpdesk_desktop.ui.ticket_view.safe_html import read_earlier, read_opened, read_ticket

_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
# Desk.set_associations takes add_<kind>_ids / remove_<kind>_ids for each association card.
ASSOCIATION_KINDS = {"contacts": "contact", "companies": "company", "deals": "deal"}
R = TypeVar("R")


def safe_filename(name: str) -> str:
    """A file name suggestion without directories, control characters or leading dots."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_FILENAME.sub("_", base).strip().lstrip(".").strip()
    return base[:200] or "attachment"


class TicketView(ReplyFlow, QWidget):
    """One ticket, read and edited. See the module docstring."""

    ticketOpened = Signal(int)
    ticketChanged = Signal(int)
    ticketClosed = Signal()  # no ticket shown any more (cleared, gone, or refused)
    edited = Signal(object)  # the OpResult of a header edit (the window offers its Undo)

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketView")
        self._bridge = bridge
        self._ticket_id: int | None = None
        self._detail: TicketDetail | None = None
        self._users: list[UserInfo] = []
        self._loading = False
        self._reads = 0  # counts opens: a read that reports after a newer open is dropped
        self._saved_version: dict[int, int] = {}  # ticket -> version our last edit made
        self._saving = False
        self._pending: dict[str, Any] = {}
        self._sending_for: int | None = None
        # The newest customer message when the ticket was opened: a reply is checked against
        # it, so the agent hears when the customer wrote again meanwhile.
        self._seen_incoming: int | None = None
        self._shown_default_to = ""  # the To a reply gets unless the agent changes it
        # A send waits for a draft save in flight, so that the save cannot land after the send
        # deleted the draft (and bring back text already sent).
        self._draft_saves = 0
        self._send_after_save: tuple[int, int | None, ComposeRequest] | None = None
        self.wrote_again_box: QMessageBox | None = None
        self._survivor_id: int | None = None
        self._opened_state: TicketState | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._reload_after_change)
        self._build()
        bridge.changed.connect(self._on_changed)
        bridge.userChanged.connect(self._on_user_changed)
        bridge.userUpdated.connect(self.reload)  # another time zone: show its times
        self.cards.restore(bridge.user.email)
        self.clear()

    def _build(self) -> None:
        self.header = TicketHeader(self)
        self.header.fieldEdited.connect(self._field_edited)
        self.conflict_banner = ConflictBanner(self)
        self.conflict_banner.actionTriggered.connect(self.reload)
        self.error_banner = Banner("error", "", self)
        self.error_banner.setObjectName("TicketErrorBanner")
        self.state_banner = Banner("warning", "", self)
        self.state_banner.setObjectName("TicketStateBanner")
        self.state_banner.close_button.hide()
        self.conversation = ConversationPane(self)
        self.conversation.attachmentRequested.connect(self._save_attachment)
        self.conversation.retryRequested.connect(self.retry_send)
        self.conversation.set_image_source(self._inline_image)
        self.conversation.conversationChanged.connect(self._conversation_switched)
        self.conversation.earlierRequested.connect(self._read_earlier)
        self.composer = Composer(self)
        self.composer.sendRequested.connect(self._send)
        self.composer.draftEdited.connect(self._save_draft_later)

        self.details_card = DetailsCard()
        self.association_cards = {
            "contacts": AssociationCard("contacts", self.tr("Contacts")),
            "companies": AssociationCard("companies", self.tr("Companies")),
            "deals": AssociationCard("deals", self.tr("Deals")),
        }
        self.activity_card = ActivityCard()
        for card in self.association_cards.values():
            card.addRequested.connect(self._add_association)
            card.removeRequested.connect(self._remove_association)
            card.openRequested.connect(self._open_association)
        self.cards = CardStack([self.details_card, *self.association_cards.values(),
                                self.activity_card])
        sidebar = QScrollArea(self)
        sidebar.setObjectName("TicketSidebar")
        sidebar.setWidgetResizable(True)
        sidebar.setWidget(self.cards)
        sidebar.setMinimumWidth(280)
        sidebar.setFrameShape(QScrollArea.Shape.NoFrame)
        sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 0, 0, 0)
        left_layout.addWidget(self.state_banner)
        left_layout.addWidget(self.conflict_banner)
        left_layout.addWidget(self.error_banner)
        # The agent can drag the border to give the composer more room.
        self.thread_splitter = QSplitter(Qt.Orientation.Vertical, left)
        self.thread_splitter.setObjectName("ThreadSplitter")
        self.thread_splitter.addWidget(self.conversation)
        self.thread_splitter.addWidget(self.composer)
        self.thread_splitter.setStretchFactor(0, 1)
        self.thread_splitter.setStretchFactor(1, 0)
        self.thread_splitter.setChildrenCollapsible(False)
        self.thread_splitter.setSizes([650, 110])
        left_layout.addWidget(self.thread_splitter, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("TicketViewSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(sidebar)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([900, 340])

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.header)
        content_layout.addWidget(self.splitter, 1)

        placeholder = QWidget(self)
        self.placeholder_label = QLabel(placeholder)
        self.placeholder_label.setObjectName("TicketPlaceholder")
        self.placeholder_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder_label.setWordWrap(True)
        self.survivor_button = QPushButton(placeholder)
        self.survivor_button.setObjectName("OpenSurvivor")
        self.survivor_button.clicked.connect(self._open_survivor)
        placeholder_layout = QVBoxLayout(placeholder)
        placeholder_layout.addStretch(1)
        placeholder_layout.addWidget(self.placeholder_label)
        placeholder_layout.addWidget(self.survivor_button, 0, Qt.AlignmentFlag.AlignHCenter)
        placeholder_layout.addStretch(2)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(placeholder)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # No minimum size pushed to a top-level window: the view is also a separate window,
        # which the user may make as small as they like (the sidebar then scrolls).
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self.stack)

    # -- public interface -------------------------------------------------------------------

    @property
    def bridge(self) -> DeskBridge:
        return self._bridge

    def ticket_id(self) -> int | None:
        return self._ticket_id

    def current_detail(self) -> TicketDetail | None:
        return self._detail

    def set_actions_menu(self, menu: QMenu) -> None:
        """Install ``menu`` on the header's Actions drop-down."""
        self.header.set_actions_menu(menu)

    def set_board_menu(self, menu: QMenu) -> None:
        """Install ``menu`` on the header's ⋮ button."""
        self.header.set_board_menu(menu)

    def open_ticket(self, ticket_id: int) -> None:
        """Show ``ticket_id`` and mark it read for the signed-in user. The write and the read
        run off the UI thread; until they report, a placeholder says which ticket opens."""
        self._keep_draft()
        self.composer.load(ComposeMode.REPLY, "", "", "")
        opening_again = ticket_id == self._ticket_id
        self._ticket_id = ticket_id
        self._pending.clear()
        self.conflict_banner.hide()
        self.error_banner.hide()
        self._show_placeholder(self.tr("Opening ticket #{0}…").replace("{0}", str(ticket_id)),
                               closes=False)
        self._reads += 1
        token = self._reads
        self._loading = True

        # The same ticket again keeps the older messages the agent opened; another starts
        # from the newest.
        wanted = self.conversation.wanted() if opening_again else MESSAGES_SHOWN

        def done(opened_ticket: OpenedTicket) -> None:
            if token != self._reads:  # another ticket was opened meanwhile
                return
            self._loading = False
            self._users, detail = list(opened_ticket.users), opened_ticket.detail
            opened = ticket_id
            if detail.id != opened:  # a merged id opens its survivor
                opened = self._ticket_id = detail.id
            self._opened_state = detail.row.state
            unread = detail.row.unread
            if unread:  # shown as what it is once marked read, just below
                detail = dataclasses.replace(detail, row=dataclasses.replace(detail.row,
                                                                             unread=False))
            self._show(detail)
            self._seen_incoming = opened_ticket.newest_incoming_id
            self._load_composer(opened, opened_ticket.signature, opened_ticket.draft)
            if unread:
                self._mark_read(opened, detail.row.last_activity_at)
            self.ticketOpened.emit(opened)

        def failed(message: str) -> None:
            if token == self._reads:
                self._loading = False
                self._show_placeholder(message)

        # One read, which writes nothing; the agent waits for it, so it goes before queued
        # jobs. Marking the ticket read follows in a job of its own (:meth:`_mark_read`).
        self._bridge.run(lambda desk, _p: read_opened(desk, ticket_id, wanted), done, failed,
                         owner=self, urgent=True)

    def _mark_read(self, ticket_id: int, seen_activity_at: dt.datetime) -> None:
        """Mark the ticket just shown read for this user, as of the activity shown (off the UI
        thread). The change names the ticket: this view skips its echo; the window's lists
        and counts read what changed in the same job."""
        self._bridge.run(lambda desk, _p: desk.mark_opened_read(ticket_id, seen_activity_at),
                         None, lambda _message: None, owner=self, origin=self)

    def reload(self, *, keep_conflict: bool = False, gone_if_missing: bool = False) -> None:
        """Read the ticket again off the UI thread (not marking it read) and show the current
        values; ``ticketChanged`` follows when it is still there. ``gone_if_missing``: a
        refusal means the ticket left this user's sight (deleted, or out of their scope)."""
        self._reload_timer.stop()
        ticket_id = self._ticket_id
        if ticket_id is None:
            return
        if not keep_conflict:
            self.conflict_banner.hide()
        token = self._reads

        def done(detail: TicketDetail) -> None:
            if token == self._reads and self._ticket_id == ticket_id:
                self._show_read(detail, keep_conflict=keep_conflict)

        def failed(message: str) -> None:
            if token != self._reads or self._ticket_id != ticket_id:
                return
            if gone_if_missing:
                self._show_gone(None, None)
            else:
                self._show_placeholder(message)

        wanted = self.conversation.wanted()
        self._bridge.run(lambda desk, _p: read_ticket(desk, ticket_id, last_messages=wanted),
                         done, failed, owner=self)

    def _show_read(self, detail: TicketDetail, *, keep_conflict: bool = False) -> None:
        """Show a fresh read of the open ticket (``ticketChanged`` follows), or say that it
        left: merged, deleted or marked as spam."""
        if detail.id != self._ticket_id:  # the facade follows a merge to the survivor
            self._show_gone(TicketState.MERGED, detail.id)
        elif not self._still_here(detail):
            self._show_gone(detail.row.state, None)
        else:
            conflict = keep_conflict and self.conflict_banner.isVisible()
            self._show(detail)
            self.conflict_banner.setVisible(conflict)
            self.ticketChanged.emit(detail.id)

    def _run_op(self, ticket_id: int, operation: Callable[[Desk], R],
                on_done: Callable[[R], None] | None = None,
                on_error: Callable[[str, BaseException], None] | None = None) -> None:
        """Run one write on ``ticket_id`` off the UI thread, then read the ticket in the same
        job and show it: the change report of the write is this view's own echo, skipped
        (:meth:`DeskBridge.is_echo`), so each write costs one read of the ticket."""
        token = self._reads
        wanted = self.conversation.wanted()

        def work(desk: Desk, _progress: object) -> tuple[R, TicketDetail | None]:
            result = operation(desk)
            try:
                return result, read_ticket(desk, ticket_id, last_messages=wanted)
            except HelpDeskError:
                return result, None  # gone from sight: the reload below says how

        def done(value: tuple[R, TicketDetail | None]) -> None:
            result, detail = value
            if on_done is not None:
                on_done(result)
            if token != self._reads or self._ticket_id != ticket_id:
                return
            if detail is None:
                self.reload(gone_if_missing=True)
            else:
                self._show_read(detail, keep_conflict=True)

        def failed(message: str, exc: BaseException) -> None:
            if on_error is not None:
                on_error(message, exc)
            else:
                self.error_banner.show_message(message)

        self._bridge.run(work, on_done=done, on_error_exc=failed, owner=self, origin=self)

    def clear(self) -> None:
        """Show no ticket."""
        self._reads += 1
        self._loading = False
        self._keep_draft()
        self._ticket_id = None
        self._detail = None
        self._pending.clear()
        self.conversation.clear()
        self.composer.load(ComposeMode.REPLY, "", "", "")
        self._show_placeholder(self.tr("Select a ticket to see its conversation."))

    # -- showing ----------------------------------------------------------------------------

    def _still_here(self, detail: TicketDetail) -> bool:
        """Live, or in the state it was opened in (a spam ticket opened from the Spam view)."""
        return detail.row.state is TicketState.LIVE or detail.row.state is self._opened_state

    def _show(self, detail: TicketDetail) -> None:
        self._detail = detail
        self.setWindowTitle(f"#{detail.id} {detail.row.name}")
        zone = self._bridge.user.time_zone
        self.header.set_detail(detail, self._users)
        self.conversation.set_conversations(detail.conversations, zone)
        self.details_card.set_detail(detail, zone)
        self.association_cards["contacts"].set_items(detail.contacts)
        self.association_cards["companies"].set_items(detail.companies)
        self.association_cards["deals"].set_items(detail.deals)
        self.activity_card.set_activities(detail.activities, zone)
        self._apply_state(detail.row.state, detail.row.purge_at, zone)
        self.stack.setCurrentIndex(1)

    def _apply_state(self, state: TicketState, purge_at: dt.datetime | None = None,
                     zone: str | None = None) -> None:
        """Spam and deleted tickets are read-only until restored (the services refuse edits)
        and say when the scheduled purge erases them."""
        live = state is TicketState.LIVE
        if state is TicketState.SPAM:
            reason = self.tr("This ticket is in Spam. Mark it as not spam to work on it.")
        elif state is TicketState.DELETED:
            reason = self.tr("This ticket is in Recently deleted. Restore it to work on it.")
        else:
            reason = ""
        if reason and purge_at is not None:
            reason += " " + self.tr("It will be deleted for good on {0}.").replace(
                "{0}", full_time(purge_at, zone))
        self.header.set_editable(live, reason)
        self.composer.setEnabled(live)
        for card in self.association_cards.values():
            card.set_editable(live)
        if live:
            self.state_banner.hide()
        else:
            self.state_banner.show_message(escape(reason))

    def _show_placeholder(self, text: str, survivor_id: int | None = None, *,
                          closes: bool = True) -> None:
        self._detail = None
        if closes:
            self.ticketClosed.emit()
        self._survivor_id = survivor_id
        self.placeholder_label.setText(text)
        self.survivor_button.setText(self.tr("Open #{0}").replace("{0}", str(survivor_id)))
        self.survivor_button.setVisible(survivor_id is not None)
        self.stack.setCurrentIndex(0)

    def _show_gone(self, state: TicketState | None, survivor_id: int | None) -> None:
        number = f"#{self._ticket_id}"
        if survivor_id is not None or state is TicketState.MERGED:
            text = (self.tr("Ticket {0} was merged into #{1}.").replace("{0}", number)
                    .replace("{1}", str(survivor_id)) if survivor_id is not None
                    else self.tr("Ticket {0} was merged into another ticket.")
                    .replace("{0}", number))
        elif state is TicketState.SPAM:
            text = self.tr("Ticket {0} was marked as spam.").replace("{0}", number)
        else:
            text = self.tr("This ticket was deleted ({0}).").replace("{0}", number)
        self._show_placeholder(text, survivor_id)

    def _open_survivor(self) -> None:
        if self._survivor_id is not None:
            self.open_ticket(self._survivor_id)

    # -- reacting to changes ----------------------------------------------------------------

    def _on_changed(self, result: OpResult) -> None:
        ticket_id = self._ticket_id
        if ticket_id is None or self._bridge.is_echo(self):
            return  # this view's own write: its job read the ticket back already
        if isinstance(result.payload, MergeDone) and result.payload.merged_id == ticket_id:
            self._reload_timer.stop()
            self._show_gone(TicketState.MERGED, result.payload.ticket_id)
        elif ticket_id in result.removed_ticket_ids:
            self.reload(gone_if_missing=True)
        elif ticket_id in result.changed_ticket_ids or ticket_id in result.created_ticket_ids:
            self._reload_timer.start()  # coalesces several changes into one reload

    def _reload_after_change(self) -> None:
        if self._ticket_id is not None:
            # The agent has not dismissed a conflict yet; the banner stays until they do.
            self.reload(keep_conflict=True)

    def _on_user_changed(self, user: UserInfo) -> None:
        # The new user chose nothing yet: nothing is opened (nor marked read) in their name.
        self.cards.restore(user.email)
        if self._ticket_id is not None:
            self.clear()

    # -- header edits -----------------------------------------------------------------------

    def _field_edited(self, field: str, value: Any) -> None:
        self._pending[field] = value
        if not self._saving:
            self._send_pending()

    def _send_pending(self) -> None:
        detail = self._detail
        if not self._pending or detail is None:
            return
        changes, self._pending = dict(self._pending), {}
        ticket_id = detail.id
        # Our own last save may be newer than the detail shown (its reload is on its way).
        version = max(detail.version, self._saved_version.get(ticket_id, 0))
        self._saving = True

        def done(result: OpResult[PropertyEdit | None]) -> None:
            self._saving = False
            if result.payload is not None:
                self._saved_version[ticket_id] = result.payload.version
                self.edited.emit(result)
            if self._ticket_id != ticket_id:
                return
            self.error_banner.hide()  # the job read the ticket back: shown after this
            self._send_pending()  # edits made while this one was saving

        def failed(message: str, exc: BaseException) -> None:
            self._saving = False
            self._pending.clear()
            if self._ticket_id != ticket_id:
                return
            if isinstance(exc, Conflict):
                self.conflict_banner.show_conflict(message, changes, exc.current,
                                                   self._field_labels(), self._display_value)
            else:
                self.error_banner.show_message(message)
                self.reload()
                self.error_banner.show()

        self._run_op(ticket_id,
                     lambda desk: desk.update(ticket_id, TicketChanges.from_columns(changes),
                                              expected_version=version),
                     done, failed)

    def _field_labels(self) -> dict[str, str]:
        return {"name": self.tr("Name"), "owner_id": self.tr("Owner"),
                "priority": self.tr("Priority"), "category": self.tr("Category"),
                "status_id": self.tr("Status"), "description": self.tr("Description")}

    def _display_value(self, field: str, value: Any) -> str:
        """A field value as the agent knows it (names, not ids)."""
        if field == "owner_id":
            if value is None:
                return self.tr("Unassigned")
            return next((u.name for u in self._users if u.id == value), f"#{value}")
        if field == "status_id" and self._detail is not None:
            return next((s.name for s in self._detail.pipeline.statuses if s.id == value),
                        f"#{value}")
        if field == "priority":
            try:
                return priority_label(Priority(value) if value is not None else None)
            except ValueError:
                return str(value)
        if field == "category":
            try:
                return category_label(Category(value) if value is not None else None)
            except ValueError:
                return str(value)
        return "" if value is None else str(value)

    def hideEvent(self, event: QHideEvent) -> None:
        self._keep_draft()  # closing the window or the program loses no keystroke
        super().hideEvent(event)

    def _read_earlier(self, conversation_id: int, before_id: int) -> None:
        """The agent asked for older messages of a long thread: read the next chunk off the
        UI thread (sanitized there too) and add it above those shown."""
        ticket_id = self._ticket_id

        def done(messages: tuple[MessageInfo, ...]) -> None:
            if self._ticket_id == ticket_id:
                self.conversation.add_earlier(conversation_id, before_id, messages)
            else:
                self.conversation.earlier_refused()

        def failed(message: str) -> None:
            self.conversation.earlier_refused()
            if self._ticket_id == ticket_id:
                self.error_banner.show_message(escape(message, quote=False))

        self._bridge.run(lambda desk, _p: read_earlier(desk, conversation_id, before_id,
                                                       EARLIER_CHUNK),
                         done, failed, owner=self, urgent=True)

    def _inline_image(self, message_id: int, content_id: str) -> bytes | None:
        """A ``cid:`` image of a shown message, from its stored part (small; read once and
        cached by the document)."""
        try:
            return self._bridge.desk.inline_image(message_id, content_id)
        except HelpDeskError:
            return None

    # -- attachments ------------------------------------------------------------------------

    def _save_attachment(self, attachment: AttachmentInfo) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        suggestion = str(Path(folder) / safe_filename(attachment.filename)) if folder else \
            safe_filename(attachment.filename)
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save attachment"), suggestion)
        if not path:
            return
        self._bridge.run(lambda desk, _progress: desk.attachment_content(attachment.id),
                         on_done=lambda result: self._write_file(path, result[1]),
                         on_error=self.error_banner.show_message, owner=self)

    def retry_send(self, outbox_id: int) -> None:
        """Retry a failed reply (the window's sender takes it at once)."""
        if self._ticket_id is None:
            return
        self._run_op(self._ticket_id, lambda desk: desk.retry_outgoing(outbox_id))

    def _write_file(self, path: str, data: bytes) -> None:
        try:  # the save dialog has asked before replacing; links are refused
            write_atomically(path, lambda out: out.write(data), overwrite=True)
        except HelpDeskError as exc:
            self.error_banner.show_message(
                self.tr("Could not save “{0}”: {1}").replace("{0}", Path(path).name)
                .replace("{1}", str(exc)))

    # -- associations -----------------------------------------------------------------------

    def _add_association(self, key: str) -> None:
        if self._ticket_id is None:
            return
        desk = self._bridge.desk
        search = {"contacts": desk.search_contacts, "companies": desk.search_companies,
                  "deals": desk.search_deals}[key]
        card = self.association_cards[key]
        picker = AssociationPicker(self.tr("Add to {0}").replace("{0}", card.title), search,
                                   card.ids(), self)
        ticket_id = self._ticket_id

        def chosen() -> None:
            info = picker.chosen()
            if info is not None and self._ticket_id == ticket_id:
                self._set_associations(key, info.id, add=True)
            picker.deleteLater()

        picker.accepted.connect(chosen)
        picker.rejected.connect(picker.deleteLater)
        picker.open()

    def _remove_association(self, key: str, item_id: int) -> None:
        self._set_associations(key, item_id, add=False)

    def _set_associations(self, key: str, item_id: int, *, add: bool) -> None:
        if self._ticket_id is None:
            return
        ticket_id = self._ticket_id
        change = {f"{'add' if add else 'remove'}_{ASSOCIATION_KINDS[key]}_ids": [item_id]}
        self._run_op(ticket_id, lambda desk: desk.set_associations(ticket_id, **change))

    def _open_association(self, _key: str, info: ItemInfo) -> None:
        dialog = InfoDialog(info, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
