"""How long spam and deleted tickets are kept before the scheduled purge erases them.

Its own module so that listing (which shows the purge date) and trash (which purges) both
use it without importing each other.
"""

from __future__ import annotations

import datetime as dt

from helpdesk_desktop.domain.enums import TicketState

RETENTION_DAYS = 90


def purge_date(state: TicketState, spam_at: dt.datetime | None,
               deleted_at: dt.datetime | None) -> dt.datetime | None:
    """When the scheduled purge erases a ticket in the spam or the trash (else ``None``)."""
    if state is TicketState.SPAM and spam_at is not None:
        return spam_at + dt.timedelta(days=RETENTION_DAYS)
    if state is TicketState.DELETED and deleted_at is not None:
        return deleted_at + dt.timedelta(days=RETENTION_DAYS)
    return None
