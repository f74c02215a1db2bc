"""Screenshots of the mail windows and of the sentences the services build, each over the main
window: import-dialog.png, inbox-settings-dialog.png, sender-rules-dialog.png,
outbox-dialog.png, inbox-view.png, transcript-preview.png (Print Conversation…),
refusal-message.png (a service refusal in a message box) and
bulk-result.png (a bulk delete with one refusal, said in the status bar, with Undo). Run by
``make_screenshots.py``, which sets up the demo scene; the texts typed into them follow the
interface language, so a French screenshot reads as a French agent would use it.
"""

from __future__ import annotations

import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from helpdesk_desktop.domain.enums import InboxKind, View
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.services.mail.accounts import MailSettings
from helpdesk_desktop.ui.dialogs.delete_dialog import DeleteDialog
from helpdesk_desktop.ui.dialogs.import_dialog import ImportMailDialog
from helpdesk_desktop.ui.models.ticket_model import Column
from helpdesk_desktop.ui.transcript_print.preview import print_preview
from tests.screenshots.dialog_shots import over_window, say

if TYPE_CHECKING:
    from tests.screenshots.make_screenshots import Scene


def _mails(folder: Path) -> list[str]:
    """Three .eml files: two new customer mails and a reply to the first (it joins it)."""
    mails = [
        ("claire.martin@exemple.fr", "Facture en double",
         "Bonjour,\n\nJ'ai reçu deux fois la facture de novembre. Pouvez-vous vérifier ?\n"),
        ("j.weber@example.de", "Cannot sign in since the update",
         "Hello,\n\nSince yesterday's update the app refuses my password.\n"),
        ("claire.martin@exemple.fr", "Re: Facture en double",
         "Je joins la seconde facture, numéro FA-2026-118.\n"),
    ]
    folder.mkdir()
    paths: list[str] = []
    for i, (sender, subject, text) in enumerate(mails):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, "support@example.com", subject
        message["Message-ID"] = f"<screenshot-{i}@exemple.fr>"
        if i == 2:
            message["In-Reply-To"] = message["References"] = "<screenshot-0@exemple.fr>"
        message["Date"] = f"Mon, 02 Mar 2026 09:{15 + i:02d}:00 +0100"
        message.set_content(text)
        path = folder / f"{i + 1:02d}-{subject.split()[-1].lower()}.eml"
        path.write_bytes(message.as_bytes())
        paths.append(str(path))
    return paths


def import_dialog_screenshot(scene: Scene, folder: Path) -> Path:
    """import-dialog.png: three .eml files imported, the outcome of each listed."""
    window = scene.window
    with tempfile.TemporaryDirectory() as temp:
        mails = _mails(Path(temp) / say("Exported mail", "Courrier exporté"))
        dialog = ImportMailDialog(scene.bridge, mails, window)
        dialog.show()
        dialog.start()
        for _ in range(100):
            scene.settle()
            if dialog.outcomes is not None:
                break
        dialog.resize(760, 520)
        scene.settle()
        path = over_window(window, dialog, folder / "import-dialog.png")
    dialog.close()
    return path


def inbox_settings_screenshot(scene: Scene, folder: Path) -> Path:
    """inbox-settings-dialog.png: Settings › Inboxes…, a preset chosen."""
    window = scene.window
    dialog = window.open_mail_inboxes()
    scene.settle()
    presets = dialog.preset_combo
    presets.setCurrentIndex(max(0, presets.findText("Gmail", Qt.MatchFlag.MatchContains)))
    scene.settle()
    path = over_window(window, dialog, folder / "inbox-settings-dialog.png")
    dialog.close()
    return path


def sender_rules_screenshot(scene: Scene, folder: Path) -> Path:
    """sender-rules-dialog.png: an inbox's allow and deny lists."""
    window = scene.window
    desk = scene.bridge.desk
    inbox = next(i for i in desk.inboxes() if i.kind is InboxKind.HELP_DESK)
    desk.set_sender_rule(inbox.id, "exemple.fr", allow=True)
    desk.set_sender_rule(inbox.id, "offres@promo-mailer.example", allow=False)
    desk.set_sender_rule(inbox.id, "bulk-mail.example", allow=False)
    dialog = window.open_sender_rules()
    scene.settle()
    index = dialog.inbox_combo.findData(inbox.id)
    if index >= 0:
        dialog.inbox_combo.setCurrentIndex(index)
    scene.settle()
    path = over_window(window, dialog, folder / "sender-rules-dialog.png")
    dialog.close()
    return path


def outbox_screenshot(scene: Scene, folder: Path) -> Path:
    """outbox-dialog.png: View › Outbox… with two replies waiting to be sent (the help desk
    inbox connected to a mailbox that is never reached: they wait out their undo delay)."""
    window = scene.window
    desk = scene.bridge.desk
    inbox = next(i for i in desk.inboxes() if i.kind is InboxKind.HELP_DESK)
    desk.connect_inbox(inbox.name, MailSettings(
        imap_host="imap.exemple.invalid", smtp_host="smtp.exemple.invalid",
        user="support@exemple.fr", sender_address="support@exemple.fr",
        sender_name="Support", undo_seconds=300))
    for i, ticket_id in enumerate(desk.matching_ids(TicketQuery(view=View.ALL_OPEN))[:2]):
        desk.reply(ticket_id, say(
            ("Thank you, the replacement is on its way.", "We refunded the second invoice.")[i],
            ("Merci, le remplacement est en route.", "Nous avons remboursé la seconde facture.")[i]))
    dialog = window.open_outbox()
    # Its size on a screen of the window's size (the offscreen screen is smaller).
    dialog.resize(min(1100, window.width() * 9 // 10), min(520, window.height() * 8 // 10))
    scene.settle()
    path = over_window(window, dialog, folder / "outbox-dialog.png")
    dialog.close()
    return path


def inbox_view_screenshot(scene: Scene, folder: Path) -> Path:
    """inbox-view.png: the conversations inboxes, in their own window."""
    view = scene.window.open_inboxes()
    for _ in range(6):
        scene.settle()
    # A conversation in French, open below the list.
    french = [c for c in view.model.conversations if "?" in (c.subject or "")]
    chosen = (french or view.model.conversations)[0]
    view.select_conversation(chosen.id)
    for _ in range(4):
        scene.settle()
    path = folder / "inbox-view.png"
    view.grab().save(str(path))
    view.close()
    return path


def refusal_screenshot(scene: Scene, folder: Path) -> Path:
    """refusal-message.png: a saved view deleted in another window, then deleted here: the
    service's refusal in a message box."""
    window = scene.window
    sidebar = window.sidebar
    info = sidebar.save(say("My urgent tickets", "Mes tickets urgents"), window.query)
    scene.settle()
    entry = sidebar.model.entry(sidebar.model.row_of(f"saved:{info.id}"))
    scene.bridge.desk.delete_saved_view(info.id)  # e.g. from another window
    sidebar.delete_saved(entry)
    scene.settle()
    boxes = [b for b in window.findChildren(QMessageBox, "ErrorMessage") if b.isVisible()]
    assert boxes, "no message box"
    path = over_window(window, boxes[-1], folder / "refusal-message.png")
    for box in boxes:
        box.close()
    scene.settle()
    return path


def bulk_result_screenshot(scene: Scene, folder: Path) -> Path:
    """bulk-result.png: three tickets checked, one deleted meanwhile by another agent; Delete
    deletes two and the status bar says which one was refused and why, with Undo."""
    window = scene.window
    desk = scene.bridge.desk
    window.set_layout("table")
    window.close_ticket_panel()
    window.set_view(View.ALL_OPEN)
    scene.settle()
    model = window.model
    rows = list(range(3))
    ids = [model.ticket_id(row) for row in rows]
    for row in rows:
        model.setData(model.index(row, Column.CHECK), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    scene.settle()
    other = next(u for u in desk.users() if u.id != scene.bridge.user.id
                 and (u.super_admin or u.can_delete_tickets))
    desk.as_user(other.id).delete([ids[1]], 1)  # elsewhere: this window hears nothing of it
    window.registry.trigger("delete")
    # The one just opened (earlier screenshots' dialogs are closed, not deleted).
    dialogs = [d for d in window.findChildren(DeleteDialog) if d.isVisible()]
    assert len(dialogs) == 1, window.status.message.text()
    dialog = dialogs[0]
    for _ in range(50):
        scene.settle()
        if dialog.counts is not None:
            break
    dialog.count_edit.setText(str(dialog.expected_count))
    dialog.accept_button.click()
    for _ in range(50):
        scene.settle()
        if window.status.undo_button.isVisible():
            break
    assert window.status.undo_button.isVisible(), window.status.message.text()
    path = folder / "bulk-result.png"
    window.grab().save(str(path))
    return path


def print_preview_screenshot(scene: Scene, folder: Path) -> Path:
    """transcript-preview.png: Print Conversation…, the pages laid out with their options."""
    window = scene.window
    desk = scene.bridge.desk
    rows = desk.list_tickets(TicketQuery(view=View.ALL_OPEN), limit=200).rows
    french = [r for r in rows if r.name.startswith(("Demande", "Remboursement", "Terminal"))]
    preview = print_preview(window, desk, (french or rows)[0].id, settings=QSettings())
    deadline = time.monotonic() + 60
    while not preview.complete and time.monotonic() < deadline:
        scene.app.processEvents()
        time.sleep(0.05)
    dialog = preview.dialog
    assert dialog is not None and preview.complete, "the preview did not finish"
    dialog.resize(min(1000, window.width() - 40), min(800, window.height() - 40))
    scene.settle()
    path = over_window(window, dialog, folder / "transcript-preview.png")
    dialog.close()
    scene.settle()
    return path


WINDOW_SHOTS = [import_dialog_screenshot, inbox_settings_screenshot, sender_rules_screenshot,
                outbox_screenshot, inbox_view_screenshot, print_preview_screenshot,
                bulk_result_screenshot,
                refusal_screenshot]


def window_screenshots(scene: Scene, folder: Path) -> list[Path]:
    return [shoot(scene, folder) for shoot in WINDOW_SHOTS]
