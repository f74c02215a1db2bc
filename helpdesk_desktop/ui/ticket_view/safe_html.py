"""Message HTML made safe for the conversation view, off the UI thread.

Message HTML was sanitized when it was stored; the view sanitizes it once more, which keeps it
safe even for rows written by older versions (or by hand). ``nh3`` takes about half a second on
a 2 MB body, so the sanitizing happens in the background job that reads the ticket
(:func:`read_ticket`), and the conversation pane receives :class:`SafeHtml`, which it shows as
it is. Any other HTML that reaches the pane is still sanitized there (:func:`safe_html`), so
nothing unsanitized is ever shown.
"""

from __future__ import annotations

import dataclasses

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.dto import MessageInfo, OpenedTicket, TicketDetail
from helpdesk_desktop.services.html_sanitize import sanitize_html


class SafeHtml(str):
    """HTML that went through :func:`sanitize_html` (made only by :func:`safe_html`)."""

    __slots__ = ()


def safe_html(html: str) -> SafeHtml:
    """``html`` sanitized, unless it already is."""
    return html if isinstance(html, SafeHtml) else SafeHtml(sanitize_html(html))


def _safe_message(message: MessageInfo) -> MessageInfo:
    if not message.html or isinstance(message.html, SafeHtml):
        return message
    return dataclasses.replace(message, html=safe_html(message.html))


def with_safe_html(detail: TicketDetail) -> TicketDetail:
    """``detail`` with every message's HTML sanitized (slow for big bodies: not on the UI
    thread)."""
    conversations = tuple(
        dataclasses.replace(conversation,
                            messages=tuple(_safe_message(m) for m in conversation.messages))
        for conversation in detail.conversations)
    return dataclasses.replace(detail, conversations=conversations)


def read_ticket(desk: Desk, ticket_id: int, *, mark_read: bool = False,
                last_messages: int | None = None) -> TicketDetail:
    """:meth:`Desk.ticket` with its messages' HTML ready to show; call it in a background job.
    ``last_messages``: only the newest of each conversation (the rest: :func:`read_earlier`)."""
    return with_safe_html(desk.ticket(ticket_id, mark_read=mark_read,
                                      last_messages=last_messages))


def read_opened(desk: Desk, ticket_id: int, last_messages: int) -> OpenedTicket:
    """:meth:`Desk.open_ticket` with its messages' HTML ready to show (a background job)."""
    opened = desk.open_ticket(ticket_id, last_messages=last_messages)
    return dataclasses.replace(opened, detail=with_safe_html(opened.detail))


def read_earlier(desk: Desk, conversation_id: int, before_id: int,
                 limit: int) -> tuple[MessageInfo, ...]:
    """:meth:`Desk.earlier_messages` with their HTML ready to show (a background job)."""
    return tuple(_safe_message(m) for m in desk.earlier_messages(conversation_id, before_id,
                                                                 limit))
