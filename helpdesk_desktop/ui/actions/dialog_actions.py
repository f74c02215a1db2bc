"""Definitions of the ticket actions that open a dialog or act on the trash: split, merge, move,
spam / not spam, delete / restore / delete permanently, and print / export as PDF.

Each handler imports its dialog when it runs: the window's first page does not wait for
six dialogs and the transcript stack (ReportLab, HarfBuzz, Babel, phonenumbers: ~0.35 s).
Handlers open their dialog non-blocking (``open()``) so the window stays usable and tests can
drive it; on success they report in the status bar, with "Undo" where the operation can be
reversed (delete → restore, spam → not spam, move → move back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QDialog

from helpdesk_desktop.domain.enums import Channel, InboxKind
from helpdesk_desktop.domain.rules import Operation
from helpdesk_desktop.ui import undo
from helpdesk_desktop.ui.actions.properties import selection_pipeline_id
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
    not_offered,
    state_allows,
)
from helpdesk_desktop.ui.actions.ticket_actions import run_on_selection
from helpdesk_desktop.ui.guard import for_host

if TYPE_CHECKING:
    from helpdesk_desktop.services.dto import TicketDetail

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")



def needs_email(ctx: ActionContext) -> str | None:
    row = ctx.selection.single
    if row is not None and row.source is not Channel.EMAIL:
        return QT_TRANSLATE_NOOP("TicketActions", "Only e-mail tickets can be split.")
    return None


# -- shared handler plumbing -----------------------------------------------------------------

def _with_fresh_detail(host: ActionHost, ctx: ActionContext,
                       then: Callable[[TicketDetail], None]) -> None:
    """Read the selected ticket as it is now (the dialog lists its current messages) off the
    UI thread, then call ``then`` with it; a refusal is shown as its sentence."""
    row = ctx.selection.single
    ticket_id = row.id if row is not None else (ctx.detail.id if ctx.detail else None)
    if ticket_id is None:
        return
    host.bridge.run(lambda desk, _p: desk.ticket(ticket_id), for_host(host, then),
                    for_host(host, host.show_error))


def _open(dialog: QDialog, on_success: Callable[[object], None]) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.succeeded.connect(on_success)  # type: ignore[attr-defined]
    dialog.open()


# -- handlers --------------------------------------------------------------------------------

def _split(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui.dialogs.split_dialog import SplitDialog, SplitResult

    def done(result: object) -> None:
        assert isinstance(result, SplitResult)
        host.show_status(result.op.message)

    _with_fresh_detail(host, ctx, lambda detail: _open(
        SplitDialog(host.bridge, detail, host.dialog_parent()), done))


def _merge(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui.dialogs.merge_dialog import MergeDialog, MergeResult

    def done(result: object) -> None:
        assert isinstance(result, MergeResult)
        host.open_ticket(result.primary_id)
        undo.show_result(host, result.op, ctx.action_text)

    _with_fresh_detail(host, ctx, lambda detail: _open(
        MergeDialog(host.bridge, detail, host.dialog_parent()), done))


def _move(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui.dialogs.move_many_dialog import MoveManyDialog, MoveManyResult

    selection = ctx.selection
    if selection.single is None and ctx.detail is None:  # several tickets: the bulk move
        def moved(result: object) -> None:
            assert isinstance(result, MoveManyResult)
            undo.show_result(host, result.op, ctx.action_text)

        _open(MoveManyDialog(host.bridge, selection.ticket_ids, host.dialog_parent(),
                             query=selection.all_matching, count=selection.count,
                             pipeline_id=selection_pipeline_id(selection)), moved)
        return
    _with_fresh_detail(host, ctx, lambda detail: _open_move(host, detail, ctx.action_text))


def _open_move(host: ActionHost, detail: TicketDetail, action: str = "") -> None:
    from helpdesk_desktop.ui.dialogs.move_dialog import MoveDialog, MoveResult

    if not detail.conversations:
        host.show_error(translate(
            "TicketActions", "Ticket #{0} has no conversation to move.").replace(
            "{0}", str(detail.id)))
        return
    first = next((c for c in detail.conversations if c.inbox_kind is InboxKind.HELP_DESK),
                 detail.conversations[0])

    def done(result: object) -> None:
        assert isinstance(result, MoveResult)
        undo.show_result(host, result.op, action)

    _open(MoveDialog(host.bridge, first, host.dialog_parent(), detail), done)


def _spam(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui.dialogs.spam_dialog import SpamDialog, SpamResult

    def done(result: object) -> None:
        assert isinstance(result, SpamResult)
        undo.show_result(host, result.op, ctx.action_text)

    _with_fresh_detail(host, ctx, lambda detail: _open(
        SpamDialog(host.bridge, detail, host.dialog_parent()), done))


def _not_spam(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda desk, ids, progress: desk.not_spam_many(ids, progress))


def _delete(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui.dialogs.delete_dialog import DeleteDialog, DeleteResult

    def done(result: object) -> None:
        assert isinstance(result, DeleteResult)
        undo.show_result(host, result.op, ctx.action_text)

    dialog = DeleteDialog(host.bridge, ctx.selection.ticket_ids, host.dialog_parent(),
                          query=ctx.selection.all_matching)
    _open(dialog, done)


def _delete_permanently(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui.dialogs.delete_dialog import DeleteDialog, DeleteResult

    def done(result: object) -> None:
        assert isinstance(result, DeleteResult)
        host.show_status(result.op.message)

    dialog = DeleteDialog(host.bridge, ctx.selection.ticket_ids, host.dialog_parent(),
                          query=ctx.selection.all_matching, permanent=True)
    _open(dialog, done)


def _restore(host: ActionHost, ctx: ActionContext) -> None:
    run_on_selection(host, ctx, lambda desk, ids, progress: desk.restore(ids, progress))


def _ticket_id(ctx: ActionContext) -> int | None:
    row = ctx.selection.single
    return row.id if row is not None else (ctx.detail.id if ctx.detail is not None else None)


def _print(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui import transcript_print

    ticket_id = _ticket_id(ctx)
    if ticket_id is not None:
        transcript_print.print_preview(host.dialog_parent(), host.bridge.desk, ticket_id)


def _export_pdf(host: ActionHost, ctx: ActionContext) -> None:
    from helpdesk_desktop.ui import transcript_print

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
        rule=all_of(needs_one, state_allows(Operation.PRINT)),
        handler=_print,
        icon="print",
        shortcut="Ctrl+P",
        standard="Print",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Preview and print the ticket's conversation."),
        group="output",
        hide_when=not_offered(Operation.PRINT),
    ),
    TicketActionSpec(
        name="export_pdf",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Export as PDF…"),
        rule=all_of(needs_one, state_allows(Operation.PRINT)),
        handler=_export_pdf,
        icon="export_pdf",
        shortcut="Ctrl+Shift+E",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Save the ticket's conversation as a PDF file."),
        group="output",
        hide_when=not_offered(Operation.PRINT),
    ),
    TicketActionSpec(
        name="split",
        text=QT_TRANSLATE_NOOP("TicketActions", "S&plit Ticket…"),
        rule=all_of(needs_one, state_allows(Operation.RESTRUCTURE), needs_service_seat,
                    needs_email),
        handler=_split,
        icon="split",
        shortcut="Ctrl+Alt+S",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Move some messages of this ticket to a new ticket."),
        group="restructure",
        hide_when=not_offered(Operation.RESTRUCTURE),
    ),
    TicketActionSpec(
        name="merge",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Merge Ticket…"),
        rule=all_of(needs_one, state_allows(Operation.RESTRUCTURE)),
        handler=_merge,
        icon="merge",
        shortcut="Ctrl+Shift+M",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Merge this ticket with another one."),
        group="restructure",
        hide_when=not_offered(Operation.RESTRUCTURE),
    ),
    TicketActionSpec(
        name="move",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mo&ve Conversation…"),
        rule=all_of(needs_selection, state_allows(Operation.RESTRUCTURE),
                    needs_account_access),
        handler=_move,
        icon="move",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions",
            "Move a conversation between the help desk and a conversations inbox (several "
            "tickets: their help desk conversations to an inbox)."),
        group="restructure",
        hide_when=not_offered(Operation.RESTRUCTURE),
    ),
    TicketActionSpec(
        name="spam",
        text=QT_TRANSLATE_NOOP("TicketActions", "Mark as &Spam…"),
        rule=all_of(needs_one, state_allows(Operation.SPAM), needs_delete),
        handler=_spam,
        icon="spam",
        shortcut="Ctrl+Shift+J",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Move the ticket, or some of its conversations, to Spam."),
        group="trash",
        hide_when=not_offered(Operation.SPAM),
    ),
    TicketActionSpec(
        name="not_spam",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Not Spam"),
        rule=all_of(needs_selection, state_allows(Operation.NOT_SPAM), needs_delete),
        handler=_not_spam,
        icon="not_spam",
        status_tip=QT_TRANSLATE_NOOP("TicketActions", "Bring the tickets back from Spam."),
        group="trash",
        hide_when=not_offered(Operation.NOT_SPAM),
    ),
    TicketActionSpec(
        name="delete",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Delete…"),
        rule=all_of(needs_selection, state_allows(Operation.DELETE), needs_delete),
        handler=_delete,
        icon="delete",
        shortcut="Del",
        standard="Delete",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Move the tickets to Recently deleted (restorable for 90 days)."),
        group="trash",
        hide_when=not_offered(Operation.DELETE),
    ),
    TicketActionSpec(
        name="restore",
        text=QT_TRANSLATE_NOOP("TicketActions", "&Restore"),
        rule=all_of(needs_selection, state_allows(Operation.RESTORE), needs_delete),
        handler=_restore,
        icon="restore",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Bring the tickets back from Recently deleted."),
        group="trash",
        hide_when=not_offered(Operation.RESTORE),
    ),
    TicketActionSpec(
        name="delete_permanently",
        text=QT_TRANSLATE_NOOP("TicketActions", "Delete &Permanently…"),
        rule=all_of(needs_selection, state_allows(Operation.DELETE_PERMANENTLY), needs_delete),
        handler=_delete_permanently,
        icon="delete_permanently",
        status_tip=QT_TRANSLATE_NOOP(
            "TicketActions", "Erase the tickets for good; this cannot be undone."),
        group="trash",
        hide_when=not_offered(Operation.DELETE_PERMANENTLY),
    ),
]
