"""File › Back Up Now and File › Restore… driven through the real menu actions and dialogs,
the daily upkeep scheduler, the purge date shown for spam tickets, and the image cap."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt, QUrl
from PySide6.QtGui import QAction, QImage, QPainter, QStaticText
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import TicketState, View
from helpdesk_desktop.domain.models import Ticket
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage import backups
from helpdesk_desktop.ui import backup_actions
from helpdesk_desktop.ui.models import labels
from helpdesk_desktop.ui.models.ticket_model import Column, Role
from helpdesk_desktop.ui.ticket_view import conversation
from helpdesk_desktop.ui.upkeep import UpkeepScheduler
from tests.gui.conftest import GuiWorkspace
from tests.gui.dialog_support import find_top_level

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                        "grabbing the keyboard")]


def _action(window: object, name: str) -> QAction:
    action = window.findChild(QAction, f"action.{name}")  # type: ignore[attr-defined]
    assert action is not None
    return action


def test_back_up_now_writes_a_verified_private_backup(gui_ws: GuiWorkspace,
                                                      qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    db_path = gui_ws.db.path
    assert db_path is not None
    _action(window, "back_up").trigger()
    gui_ws.settle()
    found = backups.list_backups(db_path)
    assert [b.kind for b in found] == ["manual"]
    assert backups.verify_backup(found[0].path)
    assert found[0].path.stat().st_mode & 0o777 == 0o600
    assert found[0].path.parent.stat().st_mode & 0o777 == 0o700
    qtbot.waitUntil(lambda: "Backed up to" in window.status.message.text())


def test_restore_asks_then_restores_and_asks_to_reopen(
        gui_ws: GuiWorkspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window = gui_ws.window("admin")
    desk = gui_ws.desk("admin")
    ticket = next(iter(gui_ws.tickets.values()))
    safe = desk.back_up("manual")
    desk.update(ticket, TicketChanges(name="Changed after the backup"))
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    monkeypatch.setattr(backup_actions, "choose_backup", lambda _window: str(safe))
    _action(window, "restore_backup").trigger()
    box = find_top_level("RestoreQuestion")
    assert isinstance(box, QMessageBox)
    assert safe.name in box.text()
    restore_button = box.findChild(QPushButton, "RestoreButton")
    assert restore_button is not None
    qtbot.mouseClick(restore_button, Qt.MouseButton.LeftButton)
    gui_ws.settle()
    done = find_top_level("RestoreDone")
    assert isinstance(done, QMessageBox)
    assert "restored" in done.text()
    done.accept()
    QApplication.processEvents()
    assert exits == [backup_actions.RESTART_EXIT_CODE]
    assert desk.ticket(ticket).row.name != "Changed after the backup"
    kinds = [b.kind for b in backups.list_backups(gui_ws.db.path)]  # type: ignore[arg-type]
    assert sorted(kinds) == ["before-restore", "manual"]


def test_cancelling_the_restore_changes_nothing(
        gui_ws: GuiWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = gui_ws.window("admin")
    desk = gui_ws.desk("admin")
    ticket = next(iter(gui_ws.tickets.values()))
    safe = desk.back_up("manual")
    desk.update(ticket, TicketChanges(name="Kept"))
    monkeypatch.setattr(backup_actions, "choose_backup", lambda _window: str(safe))
    _action(window, "restore_backup").trigger()
    box = find_top_level("RestoreQuestion")
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Cancel).click()
    gui_ws.settle()
    assert desk.ticket(ticket).row.name == "Kept"


def test_upkeep_backs_up_then_purges_once_a_day(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    desk = gui_ws.desk("admin")
    old, recent = list(gui_ws.tickets.values())[:2]
    desk.mark_spam(old)
    desk.mark_spam(recent)
    now = dt.datetime.now(dt.UTC)  # the upkeep runs on the real clock
    with gui_ws.db.session() as session:  # in the spam for 91 and for 10 days
        for ticket_id, days in ((old, 91), (recent, 10)):
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None and ticket.spam_at is not None
            ticket.spam_at = now - dt.timedelta(days=days)
        session.commit()
    bridge = gui_ws.bridge("admin")
    told: list[tuple[str, bool]] = []
    scheduler = UpkeepScheduler(bridge, lambda text, problem: told.append((text, problem)))
    scheduler.run_if_due()
    gui_ws.settle()
    qtbot.waitUntil(lambda: bool(told))
    assert told[0][1] is False and "Daily backup saved" in told[0][0]
    assert [b.kind for b in backups.list_backups(gui_ws.db.path)] == ["daily"]  # type: ignore[arg-type]
    rows = desk.rows([recent])
    assert rows[recent].state is TicketState.SPAM
    assert old not in desk.rows([old, recent])
    scheduler.run_if_due()  # the same day: nothing again
    gui_ws.settle()
    assert len(told) == 1


def test_a_spam_ticket_says_when_it_is_erased(gui_ws: GuiWorkspace) -> None:
    desk = gui_ws.desk("admin")
    ticket = next(iter(gui_ws.tickets.values()))
    desk.mark_spam(ticket)
    row = desk.rows([ticket])[ticket]
    with gui_ws.db.session() as session:
        spam_at = session.get(Ticket, ticket).spam_at  # type: ignore[union-attr]
    assert spam_at is not None and row.purge_at == spam_at + dt.timedelta(days=90)
    window = gui_ws.window("admin")
    window.set_view(View.SPAM)
    gui_ws.settle()
    model = window.model
    index = next(model.index(r, Column.STATUS) for r in range(model.rowCount())
                 if model.index(r, 0).data(Role.TICKET_ID) == ticket)
    assert "erased" in index.data()
    assert "Deleted for good on" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_a_spam_card_on_the_board_says_when_it_is_erased(gui_ws: GuiWorkspace,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    desk = gui_ws.desk("admin")
    ticket = next(iter(gui_ws.tickets.values()))
    desk.mark_spam(ticket)
    purge_at = desk.rows([ticket])[ticket].purge_at
    assert purge_at is not None
    window = gui_ws.window("admin")
    window.set_layout("board")
    window.set_view(View.SPAM)
    gui_ws.settle()
    cards = [(column, column.model.index(r, Column.NAME)) for column in window.board.columns
             for r in range(column.model.rowCount())]
    column, card = next((c, i) for c, i in cards if i.data(Role.TICKET_ID) == ticket)
    expected = "erased " + labels.short_time(purge_at, time_zone=window.bridge.user.time_zone)
    assert card.data(Role.PURGE_NOTE) == expected
    assert "Deleted for good on" in card.data(Qt.ItemDataRole.ToolTipRole)
    # The card is painted with the note where a live card shows its age.
    drawn: list[str] = []
    original = QPainter.drawText
    original_static = QPainter.drawStaticText

    def record(painter: QPainter, *args: object) -> object:
        drawn.extend(a for a in args if isinstance(a, str))
        return original(painter, *args)  # type: ignore[call-overload]

    def record_static(painter: QPainter, *args: object) -> object:
        # The card's short texts are laid out once (QStaticText) and drawn from there.
        drawn.extend(a.text() for a in args if isinstance(a, QStaticText))
        return original_static(painter, *args)  # type: ignore[call-overload]
    monkeypatch.setattr(QPainter, "drawText", record)
    monkeypatch.setattr(QPainter, "drawStaticText", record_static)
    column.view.grab()
    assert expected in drawn


def _png(width: int, height: int) -> str:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(buffer.data())).decode()


def test_inline_images_are_capped_and_decoded_once(qapp: QApplication,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    small, huge = _png(32, 32), _png(5000, 5000)
    assert conversation._data_image(QUrl(huge)) is None  # 25 Mpx: refused before decoding
    decoded: list[str] = []
    original = conversation._decode_data_image
    monkeypatch.setattr(conversation, "_decode_data_image",
                        lambda text: decoded.append(text) or original(text))
    for _ in range(3):
        image = conversation._data_image(QUrl(small))
        assert image is not None and image.width() == 32
    assert len(decoded) <= 1  # at most once (none if an earlier test decoded it already)
