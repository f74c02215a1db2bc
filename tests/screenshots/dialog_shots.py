"""Screenshots of the ticket-action dialogs and the notifications list, each over the main
window: split-dialog.png, merge-dialog.png, move-dialog.png, spam-dialog.png, delete-dialog.png,
notifications.png, and the bulk bar's move-many-dialog.png and delete-dialog-refusals.png. Run by ``make_screenshots.py``, which sets up the demo scene.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QWidget

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain import i18n
from helpdesk_desktop.domain.enums import Channel, View
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.services.dto import TicketDetail, TicketQuery
from helpdesk_desktop.ui.dialogs.delete_dialog import DeleteDialog
from helpdesk_desktop.ui.dialogs.merge_dialog import MergeDialog
from helpdesk_desktop.ui.dialogs.move_dialog import MoveDialog
from helpdesk_desktop.ui.dialogs.spam_dialog import SpamDialog
from helpdesk_desktop.ui.dialogs.split_dialog import SplitDialog
from helpdesk_desktop.ui.models.ticket_model import Column
from helpdesk_desktop.ui.notifications import NotificationBell


def say(english: str, french: str) -> str:
    """What the agent types, in the interface's language."""
    return french if i18n.current_language() == "fr" else english


if TYPE_CHECKING:
    from tests.screenshots.make_screenshots import Scene


def over_window(window: QWidget, floating: QWidget, path: Path, *,
                at: QPoint | None = None, dim: bool = True) -> Path:
    """The window, dimmed, with ``floating`` (a dialog or popup) drawn centred or at ``at``."""
    shot = window.grab()
    top = floating.grab()
    painter = QPainter(shot)
    if dim:
        painter.fillRect(shot.rect(), QColor(17, 24, 39, 90))
    if at is None:
        at = QPoint((shot.width() - top.width()) // 2, (shot.height() - top.height()) // 2)
    frame = QRect(at, top.size()).adjusted(-1, -1, 1, 1)
    painter.setPen(QColor("#9ca3af"))
    painter.drawRect(frame)
    painter.drawPixmap(at, top)
    painter.end()
    shot.save(str(path))
    return path


def _detail_with(desk: Desk, predicate: object, view: View = View.ALL_OPEN) -> TicketDetail:
    """The first ticket of ``view`` whose detail satisfies ``predicate``."""
    page = desk.list_tickets(TicketQuery(view=view), limit=200)
    for row in page.rows:
        detail = desk.ticket(row.id)
        if predicate(detail):  # type: ignore[operator]
            return detail
    raise LookupError("no demo ticket fits")


def _messages(detail: TicketDetail) -> int:
    return sum(len(c.messages) for c in detail.conversations)


def dialog_screenshots(scene: Scene, folder: Path) -> list[Path]:
    """split-, merge-, move-, spam- and delete-dialog.png, then notifications.png (which adds
    notes by other agents to the demo data)."""
    bridge, window = scene.bridge, scene.window
    desk = bridge.desk
    window.set_layout("table")
    made: list[Path] = []

    # Split: a long e-mail thread, its last two messages ticked.
    detail = _detail_with(desk, lambda d: d.row.source is Channel.EMAIL
                          and len(d.conversations) == 1 and 4 <= _messages(d) <= 9)
    window.open_ticket(detail.id)
    scene.settle()
    split = SplitDialog(bridge, detail, window)
    split.show()
    for message_id in list(split.message_items)[-2:]:
        split.set_checked(message_id)
    scene.settle()
    made.append(over_window(window, split, folder / "split-dialog.png"))
    split.close()

    # Merge: searched by the contact's words, the other ticket chosen, explanation open.
    merge = MergeDialog(bridge, detail, window)
    merge.show()
    words = detail.row.name.split()[0]
    merge.search_edit.setText(words)
    merge.search()
    ids = merge.result_ids()
    if ids:
        merge.choose(ids[0])
    merge.explain_button.setChecked(True)
    merge.resize(840, 700)
    scene.settle()
    made.append(over_window(window, merge, folder / "merge-dialog.png"))
    merge.close()

    # Move: from the help desk to an inbox, with a comment.
    move = MoveDialog(bridge, detail.conversations[0], window, detail)
    move.show()
    scene.settle()  # the choices are read in the background
    index = move.inbox_combo.findText("Sales", Qt.MatchFlag.MatchContains)
    move.inbox_combo.setCurrentIndex(max(0, index))
    move.comment_edit.setPlainText(say(
        "Sales asked to follow up on this customer directly.",
        "Les commerciaux veulent suivre ce client eux-mêmes."))
    scene.settle()
    made.append(over_window(window, move, folder / "move-dialog.png"))
    move.close()

    # Spam: a ticket with several conversations, one ticked.
    try:
        several = _detail_with(desk, lambda d: len(d.conversations) >= 2, View.ALL)
    except LookupError:
        several = detail
    spam = SpamDialog(bridge, several, window)
    spam.show()
    spam.set_checked(list(spam.conversation_items)[-1])
    scene.settle()
    made.append(over_window(window, spam, folder / "spam-dialog.png"))
    spam.close()

    # Delete: "all N matching this view", counted in the background, the count typed.
    delete = DeleteDialog(bridge, (), window, query=TicketQuery(view=View.UNASSIGNED))
    delete.show()
    for _ in range(50):
        scene.settle()
        if delete.counts is not None:
            break
    delete.count_edit.setText(str(delete.expected_count))
    scene.settle()
    made.append(over_window(window, delete, folder / "delete-dialog.png"))
    delete.close()

    # Notifications: other agents work on tickets this user follows.
    followed = desk.matching_ids(TicketQuery(view=View.FOLLOWING))[:4]
    others = [u for u in desk.users() if u.id != bridge.user.id
              and (u.help_desk_access or u.super_admin)]
    notes = (say("Called the customer, waiting for the serial number.",
                  "Client appelé, j'attends le numéro de série."),
             say("Spare part ordered; arrives Thursday.", "Pièce commandée, livrée jeudi."),
             say("Customer confirmed the fix works.", "Le client confirme que c'est réglé."),
             say("Escalated to the billing team.", "Transmis au service facturation."))
    for i, ticket_id in enumerate(followed):
        for other in others[i:] + others[:i]:  # someone who can see the ticket
            try:
                desk.as_user(other.id).add_note(ticket_id, notes[i % len(notes)])
                break
            except HelpDeskError:
                continue
    bell = window.findChild(NotificationBell, "NotificationBell")
    assert bell is not None, "the main window has no notification bell"
    bell.center.refresh()
    window.close_ticket_panel()
    scene.settle()
    bell.show_popup()
    scene.settle()
    popup = bell.popup
    top_left = window.mapFromGlobal(popup.pos())
    made.append(over_window(window, popup, folder / "notifications.png", at=top_left,
                            dim=False))
    popup.hide()
    return made


def bulk_dialog_screenshots(scene: Scene, folder: Path) -> list[Path]:
    """move-many-dialog.png (the bulk bar's Move on three checked tickets) and
    delete-dialog-refusals.png (Delete on a selection of which some cannot be deleted)."""
    bridge, window = scene.bridge, scene.window
    desk = bridge.desk
    window.set_layout("table")
    window.close_ticket_panel()
    window.set_view(View.ALL_OPEN)
    scene.settle()
    model = window.model
    rows = list(range(min(3, model.rowCount())))
    for row in rows:
        model.setData(model.index(row, Column.CHECK), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    scene.settle()
    made: list[Path] = []

    window.registry.trigger("move")
    move = window.findChild(QDialog, "MoveManyDialog")
    assert move is not None, window.status.message.text()
    scene.settle()
    index = move.inbox_combo.findText("Sales", Qt.MatchFlag.MatchContains)  # type: ignore[attr-defined]
    move.inbox_combo.setCurrentIndex(max(0, index))  # type: ignore[attr-defined]
    move.comment_edit.setPlainText(say(  # type: ignore[attr-defined]
        "Handed over to the shared inbox: these customers asked for a quote.",
        "Transmis à la boîte partagée : ces clients ont demandé un devis."))
    scene.settle()
    made.append(over_window(window, move, folder / "move-many-dialog.png"))
    move.reject()

    # Delete: three open tickets and two that are spam already (refused, and said so).
    chosen = [model.ticket_id(row) for row in rows]
    spam = desk.matching_ids(TicketQuery(view=View.SPAM))[:2]
    if len(spam) < 2:
        spam = desk.matching_ids(TicketQuery(view=View.RECENTLY_DELETED))[:2]
    delete = DeleteDialog(bridge, chosen + spam, window)
    delete.show()
    for _ in range(50):
        scene.settle()
        if delete.counts is not None:
            break
    delete.count_edit.setText(str(delete.expected_count))
    scene.settle()
    made.append(over_window(window, delete, folder / "delete-dialog-refusals.png"))
    delete.close()
    for row in rows:
        model.setData(model.index(row, Column.CHECK), Qt.CheckState.Unchecked,
                      Qt.ItemDataRole.CheckStateRole)
    scene.settle()
    return made
