"""Reversing the last operation from the status bar's "Undo" offer.

Each ``undo_*`` function runs the reverse operation through the facade on a worker thread and
reports the outcome through ``report(message)`` (the status bar) — a refusal (the ticket changed
meanwhile, the user lost the right) is a sentence, never a traceback. ``*_undo`` builders return
the zero-argument callable ``ActionHost.show_status(message, undo=...)`` takes, or ``None``
when the operation cannot be reversed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.ui.bridge import DeskBridge, ProgressCallback

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

Report = Callable[[str], None]



def _run(bridge: DeskBridge, work: Callable[[Desk, ProgressCallback], OpResult],
         report: Report | None) -> None:
    def done(result: OpResult) -> None:
        if report is not None:
            report(translate("Undo", "Undone: {0}").replace("{0}", result.message) if result.message
                   else translate("Undo", "Undone."))

    def failed(message: str) -> None:
        if report is not None:
            report(translate("Undo", "Could not undo: {0}").replace("{0}", message))

    # A report that is a window's method is dropped once that window is gone.
    owner = getattr(report, "__self__", None)
    bridge.run(work, on_done=done, on_error=failed,
               owner=owner if isinstance(owner, QObject) else None)


# -- property changes (used by the ticket header and the list's property menus) -------------

def can_undo_property_change(op_result: OpResult) -> bool:
    """Whether ``op_result`` (from ``Desk.update``) changed something that can be put back."""
    return bool(op_result.changed_ticket_ids and op_result.detail.get("previous")
                and op_result.detail.get("version") is not None)


def undo_property_change(bridge: DeskBridge, op_result: OpResult,
                         report: Report | None = None) -> None:
    """Put back the values ``op_result`` overwrote, unless the ticket changed again since
    (then the facade refuses with a Conflict sentence and nothing changes)."""
    if not can_undo_property_change(op_result):
        return
    ticket_id = op_result.changed_ticket_ids[0]
    previous: dict[str, Any] = dict(op_result.detail["previous"])
    version = int(op_result.detail["version"])
    _run(bridge, lambda desk, _p: desk.update(ticket_id, previous, expected_version=version),
         report)


def property_change_undo(bridge: DeskBridge, op_result: OpResult,
                         report: Report | None = None) -> Callable[[], None] | None:
    """The "Undo" callable for a property change, or ``None`` when there is nothing to undo."""
    if not can_undo_property_change(op_result):
        return None
    return lambda: undo_property_change(bridge, op_result, report)


# -- delete, spam, move ---------------------------------------------------------------------

def delete_undo(bridge: DeskBridge, ticket_ids: Sequence[int],
                report: Report | None = None) -> Callable[[], None]:
    """Undo a deletion: restore the tickets from Recently deleted."""
    ids = list(ticket_ids)
    return lambda: _run(bridge, lambda desk, _p: desk.restore(ids), report)


def spam_undo(bridge: DeskBridge, ticket_id: int,
              report: Report | None = None) -> Callable[[], None]:
    """Undo "Mark as spam": bring the ticket (or its spam conversations) back."""
    return lambda: _run(bridge, lambda desk, _p: desk.not_spam(ticket_id), report)


def move_undo(bridge: DeskBridge, conversation_id: int, back_to_inbox_id: int, *,
              owner_id: int | None, pipeline_id: int | None, status_id: int | None,
              report: Report | None = None) -> Callable[[], None]:
    """Undo a move: move the conversation back, with the owner, pipeline and status before."""
    options: dict[str, Any] = {"owner_id": owner_id}
    if pipeline_id is not None and status_id is not None:
        options.update(pipeline_id=pipeline_id, status_id=status_id)
    return lambda: _run(
        bridge, lambda desk, _p: desk.move_conversation(conversation_id, back_to_inbox_id,
                                                        **options), report)
