"""Reading command-line values: id lists, and users, inboxes, pipelines and statuses given
by name or by id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.services import directory
from helpdesk_desktop.services.dto import InboxInfo, PipelineInfo, StatusInfo

NONE_WORDS = ("none", "null", "-", "")


def id_list(text: str, what: str) -> list[int]:
    """``"12,13, 14"`` -> ``[12, 13, 14]``; anything else is refused."""
    ids = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise InvalidInput(f"'{part}' is not a {what} id.")
        ids.append(int(part))
    if not ids:
        raise InvalidInput(f"Give at least one {what} id.")
    return ids


def is_none(value: str) -> bool:
    return value.strip().lower() in NONE_WORDS


def user_id(desk: Desk, email: str) -> int | None:
    """The id of the user with this e-mail address; ``none`` means nobody (unassigned)."""
    if is_none(email):
        return None
    return directory.find_user_id(desk.database, email)


def inbox(desk: Desk, value: str) -> InboxInfo:
    return _by_name_or_id(desk.inboxes(), value, "inbox")


def pipeline(desk: Desk, value: str) -> PipelineInfo:
    return _by_name_or_id(desk.pipelines(), value, "pipeline")


def status(value: str, pipelines: Sequence[PipelineInfo],
           prefer: PipelineInfo | None = None) -> StatusInfo:
    """A status by id or name. A name is looked up in ``prefer`` first, then in every pipeline
    of ``pipelines``; a name found in several of them is refused as ambiguous."""
    if prefer is not None:
        found = _find(prefer.statuses, value)
        if found is not None:
            return found
    candidates = [s for p in pipelines for s in p.statuses]
    if value.strip().isdigit():
        return _by_name_or_id(candidates, value, "status")
    matches = [s for s in candidates if s.name.casefold() == value.strip().casefold()]
    if not matches:
        raise NotFound(f"No status named '{value}'.")
    if len(matches) > 1:
        names = ", ".join(p.name for p in pipelines
                          if any(s.pipeline_id == p.id for s in matches))
        raise InvalidInput(f"The status '{value}' exists in several pipelines ({names}); "
                           "give the pipeline too, or the status id.")
    return matches[0]


_Named = TypeVar("_Named", InboxInfo, PipelineInfo, StatusInfo)


def _find(items: Sequence[_Named], value: str) -> _Named | None:
    text = value.strip()
    for item in items:
        if (text.isdigit() and item.id == int(text)) or item.name.casefold() == text.casefold():
            return item
    return None


def _by_name_or_id(items: Sequence[_Named], value: str, what: str) -> _Named:
    found = _find(items, value)
    if found is not None:
        return found
    if value.strip().isdigit():
        raise NotFound(f"{what.capitalize()} #{value.strip()} does not exist.")
    choices = ", ".join(f"'{item.name}'" for item in items)
    raise NotFound(f"No {what} named '{value}' (choose from {choices}).")
