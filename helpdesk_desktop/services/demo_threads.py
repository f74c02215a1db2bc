"""Planning demo tickets: who wrote what, when, in which thread, and who read or follows it.

:class:`ThreadPlanner` draws every choice from the seeded generator and returns plain records
(:class:`TicketPlan`); :mod:`helpdesk_desktop.services.demo_writer` turns them into rows. The
order of the draws is what makes a seed give the same data, so change it only on purpose.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from itertools import accumulate
from typing import Any

from helpdesk_desktop.domain.enums import Channel, MessageKind, Priority, TicketState
from helpdesk_desktop.services import demo_content as content
from helpdesk_desktop.services.demo_workspace import Agent, Person, Setup
from helpdesk_desktop.services.html_sanitize import html_to_text


@dataclass
class Msg:
    kind: MessageKind
    sent_at: dt.datetime
    text: str
    html: str | None = None
    agent: Agent | None = None
    header: str | None = None
    in_reply_to: str | None = None
    references: str | None = None
    attachment: tuple[str, str, bytes] | None = None
    #: What an agent's HTML reply was made of (:func:`_reply_html`'s arguments), so that a
    #: reply quoting it renders its text without parsing it.
    html_parts: tuple[Any, ...] | None = None


@dataclass
class Conv:
    subject: str
    created_at: dt.datetime
    messages: list[Msg]


@dataclass
class TicketPlan:
    row: dict[str, Any]
    contact: Person
    conversations: list[Conv]
    followers: list[Agent]
    readers: list[tuple[Agent, dt.datetime]]
    owner: Agent | None
    closed_status_change: bool
    spam: bool
    deal_id: int | None


class ThreadPlanner:
    """Plans tickets and their threads from the seeded generator."""

    def __init__(self, setup: Setup, rng: random.Random, now: dt.datetime, seed: int,
                 first_number: int) -> None:
        self.setup = setup
        self.rng = rng
        # The generator's own draws without the layers of randint/choice/choices (the
        # values are the same: see _below and tests/services/test_demo_bulk.py).
        self._below = _below(rng)
        self.now = now
        self.seed = seed
        self.number = first_number  # runs on, so Message-IDs stay unique across demo runs
        self.repliers = [a for a in setup.agents if a.seat] or setup.agents
        self.no_seat = [a for a in setup.agents if not a.seat]
        # Worked out once instead of for every ticket (the draws from them are the same).
        pipelines = setup.pipelines
        weights = [80, 12, 8][:len(pipelines)] + [4] * max(0, len(pipelines) - 3)
        self._pipeline_weights = list(accumulate(weights))
        self._statuses = {pipeline_id: ([s for s, closed in statuses if not closed],
                                        [s for s, closed in statuses if closed])
                          for pipeline_id, statuses in pipelines}
        self._requests = {language: [r for r in content.REQUESTS if r.language == language]
                          for language in {r.language for r in content.REQUESTS}}

    def next_number(self) -> int:
        """The next thread number (part of every Message-ID the demo makes)."""
        number = self.number
        self.number += 1
        return number

    def plan(self, age_days: float, kind: str) -> TicketPlan:
        """One ticket created ``age_days`` ago; ``kind`` is "spam", "followed" or ""."""
        rng = self.rng
        below = self._below
        number = self.next_number()
        created = self.now - dt.timedelta(days=age_days, minutes=below(60))
        if kind == "spam":
            return self._plan_spam(created, number)
        pipeline_id, statuses = self._pick_pipeline()
        request = content.REQUESTS[below(len(content.REQUESTS))]
        language = request.language
        contacts = self.setup.contacts[language]
        contact = contacts[below(len(contacts))]
        owner = self._pick_owner()
        closed_share = 0.85 if age_days > 21 else 0.3 if age_days > 3 else 0.05
        closed = rng.random() < closed_share
        open_statuses, closed_statuses = self._statuses[pipeline_id]
        if closed and closed_statuses:
            status_id, stage = closed_statuses[0], "closed"
        else:
            closed = False
            position = below(len(open_statuses)) if owner else 0
            status_id = open_statuses[position] if open_statuses else statuses[0][0]
            stage = ("new", "waiting_contact", "waiting_us")[min(position, 2)]
        ref = f"{_REF_KINDS[below(3)]}-{10000 + below(90000)}"
        fill = {"ref": ref, "first": contact.name.split()[0], "customer": contact.name}
        subject = request.subject.format(**fill)
        conversations = [self._thread(request, fill, contact, owner, created, stage, number, 0,
                                      subject)]
        if rng.random() < 0.03:  # the customer wrote again in a separate thread
            later = min(self.now, conversations[0].messages[-1].sent_at
                        + dt.timedelta(hours=1 + below(48)))
            others = self._requests[language]
            other = others[below(len(others))]
            conversations.append(self._thread(other, fill, contact, owner, later, "waiting_us",
                                              number, 1, other.subject.format(**fill)))
        last = max(m.sent_at for c in conversations for m in c.messages)
        priority = _PRIORITIES[bisect(_PRIORITY_WEIGHTS, rng.random() * _PRIORITY_TOTAL, 0, 4)]
        if "URGENT" in request.first:
            priority = Priority.URGENT
        row = {
            "name": subject,
            "description": "" if rng.random() < 0.7 else request.first.format(**fill)[:200],
            "pipeline_id": pipeline_id, "status_id": status_id, "priority": priority,
            "category": request.category if rng.random() < 0.9 else None,
            "owner_id": owner.id if owner else None, "inbox_id": self.setup.help_desk[0],
            "source": Channel.EMAIL, "created_at": created, "updated_at": last,
            "last_activity_at": last, "closed_at": last if closed else None,
            "state": TicketState.LIVE, "spam_at": None, "deleted_at": None,
            "merged_into_id": None, "version": 1 + (1 if closed else 0) + (1 if owner else 0),
            # Its only contact's name, as the contact sort triggers keep it (migration
            # 0009): written with the row, so a bulk build need not work it out again.
            "contact_sort": contact.name,
        }
        followers: list[Agent] = []
        if kind == "followed":
            followers = rng.sample(self.setup.agents, k=min(len(self.setup.agents),
                                                            rng.randint(1, 2)))
        readers: list[tuple[Agent, dt.datetime]] = []
        for agent in ([owner] if owner else []) + self.setup.agents[:1]:
            if rng.random() < (0.8 if closed else 0.5) and agent not in [r for r, _ in readers]:
                readers.append((agent, last))
        deal_id = None
        if contact.company_id and self.setup.deals and rng.random() < 0.1:
            deal_id = self.setup.deals[below(len(self.setup.deals))]
        return TicketPlan(row=row, contact=contact, conversations=conversations,
                           followers=followers, readers=readers, owner=owner,
                           closed_status_change=closed, spam=False, deal_id=deal_id)

    def _plan_spam(self, created: dt.datetime, number: int) -> TicketPlan:
        name, email, subject, body = self.rng.choice(content.SPAM)
        pipeline_id, statuses = self.setup.pipelines[0]
        spam_at = min(self.now, created + dt.timedelta(hours=self.rng.randint(1, 30)))
        message = Msg(MessageKind.EMAIL, created, body, header=self.header(number, 0, email))
        row = {
            "name": subject, "description": "", "pipeline_id": pipeline_id,
            "status_id": statuses[0][0], "priority": None, "category": None, "owner_id": None,
            "inbox_id": self.setup.help_desk[0], "source": Channel.EMAIL, "created_at": created,
            "updated_at": spam_at, "last_activity_at": spam_at, "closed_at": None,
            "state": TicketState.SPAM, "spam_at": spam_at, "deleted_at": None,
            "merged_into_id": None, "version": 1, "contact_sort": None,  # no contact
        }
        sender = Person(0, name, email, None, "en")
        return TicketPlan(row=row, contact=sender,
                           conversations=[Conv(subject, created, [message])], followers=[],
                           readers=[], owner=None, closed_status_change=False, spam=True,
                           deal_id=None)

    def _pick_pipeline(self) -> tuple[int, list[tuple[int, bool]]]:
        pipelines, weights = self.setup.pipelines, self._pipeline_weights
        return pipelines[bisect(weights, self.rng.random() * (weights[-1] + 0.0), 0,
                                len(pipelines) - 1)]

    def _pick_owner(self) -> Agent | None:
        roll = self.rng.random()
        if roll < 0.2:
            return None
        if roll < 0.25 and self.no_seat:
            return self.no_seat[self._below(len(self.no_seat))]
        return self.repliers[self._below(len(self.repliers))]

    def header(self, number: int, index: int, email: str) -> str:
        """The Message-ID of message ``index`` of thread ``number``, at ``email``'s domain."""
        domain = email.split("@", 1)[-1] if "@" in email else "example.com"
        return f"<demo.{self.seed}.{number}.{index}@{domain}>"

    def _thread(self, request: content.Request, fill: dict[str, str], contact: Person,
                owner: Agent | None, start: dt.datetime, stage: str, number: int,
                conv_index: int, subject: str) -> Conv:
        """One e-mail thread. ``stage`` says where it stops: the customer waits for a first
        answer (new), the agent waits for the customer, the customer waits, or it is over."""
        rng = self.rng
        below = self._below
        language = request.language
        repliers = self.repliers
        agent = owner if owner is not None and owner.seat else repliers[below(len(repliers))]
        agent_fill = {**fill, "agent": agent.name}
        steps = tuple(step.format(**fill) for step in request.steps)
        greeting = content.GREETING[language].format(**fill)
        sign_off = content.SIGN_OFF[language].format(**agent_fill)
        customer_sign = content.CUSTOMER_SIGN_OFF[language].format(**fill)

        plan: list[MessageKind] = [MessageKind.EMAIL]
        if stage != "new":
            if rng.random() < 0.35:
                plan.append(MessageKind.NOTE)
            plan.append(MessageKind.REPLY)
            if stage in ("waiting_us", "closed") and rng.random() < (0.9 if stage ==
                                                                     "waiting_us" else 0.6):
                plan.append(MessageKind.EMAIL)
                if rng.random() < 0.15:
                    plan.append(MessageKind.COMMENT)
                if stage == "closed":
                    plan.append(MessageKind.REPLY)
        elif rng.random() < 0.15:
            plan.append(MessageKind.NOTE)

        messages: list[Msg] = []
        when = start
        customer_count = reply_count = 0
        headers: list[str] = []
        for index, kind in enumerate(plan):
            if index:
                gap = dt.timedelta(minutes=8 + below(60 * 30 - 7))
                if when + gap > self.now:  # a recent ticket: squeeze the thread in before now
                    gap = (self.now - when) * rng.uniform(0.2, 0.6)
                when += gap
            if kind is MessageKind.EMAIL:
                body = (request.first if customer_count == 0 else request.followup).format(**fill)
                hello = content.GREETING[language].split(" ")[0]
                signature = customer_sign if customer_count == 0 else contact.name
                text = f"{hello},\n\n{body}\n\n{signature}"
                html = None
                if customer_count and rng.random() < 0.4 and messages:
                    quoted = next((m for m in reversed(messages)
                                   if m.kind is MessageKind.REPLY), None)
                    if quoted is not None:
                        html = _quoted_html(text, quoted, language)
                        text = quoted_text(text, quoted, language)
                attachment = None
                if customer_count == 0 and rng.random() < 0.08:
                    attachment = content.ATTACHMENTS[below(len(content.ATTACHMENTS))]
                header = self.header(number, conv_index * 10 + index, contact.email)
                messages.append(Msg(kind, when, text, html, None, header,
                                     headers[-1] if headers else None,
                                     " ".join(headers) or None, attachment))
                headers.append(header)
                customer_count += 1
            elif kind is MessageKind.REPLY:
                parts = None
                if reply_count == 0:
                    body = request.reply.format(**fill)
                    text = _reply_text(greeting, body, steps, language, request.slug, sign_off)
                    html = None
                    if rng.random() < 0.35:
                        parts = (greeting, body, steps, request.slug, language, sign_off)
                        html = _reply_html(*parts)
                else:
                    text = f"{greeting}\n\n{request.closing.format(**fill)}\n\n{sign_off}"
                    html = None
                header = self.header(number, conv_index * 10 + index, "support@example.com")
                messages.append(Msg(kind, when, text, html, agent, header,
                                     headers[-1] if headers else None,
                                     " ".join(headers) or None, html_parts=parts))
                headers.append(header)
                reply_count += 1
            else:
                others = [a for a in self.repliers if a.id != agent.id] or self.repliers
                author = others[below(len(others))]
                text = (request.note.format(**fill) if kind is MessageKind.NOTE else
                        ("@" + agent.name.split()[0] + " " +
                         ("peux-tu vérifier ?" if language == "fr" else "can you double-check?")))
                messages.append(Msg(kind, when, text, None, author))
        return Conv(subject, start, messages)


def _reply_text(greeting: str, body: str, steps: tuple[str, ...], language: str, slug: str,
                sign_off: str) -> str:
    lines = [greeting, "", body, ""]
    lines += [f"{n}. {step}" for n, step in enumerate(steps, 1)]
    more = "Plus de détails :" if language == "fr" else "More details:"
    lines += ["", f"{more} {content.HELP_LINK.format(slug=slug)}", "", sign_off]
    return "\n".join(lines)


def _reply_html(greeting: str, body: str, steps: tuple[str, ...], slug: str, language: str,
                sign_off: str) -> str:
    items = "".join(f"<li>{escape(step)}</li>" for step in steps)
    link = content.HELP_LINK.format(slug=slug)
    label = "notre article d'aide" if language == "fr" else "our help article"
    more = "Plus de détails dans" if language == "fr" else "More details in"
    signature = "<br>".join(escape(line) for line in sign_off.splitlines())
    return (f"<p>{escape(greeting)}</p><p>{escape(body)}</p><ol>{items}</ol>"
            f'<p>{more} <a href="{link}">{label}</a>.</p><p>{signature}</p>')


def _quote_header(quoted: Msg, language: str) -> str:
    author = quoted.agent.name if quoted.agent else ""
    return content.QUOTE_HEADER[language].format(
        date=quoted.sent_at.strftime("%d/%m/%Y %H:%M"), author=author)


def _quoted_html(text: str, quoted: Msg, language: str) -> str:
    paragraphs = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>"
                         for p in text.split("\n\n"))
    header = _quote_header(quoted, language)
    history = quoted.html or "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>"
                                     for p in quoted.text.split("\n\n"))
    return f"<div>{paragraphs}</div><p>{escape(header)}</p><blockquote>{history}</blockquote>"


_PRIORITIES = (None, Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.URGENT)
_PRIORITY_WEIGHTS = list(accumulate((10, 25, 40, 18, 7)))
_PRIORITY_TOTAL = _PRIORITY_WEIGHTS[-1] + 0.0
_REF_KINDS = ("INV", "CMD", "ORD")


def _below(rng: random.Random) -> Callable[[int], int]:
    """``below(n)``: the draw behind ``rng.randrange(n)``, ``rng.randint(a, a + n - 1) - a``
    and ``rng.choice(seq)``'s index (n = len(seq) > 0), one call instead of two or three.

    As :mod:`random` computes them (``istart + self._randbelow(width)``,
    ``seq[self._randbelow(len(seq))]``), so the demo's data stay those of the seed;
    ``random.choices`` with ``cum_weights`` is ``population[bisect(cum_weights,
    random() * total, 0, n - 1)]``, written out where it is used.
    """
    return rng._randbelow  # type: ignore[attr-defined,no-any-return]


# -- the plain text of a quoting reply, without parsing its HTML ------------------------------
# A customer's reply quoting the agent is stored as HTML and as html_to_text of that HTML;
# parsing it was a third of the planner's time. Its HTML is made of plain paragraphs
# (:func:`_quoted_html`), whose text is worked out here line by line, exactly as
# html_sanitize's renderer makes it (a test compares the two on many texts); an agent's
# HTML reply quoted inside it is rendered once per distinct reply.

_SPACES = re.compile(r"\s+")  # as html_sanitize collapses white space


def quoted_text(text: str, quoted: Msg, language: str) -> str:
    """``html_to_text(_quoted_html(text, quoted, language))``, without parsing."""
    lines: list[str] = []
    _paragraphs(lines, text.split("\n\n"), "")
    _paragraphs(lines, [_quote_header(quoted, language)], "", breaks=False)
    if lines and not _blank(lines[-1]):  # <blockquote>
        lines.append("")
    if quoted.html_parts is not None:
        lines.extend(_reply_html_lines(*quoted.html_parts))
    elif quoted.html:
        lines.extend(_quoted_html_lines(quoted.html))
    else:
        _paragraphs(lines, quoted.text.split("\n\n"), "> ")
    while lines and _blank(lines[-1]):  # </blockquote>: no empty quoted line at the end
        lines.pop()
    end = len(lines)
    while end and not lines[end - 1].strip(" >"):
        end -= 1
    start = 0
    while start < end and not lines[start].strip(" >"):
        start += 1
    return "\n".join(line.rstrip() for line in lines[start:end])


def _paragraphs(lines: list[str], paragraphs: list[str], prefix: str,
                breaks: bool = True) -> None:
    """The lines of ``<p>``s holding ``paragraphs`` (newlines as ``<br>`` with ``breaks``)."""
    for paragraph in paragraphs:
        if lines and not _blank(lines[-1]):
            lines.append(prefix.rstrip())
        for line in paragraph.split("\n") if breaks else (paragraph,):
            words = _SPACES.sub(" ", line).lstrip()
            if words:
                lines.append(prefix + words.rstrip())
        if lines and not _blank(lines[-1]):
            lines.append(prefix.rstrip())


def _blank(line: str) -> bool:
    return not line.replace(">", "").strip()


@lru_cache(maxsize=4096)
def _quoted_html_lines(html: str) -> tuple[str, ...]:
    """The lines of ``<blockquote>html</blockquote>`` after a paragraph (which is dropped:
    it keeps the quote's first lines from being trimmed as the start of the text)."""
    return tuple(html_to_text(f"<p>x</p><blockquote>{html}</blockquote>").split("\n")[2:])


def _reply_html_lines(greeting: str, body: str, steps: tuple[str, ...], slug: str,
                      language: str, sign_off: str) -> list[str]:
    """``_quoted_html_lines(_reply_html(...))`` without making and parsing the HTML: each
    paragraph's white space collapsed, quoted, a blank quoted line after each block."""
    link = content.HELP_LINK.format(slug=slug)
    label = "notre article d'aide" if language == "fr" else "our help article"
    more = "Plus de détails dans" if language == "fr" else "More details in"
    lines: list[str] = []
    blocks = ([greeting], [body], [f"{n}. {step}" for n, step in enumerate(steps, 1)],
              [f"{more} {label} <{link}>."], sign_off.splitlines())
    for block in blocks:
        for line in block:
            words = " ".join(line.split())
            if words:
                lines.append("> " + words)
        if lines and not _blank(lines[-1]):
            lines.append(">")
    while lines and _blank(lines[-1]):
        lines.pop()
    return lines
