"""The facade's plumbing: a signed-in user's units of work and change listeners.

:class:`DeskBase` is what every part of the facade (:class:`~.desk_mail.MailDesk`,
:class:`~.desk.Desk`) builds on: one unit of work per call, and the listeners told what each
write changed.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from helpdesk_desktop.application import lazy
from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.services.mail.secrets import SecretStore, default_store
from helpdesk_desktop.storage.database import Database

if TYPE_CHECKING:
    from helpdesk_desktop.services import uow as _uow_module
    from helpdesk_desktop.services.uow import UnitOfWork
else:
    _uow_module = lazy.module("helpdesk_desktop.services.uow")

Listener = Callable[[OpResult[Any]], None]
Progress = Callable[[int, int], None]
R = TypeVar("R", bound=OpResult[Any])


class _Held:
    """A listener held strongly, called like a weak reference (``Desk.subscribe``)."""

    __slots__ = ("listener",)

    def __init__(self, listener: Listener) -> None:
        self.listener = listener

    def __call__(self) -> Listener:
        return self.listener



class DeskBase:
    """A signed-in user's units of work and the listeners of their changes."""

    def __init__(self, database: Database, actor_id: int, clock: Clock = utcnow) -> None:
        self._database = database
        self.actor_id = actor_id
        self.clock = clock
        self.safety_backups = True  # a backup before permanent deletion (SQLite)
        self._listeners: list[Callable[[], Listener | None]] = []
        # Mail passwords and tokens: the OS keyring (session-only where there is none).
        self.secrets: SecretStore = default_store()

    def _uow(self) -> UnitOfWork:
        return _uow_module.UnitOfWork(self._database, self.actor_id, self.clock)

    def close(self) -> None:
        """Close the database's connections (e.g. before its file is reopened after a
        restore); a later call opens new ones."""
        self._database.dispose()

    @property
    def dialect(self) -> str:
        """The database's dialect name (``sqlite`` or ``postgresql``)."""
        return self._database.dialect

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with the result of every change this desk makes. A bound method
        is held weakly: subscribing does not keep its object alive (a window's bridge holds
        its desk; the desk holding the bridge back made a cycle only the garbage collector
        could end, in no set order for the Qt objects inside it)."""
        self._listeners.append(weakref.WeakMethod(listener) if inspect.ismethod(listener)
                               else _Held(listener))

    def _journaled(self) -> UnitOfWork:
        """A unit of work whose operation writes its own undo entry (same transaction)."""
        return self._uow().recording_undo()

    def _changed(self, result: R, *, remember: bool = True,
                 uow: UnitOfWork | None = None) -> R:
        """Tell the listeners; remember a reversible result as the user's latest undo (unless
        the operation of ``uow`` already did, in its own transaction)."""
        if remember and result.reversal is not None and not (uow and uow.undo_recorded):
            from helpdesk_desktop.services import undo

            undo.record(self._uow(), result.message, result.reversal)
        for reference in list(self._listeners):
            listener = reference()
            if listener is not None:  # (a listener whose object is gone is skipped)
                listener(result)
        return result
