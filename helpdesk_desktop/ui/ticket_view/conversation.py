"""The conversation: messages rendered safely in a QTextBrowser, and the conversation switcher.

Message HTML was sanitized when it was stored; it is sanitized once more before it is shown,
which keeps the view safe even for rows written by older versions: in the background job that
reads the ticket (:mod:`.safe_html`), so a big body does not freeze the window, and here for any
HTML that did not come that way. The document loads no resource at all except ``cid:`` images,
served from the message's stored image part, so a remote image or tracking pixel is never
fetched. A link opens in the system browser only after the agent has seen its real address and
confirmed it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
    QImageReader,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from helpdesk_desktop.services.dto import AttachmentInfo, ConversationInfo, MessageInfo
from helpdesk_desktop.ui.ticket_view.labels import (
    channel_label,
    format_size,
    format_time,
    message_label,
)
from helpdesk_desktop.ui.ticket_view.safe_html import safe_html

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

ATTACHMENT_SCHEME = "attachment"
EARLIER_SCHEME = "earlier"
OPENABLE_SCHEMES = ("http", "https", "mailto")
# A longer thread opens on its newest messages (only those are read and laid out) with a
# "Show N earlier messages" link, which adds the next EARLIER_CHUNK older ones above.
MESSAGES_SHOWN = 30
EARLIER_CHUNK = 50
CID_SCHEME = "cid"
_CID_SRC = re.compile(r'src="cid:([^"]*)"')
# (message id, "<content id>") -> image bytes or None; reads the stored inline part.
ImageSource = Callable[[int, str], bytes | None]
SEND_STATES = {
    "queued": QT_TRANSLATE_NOOP("TicketView", "Queued"),
    "sending": QT_TRANSLATE_NOOP("TicketView", "Sending…"),
    "sent": QT_TRANSLATE_NOOP("TicketView", "Sent"),
    "failed": QT_TRANSLATE_NOOP("TicketView", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("TicketView", "Cancelled, not sent"),
}
RETRY_SCHEME = "retry-send"


def _delivery_line(message: MessageInfo, muted: str, link: str) -> str:
    """"Delivery: Sent" — with the last error, and Retry for a failed reply."""
    state_name = message.send_state or ""
    state = escape(translate("TicketView", SEND_STATES[state_name]))
    failed = state_name == "failed"
    if message.send_error and state_name in ("queued", "failed"):
        # A queued reply with an error is waiting for its next attempt (backoff). The error
        # is a sentence of its own, worded as in the mail status's tooltip.
        if not failed:
            state = escape(translate("TicketView", "Queued, will retry"))
        last_error = translate("TicketView", "Last error: %1").replace("%1", message.send_error)
        state += ". " + escape(last_error)
    if failed and message.outbox_id is not None:
        retry = escape(translate("TicketView", "Retry"))
        state += (f' &nbsp; <a style="color:{link};" href="{RETRY_SCHEME}:{message.outbox_id}">'
                  f'{retry}</a>')
    weight = "700" if failed else "400"
    # Looked up outside the f-string: pyside6-lupdate does not read calls inside one.
    label = escape(translate("TicketView", "Delivery:"))
    return (f'<p style="margin:0; color:{muted}; font-weight:{weight};">'
            f'{label} {state}</p>')


MAX_IMAGE_BYTES = 10 * 1024 * 1024  # encoded size of one inline image
MAX_IMAGE_PIXELS = 4096 * 4096  # beyond this an image is not decoded at all (16000² = 1 GB)
_IMAGE_CACHE_SIZE = 64
_image_cache: OrderedDict[str, QImage | None] = OrderedDict()


def _data_image(url: QUrl) -> QImage | None:
    """The image of a ``data:image/...;base64,`` URL, or None (not an image, too big).

    Decoded at most once per process (an LRU cache keyed by the URL's digest): a repaint or
    re-layout never decodes again. The header is read first, so an image of absurd
    dimensions is refused before its pixels are allocated.
    """
    text = url.toString()
    key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    if key in _image_cache:
        _image_cache.move_to_end(key)
        return _image_cache[key]
    image = _decode_data_image(text)
    _image_cache[key] = image
    if len(_image_cache) > _IMAGE_CACHE_SIZE:
        _image_cache.popitem(last=False)
    return image


def _decode_data_image(text: str) -> QImage | None:
    head, _, payload = text.partition(",")
    if not head.lower().startswith("data:image/") or ";base64" not in head.lower():
        return None
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        raw = base64.b64decode(payload, validate=False)
    except ValueError:
        return None
    return decode_image(raw)


def decode_image(raw: bytes) -> QImage | None:
    """``raw`` decoded as an image, or None (not an image, over :data:`MAX_IMAGE_BYTES` or
    :data:`MAX_IMAGE_PIXELS`: the header is read before any pixel is allocated)."""
    if len(raw) > MAX_IMAGE_BYTES:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(raw))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return None
    image = reader.read()
    return None if image.isNull() else image


class SafeDocument(QTextDocument):
    """A document that never loads anything from the network or the disk: only ``data:``
    images (written by the program itself) and ``cid:`` images from ``image_source``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []  # URLs asked for and not loaded (for tests and debugging)
        self.image_source: ImageSource | None = None
        self._cid_cache: dict[str, QImage | None] = {}

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        name = QUrl(name) if isinstance(name, str) else name
        scheme = name.scheme().lower()
        if type == QTextDocument.ResourceType.ImageResource:
            image = (_data_image(name) if scheme == "data"
                     else self._cid_image(name) if scheme == CID_SCHEME else None)
            if image is not None:
                return image
        self.refused.append(name.toString()[:200])
        return None

    def forget_images(self) -> None:
        """Another thread is shown: the images of the last one are not kept (a session that
        opens hundreds of tickets would otherwise keep every picture it showed)."""
        self._cid_cache.clear()

    def _cid_image(self, url: QUrl) -> QImage | None:
        """``cid:<message id>/<content id>`` (as :func:`message_html` writes it)."""
        key = url.path()
        if key in self._cid_cache:
            return self._cid_cache[key]
        image: QImage | None = None
        number, _, content_id = key.partition("/")
        if self.image_source is not None and number.isdigit() and content_id:
            try:
                raw = self.image_source(int(number), f"<{content_id}>")
            except Exception:  # noqa: BLE001 - a refused read shows no picture, never an error box
                raw = None
            if raw:
                image = decode_image(raw)
        self._cid_cache[key] = image
        return image


class SafeBrowser(QTextBrowser):
    """Read-only rich text with links reported, never followed, and no resource loading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(SafeDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)

    def safe_document(self) -> SafeDocument:
        document = self.document()
        assert isinstance(document, SafeDocument)
        return document

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        return self.safe_document().loadResource(type, name)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def note_colors(palette: QPalette) -> tuple[str, str, str]:
    """(background, text, border) of internal notes: yellow in light themes, dark amber in dark
    themes; text and background are set together so the pair is always readable."""
    if _is_dark(palette):
        return "#4a3c0b", "#fdf0c2", "#b8921c"
    return "#fff4c2", "#3b2f00", "#e0b400"


def _mix(base: QColor, tint: QColor, amount: float) -> str:
    """``base`` moved ``amount`` (0..1) of the way towards ``tint``, as #rrggbb."""
    return QColor(round(base.red() + (tint.red() - base.red()) * amount),
                  round(base.green() + (tint.green() - base.green()) * amount),
                  round(base.blue() + (tint.blue() - base.blue()) * amount)).name()


def _plain_to_html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def message_html(message: MessageInfo, palette: QPalette, time_zone: str | None) -> str:
    """One message as a table cell: header line (label, author, time), body, attachments."""
    text_color = palette.color(QPalette.ColorRole.Text).name()
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    link = palette.color(QPalette.ColorRole.Link).name()
    if message.kind.is_internal:
        background, text_color, border = note_colors(palette)
        muted = text_color
        link = text_color
    elif message.direction.value == "incoming":
        background = palette.color(QPalette.ColorRole.AlternateBase).name()
        border = palette.color(QPalette.ColorRole.Mid).name()
    else:  # our replies: the base colour tinted with the highlight, in any theme
        background = _mix(palette.color(QPalette.ColorRole.Base),
                          palette.color(QPalette.ColorRole.Highlight), 0.10)
        border = palette.color(QPalette.ColorRole.Highlight).name()
    label = escape(message_label(message.kind, message.direction))
    badge = (f'<span style="font-weight:700; text-transform:uppercase;">{label}</span>'
             if message.kind.is_internal else f'<span style="color:{muted};">{label}</span>')
    author = escape(message.author or message.author_email or "")
    email = (f' <span style="color:{muted};">&lt;{escape(message.author_email)}&gt;</span>'
             if message.author_email and message.author_email != message.author else "")
    when = escape(format_time(message.sent_at, time_zone))
    body = (_CID_SRC.sub(lambda m: f'src="cid:{message.id}/{m.group(1)}"',
                         safe_html(message.html))
            if message.html else _plain_to_html(message.text))
    parts = [
        (f'<table width="100%" cellspacing="0" cellpadding="8" '
         f'style="border-left: 4px solid {border}; margin-bottom: 10px;">'
         f'<tr><td bgcolor="{background}" style="color:{text_color};">'),
        (f'<p style="margin:0;">{badge} &nbsp; <b>{author}</b>{email}'
         f' &nbsp; <span style="color:{muted};">{when}</span></p>'),
    ]
    if message.to and not message.kind.is_internal:
        to_label = escape(translate("TicketView", "To:"))
        parts.append(f'<p style="margin:0; color:{muted};">{to_label} {escape(message.to)}</p>')
    if message.cc and not message.kind.is_internal:
        cc_label = escape(translate("TicketView", "Cc:"))
        parts.append(f'<p style="margin:0; color:{muted};">{cc_label} {escape(message.cc)}</p>')
    if message.send_state in SEND_STATES:
        parts.append(_delivery_line(message, muted, link))
    parts.append(f'<div style="margin-top:6px;">{body}</div>')
    attachment_label = escape(translate("TicketView", "Attachment:"))
    save_label = escape(translate("TicketView", "Save as…"))
    for attachment in message.attachments:
        parts.append(
            f'<p style="margin-top:6px;"><b>{attachment_label}</b> '
            f'{escape(attachment.filename)} '
            f'<span style="color:{muted};">({escape(format_size(attachment.size))})</span> '
            f'<a style="color:{link};" href="{ATTACHMENT_SCHEME}:{attachment.id}">'
            f'{save_label}</a></p>')
    if message.omitted_files:
        note = translate("TicketView", "Not kept (over the size limit per message): {0}")
        parts.append(f'<p style="margin-top:6px; font-weight:700;">'
                     f'{escape(note.replace("{0}", ", ".join(message.omitted_files)))}</p>')
    parts.append("</td></tr></table>")
    return "".join(parts)


def earlier_link(hidden: int) -> str:
    """The first paragraph of a thread: "Show N earlier messages" (empty when none are)."""
    if not hidden:
        return '<p align="center"></p>'
    return (f'<p align="center"><a href="{EARLIER_SCHEME}:">'
            + escape(translate("TicketView", "Show {0} earlier messages")
                     .replace("{0}", str(hidden)))
            + "</a></p>")


def conversation_html(conversation: ConversationInfo, palette: QPalette,
                      time_zone: str | None, limit: int = MESSAGES_SHOWN) -> str:
    """The messages of ``conversation`` in order (the latest ``limit`` of them), below the
    link to the earlier ones (those not shown, and those not read: ``earlier``)."""
    messages = conversation.messages
    hidden = max(0, len(messages) - limit)
    parts: list[str] = []
    if hidden or conversation.earlier:
        parts.append(earlier_link(hidden + conversation.earlier))
    if not messages:
        empty = translate("TicketView", "This conversation has no messages yet.")
        parts.append(f"<p>{escape(empty)}</p>")
    parts.extend(message_html(message, palette, time_zone) for message in messages[hidden:])
    return "".join(parts)


class ConversationPane(QWidget):
    """The conversation switcher (for merged tickets) above the messages of one conversation."""

    attachmentRequested = Signal(object)  # AttachmentInfo
    retryRequested = Signal(int)  # outbox id of a failed reply
    conversationChanged = Signal(int)
    # (conversation id, its oldest message shown): read the messages before it, then hand
    # them to add_earlier (or call earlier_refused)
    earlierRequested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conversations: tuple[ConversationInfo, ...] = ()
        self._time_zone: str | None = None
        self._attachments: dict[int, AttachmentInfo] = {}
        self._limit = MESSAGES_SHOWN  # how many of the newest messages are shown
        self._shown_from = 0  # index in the conversation's messages of the first one shown
        self._asking = False  # earlier messages are being read
        self._rendered_id: int | None = None
        self.link_box: QMessageBox | None = None  # the open link confirmation, if any

        self.switcher = QComboBox(self)
        self.switcher.setObjectName("ConversationSwitcher")
        self.switcher.setAccessibleName(self.tr("Conversation"))
        self.switcher_label = QLabel(self.tr("Co&nversation:"), self)
        self.switcher_label.setBuddy(self.switcher)
        self.subject_label = QLabel(self)
        self.subject_label.setObjectName("ConversationSubject")
        self.subject_label.setWordWrap(True)
        self.browser = SafeBrowser(self)
        self.browser.setObjectName("ConversationBrowser")
        self.browser.setAccessibleName(self.tr("Messages"))
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.browser.highlighted.connect(self._link_hovered)
        self.switcher.currentIndexChanged.connect(self._switched)

        row = QHBoxLayout()
        row.addWidget(self.switcher_label)
        row.addWidget(self.switcher, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.browser, 1)

    def set_conversations(self, conversations: tuple[ConversationInfo, ...],
                          time_zone: str | None) -> None:
        """Show these conversations; keeps the one shown if it is still there, else the newest."""
        keep = self.current_conversation_id()
        self._conversations = conversations
        self._time_zone = time_zone
        self.switcher.blockSignals(True)
        try:
            self.switcher.clear()
            for conversation in conversations:
                self.switcher.addItem(self._switcher_text(conversation), conversation.id)
            ids = [c.id for c in conversations]
            index = ids.index(keep) if keep in ids else self._newest_index()
            self.switcher.setCurrentIndex(index)
        finally:
            self.switcher.blockSignals(False)
        many = len(conversations) > 1
        self.switcher.setVisible(many)
        self.switcher_label.setVisible(many)
        self._render()

    def _newest_index(self) -> int:
        if not self._conversations:
            return -1
        newest = max(range(len(self._conversations)),
                     key=lambda i: (self._conversations[i].created_at, self._conversations[i].id))
        return newest

    def _switcher_text(self, conversation: ConversationInfo) -> str:
        count = len(conversation.messages) + conversation.earlier
        messages = self.tr("%n messages", "", count)
        origin = ""
        origin_id = conversation.origin_ticket_id
        if origin_id and origin_id != conversation.ticket_id:
            origin = " · " + self.tr("from #{0}").replace("{0}", str(origin_id))
        subject = conversation.subject or self.tr("(no subject)")
        return (f"{subject} · "
                f"{format_time(conversation.created_at, self._time_zone)} · {messages}{origin}")

    def current_conversation(self) -> ConversationInfo | None:
        index = self.switcher.currentIndex()
        if 0 <= index < len(self._conversations):
            return self._conversations[index]
        return None

    def current_conversation_id(self) -> int | None:
        conversation = self.current_conversation()
        return conversation.id if conversation is not None else None

    def clear(self) -> None:
        self._limit = MESSAGES_SHOWN
        self.set_conversations((), self._time_zone)

    def wanted(self) -> int:
        """How many of the newest messages a fresh read of the thread should hold: as many
        as the agent has open."""
        return max(MESSAGES_SHOWN, self._limit)

    def show_earlier(self) -> None:
        """Add the next older messages above those shown: from memory when they were read,
        else ask for them (``earlierRequested``; they arrive in :meth:`add_earlier`)."""
        conversation = self.current_conversation()
        if conversation is None or self._asking:
            return
        if self._shown_from > 0:
            start = max(0, self._shown_from - EARLIER_CHUNK)
            self._prepend(conversation, conversation.messages[start:self._shown_from], start)
        elif conversation.earlier > 0 and conversation.messages:
            self._asking = True
            self.earlierRequested.emit(conversation.id, conversation.messages[0].id)

    def add_earlier(self, conversation_id: int, before_id: int,
                    messages: tuple[MessageInfo, ...]) -> None:
        """Messages read for :meth:`show_earlier`: those just before ``before_id``, oldest
        first (none: there are no more)."""
        self._asking = False
        ids = [c.id for c in self._conversations]
        if conversation_id not in ids:
            return
        index = ids.index(conversation_id)
        old = self._conversations[index]
        if not old.messages or old.messages[0].id != before_id:
            return  # a reload changed the thread meanwhile: the agent asks again
        new = dataclasses.replace(old, messages=messages + old.messages,
                                  earlier=0 if not messages else
                                  max(0, old.earlier - len(messages)))
        self._conversations = (self._conversations[:index] + (new,)
                               + self._conversations[index + 1:])
        self.switcher.setItemText(index, self._switcher_text(new))
        if self.current_conversation_id() == conversation_id:
            self._shown_from += len(messages)
            self._prepend(new, messages, self._shown_from - len(messages))

    def earlier_refused(self) -> None:
        """The read for :meth:`show_earlier` failed: the link works again."""
        self._asking = False

    def _prepend(self, conversation: ConversationInfo, messages: tuple[MessageInfo, ...],
                 start: int) -> None:
        """Lay out ``messages`` above those shown, in place of the link (only the new
        messages are laid out), and keep what the reader looks at where it was."""
        self._attachments.update((a.id, a) for m in messages for a in m.attachments)
        self._shown_from = start
        self._limit = len(conversation.messages) - start
        document = self.browser.document()
        scroll = self.browser.verticalScrollBar()
        height, value = document.size().height(), scroll.value()
        cursor = QTextCursor(document)
        block = document.firstBlock()
        cursor.beginEditBlock()
        cursor.setPosition(block.position())
        cursor.setPosition(block.position() + block.length() - 1,
                           QTextCursor.MoveMode.KeepAnchor)
        palette, zone = self.palette(), self._time_zone
        cursor.insertHtml(earlier_link(start + conversation.earlier)
                          + "".join(message_html(m, palette, zone) for m in messages))
        cursor.endEditBlock()
        scroll.setValue(value + round(document.size().height() - height))

    def _switched(self, _index: int) -> None:
        self._limit = MESSAGES_SHOWN
        self._asking = False
        self._render()
        conversation_id = self.current_conversation_id()
        if conversation_id is not None:
            self.conversationChanged.emit(conversation_id)

    def _render(self) -> None:
        conversation = self.current_conversation()
        if conversation is None:
            self._attachments = {}
            self._rendered_id = None
            self.subject_label.clear()
            self.browser.clear()
            self.browser.safe_document().forget_images()
            return
        self._shown_from = max(0, len(conversation.messages) - self._limit)
        shown = conversation.messages[self._shown_from:]
        self._attachments = {a.id: a for m in shown for a in m.attachments}
        self.subject_label.setText(
            f"<b>{escape(conversation.subject)}</b> · {escape(conversation.inbox)} · "
            f"{escape(channel_label(conversation.channel))}"
            + (f" · {escape(conversation.contact.name)}" if conversation.contact else ""))
        scroll = self.browser.verticalScrollBar()
        same = conversation.id == self._rendered_id
        if not same:
            self._limit = MESSAGES_SHOWN
            self.browser.safe_document().forget_images()
        position = scroll.value() if same else 0
        at_end = same and scroll.value() >= scroll.maximum() - 4 and scroll.maximum() > 0
        self._rendered_id = conversation.id
        self.browser.setHtml(conversation_html(conversation, self.palette(), self._time_zone,
                                               self._limit))
        # A reload keeps the reader's place (and follows new messages when they were at the
        # end); another conversation starts at the top. Applied once the layout has run.
        QTimer.singleShot(0, self, lambda: scroll.setValue(
            scroll.maximum() if at_end else position))

    def rendered_html(self) -> str:
        return self.browser.toHtml()

    def _anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == ATTACHMENT_SCHEME:
            try:
                attachment = self._attachments.get(int(url.path()))
            except ValueError:
                attachment = None
            if attachment is not None:
                self.attachmentRequested.emit(attachment)
        elif scheme == RETRY_SCHEME:
            try:
                self.retryRequested.emit(int(url.path()))
            except ValueError:
                pass
        elif scheme == EARLIER_SCHEME:
            self.show_earlier()
        elif scheme in OPENABLE_SCHEMES:
            self.confirm_link(url)

    def confirm_link(self, url: QUrl) -> QMessageBox:
        """Show the link's real address and open it in the system's browser (or mail
        program) only if the agent confirms. Non-blocking; returns the box."""
        address = url.toDisplayString()
        host = url.host()
        encoded_host = url.host(QUrl.ComponentFormattingOption.FullyEncoded)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Open Link"),
                          self.tr("Open this address in your browser?"),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("LinkConfirmBox")
        details = [self.tr("Address: {0}").replace("{0}", address)]
        if host:
            shown_host = host if host == encoded_host else f"{host} ({encoded_host})"
            details.append(self.tr("Site: {0}").replace("{0}", shown_host))
        box.setInformativeText("\n".join(details))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = box.addButton(self.tr("&Open in Browser"),
                                    QMessageBox.ButtonRole.AcceptRole)
        open_button.setObjectName("LinkOpenButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            if box.clickedButton() is open_button:
                QDesktopServices.openUrl(url)

        box.finished.connect(finished)
        self.link_box = box
        box.show()
        return box

    def set_image_source(self, source: ImageSource | None) -> None:
        """Where ``cid:`` images come from (the stored attachments)."""
        self.browser.safe_document().image_source = source

    def _link_hovered(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        self.browser.setToolTip(url.toString() if scheme in OPENABLE_SCHEMES else "")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._conversations:
            self._render()

