"""Reading one ticket without the facade or the ORM: what ``helpdesk-desktop tickets show``
needs.

:class:`~helpdesk_desktop.application.desk.Desk` imports every service (mail, board, search,
the keyring…) and the ORM's mapped classes, ~0.25 s before a one-shot command reads a row.
``tickets show`` opens the database and reads :func:`sheet` instead; when that is ``None``
(anything but the plain case) the command line asks the facade, which says why.
"""

from __future__ import annotations

from helpdesk_desktop.services.ticket_sheet import TicketSheet, read_sheet
from helpdesk_desktop.storage.database import Database, open_database

__all__ = ["Database", "TicketSheet", "open_database", "sheet"]


def sheet(database: Database, ticket_id: int, as_user: str | None = None) -> TicketSheet | None:
    """The ticket as ``as_user`` (default: the first super admin) sees it, or ``None``."""
    return read_sheet(database, ticket_id, as_user)
