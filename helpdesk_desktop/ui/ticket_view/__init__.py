"""The ticket view: header controls, the conversation, the composer and the sidebar cards.

``TicketView`` is imported from :mod:`.view` when first asked for, so that a module of the
package (``labels``, ``conversation``…) can be imported alone: the window imports them one per
event-loop turn before the view is first built (``main_parts.WindowParts.prepare_ticket_view``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk_desktop.ui.ticket_view.view import TicketView

__all__ = ["TicketView"]


def __getattr__(name: str) -> Any:
    if name == "TicketView":
        from helpdesk_desktop.ui.ticket_view.view import TicketView

        return TicketView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
