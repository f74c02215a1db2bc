"""Undo and redo in the UI: a ``QUndoStack`` of reversals (Edit › Undo / Redo and the status
bar's "Undo" offer).

The core does the work: every reversible operation returns its reversal
(``services.dto.Reversal``) and ``Desk.undo`` applies it, refusing with a sentence when a later
change made it unsafe. A :class:`ReversalCommand` only remembers which reversal comes next:
undo applies the operation's reversal, whose own reversal is the redo, and so on.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack

from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.ui.actions.spec import ActionHost
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.guard import weakly

if TYPE_CHECKING:
    from helpdesk_desktop.services.dto import Reversal

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

Report = Callable[[str], None]


class ReversalCommand(QUndoCommand):
    """One reversible operation on the undo stack. Undo and redo run off the UI thread; a
    refusal is reported as a sentence and leaves nothing more to undo or redo for it."""

    def __init__(self, bridge: DeskBridge, result: OpResult[Any], report: Report,
                 action: str = "", scope: object | None = None) -> None:
        super().__init__(undo_text(result, action))
        # The stack (and so the bridge that owns it) holds the command: what the command
        # holds back, it holds weakly (``guard.weakly``).
        self._scope = None if scope is None else weakref.ref(scope)
        self._bridge = weakref.ref(bridge)
        self._report = weakly(report)
        self._undo: Reversal | None = result.reversal
        self._redo: Reversal | None = None
        self._pushed = False

    @property
    def echo_scope(self) -> object | None:
        """The window whose operation it was: its lists refresh in the undo's own job."""
        return None if self._scope is None else self._scope()

    def undo(self) -> None:
        reversal, self._undo = self._undo, None
        self._apply(reversal, undoing=True)

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push() calls redo(): the operation is already done
            self._pushed = True
            return
        reversal, self._redo = self._redo, None
        self._apply(reversal, undoing=False)

    def _apply(self, reversal: Reversal | None, *, undoing: bool) -> None:
        report = self._report
        if reversal is None:
            report(translate("Undo", "Nothing to undo.") if undoing
                   else translate("Undo", "Nothing to redo."))
            return

        def done(result: OpResult[Any]) -> None:
            if undoing:
                self._redo = result.reversal
                report(translate("Undo", "Undone: {0}").replace("{0}", result.message))
            else:
                self._undo = result.reversal
                report(translate("Undo", "Redone: {0}").replace("{0}", result.message))

        def failed(message: str) -> None:
            report((translate("Undo", "Could not undo: {0}") if undoing else
                    translate("Undo", "Could not redo: {0}")).replace("{0}", message))

        bridge = self._bridge()
        if bridge is None:
            return
        bridge.run(lambda desk, progress: desk.undo(reversal, progress), done, failed,
                   origin=self)


def undo_text(result: OpResult[Any], action: str = "") -> str:
    """What Edit › Undo names: the action, as an imperative, with how many tickets it changed
    ("Set Priority (3 tickets)"); without one, the result's sentence without its full stop."""
    if action:
        count = len(set(result.changed_ticket_ids) | set(result.created_ticket_ids)
                    | set(result.removed_ticket_ids))
        if count > 1:
            return translate("Undo", "%1 (%n tickets)", "", count).replace("%1", action)
        return action
    return result.message.rstrip().removesuffix(".") or translate("Undo", "Change")


def offer(stack: QUndoStack, bridge: DeskBridge, result: OpResult[Any],
          report: Report, action: str = "",
          scope: object | None = None) -> Callable[[], None] | None:
    """Put ``result`` on the undo stack; the status bar's "Undo" callable for it (``None``
    when it cannot be undone). The offer undoes it only while it is the latest command."""
    if result.reversal is None:
        return None
    command = ReversalCommand(bridge, result, report, action, scope)
    stack.push(command)

    def undo_this() -> None:
        if stack.canUndo() and stack.command(stack.index() - 1) is command:
            stack.undo()
        else:
            report(translate("Undo", "Undo the later changes first (Edit › Undo)."))

    return undo_this


def show_result(host: ActionHost, result: OpResult[Any], action: str = "") -> None:
    """Report ``result`` in ``host``'s status bar, with Undo when it can be undone (and on
    the undo stack for Edit › Undo, named after ``action``, the menu command, when known)."""
    bridge = host.bridge
    host.show_status(result.message, offer(bridge.undo_stack, bridge, result,
                                           host.show_status, action, host))
