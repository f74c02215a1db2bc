"""The per-user undo journal's rows: a reversal as JSON, and writing the latest entry in
the transaction of the operation it undoes.

Kept apart from :mod:`undo` (which applies reversals and so imports every operation) so
that the operations themselves can write their entry: an operation whose unit of work
:meth:`~UnitOfWork.recording_undo` calls :func:`remember` before it commits, and the entry
lands or vanishes with its changes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import delete, insert, select

from helpdesk_desktop.domain.enums import Category, Priority
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import UndoEntry
from helpdesk_desktop.services.dto import (
    UNSET,
    MoveBack,
    MoveBackMany,
    OpResult,
    PropertyEdit,
    Remerge,
    RestoreProperties,
    Reversal,
    SetDeleted,
    SetFollowing,
    SetRead,
    SetSpam,
    TicketChanges,
    Unmerge,
)
from helpdesk_desktop.services.uow import UnitOfWork

KEPT = 50  # undo entries kept per user


def remember(uow: UnitOfWork, result: OpResult[Any]) -> None:
    """Write ``result``'s reversal as the acting user's latest undo entry, in the operation's
    own transaction, when the unit of work records undo (else the caller records it)."""
    if uow.records_undo and result.reversal is not None:
        record_in(uow, result.message, result.reversal)
        uow.undo_recorded = True


def record_in(uow: UnitOfWork, label: str, reversal: Reversal) -> None:
    """Add the entry and forget the user's entries beyond the last :data:`KEPT` (one
    ``INSERT`` and one ``DELETE``), inside the caller's transaction."""
    session, user_id = uow.session, uow.actor.id
    session.execute(insert(UndoEntry).values(user_id=user_id, created_at=uow.now, label=label,
                                             reversal=to_json(reversal)))
    oldest_kept = (select(UndoEntry.id).where(UndoEntry.user_id == user_id)
                   .order_by(UndoEntry.id.desc()).offset(KEPT - 1).limit(1)
                   .scalar_subquery())
    session.execute(delete(UndoEntry).where(UndoEntry.user_id == user_id,
                                            UndoEntry.id < oldest_kept)
                    .execution_options(synchronize_session=False))


# -- JSON form -------------------------------------------------------------------------------

KINDS: dict[str, type[Any]] = {kind.__name__: kind for kind in (
    RestoreProperties, SetFollowing, SetRead, SetSpam, SetDeleted, MoveBack, MoveBackMany,
    Unmerge, Remerge)}


def _changes_json(changes: TicketChanges) -> dict[str, Any]:
    return {name: value.value if isinstance(value, (Priority, Category)) else value
            for name, value in changes.given().items()}


def _changes_from(data: dict[str, Any]) -> TicketChanges:
    values = dict(data)
    if values.get("priority") is not None:
        values["priority"] = Priority(values["priority"])
    if values.get("category") is not None:
        values["category"] = Category(values["category"])
    return TicketChanges(**values)


def to_json(reversal: Reversal) -> dict[str, Any]:
    """A reversal as plain JSON (``{"kind": ..., fields...}``)."""
    data: dict[str, Any] = {"kind": type(reversal).__name__}
    if isinstance(reversal, RestoreProperties):
        # A bulk edit's thousand tickets share a few previous values: each made once.
        previous: dict[int, dict[str, Any]] = {}
        for e in reversal.edits:
            if id(e.previous) not in previous:
                previous[id(e.previous)] = _changes_json(e.previous)
        data["edits"] = [{"ticket_id": e.ticket_id, "version": e.version,
                          "previous": previous[id(e.previous)]} for e in reversal.edits]
        return data
    if isinstance(reversal, MoveBackMany):
        data["moves"] = [to_json(move) for move in reversal.moves]
        return data
    for field in dataclasses.fields(reversal):
        value = getattr(reversal, field.name)
        if value is UNSET:
            continue
        data[field.name] = list(value) if isinstance(value, tuple) else value
    return data


def from_json(data: dict[str, Any]) -> Reversal:
    """The reversal :func:`to_json` wrote; :class:`InvalidInput` for anything else."""
    values = dict(data)
    kind = KINDS.get(str(values.pop("kind", "")))
    if kind is None:
        raise InvalidInput(_("This undo entry cannot be read by this version of the "
                             "program."))
    if kind is RestoreProperties:
        made: dict[tuple[tuple[str, Any], ...], TicketChanges] = {}
        edits = []
        for e in values["edits"]:
            shape = tuple(sorted(e["previous"].items()))
            if shape not in made:
                made[shape] = _changes_from(e["previous"])
            edits.append(PropertyEdit(int(e["ticket_id"]), made[shape], int(e["version"])))
        return RestoreProperties(tuple(edits))
    if kind is MoveBackMany:
        moves = [from_json(move) for move in values["moves"]]
        return MoveBackMany(tuple(m for m in moves if isinstance(m, MoveBack)))
    for key, value in values.items():
        if isinstance(value, list):
            values[key] = tuple(value)
    reversal: Reversal = kind(**values)
    return reversal


