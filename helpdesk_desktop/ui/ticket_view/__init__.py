"""The ticket view: header controls, the conversation, the composer and the sidebar cards."""

from helpdesk_desktop.ui.ticket_view.view import TicketView

__all__ = ["TicketView"]
