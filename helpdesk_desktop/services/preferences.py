"""The signed-in user's own settings kept in the database: the time zone their times are shown
in (the list, the ticket view, the dialogs and the transcripts alike)."""

from __future__ import annotations

import zoneinfo
from functools import cache

from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.services.dto import UserInfo
from helpdesk_desktop.services.mapping import user_info
from helpdesk_desktop.services.uow import UnitOfWork

MAX_ZONE_NAME = 64  # users.time_zone is a String(64)


@cache
def known_time_zones() -> frozenset[str]:
    """The IANA names this computer's time zone database knows (read once)."""
    return frozenset(zoneinfo.available_timezones())


def valid_time_zone(name: str) -> str:
    """``name`` (surrounding spaces removed) when it is a time zone the database knows;
    otherwise :class:`InvalidInput` with one sentence."""
    zone = name.strip()
    known = 0 < len(zone) <= MAX_ZONE_NAME and zone in known_time_zones()
    if known:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            known = False
    if not known:
        raise InvalidInput(_("'{zone}' is not a time zone; choose one such as Europe/Paris "
                             "from the list.").format(zone=zone or name))
    return zone


def set_time_zone(uow: UnitOfWork, time_zone: str) -> UserInfo:
    """The actor's time zone (an IANA name such as ``Europe/Paris``), in one transaction;
    returns the actor as now stored. Two writers at once: the last one wins."""
    zone = valid_time_zone(time_zone)
    with uow:
        uow.actor.time_zone = zone
        uow.flush()
        info = user_info(uow.actor)
        uow.commit()
    return info
