"""What a transcript holds, built from the facade's data objects (never from the database).

By default a transcript holds only what the customer and the agents said to each other — customer
e-mails, agent replies and chat messages — in the order they were sent. Internal notes and
comments come in only when asked for (and are then marked as internal); activity, sidebar data
and spam conversations never do.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from helpdesk_desktop.domain.enums import Direction, MessageKind
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.services.dto import (
    ConversationInfo,
    MessageInfo,
    TicketDetail,
    UserInfo,
)
from helpdesk_desktop.services.html_sanitize import html_to_text
from helpdesk_desktop.transcripts import formats
from helpdesk_desktop.transcripts.labels import Labels
from helpdesk_desktop.transcripts.masking import ContactMasker, NoMasking
from helpdesk_desktop.transcripts.options import TranscriptOptions

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TranscriptMessage:
    id: int
    kind: MessageKind
    kind_label: str
    internal: bool
    state: str  # "sent" / "received" (translated), empty for internal messages
    sender: str  # "Name <address>", masked when asked
    to: str
    cc: str
    date: str  # in the viewer's time zone, zone named
    subject: str | None  # only when it differs from the one before
    body: str  # plain text, paragraphs separated by blank lines
    attachments: tuple[str, ...]  # "name (size)"


@dataclass(frozen=True)
class TranscriptConversation:
    id: int
    subject: str
    channel: str
    messages: tuple[TranscriptMessage, ...]
    origin: str = ""  # "from #1998" for a conversation merged in from another ticket


@dataclass(frozen=True)
class TranscriptEvent:
    date: str
    actor: str
    summary: str


@dataclass(frozen=True)
class Transcript:
    ticket_id: int
    ticket_name: str
    customer: str
    company: str
    status: str
    printed_at: str
    time_zone: str
    author: str  # the agent who printed it (PDF metadata and the page)
    conversations: tuple[TranscriptConversation, ...]
    options: TranscriptOptions
    labels: Labels
    ticket_conversations: int = 1  # how many (non-spam) conversations the ticket has
    priority: str = ""
    owner: str = ""
    category: str = ""
    pipeline: str = ""
    created: str = ""
    customer_phone: str = ""
    events: tuple[TranscriptEvent, ...] = ()
    organisation: str = ""  # the company name from the workspace settings
    logo: bytes | None = None  # PNG/JPEG from the workspace settings

    @property
    def printed_by(self) -> str:
        return self.labels.printed_by.format(agent=self.author, date=self.printed_at)

    @property
    def header_rows(self) -> list[tuple[str, str]]:
        """The ticket's properties as (label, value) rows, in print order."""
        labels = self.labels
        return [(labels.status, self.status), (labels.priority, self.priority),
                (labels.owner, self.owner), (labels.category, self.category),
                (labels.pipeline, self.pipeline), (labels.created, self.created),
                (labels.customer, self.customer), (labels.phone, self.customer_phone),
                (labels.company, self.company), (labels.time_zone, self.time_zone)]

    @property
    def title(self) -> str:
        number = self.labels.number.replace("{id}", str(self.ticket_id))
        return f"{self.labels.ticket} {number}{self.labels.colon}{self.ticket_name}"

    @property
    def subject(self) -> str:
        """A one-line description for the PDF's metadata."""
        names = ", ".join(c.subject for c in self.conversations if c.subject)
        return f"{self.labels.conversation}{self.labels.colon}{names}" if names else self.title

    @property
    def messages(self) -> tuple[TranscriptMessage, ...]:
        return tuple(m for c in self.conversations for m in c.messages)


class TicketSource(Protocol):
    """What :func:`load_transcript` needs of the facade (``application.desk.Desk`` fits)."""

    def ticket(self, ticket_id: int, *, mark_read: bool = False,
               first_messages: int | None = None) -> TicketDetail: ...
    def me(self) -> UserInfo: ...
    def users(self) -> list[UserInfo]: ...


def load_transcript(source: TicketSource, ticket_id: int, options: TranscriptOptions,
                    conversation_id: int | None = None, *, labels: Labels | None = None,
                    printed_at: dt.datetime | None = None,
                    progress: Progress | None = None,
                    first_messages: int | None = None) -> Transcript:
    """Fetches the ticket through the facade and builds its transcript (the one code path of
    the window, the PDF export and the CLI). With ``first_messages``, only the start of it:
    the oldest messages of each conversation, no activity timeline (a preview's first page;
    not for choosing "the latest conversation", which needs them all)."""
    detail = source.ticket(ticket_id, first_messages=first_messages)
    viewer = source.me()
    agents = source.users()
    branding = getattr(source, "transcript_branding", None)
    organisation, logo = branding() if callable(branding) else ("", None)
    return build_transcript(detail, options, viewer=viewer, agents=agents,
                            conversation_id=conversation_id, labels=labels,
                            printed_at=printed_at, progress=progress,
                            organisation=organisation, logo=logo)


def build_transcript(detail: TicketDetail, options: TranscriptOptions, *, viewer: UserInfo,
                     agents: Sequence[UserInfo] = (), conversation_id: int | None = None,
                     labels: Labels | None = None, printed_at: dt.datetime | None = None,
                     progress: Progress | None = None, organisation: str = "",
                     logo: bytes | None = None) -> Transcript:
    """The transcript of ``detail`` as ``viewer`` prints it (their time zone, their name).

    With ``all_conversations`` (the default) every conversation is printed, oldest first, each
    headed by the ticket it was merged in from; without it only one: ``conversation_id``, or
    when that is ``None`` the conversation with the most recent message.
    """
    labels = labels or Labels()
    zone = _zone(viewer.time_zone)
    conversations = _chosen_conversations(detail, options, conversation_id)
    masker = _masker(detail, conversations, agents, labels) if options.mask_contacts \
        else NoMasking()
    total = sum(len(c.messages) for c in conversations)
    done = 0
    built: list[TranscriptConversation] = []
    for conversation in conversations:
        messages: list[TranscriptMessage] = []
        shown_subject = _subject_key(conversation.subject)
        for message in sorted(conversation.messages, key=lambda m: (m.sent_at, m.id)):
            done += 1
            if progress and done % 50 == 0:
                progress(done, total)
            if message.kind.is_internal and not options.include_notes:
                continue
            subject_key = _subject_key(message.subject)
            subject = None
            if message.subject and subject_key != shown_subject:
                subject = message.subject
                shown_subject = subject_key
            messages.append(_message(message, subject, zone, masker, labels, options))
        origin = conversation.origin_ticket_id
        built.append(TranscriptConversation(
            id=conversation.id, subject=masker.mask(conversation.subject),
            channel=str(conversation.channel), messages=tuple(messages),
            origin=labels.origin.format(ticket=origin) if origin and origin != detail.id
            else ""))
    if progress:
        progress(total, total)
    contact = detail.contacts[0] if detail.contacts else None
    customer = ""
    if contact is not None:
        customer = f"{contact.name} <{contact.email}>" if contact.email else contact.name
    company = (detail.companies[0].name if detail.companies
               else (contact.company_name if contact and contact.company_name else ""))
    now = (printed_at or dt.datetime.now(dt.UTC)).astimezone(zone)
    row = detail.row
    events: tuple[TranscriptEvent, ...] = ()
    if options.include_events:
        events = tuple(TranscriptEvent(date=format_time(a.created_at.astimezone(zone),
                                                        labels.locale),
                                       actor=a.actor or "", summary=masker.mask(a.summary))
                       for a in sorted(detail.activities, key=lambda a: (a.created_at, a.id)))
    return Transcript(
        ticket_id=detail.id, ticket_name=row.name, customer=customer, company=company,
        status=row.status, printed_at=format_time(now, labels.locale), time_zone=str(zone.key),
        author=viewer.name, conversations=tuple(built), options=options, labels=labels,
        ticket_conversations=len([c for c in detail.conversations if not c.spam]),
        priority=labels.priorities.get(str(row.priority), "") if row.priority else "",
        owner=row.owner or labels.unassigned,
        category=labels.categories.get(str(row.category), "") if row.category else "",
        pipeline=row.pipeline,
        created=format_time(row.created_at.astimezone(zone), labels.locale),
        customer_phone=contact.phone or "" if contact else "", events=events,
        organisation=organisation, logo=logo,
    )


def format_time(moment: dt.datetime, locale: str = formats.DEFAULT_LOCALE) -> str:
    """``Mon, Mar 2, 2026, 10:00 AM CET``: the zone's abbreviation is named after the time."""
    return formats.format_moment(moment, locale)


def format_size(size: int, units: Sequence[str] = Labels().size_units,
                locale: str = formats.DEFAULT_LOCALE) -> str:
    """``193 bytes``, ``2.4 MB`` (``2,4 Mo`` in French, with translated units)."""
    return formats.format_size(size, tuple(units), locale)


# -- helpers ---------------------------------------------------------------------------------

_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv|tr|wg)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def _subject_key(subject: str) -> str:
    return " ".join(_SUBJECT_PREFIX.sub("", subject or "").split()).casefold()


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _chosen_conversations(detail: TicketDetail, options: TranscriptOptions,
                          conversation_id: int | None) -> list[ConversationInfo]:
    live = [c for c in detail.conversations if not c.spam]
    if options.all_conversations:
        def first(c: ConversationInfo) -> tuple[dt.datetime, int]:
            return (min((m.sent_at for m in c.messages), default=c.created_at), c.id)

        return sorted(live, key=first)
    if conversation_id is not None:
        chosen = [c for c in live if c.id == conversation_id]
        if not chosen:
            raise InvalidInput(
                f"Ticket #{detail.id} has no conversation #{conversation_id} to print.")
        return chosen
    if not live:
        return []

    def latest(c: ConversationInfo) -> tuple[dt.datetime, int]:
        return (max((m.sent_at for m in c.messages), default=c.created_at), c.id)

    return [max(live, key=latest)]


def _masker(detail: TicketDetail, conversations: Sequence[ConversationInfo],
            agents: Sequence[UserInfo], labels: Labels) -> ContactMasker:
    customers = list(detail.contacts) + [c.contact for c in conversations if c.contact]
    agent_emails = [a.email for a in agents]
    return ContactMasker(
        known_emails=[*(c.email for c in customers), *agent_emails],
        known_phones=[c.phone for c in customers],
        own_domains=[e.rpartition("@")[2] for e in agent_emails if "@" in e],
        email_mask=labels.email_mask, phone_mask=labels.phone_mask,
    )


def _message(message: MessageInfo, subject: str | None, zone: zoneinfo.ZoneInfo,
             masker: ContactMasker, labels: Labels,
             options: TranscriptOptions) -> TranscriptMessage:
    sender = (f"{message.author} <{message.author_email}>" if message.author_email
              else message.author)
    body = html_to_text(message.html) if message.html else message.text
    return TranscriptMessage(
        id=message.id, kind=message.kind, kind_label=labels.kinds.get(message.kind, ""),
        internal=message.kind.is_internal,
        state=(labels.received if message.direction == Direction.INCOMING
               else labels.sent if message.direction == Direction.OUTGOING else ""),
        sender=masker.mask(sender),
        to=masker.mask(message.to or ""), cc=masker.mask(message.cc or ""),
        date=format_time(message.sent_at.astimezone(zone), labels.locale),
        subject=masker.mask(subject) if subject else None,
        body=masker.mask(_normalize_body(body)),
        attachments=tuple(f"{a.filename} ({format_size(a.size, labels.size_units, labels.locale)})"
                          for a in message.attachments) if options.include_attachments else (),
    )


def _normalize_body(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
