"""Reading one ticket without the whole facade: what ``helpdesk-desktop tickets show`` needs.

:class:`~helpdesk_desktop.application.desk.Desk` imports every service (mail, board, search,
the keyring…), about 0.1 s before a command can run. A one-shot read imports this instead: the
same service calls as ``Desk.ticket`` and ``Desk.me``, so the same permission checks and the
same data objects.
"""

from __future__ import annotations

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.services import directory, tickets
from helpdesk_desktop.services.dto import TicketDetail
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database


def ticket(database: Database, actor_id: int, ticket_id: int,
           clock: Clock = utcnow) -> TicketDetail:
    """What ``Desk(database, actor_id).ticket(ticket_id)`` returns (nothing marked read)."""
    return tickets.get_ticket(UnitOfWork(database, actor_id, clock), ticket_id)


def time_zone(database: Database, actor_id: int, clock: Clock = utcnow) -> str | None:
    """The acting user's time zone, as ``Desk.me().time_zone``."""
    return directory.current_user(UnitOfWork(database, actor_id, clock)).time_zone
