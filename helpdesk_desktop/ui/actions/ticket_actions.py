"""Definitions of the ticket actions of the main window: open in a new window, follow/unfollow,
mark read/unread, the quick property edits (assign, priority) and the chosen ones (status, owner,
category: a small dialog, then the same bulk edit).

Each handler runs its write through ``host.bridge.run`` (off the UI thread), reports the result
in the status bar with an Undo where the change can be reverted, and shows a refusal's sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Priority
from helpdesk_desktop.domain.rules import Operation
from helpdesk_desktop.services.dto import OpResult, TicketChanges
from helpdesk_desktop.ui import undo
from helpdesk_desktop.ui.actions.properties import (
    PropertyChoice,
    TicketProperty,
    selection_pipeline_id,
)
from helpdesk_desktop.ui.actions.spec import (
    ActionContext,
    ActionHost,
    TicketActionSpec,
    all_of,
    either,
    needs_one,
    needs_selection,
    not_offered,
    state_allows,
)
from helpdesk_desktop.ui.guard import for_host

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

Progress = Callable[[int, int], None]
BulkCall = Callable[[Desk, list[int], Progress], OpResult[Any]]


def _rows_known(ctx: ActionContext) -> bool:
    """Whether the selection's rows say everything (not "all N matching this view")."""
    return ctx.selection.all_matching is None and bool(ctx.selection.rows)


def selected_ids(desk: Desk, ctx: ActionContext) -> list[int]:
    """The ids the action acts on (for "all N matching", the query's ids, read now)."""
    selection = ctx.selection
    if selection.all_matching is not None:
        return desk.matching_ids(selection.all_matching)
    return list(selection.ticket_ids)


def run_on_selection(host: ActionHost, ctx: ActionContext, operation: BulkCall) -> None:
    """Run one bulk ``operation`` on the selected tickets off the UI thread, then report its
    result with Undo. The facade reports what changed to every window, even if this one was
    closed meanwhile."""

    def work(desk: Desk, progress: Progress) -> OpResult[Any]:
        return operation(desk, selected_ids(desk, ctx), progress)

    host.bridge.run(work, for_host(host, lambda result: undo.show_result(
        host, result, ctx.action_text)), for_host(host, host.show_error), origin=host)


def edit_properties(host: ActionHost, ctx: ActionContext, changes: TicketChanges) -> None:
    """Set ``changes`` on the selection in one transaction; Undo restores each ticket's
    previous values (refused per ticket edited again since)."""
    run_on_selection(host, ctx, lambda desk, ids, progress:
                     desk.update_many(ids, changes, progress))


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
    run_on_selection(host, ctx, lambda d, ids, _p: d.follow(ids))


def _unfollow(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids, _p: d.unfollow(ids))


def _mark_read(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids, _p: d.mark_read(ids))


def _mark_unread(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda d, ids, _p: d.mark_unread(ids))


def _assign_to_me(host: ActionHost, ctx: ActionContext) -> None:
    edit_properties(host, ctx, TicketChanges(owner=ctx.user.id))


def _unassign(host: ActionHost, ctx: ActionContext) -> None:
    edit_properties(host, ctx, TicketChanges(owner=None))


def _set_priority(priority: Priority) -> Callable[[ActionHost, ActionContext], None]:
    return lambda host, ctx: edit_properties(host, ctx, TicketChanges(priority=priority))


def _choose(prop: TicketProperty) -> Callable[[ActionHost, ActionContext], None]:
    """A handler that asks for the value of ``prop`` (non-blocking) and then writes it to the
    selection with :func:`edit_properties`."""

    def handler(host: ActionHost, ctx: ActionContext) -> None:
        from helpdesk_desktop.ui.dialogs.property_dialog import PropertyDialog

        dialog = PropertyDialog(host.bridge, prop, ctx.selection, host.dialog_parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(choice: object) -> None:
            assert isinstance(choice, PropertyChoice)
            edit_properties(host, ctx, choice.changes)

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
        rule=all_of(needs_selection, needs_one_pipeline, state_allows(Operation.EDIT)),
        handler=_choose(TicketProperty.STATUS),
        icon="set_status",
        shortcut="Ctrl+Shift+T",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Choose a status of the tickets' pipeline."),
        group="choose",
        hide_when=not_offered(Operation.EDIT),
    ),
    TicketActionSpec(
        name="set_owner",
        text=QT_TRANSLATE_NOOP("TicketActions", "Assi&gn To…"),
        rule=all_of(needs_selection, state_allows(Operation.EDIT)),
        handler=_choose(TicketProperty.OWNER),
        icon="set_owner",
        shortcut="Ctrl+Shift+O",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Choose the owner, or leave unassigned."),
        group="choose",
        hide_when=not_offered(Operation.EDIT),
    ),
    TicketActionSpec(
        name="set_category",
        text=QT_TRANSLATE_NOOP("TicketActions", "Set Categor&y…"),
        rule=all_of(needs_selection, state_allows(Operation.EDIT)),
        handler=_choose(TicketProperty.CATEGORY),
        icon="set_category",
        shortcut="Ctrl+Shift+G",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Choose the category, or none."),
        group="choose",
        hide_when=not_offered(Operation.EDIT),
    ),
    TicketActionSpec(
        name="follow",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Follow"),
        rule=all_of(needs_selection, state_allows(Operation.PERSONAL)),
        handler=_follow,
        icon="follow",
        shortcut="Ctrl+Shift+F",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Get notified about changes to these tickets."),
        group="personal",
        hide_when=either(not_offered(Operation.PERSONAL), _all_followed),
    ),
    TicketActionSpec(
        name="unfollow",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Unfollow"),
        rule=all_of(needs_selection, state_allows(Operation.PERSONAL)),
        handler=_unfollow,
        icon="unfollow",
        shortcut="Ctrl+Alt+F",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Stop getting notified about these tickets."),
        group="personal",
        hide_when=either(not_offered(Operation.PERSONAL), _none_followed),
    ),
    TicketActionSpec(
        name="mark_read",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mark as &Read"),
        rule=all_of(needs_selection, state_allows(Operation.PERSONAL)),
        handler=_mark_read,
        icon="mark_read",
        shortcut="Ctrl+Shift+U",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Mark as read for you (others keep their own read state)."),
        group="personal",
        hide_when=either(not_offered(Operation.PERSONAL), _none_unread),
    ),
    TicketActionSpec(
        name="mark_unread",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mark as U&nread"),
        rule=all_of(needs_selection, state_allows(Operation.PERSONAL)),
        handler=_mark_unread,
        icon="mark_unread",
        shortcut="Ctrl+U",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Mark as unread for you (others keep their own read state)."),
        group="personal",
        hide_when=either(not_offered(Operation.PERSONAL), _all_unread),
    ),
    TicketActionSpec(
        name="assign_to_me",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Assign to Me"),
        rule=all_of(needs_selection, state_allows(Operation.EDIT)),
        handler=_assign_to_me,
        icon="assign_to_me",
        shortcut="Ctrl+Shift+A",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Make yourself the owner."),
        group="properties",
        hide_when=either(not_offered(Operation.EDIT), _all_mine),
    ),
    TicketActionSpec(
        name="unassign",
        text=QT_TRANSLATE_NOOP("TicketActions", "Una&ssign"),
        rule=all_of(needs_selection, state_allows(Operation.EDIT)),
        handler=_unassign,
        icon="unassign",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Remove the owner."),
        group="properties",
        hide_when=either(not_offered(Operation.EDIT), _none_owned),
    ),
    *(TicketActionSpec(
          name=f"priority_{priority.value}",
          text=PRIORITY_TEXTS[priority],
          rule=all_of(needs_selection, state_allows(Operation.EDIT)),
          handler=_set_priority(priority),
          icon="priority",
          status_tip=PRIORITY_TIPS[priority],
          group="priority",
          hide_when=either(not_offered(Operation.EDIT), _priority_is(priority)),
      )
      for priority in (Priority.URGENT, Priority.HIGH, Priority.MEDIUM, Priority.LOW)),
]


def all_specs() -> list[TicketActionSpec]:
    """Every ticket action, in menu order: these, then the dialog-backed ones."""
    from helpdesk_desktop.ui.actions.dialog_actions import DIALOG_ACTIONS

    return [*TICKET_ACTIONS, *DIALOG_ACTIONS]
