"""Handing one raw e-mail from a mailbox to intake.

:func:`deliver_raw` is the ONE place where fetched mail enters the help desk: it hands the raw
bytes to :func:`helpdesk_desktop.services.intake.ingest_raw` (the same code path as File ›
Import and ``import-mail``), which threads, deduplicates (``messages.dedupe_key``), skips
automatic mail and keeps refused mail aside, so the fetcher's UID can always move on.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.sentences import Sentence
from helpdesk_desktop.services.intake import IngestOutcome, ingest_raw
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database


@dataclass(frozen=True)
class Delivery:
    """What became of one message: created, joined, duplicate, skipped or refused."""

    outcome: str
    message_id: str | None = None
    ticket_id: int | None = None
    reason: str = ""  # in English (what --json gives)
    said: Sentence | None = None

    @classmethod
    def of(cls, outcome: IngestOutcome) -> Delivery:
        return cls(outcome.outcome.value, outcome.message_id, outcome.ticket_id, outcome.reason,
                   outcome.said)

    @property
    def reason_text(self) -> str:
        """The reason in the current language."""
        return self.said.text() if self.said is not None else self.reason


def deliver_raw(database: Database, inbox_id: int, raw: bytes, clock: Clock = utcnow,
                source: str = "") -> Delivery:
    """Store one raw RFC 5322 message in the inbox ``inbox_id``. Never raises for bad mail (it
    is refused and kept aside); only an unknown inbox or an unusable database raises, and then
    the caller must not count the message as fetched."""
    outcome = ingest_raw(UnitOfWork(database, None, clock), inbox_id, raw,
                         source=source or f"inbox #{inbox_id}")
    return Delivery.of(outcome)
