"""Screenshots of the ticket view alone (ticket.png) and of its timeline
(ticket-timeline.png). Run by ``make_screenshots.py``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from helpdesk_desktop.domain.enums import AccessScope, Priority, View
from helpdesk_desktop.domain.rules import may_own_tickets
from helpdesk_desktop.services.dto import TicketChanges, TicketDetail, TicketQuery
from helpdesk_desktop.ui.ticket_view import TicketView

if TYPE_CHECKING:
    from tests.screenshots.make_screenshots import Scene

CANDIDATES = 120  # tickets looked at for the best-filled one


def _score(detail: TicketDetail) -> tuple[bool, bool, bool, bool, int]:
    """Prefer a ticket that shows everything: the conversation switcher, an internal note in
    the conversation shown, an attachment, and a thread that fits on the screen."""
    shown = max(detail.conversations, key=lambda c: (c.created_at, c.id)).messages
    notes = any(m.kind.is_internal for m in shown)
    attachments = any(m.attachments for m in shown)
    return (len(detail.conversations) > 1, notes, 3 <= len(shown) <= 5, attachments,
            -abs(len(shown) - 4))


def ticket_view_screenshot(scene: Scene, folder: Path) -> Path:
    """The ticket view of a well-filled demo ticket, at the scene's size."""
    desk = scene.bridge.desk
    rows = desk.list_tickets(TicketQuery(view=View.ALL), limit=CANDIDATES).rows
    best = max((desk.ticket(row.id) for row in rows), key=_score)
    view = TicketView(scene.bridge)
    view.resize(scene.window.size())
    view.show()
    view.open_ticket(best.id)
    scene.settle()
    path = folder / "ticket.png"
    view.grab().save(str(path))
    view.close()
    view.deleteLater()
    return path


def timeline_screenshot(scene: Scene, folder: Path) -> Path:
    """The ticket view with its activity timeline given the room (the other side cards
    collapsed), after a few edits: every entry is said in the window's language, whoever
    wrote it (ticket-timeline.png)."""
    desk = scene.bridge.desk
    rows = desk.list_tickets(TicketQuery(view=View.ALL), limit=CANDIDATES).rows
    best = max((desk.ticket(row.id) for row in rows), key=_score)
    users = [u for u in desk.users() if u.id != best.row.owner_id and may_own_tickets(u)
             and u.scope is AccessScope.ALL]
    desk.update(best.id, TicketChanges(priority=Priority.URGENT, owner=users[0].id))
    desk.add_note(best.id, "Checked with the warehouse: restock on Monday.")
    view = TicketView(scene.bridge)
    view.resize(scene.window.size())
    view.show()
    view.open_ticket(best.id)
    scene.settle()
    for key, card in view.cards.cards.items():
        card.set_collapsed(key != "activity")
    scene.settle()
    path = folder / "ticket-timeline.png"
    view.grab().save(str(path))
    for card in view.cards.cards.values():
        card.set_collapsed(False)
    view.close()
    view.deleteLater()
    return path
