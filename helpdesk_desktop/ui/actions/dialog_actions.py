"""Definitions of the ticket actions that open a dialog or act on the trash: split, merge, move,
spam / not spam, delete / restore / delete permanently, and print / export as PDF.

Handlers open their dialog non-blocking (``open()``) so the window stays usable and tests can
drive it; on success they report in the status bar, with "Undo" where the operation can be
reversed (delete → restore, spam → not spam, move → move back).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QDialog

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import Channel, InboxKind, TicketState, View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import OpResult, TicketDetail
from helpdesk_desktop.ui import transcript_print, undo
from helpdesk_desktop.ui.actions.spec import (
    ActionContext,
    ActionHost,
    TicketActionSpec,
    all_of,
    needs_account_access,
    needs_delete,
    needs_one,
    needs_selection,
    needs_service_seat,
)
from helpdesk_desktop.ui.dialogs.delete_dialog import DeleteDialog, DeleteResult
from helpdesk_desktop.ui.dialogs.merge_dialog import MergeDialog, MergeResult
from helpdesk_desktop.ui.dialogs.move_dialog import MoveDialog, MoveResult
from helpdesk_desktop.ui.dialogs.spam_dialog import SpamDialog, SpamResult
from helpdesk_desktop.ui.dialogs.split_dialog import SplitDialog, SplitResult
from helpdesk_desktop.ui.guard import for_host

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")



# -- what the selection is -------------------------------------------------------------------

VIEW_STATES = {View.SPAM: TicketState.SPAM, View.RECENTLY_DELETED: TicketState.DELETED}


def selection_states(ctx: ActionContext) -> set[TicketState]:
    """The lifecycle states of the selected tickets (for "all N matching", the view's)."""
    query = ctx.selection.all_matching
    if query is not None:
        return {VIEW_STATES.get(query.view, TicketState.LIVE)}
    return {row.state for row in ctx.selection.rows}


def _only(*states: TicketState) -> Callable[[ActionContext], bool]:
    """``hide_when``: hide unless every selected ticket is in one of ``states``."""
    def hidden(ctx: ActionContext) -> bool:
        found = selection_states(ctx)
        return bool(found) and not found <= set(states)
    return hidden


def _hide_for(*states: TicketState) -> Callable[[ActionContext], bool]:
    """``hide_when``: hide when every selected ticket is in one of ``states``."""
    def hidden(ctx: ActionContext) -> bool:
        found = selection_states(ctx)
        return bool(found) and found <= set(states)
    return hidden


def needs_live(ctx: ActionContext) -> str | None:
    states = selection_states(ctx)
    if TicketState.SPAM in states:
        return QT_TRANSLATE_NOOP("TicketActions", "Mark the ticket as not spam first.")
    if TicketState.DELETED in states:
        return QT_TRANSLATE_NOOP("TicketActions", "Restore the ticket first.")
    return None


def needs_email(ctx: ActionContext) -> str | None:
    row = ctx.selection.single
    if row is not None and row.source is not Channel.EMAIL:
        return QT_TRANSLATE_NOOP("TicketActions", "Only e-mail tickets can be split.")
    return None


# -- shared handler plumbing -----------------------------------------------------------------

def _fresh_detail(host: ActionHost, ctx: ActionContext) -> TicketDetail | None:
    """The selected ticket as it is now (the dialog lists its current messages)."""
    row = ctx.selection.single
    ticket_id = row.id if row is not None else (ctx.detail.id if ctx.detail else None)
    if ticket_id is None:
        return None
    try:
        return host.bridge.desk.ticket(ticket_id)
    except HelpDeskError as exc:
        host.show_error(str(exc))
        return None


def _open(dialog: QDialog, on_success: Callable[[object], None]) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.succeeded.connect(on_success)  # type: ignore[attr-defined]
    dialog.open()


def _selected_ids(desk: Desk, ctx: ActionContext) -> list[int]:
    if ctx.selection.all_matching is not None:
        return desk.matching_ids(ctx.selection.all_matching)
    return list(ctx.selection.ticket_ids)


# -- handlers --------------------------------------------------------------------------------

def _split(host: ActionHost, ctx: ActionContext) -> None:
    detail = _fresh_detail(host, ctx)
    if detail is None:
        return

    def done(result: object) -> None:
        assert isinstance(result, SplitResult)
        host.show_status(result.op.message)

    _open(SplitDialog(host.bridge, detail, host.dialog_parent()), done)


def _merge(host: ActionHost, ctx: ActionContext) -> None:
    detail = _fresh_detail(host, ctx)
    if detail is None:
        return

    def done(result: object) -> None:
        assert isinstance(result, MergeResult)
        host.open_ticket(result.primary_id)
        host.show_status(result.op.message)

    _open(MergeDialog(host.bridge, detail, host.dialog_parent()), done)


def _move(host: ActionHost, ctx: ActionContext) -> None:
    detail = _fresh_detail(host, ctx)
    if detail is None:
        return
    if not detail.conversations:
        host.show_error(translate(
            "TicketActions", "Ticket #{0} has no conversation to move.").replace(
            "{0}", str(detail.id)))
        return
    first = next((c for c in detail.conversations if c.inbox_kind is InboxKind.HELP_DESK),
                 detail.conversations[0])
    bridge = host.bridge

    def done(result: object) -> None:
        assert isinstance(result, MoveResult)
        if result.created_ticket:
            host.show_status(result.op.message)
            return
        host.show_status(result.op.message, undo.move_undo(
            bridge, result.conversation_id, result.from_inbox_id,
            owner_id=result.previous_owner_id, pipeline_id=result.previous_pipeline_id,
            status_id=result.previous_status_id, report=host.show_status))

    _open(MoveDialog(bridge, first, host.dialog_parent(), detail), done)


def _spam(host: ActionHost, ctx: ActionContext) -> None:
    detail = _fresh_detail(host, ctx)
    if detail is None:
        return
    bridge = host.bridge

    def done(result: object) -> None:
        assert isinstance(result, SpamResult)
        host.show_status(result.op.message,
                         undo.spam_undo(bridge, result.ticket_id, host.show_status))

    _open(SpamDialog(bridge, detail, host.dialog_parent()), done)


def _not_spam(host: ActionHost, ctx: ActionContext) -> None:
    def work(desk: Desk, progress: Callable[[int, int], None]) -> OpResult:
        ids = _selected_ids(desk, ctx)
        # One write per ticket through a listener-less twin, one change report at the end.
        quiet = desk.as_user(desk.actor_id)
        for done, ticket_id in enumerate(ids, 1):
            quiet.not_spam(ticket_id)
            progress(done, len(ids))
        count = len(ids)
        message = translate("TicketActions", "%n tickets are no longer spam.", None, count)
        return OpResult(message, changed_ticket_ids=tuple(ids))

    bridge = host.bridge

    def done(result: OpResult) -> None:
        bridge.changed.emit(result)  # for every window, even if this one was closed meanwhile
        for_host(host, host.show_status)(result.message)

    bridge.run(work, done, for_host(host, host.show_error))


def _delete(host: ActionHost, ctx: ActionContext) -> None:
    bridge = host.bridge

    def done(result: object) -> None:
        assert isinstance(result, DeleteResult)
        host.show_status(result.op.message,
                         undo.delete_undo(bridge, result.ticket_ids, host.show_status))

    dialog = DeleteDialog(bridge, ctx.selection.ticket_ids, host.dialog_parent(),
                          query=ctx.selection.all_matching)
    _open(dialog, done)


def _delete_permanently(host: ActionHost, ctx: ActionContext) -> None:
    def done(result: object) -> None:
        assert isinstance(result, DeleteResult)
        host.show_status(result.op.message)

    dialog = DeleteDialog(host.bridge, ctx.selection.ticket_ids, host.dialog_parent(),
                          query=ctx.selection.all_matching, permanent=True)
    _open(dialog, done)


def _restore(host: ActionHost, ctx: ActionContext) -> None:
    bridge = host.bridge

    def work(desk: Desk, _progress: Callable[[int, int], None]) -> tuple[OpResult, list[int]]:
        ids = _selected_ids(desk, ctx)
        return desk.restore(ids), ids

    def done(outcome: tuple[OpResult, list[int]]) -> None:
        result, ids = outcome

        def delete_again() -> None:
            bridge.run(lambda desk, progress: desk.delete(ids, len(ids), progress=progress),
                       for_host(host, lambda r: host.show_status(r.message)),
                       for_host(host, host.show_error))

        host.show_status(result.message, delete_again)

    bridge.run(work, for_host(host, done), for_host(host, host.show_error))


def _ticket_id(ctx: ActionContext) -> int | None:
    row = ctx.selection.single
    return row.id if row is not None else (ctx.detail.id if ctx.detail is not None else None)


def _print(host: ActionHost, ctx: ActionContext) -> None:
    ticket_id = _ticket_id(ctx)
    if ticket_id is not None:
        transcript_print.print_preview(host.dialog_parent(), host.bridge.desk, ticket_id)


def _export_pdf(host: ActionHost, ctx: ActionContext) -> None:
    ticket_id = _ticket_id(ctx)
    if ticket_id is None:
        return
    export = transcript_print.export_pdf(host.dialog_parent(), host.bridge.desk, ticket_id)
    if export is not None:
        export.done.connect(lambda path: host.show_status(
            translate("TicketActions", "Saved the transcript as {0}.").replace("{0}", path)))


DIALOG_ACTIONS: list[TicketActionSpec] = [
    TicketActionSpec(
        name="print",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Print Conversation…"),
        rule=all_of(needs_one, needs_live),
        handler=_print,
        icon="print",
        shortcut="Ctrl+P",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Preview and print the ticket's conversation."),
        group="output",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="export_pdf",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Export as PDF…"),
        rule=all_of(needs_one, needs_live),
        handler=_export_pdf,
        icon="export_pdf",
        shortcut="Ctrl+Shift+E",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Save the ticket's conversation as a PDF file."),
        group="output",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="split",
        text=QT_TRANSLATE_NOOP("TicketActions", "S&plit Ticket…"),
        rule=all_of(needs_one, needs_live, needs_service_seat, needs_email),
        handler=_split,
        icon="split",
        shortcut="Ctrl+Alt+S",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Move some messages of this ticket to a new ticket."),
        group="restructure",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="merge",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Merge Ticket…"),
        rule=all_of(needs_one, needs_live),
        handler=_merge,
        icon="merge",
        shortcut="Ctrl+Shift+M",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Merge this ticket with another one."),
        group="restructure",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="move",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mo&ve Conversation…"),
        rule=all_of(needs_one, needs_live, needs_account_access),
        handler=_move,
        icon="move",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions",
            "Move a conversation between the help desk and a conversations inbox."),
        group="restructure",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="spam",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mark as &Spam…"),
        rule=all_of(needs_one, needs_live, needs_delete),
        handler=_spam,
        icon="spam",
        shortcut="Ctrl+Shift+J",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Move the ticket, or some of its conversations, to Spam."),
        group="trash",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="not_spam",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Not Spam"),
        rule=all_of(needs_selection, needs_delete),
        handler=_not_spam,
        icon="not_spam",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Bring the tickets back from Spam."),
        group="trash",
        hide_when=_only(TicketState.SPAM),
    ),
    TicketActionSpec(
        name="delete",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Delete…"),
        rule=all_of(needs_selection, needs_live, needs_delete),
        handler=_delete,
        icon="delete",
        shortcut="Del",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Move the tickets to Recently deleted (restorable for 90 days)."),
        group="trash",
        hide_when=_hide_for(TicketState.SPAM, TicketState.DELETED),
    ),
    TicketActionSpec(
        name="restore",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Restore"),
        rule=all_of(needs_selection, needs_delete),
        handler=_restore,
        icon="restore",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Bring the tickets back from Recently deleted."),
        group="trash",
        hide_when=_only(TicketState.DELETED),
    ),
    TicketActionSpec(
        name="delete_permanently",
        text=QT_TRANSLATE_NOOP("TicketActions", "Delete &Permanently…"),
        rule=all_of(needs_selection, needs_delete),
        handler=_delete_permanently,
        icon="delete_permanently",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Erase the tickets for good; this cannot be undone."),
        group="trash",
        hide_when=_only(TicketState.DELETED, TicketState.SPAM),
    ),
]
