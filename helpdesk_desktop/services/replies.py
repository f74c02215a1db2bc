"""Writing in a ticket: replies to the customer (queued in the outbox), internal notes and
comments with @mentions."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import ActivityKind, Direction, MessageKind
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import N_, _, ngettext
from helpdesk_desktop.domain.models import Conversation, Draft, Message, Ticket, User
from helpdesk_desktop.domain.sentences import Sentence, sentence
from helpdesk_desktop.services import access
from helpdesk_desktop.services.activity import notify_users, record_activity
from helpdesk_desktop.services.dto import MessageAdded, OpResult
from helpdesk_desktop.services.mail import outbox
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_email, without_nul

MAX_MESSAGE = 1_000_000


# -- replies and notes ---------------------------------------------------------------------


def _target_conversation(session: Session, ticket: Ticket,
                         conversation_id: int | None) -> Conversation:
    if conversation_id is not None:
        conversation = session.get(Conversation, conversation_id)
        if (conversation is None or conversation.ticket_id != ticket.id
                or conversation.spam_at is not None):
            raise NotFound(_("Conversation #{conversation_id} is not part of ticket "
                             "#{ticket_id}.").format(
                               conversation_id=conversation_id, ticket_id=ticket.id))
        return conversation
    conversation = session.scalars(
        select(Conversation).where(Conversation.ticket_id == ticket.id,
                                   Conversation.spam_at.is_(None))
        .order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(1)).first()
    if conversation is None:
        raise InvalidInput(_("Ticket #{ticket_id} has no conversation to write to.").format(
                               ticket_id=ticket.id))
    return conversation


#: (empty, too long) sentences per kind of message.
_TEXT_SENTENCES = {
    MessageKind.NOTE: (N_("A note cannot be empty."),
                       N_("A note is too long (at most {maximum} characters).")),
    MessageKind.COMMENT: (N_("A comment cannot be empty."),
                          N_("A comment is too long (at most {maximum} characters).")),
    MessageKind.REPLY: (N_("A reply cannot be empty."),
                        N_("A reply is too long (at most {maximum} characters).")),
}


def _add_message(uow: UnitOfWork, ticket_id: int, text: str, conversation_id: int | None,
                 kind: MessageKind, *, to: str | Sequence[str] | None = None,
                 cc: str | Sequence[str] | None = None,
                 mention_ids: Sequence[int] = ()) -> OpResult[MessageAdded]:
    empty, too_long = _TEXT_SENTENCES.get(kind, _TEXT_SENTENCES[MessageKind.REPLY])
    text = without_nul(text)
    if not text.strip():
        raise InvalidInput(_(empty))
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(_(too_long).format(maximum=MAX_MESSAGE))
    internal = kind.is_internal
    to_list = None if to is None or internal else address_list(to, _("To"))
    cc_list = [] if cc is None or internal else address_list(cc, _("Cc"))
    with uow:
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id)
        conversation = _target_conversation(session, ticket, conversation_id)
        if to_list is None:
            to_list = ([] if internal or conversation.contact is None
                       or not conversation.contact.email else [conversation.contact.email])
        if not internal and not to_list:
            raise InvalidInput(_("A reply needs at least one recipient (To)."))
        message = Message(
            conversation_id=conversation.id, kind=kind,
            direction=Direction.INTERNAL if internal else Direction.OUTGOING,
            author_user_id=actor.id, author_name=actor.name, author_email=actor.email,
            to_addresses=", ".join(to_list), cc_addresses=", ".join(cc_list), sent_at=uow.now,
            subject=conversation.subject, body_text=text,
        )
        session.add(message)
        session.flush()
        queued = None if internal else outbox.enqueue(uow, message, conversation)
        ticket.updated_at = uow.now
        data: dict[str, Any] = {"message_id": message.id, "conversation_id": conversation.id,
                                "kind": kind.value}
        mentioned = [user for user in _mentioned_users(session, ticket, mention_ids)
                     if user.id != actor.id] if internal else []
        if mentioned:
            data["mentioned_ids"] = [user.id for user in mentioned]
        entry = record_activity(uow, ticket, ActivityKind.MESSAGE,
                                _message_sentence(kind, actor.name), data)
        notify_users(uow, ticket, entry, mentioned)
        # What was sent is no longer a draft (one transaction: both or neither).
        session.execute(delete(Draft).where(Draft.ticket_id == ticket.id,
                                            Draft.user_id == actor.id))
        inbox_name = conversation.inbox.name
        uow.commit()
        added = MessageAdded(message.id, conversation.id, ticket.id)
        if internal:
            said = _("Note added.") if kind is MessageKind.NOTE else _("Comment added.")
        elif queued is None:
            # Never claim a send that cannot happen.
            said = _("Reply saved; it was not sent because the inbox '{inbox}' is not "
                     "connected to a mailbox.").format(inbox=inbox_name)
        else:
            said = _("Reply queued.")
            added = dataclasses.replace(added, outbox_id=queued.id,
                                        send_after=queued.next_attempt_at)
        if mentioned:
            # Translators: "Note added." + "Alice, Bob notified." -> "Note added; Alice, Bob
            # notified."
            said = ngettext("{done}; {names} notified.", "{done}; {names} notified.",
                            len(mentioned)).format(done=said.rstrip("."),
                                                   names=", ".join(u.name for u in mentioned))
        return OpResult(said, changed_ticket_ids=(ticket.id,), payload=added)


def _message_sentence(kind: MessageKind, name: str) -> Sentence:
    if kind is MessageKind.NOTE:
        return sentence("{name} added a note", name=name)
    if kind is MessageKind.COMMENT:
        return sentence("{name} commented", name=name)
    return sentence("{name} replied", name=name)


def address_list(value: str | Sequence[str], label: str) -> list[str]:
    """Clean e-mail addresses of a To/Cc field (commas or semicolons between them), once each;
    :class:`InvalidInput` naming the field for a malformed one."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        if "<" in text and text.endswith(">"):  # "Name <address>"
            text = text[text.rindex("<") + 1:-1]
        try:
            address = clean_email(text)
        except InvalidInput:
            raise InvalidInput(_("{label}: '{item}' is not a valid e-mail address.").format(
                                   label=label, item=item.strip())) \
                from None
        if address not in found:
            found.append(address)
    if len(found) > 50:
        raise InvalidInput(_("{label}: at most 50 addresses.").format(label=label))
    return found


def _mentioned_users(session: Session, ticket: Ticket, user_ids: Sequence[int]) -> list[User]:
    """The active agents of ``user_ids`` who can see ``ticket`` (the others are not told)."""
    if not user_ids:
        return []
    users = session.scalars(select(User).where(User.id.in_(set(user_ids)),
                                               User.active.is_(True)).order_by(User.id)).all()
    return [user for user in users if access.can_see(user, ticket)]


def reply(uow: UnitOfWork, ticket_id: int, text: str, conversation_id: int | None = None,
          *, to: str | Sequence[str] | None = None,
          cc: str | Sequence[str] | None = None) -> OpResult[MessageAdded]:
    """Answer the customer in a conversation (default: the ticket's latest one). ``to``
    defaults to the conversation's contact; ``cc`` is stored with the message."""
    return _add_message(uow, ticket_id, text, conversation_id, MessageKind.REPLY, to=to, cc=cc)


def add_note(uow: UnitOfWork, ticket_id: int, text: str,
             conversation_id: int | None = None) -> OpResult[MessageAdded]:
    """Add an internal note, never shown to the customer."""
    return _add_message(uow, ticket_id, text, conversation_id, MessageKind.NOTE)


def add_comment(uow: UnitOfWork, ticket_id: int, text: str, conversation_id: int | None = None,
                *, mention_ids: Sequence[int] = ()) -> OpResult[MessageAdded]:
    """An internal comment; each agent in ``mention_ids`` who can see the ticket is notified,
    whether they follow it or not."""
    return _add_message(uow, ticket_id, text, conversation_id, MessageKind.COMMENT,
                        mention_ids=mention_ids)
