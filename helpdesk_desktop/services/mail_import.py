"""Importing mail files (``.eml``, ``.mbox``, Maildir) through :func:`intake.ingest_raw`, the
same path IMAP uses: one transaction per message, so a cancel or a kill keeps every message
taken so far and never half of one."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import select

from helpdesk_desktop.domain.enums import InboxKind
from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import Inbox
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.services.intake import IngestOutcome, Outcome, ingest_raw, outcome_count
from helpdesk_desktop.services.mail_sources import count_messages, iter_messages
from helpdesk_desktop.services.uow import UnitOfWork

Progress = Callable[[int, int], None]


def default_inbox_id(uow: UnitOfWork) -> int:
    """The help desk inbox (where imported mail goes when no inbox is named)."""
    with uow.read_only():
        found = uow.session.scalars(select(Inbox.id).where(Inbox.kind == InboxKind.HELP_DESK)
                                    .order_by(Inbox.id).limit(1)).first()
        if found is None:
            raise NotFound(_("The workspace has no help desk inbox."))
        return int(found)


def import_mail(system_uow: Callable[[], UnitOfWork], inbox_id: int,
                paths: Sequence[str | os.PathLike[str]], *,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> list[IngestOutcome]:
    """Ingest every message under ``paths`` into ``inbox_id``; the outcome of each, in order.

    ``progress(done, total)`` is called after each message; when ``cancelled()`` turns true
    the import stops before the next message (what was taken in stays).
    """
    total = count_messages(paths)
    outcomes: list[IngestOutcome] = []
    if progress is not None:
        progress(0, total)
    for item in iter_messages(paths):
        if cancelled is not None and cancelled():
            break
        if item.raw is None:
            outcomes.append(IngestOutcome(item.source, None, Outcome.REFUSED, None, item.error))
        else:
            outcomes.append(ingest_raw(system_uow(), inbox_id, item.raw, source=item.source))
        if progress is not None:
            progress(len(outcomes), max(total, len(outcomes)))
    return outcomes


def summary(outcomes: Sequence[IngestOutcome]) -> str:
    """One sentence: how many messages and what became of them."""
    counts = Counter(o.outcome for o in outcomes)
    total = len(outcomes)
    parts = [outcome_count(kind, counts[kind]) for kind in Outcome if counts[kind]]
    if not parts:
        return _("No message found.")
    # Translators: "12 messages: 10 created, 2 duplicates."
    return ngettext("{count} message: {outcomes}.", "{count} messages: {outcomes}.",
                    total).format(count=total, outcomes=", ".join(parts))


def op_result(outcomes: Sequence[IngestOutcome]) -> OpResult:
    """What an import changed, for the lists."""
    created = tuple(dict.fromkeys(o.ticket_id for o in outcomes if o.ticket_id is not None
                                  and o.outcome is Outcome.CREATED and not o.spam))
    changed = tuple(dict.fromkeys(o.ticket_id for o in outcomes if o.ticket_id is not None
                                  and o.outcome is Outcome.JOINED and o.ticket_id not in created))
    return OpResult(summary(outcomes), changed_ticket_ids=changed, created_ticket_ids=created)
