"""Rules that several floors apply, each written once: which operations a ticket's lifecycle
state allows, who may own a ticket, and the time zone a time is shown in.

A live ticket allows everything except bringing it back; a spam, deleted or merged ticket is
read-only and offers only what works on it (bring it back, erase it, print it).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpdesk_desktop.domain.enums import TicketState
from helpdesk_desktop.domain.i18n import N_, _

#: The largest value an ``Integer`` column holds on every back-end (PostgreSQL's is 32-bit): no
#: id is larger, and sending a larger one to PostgreSQL fails instead of finding nothing.
MAX_ID = 2**31 - 1


class Operation(enum.StrEnum):
    """What can be done to a ticket, as far as its state is concerned."""

    EDIT = "edit"  # properties, associations, replies and notes
    PERSONAL = "personal"  # follow/unfollow, read/unread
    RESTRUCTURE = "restructure"  # split, merge, move
    SPAM = "spam"
    DELETE = "delete"
    PRINT = "print"  # print, export as PDF
    NOT_SPAM = "not_spam"
    RESTORE = "restore"
    DELETE_PERMANENTLY = "delete_permanently"


ALLOWED: dict[TicketState, frozenset[Operation]] = {
    TicketState.LIVE: frozenset({Operation.EDIT, Operation.PERSONAL, Operation.RESTRUCTURE,
                                 Operation.SPAM, Operation.DELETE, Operation.PRINT}),
    TicketState.SPAM: frozenset({Operation.NOT_SPAM, Operation.DELETE_PERMANENTLY,
                                 Operation.PRINT}),
    TicketState.DELETED: frozenset({Operation.RESTORE, Operation.DELETE_PERMANENTLY,
                                    Operation.PRINT}),
    TicketState.MERGED: frozenset(),
}

REASONS: dict[TicketState, str] = {
    TicketState.SPAM: N_("Mark the ticket as not spam first."),
    TicketState.DELETED: N_("Restore the ticket first."),
    TicketState.MERGED: N_("The ticket was merged into another one."),
    TicketState.LIVE: N_("The ticket is not in the spam or the trash."),
}


def allows(state: TicketState, operation: Operation) -> bool:
    return operation in ALLOWED[state]


def reason_not_allowed(states: Iterable[TicketState], operation: Operation) -> str | None:
    """Why ``operation`` is not offered for tickets in ``states`` (``None``: it is, for all)."""
    for state in sorted(set(states)):
        if not allows(state, operation):
            return _(REASONS[state])
    return None


# -- who may own a ticket --------------------------------------------------------------------

class MayOwn(Protocol):
    """What the owner rule reads of a user (a ``User`` row or a ``UserInfo``)."""

    @property
    def help_desk_access(self) -> bool: ...
    @property
    def super_admin(self) -> bool: ...


def may_own_tickets(user: MayOwn) -> bool:
    """Whether ``user`` may own tickets: whoever can see the help desk (the services refuse
    any other owner; every owner chooser offers exactly these users)."""
    return user.help_desk_access or user.super_admin


# -- the time zone a time is shown in --------------------------------------------------------

def zone_of(time_zone: str | None) -> dt.tzinfo | None:
    """The agent's zone; ``None`` (the computer's) when unset or unknown."""
    try:
        return ZoneInfo(time_zone) if time_zone else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(moment: dt.datetime, time_zone: str | None) -> dt.datetime:
    """``moment`` as the agent sees it: in their zone (the list, the ticket view and the
    activity all show times this way)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    zone = zone_of(time_zone)
    return moment.astimezone(zone) if zone is not None else moment.astimezone()
