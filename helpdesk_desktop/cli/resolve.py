"""Reading command-line values: id lists, and users, inboxes, pipelines and statuses given
by name or by id."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import N_, _
from helpdesk_desktop.domain.rules import MAX_ID

if TYPE_CHECKING:
    from helpdesk_desktop.application.desk import Desk
    from helpdesk_desktop.services.dto import InboxInfo, PipelineInfo, StatusInfo

NONE_WORDS = ("none", "null", "-", "")
#: The largest id or count the database can take.
MAX_NUMBER = MAX_ID


def parse_number(value: str) -> int | None:
    """``"12"``, ``" #12 "`` -> 12; ``None`` unless ASCII digits within :data:`MAX_NUMBER`
    (so that "²" or a 30-digit number is refused instead of failing in the database)."""
    text = value.strip().lstrip("#")
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_NUMBER:
        return None
    return int(text)


def id_argument(what: str) -> Callable[[str], int]:
    """An argparse ``type`` reading one ``what`` id (``#`` allowed in front)."""
    sentence = _ID_SENTENCES[what]

    def parse(value: str) -> int:
        number = parse_number(value)
        if number is None:
            raise argparse.ArgumentTypeError(_(sentence).format(value=value))
        return number
    return parse


def positive_number(value: str) -> int:
    """An argparse ``type``: a whole number from 1 up."""
    number = parse_number(value)
    if number is None or number < 1 or value.strip().startswith("#"):
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a positive number").format(value=value))
    return number


def integer(value: str) -> int:
    """An argparse ``type``: a whole number, as ``int()`` reads it, refused in a sentence
    (argparse's own refusal names the Python type: "invalid int value")."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a whole number").format(value=value)) from None


def id_list(text: str, what: str) -> list[int]:
    """``"12,13, 14"`` -> ``[12, 13, 14]``; anything else is refused."""
    ids = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        number = parse_number(part)
        if number is None:
            raise InvalidInput(_(_LIST_SENTENCES[what][0]).format(value=part))
        ids.append(number)
    if not ids:
        raise InvalidInput(_(_LIST_SENTENCES[what][1]))
    return ids


#: What :func:`id_argument` says about a value that is not an id, per kind of id.
_ID_SENTENCES = {
    "ticket": N_("'{value}' is not a ticket id"),
    "conversation": N_("'{value}' is not a conversation id"),
    "message": N_("'{value}' is not a message id"),
    "outbox": N_("'{value}' is not an outbox id"),
}
#: What :func:`id_list` says about a wrong or empty list, per kind of id.
_LIST_SENTENCES = {
    "message": (N_("'{value}' is not a message id."), N_("Give at least one message id.")),
    "conversation": (N_("'{value}' is not a conversation id."),
                     N_("Give at least one conversation id.")),
}
#: What :func:`_by_name_or_id` says when nothing matches, per kind.
_UNKNOWN_SENTENCES = {
    "inbox": (N_("Inbox #{number} does not exist."),
              N_("No inbox named '{value}' (choose from {choices}).")),
    "pipeline": (N_("Pipeline #{number} does not exist."),
                 N_("No pipeline named '{value}' (choose from {choices}).")),
    "status": (N_("Status #{number} does not exist."),
               N_("No status named '{value}' (choose from {choices}).")),
}


def is_none(value: str) -> bool:
    return value.strip().lower() in NONE_WORDS


def user_id(desk: Desk, email: str) -> int | None:
    """The id of the user with this e-mail address; ``none`` means nobody (unassigned)."""
    if is_none(email):
        return None
    return desk.find_user_id(email)


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
    if parse_number(value) is not None:
        return _by_name_or_id(candidates, value, "status")
    matches = [s for s in candidates if s.name.casefold() == value.strip().casefold()]
    if not matches:
        raise NotFound(_("No status named '{value}'.").format(value=value))
    if len(matches) > 1:
        names = ", ".join(p.name for p in pipelines
                          if any(s.pipeline_id == p.id for s in matches))
        raise InvalidInput(_("The status '{value}' exists in several pipelines "
                             "({names}); give the pipeline too, or the status id.").format(
                               value=value, names=names))
    return matches[0]


_Named = TypeVar("_Named", "InboxInfo", "PipelineInfo", "StatusInfo")


def _find(items: Sequence[_Named], value: str) -> _Named | None:
    text, number = value.strip(), parse_number(value)
    for item in items:
        if item.id == number or item.name.casefold() == text.casefold():
            return item
    return None


def _by_name_or_id(items: Sequence[_Named], value: str, what: str) -> _Named:
    found = _find(items, value)
    if found is not None:
        return found
    if parse_number(value) is not None:
        raise NotFound(_(_UNKNOWN_SENTENCES[what][0]).format(number=value.strip()))
    choices = ", ".join(f"'{item.name}'" for item in items)
    raise NotFound(_(_UNKNOWN_SENTENCES[what][1]).format(value=value, choices=choices))
