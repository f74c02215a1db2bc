"""The older part of a long thread, read a chunk at a time.

The ticket view opens a ticket with only the newest messages of each conversation
(:func:`tickets.get_ticket` with ``last_messages``, read by :mod:`.detail_read`); the agent
scrolls or clicks back for the rest, which this module reads by key: the messages before a given one, newest chunk first, on
the ``ix_messages_conversation_sent`` index.
"""

from __future__ import annotations

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Conversation, Message
from helpdesk_desktop.services import access
from helpdesk_desktop.services.dto import MessageInfo
from helpdesk_desktop.services.listing import visible_states
from helpdesk_desktop.services.mapping import message_info
from helpdesk_desktop.services.uow import UnitOfWork


def earlier_messages(uow: UnitOfWork, conversation_id: int, before_message_id: int,
                     limit: int) -> tuple[MessageInfo, ...]:
    """Up to ``limit`` messages of ``conversation_id`` just older than ``before_message_id``
    (in the thread's order: sent time, then id), oldest first. The conversation must be on a
    ticket the actor sees, and not in spam."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        missing = NotFound(_("Conversation #{conversation_id} does not exist or you cannot "
                             "see it.").format(conversation_id=conversation_id))
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or conversation.ticket_id is None \
                or conversation.spam_at is not None:
            raise missing
        try:
            access.get_visible_ticket(session, actor, conversation.ticket_id,
                                      states=visible_states(actor), follow_merges=False)
        except NotFound:
            raise missing from None
        anchor = session.execute(
            select(Message.sent_at, Message.id)
            .where(Message.id == before_message_id,
                   Message.conversation_id == conversation_id)).first()
        if anchor is None:
            return ()
        older = list(session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id,
                   tuple_(Message.sent_at, Message.id) < tuple_(anchor.sent_at, anchor.id))
            .order_by(Message.sent_at.desc(), Message.id.desc()).limit(max(0, limit))
            .options(selectinload(Message.attachments))))
        return tuple(message_info(m) for m in reversed(older))
