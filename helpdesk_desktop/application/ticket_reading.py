"""Reading one ticket without the facade, the ORM or SQLAlchemy: what
``helpdesk-desktop tickets show`` needs.

:class:`~helpdesk_desktop.application.desk.Desk` imports every service (mail, board, search,
the keyring…) and the ORM's mapped classes, ~0.25 s before a one-shot command reads a row.
``tickets show`` reads :func:`sheet` (an open database) or :func:`sheet_at` (a URL, opened
with the database's own driver) instead; when that is ``None`` (anything but the plain case)
the command line asks the facade, which says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpdesk_desktop.services.ticket_sheet import TicketSheet, open_reader, read, read_sheet
from helpdesk_desktop.storage.files import default_url

if TYPE_CHECKING:
    from helpdesk_desktop.storage.database import Database

__all__ = ["TicketSheet", "sheet", "sheet_at"]


def sheet(database: Database, ticket_id: int, as_user: str | None = None) -> TicketSheet | None:
    """The ticket as ``as_user`` (default: the first super admin) sees it, or ``None``."""
    return read_sheet(database, ticket_id, as_user)


def sheet_at(url: str | None, ticket_id: int, as_user: str | None = None
             ) -> TicketSheet | None:
    """:func:`sheet` of the database at ``url`` (default: the usual one), or ``None``, also
    when the database is not plainly up to date (the usual opening checks it)."""
    with open_reader(url or default_url()) as reader:
        return None if reader is None else read(reader, ticket_id, as_user)
