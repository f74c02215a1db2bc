"""Replying from the ticket view: the composer's draft, and sending with the checks around it.

:class:`ReplyFlow` is a part of :class:`~.view.TicketView` (a mixin): it loads the agent's
draft when a ticket opens, keeps it as they type (off the UI thread), and sends a reply only
after asking, off the UI thread, whether the customer wrote again since the ticket was opened.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import DraftInfo, MessageAdded, OpResult, UserInfo
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.ticket_view.composer import ComposeMode, Composer, ComposeRequest
from helpdesk_desktop.ui.ticket_view.conflict import Banner
from helpdesk_desktop.ui.ticket_view.conversation import ConversationPane

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


class ReplyFlow:
    """The composer side of the ticket view (see the module docstring)."""

    if TYPE_CHECKING:  # provided by TicketView
        _bridge: DeskBridge
        _ticket_id: int | None
        _users: list[UserInfo]
        _seen_incoming: int | None
        _shown_default_to: str
        _draft_saves: int
        _send_after_save: tuple[int, int | None, ComposeRequest] | None
        _sending_for: int | None
        wrote_again_box: QMessageBox | None
        composer: Composer
        conversation: ConversationPane
        error_banner: Banner

        def reload(self) -> None: ...
        def _run_op(self, ticket_id: int, operation: Callable[[Desk], Any],
                    on_done: Callable[[Any], None] | None = None,
                    on_error: Callable[[str, BaseException], None] | None = None) -> None: ...

    def _load_composer(self, ticket_id: int, signature: str, draft: DraftInfo | None) -> None:
        """The agent's draft on this ticket (kept in the database, read with the ticket), else
        an empty reply to the conversation's contact; the signature and the agents to
        @mention."""
        self.composer.set_agents([u for u in self._users if u.help_desk_access
                                  or u.super_admin])
        self.composer.set_signature(signature)
        self._shown_default_to = self._default_to()
        if draft is not None:
            mode = ComposeMode(draft.mode) if draft.mode in set(ComposeMode) else \
                ComposeMode.REPLY
            self.composer.load(mode, draft.body, draft.to or self._default_to(), draft.cc)
        else:
            self.composer.load(ComposeMode.REPLY, "", self._default_to(), "")
        self.composer.set_busy(self._sending_for == ticket_id)

    def _conversation_switched(self, _conversation_id: int) -> None:
        """A reply goes to the conversation shown: To follows the switcher unless the agent
        typed their own recipients."""
        if self.composer.to_edit.text().strip() in ("", self._shown_default_to):
            self.composer.to_edit.setText(self._default_to())
        self._shown_default_to = self._default_to()

    def _default_to(self) -> str:
        conversation = self.conversation.current_conversation()
        if conversation is None or conversation.contact is None:
            return ""
        return conversation.contact.email or ""

    def _send(self, request: ComposeRequest) -> None:
        if self._ticket_id is None:
            return
        ticket_id = self._ticket_id
        conversation_id = self.conversation.current_conversation_id()
        if request.mode is not ComposeMode.REPLY:
            self._dispatch(ticket_id, conversation_id, request)
            return
        # A reply first asks, off the UI thread, whether the customer wrote again meanwhile.
        self._sending_for = ticket_id
        self.composer.set_busy(True)
        seen = self._seen_incoming

        def checked(latest: int | None) -> None:
            self._sending_for = None
            if self._customer_wrote_again(ticket_id, request, latest, seen):
                self.composer.set_busy(False)  # the reply waits in the box
            else:
                self._dispatch(ticket_id, conversation_id, request)

        self._bridge.run(lambda desk, _p: desk.latest_customer_message_id(ticket_id), checked,
                         lambda _message: checked(None),  # the send itself will say why
                         owner=self)

    def _dispatch(self, ticket_id: int, conversation_id: int | None,
                  request: ComposeRequest) -> None:
        """Store the message (after any draft save in flight)."""
        self._sending_for = ticket_id
        self.composer.set_busy(True)
        if self._draft_saves:
            self._send_after_save = (ticket_id, conversation_id, request)
            return
        self.error_banner.hide()

        def work(desk: Desk) -> OpResult[MessageAdded]:
            if request.mode is ComposeMode.NOTE:
                return desk.add_note(ticket_id, request.text, conversation_id)
            if request.mode is ComposeMode.COMMENT:
                return desk.add_comment(ticket_id, request.text, conversation_id,
                                        mention_ids=request.mention_ids)
            return desk.reply(ticket_id, request.text, conversation_id, to=request.to,
                              cc=request.cc)

        def done(result: OpResult[MessageAdded]) -> None:
            self._sending_for = None
            if self._ticket_id == ticket_id:
                self.composer.sent(result.message)
            else:
                self.composer.set_busy(False)

        def failed(message: str, _exc: BaseException) -> None:
            self._sending_for = None
            self.composer.set_busy(False)  # the text stays in the box, and is kept as draft
            if self._ticket_id == ticket_id:
                self.error_banner.show_message(escape(message, quote=False))
                self._save_draft_later()

        self._run_op(ticket_id, work, done, failed)

    def _customer_wrote_again(self, ticket_id: int, request: ComposeRequest,
                              latest: int | None, seen: int | None) -> bool:
        """Whether the customer wrote since the ticket was opened (``latest``: their newest
        message now, read off the UI thread; ``seen``: the newest shown when Send was
        pressed); if so, ask (non-blocking) whether to send anyway or review first, and hold
        the reply. The agent may have opened another ticket while it was read: then the reply
        is held (its draft was kept when the ticket changed)."""
        if latest is None or (seen is not None and latest <= seen):
            return False
        if self._ticket_id != ticket_id:
            return True
        assert isinstance(self, QWidget)
        box = QMessageBox(QMessageBox.Icon.Warning, translate("TicketView", "Customer Wrote Again"),
                          translate("TicketView", "The customer wrote again since you opened this ticket."),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("WroteAgainBox")
        box.setInformativeText(translate("TicketView", "Read the new message before your reply goes out?"))
        review = box.addButton(translate("TicketView", "&Review First"), QMessageBox.ButtonRole.RejectRole)
        review.setObjectName("WroteAgainReview")
        send = box.addButton(translate("TicketView", "&Send Anyway"), QMessageBox.ButtonRole.AcceptRole)
        send.setObjectName("WroteAgainSend")
        box.setDefaultButton(review)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            self._seen_incoming = latest  # asked once per new message
            if self._ticket_id != ticket_id:
                return
            if box.clickedButton() is send:
                self._send(request)
            else:
                self.reload()  # shows the new message; the reply stays in the box

        box.finished.connect(finished)
        # Kept as a draft now: the box is not modal and the agent may open another ticket.
        self._save_draft_now(ticket_id, *self.composer.draft())
        self.wrote_again_box = box
        box.show()
        return True

    def _keep_draft(self) -> None:
        """Before the ticket changes or the view hides: keep an edit not saved yet (now, on
        this thread: it is one small row)."""
        if self._ticket_id is None or not self.composer.take_pending_draft():
            return
        self._save_draft_now(self._ticket_id, *self.composer.draft())

    def _save_draft_later(self) -> None:
        """The agent paused typing: keep the draft in the background."""
        if self._ticket_id is None:
            return
        ticket_id = self._ticket_id
        mode, body, to, cc = self.composer.draft()
        self._draft_saves += 1
        self._bridge.run(lambda desk, _progress: desk.save_draft(ticket_id, mode, body, to, cc),
                         on_done=self._draft_saved, on_error=self._draft_failed, owner=self)

    def _draft_saved(self, _result: object = None) -> None:
        self._draft_saves = max(0, self._draft_saves - 1)
        if self._send_after_save is not None and not self._draft_saves:
            (ticket_id, conversation_id, request), self._send_after_save = (
                self._send_after_save, None)
            self._dispatch(ticket_id, conversation_id, request)

    def _save_draft_now(self, ticket_id: int, mode: str, body: str, to: str, cc: str) -> None:
        try:
            self._bridge.desk.save_draft(ticket_id, mode, body, to, cc)
        except HelpDeskError as exc:
            self.composer.status.setText(translate("TicketView", "Draft not kept: {0}").replace("{0}", str(exc)))

    def _draft_failed(self, message: str) -> None:
        self.composer.status.setText(translate("TicketView", "Draft not kept: {0}").replace("{0}", message))
        if self._draft_saves:
            self._draft_saved()
