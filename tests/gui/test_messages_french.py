"""In a French window, the sentences the services build (refusals, bulk results) are French, and
so are the sentences stored in the database (the timeline), whoever wrote them.

The window sets gettext to the language of its Qt translator (ui.i18n.install_translations), so
a refusal written in the service layer reaches the status bar and the message boxes in French.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain import i18n
from helpdesk_desktop.domain.enums import Channel, Priority, TicketState
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.transcripts import TranscriptOptions
from helpdesk_desktop.ui import formatting
from helpdesk_desktop.ui.dialogs.inbox_settings_dialog import LONG_HOST, InboxSettingsDialog
from helpdesk_desktop.ui.i18n import install_translations
from helpdesk_desktop.ui.inbox_view import ConversationListModel
from helpdesk_desktop.ui.models.ticket_model import Column
from helpdesk_desktop.ui.ticket_view import TicketView
from helpdesk_desktop.ui.transcript_print.options import OptionsBox
from helpdesk_desktop.ui.transcript_print.page_view import PreviewDialog
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import GUI_MARKS
from tests.gui.test_dialogs_menus import open_dialog, trigger_from_menu_bar

pytestmark = GUI_MARKS


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    """The window's language is French, as the program installs it at start."""
    translators = install_translations(qapp, "fr")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    install_translations(qapp, "en")


def test_the_window_and_the_services_speak_the_same_language(french: None) -> None:
    assert i18n.current_language() == "fr"
    assert QApplication.translate("MainWindow", "&File") == "&Fichier"


def test_a_service_refusal_in_a_message_box_is_french(french: None,
                                                      gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    info = window.sidebar.save("Les miens", window.query)
    entry = window.sidebar.model.entry(window.sidebar.model.row_of(f"saved:{info.id}"))
    gui_ws.desk().delete_saved_view(info.id)  # e.g. from another window
    window.sidebar.delete_saved(entry)
    gui_ws.settle()  # the delete runs as a background job
    boxes = [w for w in window.findChildren(QMessageBox, "ErrorMessage") if w.isVisible()]
    assert [b.text() for b in boxes] == [f"La vue enregistrée n° {info.id} n'existe pas."]
    assert window.sidebar.model.row_of(f"saved:{info.id}") == -1  # the list says so too


def test_a_bulk_result_with_a_refusal_in_the_status_bar_is_french(
        french: None, qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    ids = [window.model.ticket_id(r) for r in range(3)]
    for row in range(3):
        rect = window.table.view.visualRect(window.model.index(row, Column.CHECK))
        qtbot.mouseClick(window.table.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    gone = ids[1]
    desk = gui_ws.desk()
    gui_ws.desk("lead").delete([gone], 1)  # elsewhere: this window hears nothing of it
    trigger_from_menu_bar(window, "delete")
    dialog = open_dialog(qtbot, window, "DeleteDialog")
    qtbot.waitUntil(lambda: dialog.counts is not None)
    qtbot.keyClicks(dialog.count_edit, "2")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.undo_button.isVisible())
    assert window.status.message.text() == (
        f"2 tickets supprimés. 1 refus\u00a0: Le ticket n° {gone} est déjà dans la corbeille. "
        "Seuls les tickets actifs peuvent être supprimés.")
    rows = desk.rows(ids)
    assert [rows[i].state for i in ids] == [TicketState.DELETED] * 3
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.rows([ids[0]])[ids[0]].state is TicketState.LIVE)
    gui_ws.settle()
    assert window.status.message.text().endswith("2 tickets restaurés.")


def test_a_tickets_timeline_written_in_english_reads_in_french(
        french: None, qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    """Entries written by an English process (another agent's window, the CLI) are stored once
    and each reader sees them in their own language: here a French window."""
    ticket_id = gui_ws.tickets["Invoice charged twice"]
    i18n.set_language("en")
    writer = gui_ws.desk("lead")
    writer.update(ticket_id, TicketChanges(priority=Priority.URGENT,
                                           owner=gui_ws.ws.users["agent"]))
    writer.set_associations(ticket_id, add_deal_ids=[gui_ws.ws.deals["renewal"]])
    writer.add_note(ticket_id, "Checked with the bank.")
    i18n.set_language("fr")  # what the French window's own start did

    view = TicketView(gui_ws.bridge("admin"))
    qtbot.addWidget(view)
    view.resize(1024, 768)
    view.show()
    view.open_ticket(ticket_id)
    gui_ws.settle()
    timeline = view.cards.cards["activity"].list
    lines = [timeline.item(row).text().split("\n") for row in range(timeline.count())]
    assert [summary for summary, _who in lines][:3] == [
        "Léa Lead a ajouté une note",
        "Affaire ajoutée\u00a0: Dupont renewal",
        "Priorité\u00a0: Haute → Urgente\u202f; Propriétaire\u00a0: Léa Lead → Arno Agent",
    ]
    # The entry make_ticket wrote as older versions did (English text only) is French too.
    assert lines[-1][0] == "Ticket créé à partir d'un e-mail"
    assert lines[-1][1].startswith("Système · ")
def test_the_inbox_view_names_the_channel_in_the_windows_language(french: None) -> None:
    conversation = SimpleNamespace(  # the fields the list shows
        subject="Demande de devis", contact=None, channel=Channel.EMAIL, messages=[],
        created_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), ticket_id=None)
    model = ConversationListModel()
    model.set_conversations([conversation], None)  # type: ignore[list-item]
    assert model.index(0, ConversationListModel.COLUMNS.index("channel")).data() == "E-mail"


def test_inbox_settings_show_a_whole_server_name_with_french_labels(
        french: None, qtbot: QtBot, gui_ws: GuiWorkspace) -> None:
    dialog = InboxSettingsDialog(gui_ws.bridge("admin"))
    qtbot.addWidget(dialog)
    dialog.show()
    gui_ws.settle()
    for host in (dialog.imap_host, dialog.smtp_host):
        assert host.width() >= host.fontMetrics().horizontalAdvance(LONG_HOST), host.width()


def test_the_window_writes_sizes_numbers_and_dates_as_the_french_do(french: None) -> None:
    """QLocale, the same CLDR rules as the PDFs and the command line (Babel)."""
    moment = dt.datetime(2026, 3, 2, 10, 0)
    assert (formatting.file_size(2_500_000), formatting.file_size(193)) == ("2,4 Mo", "193 octets")
    assert formatting.number(12500) == "12\u202f500" == i18n.number(12500)
    assert formatting.date_time(moment) == "02/03/2026 10:00"
    assert formatting.day_and_month(moment.date()) == "2 mars"


def test_the_print_preview_fits_a_1024_screen_in_french(french: None) -> None:
    """The preview's top row: the options, then Export as PDF… and Print… (with the French
    labels it was wider than a 1024-pixel screen)."""
    dialog = PreviewDialog(None, "Impression")
    dialog.top.addWidget(OptionsBox(TranscriptOptions(), 1, dialog, paper="A4"))
    dialog.top.addStretch(1)
    for text in ("Export as PDF…", "Print…"):
        dialog.top.addWidget(QPushButton(QApplication.translate("TranscriptPrint", text), dialog))
    assert dialog.minimumSizeHint().width() <= 1024 - 64, dialog.minimumSizeHint()
    dialog.deleteLater()
