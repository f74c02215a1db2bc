"""Screenshot of the ticket view with demo data: ``python -m tests.screenshots.ticket_view_shot``.

``make_screenshots.py`` imports :func:`ticket_view_screenshot`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.dto import TicketDetail, TicketQuery
from helpdesk_desktop.storage.database import open_database
from helpdesk_desktop.ui.bridge import DeskBridge
from helpdesk_desktop.ui.ticket_view import TicketView

SIZE = (1280, 800)


def _score(detail: TicketDetail) -> tuple[bool, bool, bool, bool, int]:
    """Prefer a ticket that shows everything: the conversation switcher, an internal note in
    the conversation shown, an attachment, and a thread that fits on the screen."""
    shown = max(detail.conversations, key=lambda c: (c.created_at, c.id)).messages
    notes = any(m.kind.is_internal for m in shown)
    attachments = any(m.attachments for m in shown)
    return (len(detail.conversations) > 1, notes, 3 <= len(shown) <= 5, attachments,
            -abs(len(shown) - 4))


def ticket_view_screenshot(path: str | Path, *, tickets: int = 80, seed: int = 7) -> Path:
    """Render the ticket view of a well-filled demo ticket at 1280×800 and save it as PNG."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        # Screenshots never read or write the user's real settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        database = open_database(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            generate_demo(database, tickets=tickets, seed=seed)
            probe = Desk(database, 1)
            admin = next((u for u in probe.users() if u.super_admin), probe.me())
            desk = Desk(database, admin.id)
            rows = desk.list_tickets(TicketQuery(view=View.ALL), limit=tickets).rows
            best = max((desk.ticket(row.id) for row in rows), key=_score)
            bridge = DeskBridge(desk)
            view = TicketView(bridge)
            view.resize(*SIZE)
            view.show()
            view.open_ticket(best.id)
            app.processEvents()
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            view.grab().save(str(target))
            view.close()
            bridge.wait_for_idle()
            view.deleteLater()
            app.processEvents()
        finally:
            database.dispose()
    return target


if __name__ == "__main__":
    out = ticket_view_screenshot(sys.argv[1] if len(sys.argv) > 1 else
                                 "docs/screenshots/ticket.png")
    print(out)
