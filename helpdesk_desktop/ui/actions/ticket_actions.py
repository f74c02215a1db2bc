"""Definitions of the ticket actions of the main window: open in a new window, follow/unfollow,
mark read/unread, the quick property edits (assign, priority) and the chosen ones (status, owner,
category: a small dialog, then the same bulk edit).

Each handler runs its write through ``host.bridge.run`` (off the UI thread), reports the result
in the status bar with an Undo where the change can be reverted, and shows a refusal's sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Priority
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import OpResult
from helpdesk_desktop.ui.actions.spec import (
    ActionContext,
    ActionHost,
    TicketActionSpec,
    all_of,
    needs_one,
    needs_selection,
)
from helpdesk_desktop.ui.dialogs.property_dialog import (
    PropertyChoice,
    PropertyDialog,
    TicketProperty,
    selection_pipeline_id,
)
from helpdesk_desktop.ui.guard import for_host

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

Operation = Callable[[Desk, list[int]], OpResult]
Progress = Callable[[int, int], None]


def _rows_known(ctx: ActionContext) -> bool:
    """Whether the selection's rows say everything (not "all N matching this view")."""
    return ctx.selection.all_matching is None and bool(ctx.selection.rows)


def _selected_ids(desk: Desk, ctx: ActionContext) -> list[int]:
    selection = ctx.selection
    if selection.all_matching is not None:
        return desk.matching_ids(selection.all_matching)
    return list(selection.ticket_ids)


def run_on_selection(host: ActionHost, ctx: ActionContext, operation: Operation,
                     undo: Operation | None = None) -> None:
    """Run ``operation`` on the selected tickets off the UI thread; offer ``undo``."""
    bridge = host.bridge

    def work(desk: Desk, _progress: Callable[[int, int], None]) -> tuple[OpResult, list[int]]:
        ids = _selected_ids(desk, ctx)
        return operation(desk, ids), ids

    def done(outcome: tuple[OpResult, list[int]]) -> None:
        result, ids = outcome
        revert = None
        if undo is not None and ids:
            def revert() -> None:
                bridge.run(lambda desk, _p: undo(desk, ids),
                           for_host(host, lambda r: host.show_status(r.message)),
                           for_host(host, host.show_error))
        host.show_status(result.message, revert)

    bridge.run(work, for_host(host, done), for_host(host, host.show_error))


def _refused(refusals: list[str]) -> str:
    """"2 refused: <the first refusal's sentence>"."""
    count = len(refusals)
    return translate("TicketActions", "%n refused: %1", None, count).replace("%1", refusals[0])


def update_each(desk: Desk, ids: Sequence[int], changes: dict[str, Any],
                progress: Progress | None = None) -> OpResult:
    """Apply ``changes`` to each ticket; one combined result. ``detail["previous"]`` maps each
    changed ticket to (the values it had, its new version), for an undo that refuses to
    overwrite a later edit.

    It writes through a listener-less twin of the facade, so that a bulk edit makes one change
    report (emitted by the caller on the UI thread) instead of one per ticket. One ticket's
    refusal is raised; in a bulk edit the others still change and the refusals are counted.
    ``progress(done, total)`` is called after each ticket."""
    quiet = desk.as_user(desk.actor_id)
    changed: list[int] = []
    previous: dict[int, tuple[dict[str, Any], int]] = {}
    refusals: list[str] = []
    for done, ticket_id in enumerate(ids, 1):
        try:
            result = quiet.update(ticket_id, changes)
        except HelpDeskError as exc:
            if len(ids) == 1:
                raise
            refusals.append(str(exc))
            continue
        finally:
            if progress is not None:
                progress(done, len(ids))
        if result.changed_ticket_ids:
            changed.append(ticket_id)
            previous[ticket_id] = (result.detail.get("previous", {}),
                                   int(result.detail.get("version", 0)))
    count = len(changed)
    if count == 0:
        message = translate("TicketActions", "Nothing to change.")
    else:
        message = translate("TicketActions", "Updated %n tickets.", None, count)
    if refusals:
        message += " " + _refused(refusals)
    return OpResult(message, changed_ticket_ids=tuple(changed), detail={"previous": previous})


def undo_each(desk: Desk, previous: dict[int, tuple[dict[str, Any], int]],
              progress: Progress | None = None) -> OpResult:
    """Put back what :func:`update_each` changed, except on tickets edited again since."""
    quiet = desk.as_user(desk.actor_id)
    restored: list[int] = []
    refusals: list[str] = []
    for done, (ticket_id, (values, version)) in enumerate(previous.items(), 1):
        try:
            quiet.update(ticket_id, values, expected_version=version or None)
        except HelpDeskError as exc:
            refusals.append(str(exc))
            continue
        finally:
            if progress is not None:
                progress(done, len(previous))
        restored.append(ticket_id)
    if not refusals:
        message = translate("TicketActions", "Undone.")
    else:
        count = len(restored)
        message = (translate("TicketActions", "Undone on %n tickets;", None, count)
                   + " " + _refused(refusals))
    return OpResult(message, changed_ticket_ids=tuple(restored))


def edit_properties(host: ActionHost, ctx: ActionContext, changes: dict[str, Any]) -> None:
    """Set ``changes`` on the selection; Undo restores each ticket's previous values."""
    bridge = host.bridge

    def work(desk: Desk, progress: Progress) -> tuple[OpResult, list[int]]:
        ids = _selected_ids(desk, ctx)
        return update_each(desk, ids, changes, progress), ids

    def saved(outcome: tuple[OpResult, list[int]]) -> None:
        # The change report goes out even if the window that asked was closed meanwhile.
        if outcome[0].changed_ticket_ids:
            bridge.changed.emit(outcome[0])
        for_host(host, done)(outcome)

    def done(outcome: tuple[OpResult, list[int]]) -> None:
        result, _ids = outcome
        previous = result.detail.get("previous", {})
        if not previous:
            host.show_status(result.message)
            return

        def revert() -> None:
            def undo_work(desk: Desk, progress: Progress) -> OpResult:
                return undo_each(desk, previous, progress)

            def undone(undo_result: OpResult) -> None:
                if undo_result.changed_ticket_ids:
                    bridge.changed.emit(undo_result)
                for_host(host, host.show_status)(undo_result.message)

            bridge.run(undo_work, undone, for_host(host, host.show_error))

        host.show_status(result.message, revert)

    bridge.run(work, saved, for_host(host, host.show_error))


# -- rules -----------------------------------------------------------------------------------

ONE_PIPELINE = QT_TRANSLATE_NOOP("TicketActions", "Select tickets of one pipeline.")


def needs_one_pipeline(ctx: ActionContext) -> str | None:
    """Statuses belong to a pipeline: the tickets must share one. For "all N matching this
    view" that is known only when the view's filters name exactly one pipeline."""
    return None if selection_pipeline_id(ctx.selection) is not None else ONE_PIPELINE


# -- rules that hide one of a pair -----------------------------------------------------------

def _all_followed(ctx: ActionContext) -> bool:
    return _rows_known(ctx) and all(r.following for r in ctx.selection.rows)


def _none_followed(ctx: ActionContext) -> bool:
    return _rows_known(ctx) and not any(r.following for r in ctx.selection.rows)


def _all_unread(ctx: ActionContext) -> bool:
    return _rows_known(ctx) and all(r.unread for r in ctx.selection.rows)


def _none_unread(ctx: ActionContext) -> bool:
    return _rows_known(ctx) and not any(r.unread for r in ctx.selection.rows)


def _all_mine(ctx: ActionContext) -> bool:
    return _rows_known(ctx) and all(r.owner_id == ctx.user.id for r in ctx.selection.rows)


def _none_owned(ctx: ActionContext) -> bool:
    return _rows_known(ctx) and all(r.owner_id is None for r in ctx.selection.rows)


def _priority_is(priority: Priority) -> Callable[[ActionContext], bool]:
    return lambda ctx: _rows_known(ctx) and all(r.priority is priority
                                                for r in ctx.selection.rows)


# -- handlers --------------------------------------------------------------------------------

def _open_new_window(host: ActionHost, ctx: ActionContext) -> None:
    row = ctx.selection.single
    if row is not None:
        host.open_ticket(row.id, new_window=True)


def _follow(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids: d.follow(ids), lambda d, ids: d.unfollow(ids))


def _unfollow(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids: d.unfollow(ids), lambda d, ids: d.follow(ids))


def _mark_read(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids: d.mark_read(ids),
                     lambda d, ids: d.mark_unread(ids))


def _mark_unread(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids: d.mark_unread(ids),
                     lambda d, ids: d.mark_read(ids))


def _assign_to_me(host: ActionHost, ctx: ActionContext) -> None:
    edit_properties(host, ctx, {"owner_id": ctx.user.id})


def _unassign(host: ActionHost, ctx: ActionContext) -> None:
    edit_properties(host, ctx, {"owner_id": None})


def _set_priority(priority: Priority) -> Callable[[ActionHost, ActionContext], None]:
    return lambda host, ctx: edit_properties(host, ctx, {"priority": priority.value})


def _choose(prop: TicketProperty) -> Callable[[ActionHost, ActionContext], None]:
    """A handler that asks for the value of ``prop`` (non-blocking) and then writes it to the
    selection with :func:`edit_properties`."""

    def handler(host: ActionHost, ctx: ActionContext) -> None:
        dialog = PropertyDialog(host.bridge, prop, ctx.selection, host.dialog_parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(choice: object) -> None:
            assert isinstance(choice, PropertyChoice)
            edit_properties(host, ctx, {choice.field: choice.value})

        dialog.succeeded.connect(chosen)
        dialog.open()

    return handler


PRIORITY_TEXTS = {
    Priority.URGENT: QT_TRANSLATE_NOOP("TicketActions", "Priority: &Urgent"),
    Priority.HIGH: QT_TRANSLATE_NOOP("TicketActions", "Priority: &High"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("TicketActions", "Priority: &Medium"),
    Priority.LOW: QT_TRANSLATE_NOOP("TicketActions", "Priority: &Low"),
}
PRIORITY_TIPS = {
    Priority.URGENT: QT_TRANSLATE_NOOP("TicketActions", "Set the priority to urgent."),
    Priority.HIGH: QT_TRANSLATE_NOOP("TicketActions", "Set the priority to high."),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("TicketActions", "Set the priority to medium."),
    Priority.LOW: QT_TRANSLATE_NOOP("TicketActions", "Set the priority to low."),
}

TICKET_ACTIONS: list[TicketActionSpec] = [
    TicketActionSpec(
        name="open_new_window",
        text=QT_TRANSLATE_NOOP("TicketActions", "Open in &New Window"),
        rule=needs_one,
        handler=_open_new_window,
        icon="open_new_window",
        shortcut="Ctrl+Shift+Return",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Open the ticket in a window of its own."),
        group="open",
    ),
    TicketActionSpec(
        name="set_status",
        text=QT_TRANSLATE_NOOP("TicketActions", "Set S&tatus…"),
        rule=all_of(needs_selection, needs_one_pipeline),
        handler=_choose(TicketProperty.STATUS),
        icon="set_status",
        shortcut="Ctrl+Shift+T",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Choose a status of the tickets' pipeline."),
        group="choose",
    ),
    TicketActionSpec(
        name="set_owner",
        text=QT_TRANSLATE_NOOP("TicketActions", "Assi&gn To…"),
        rule=needs_selection,
        handler=_choose(TicketProperty.OWNER),
        icon="set_owner",
        shortcut="Ctrl+Shift+O",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Choose the owner, or leave unassigned."),
        group="choose",
    ),
    TicketActionSpec(
        name="set_category",
        text=QT_TRANSLATE_NOOP("TicketActions", "Set Categor&y…"),
        rule=needs_selection,
        handler=_choose(TicketProperty.CATEGORY),
        icon="set_category",
        shortcut="Ctrl+Shift+G",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Choose the category, or none."),
        group="choose",
    ),
    TicketActionSpec(
        name="follow",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Follow"),
        rule=needs_selection,
        handler=_follow,
        icon="follow",
        shortcut="Ctrl+Shift+F",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Get notified about changes to these tickets."),
        group="personal",
        hide_when=_all_followed,
    ),
    TicketActionSpec(
        name="unfollow",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Unfollow"),
        rule=needs_selection,
        handler=_unfollow,
        icon="unfollow",
        shortcut="Ctrl+Alt+F",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Stop getting notified about these tickets."),
        group="personal",
        hide_when=_none_followed,
    ),
    TicketActionSpec(
        name="mark_read",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mark as &Read"),
        rule=needs_selection,
        handler=_mark_read,
        icon="mark_read",
        shortcut="Ctrl+Shift+U",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Mark as read for you (others keep their own read state)."),
        group="personal",
        hide_when=_none_unread,
    ),
    TicketActionSpec(
        name="mark_unread",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mark as U&nread"),
        rule=needs_selection,
        handler=_mark_unread,
        icon="mark_unread",
        shortcut="Ctrl+U",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Mark as unread for you (others keep their own read state)."),
        group="personal",
        hide_when=_all_unread,
    ),
    TicketActionSpec(
        name="assign_to_me",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Assign to Me"),
        rule=needs_selection,
        handler=_assign_to_me,
        icon="assign_to_me",
        shortcut="Ctrl+Shift+A",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Make yourself the owner."),
        group="properties",
        hide_when=_all_mine,
    ),
    TicketActionSpec(
        name="unassign",
        text=QT_TRANSLATE_NOOP("TicketActions", "Una&ssign"),
        rule=needs_selection,
        handler=_unassign,
        icon="unassign",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Remove the owner."),
        group="properties",
        hide_when=_none_owned,
    ),
    *(TicketActionSpec(
          name=f"priority_{priority.value}",
          text=PRIORITY_TEXTS[priority],
          rule=needs_selection,
          handler=_set_priority(priority),
          icon="priority",
          status_tip=PRIORITY_TIPS[priority],
          group="priority",
          hide_when=_priority_is(priority),
      )
      for priority in (Priority.URGENT, Priority.HIGH, Priority.MEDIUM, Priority.LOW)),
]


def all_specs() -> list[TicketActionSpec]:
    """Every ticket action, in menu order: these, then the dialog-backed ones."""
    from helpdesk_desktop.ui.actions.dialog_actions import DIALOG_ACTIONS

    return [*TICKET_ACTIONS, *DIALOG_ACTIONS]
