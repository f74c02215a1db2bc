"""A transcript's words and its file's name: what the window needs to ask for a PDF.

Apart from :mod:`helpdesk_desktop.transcripts.model` (which gives both names as its own) so that
the window's export, which hands these to the worker process, does not import the model's
formatting (Babel, its CLDR tables), the HTML-to-text and the masking code, which only the
worker and the print preview run.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from helpdesk_desktop.domain.enums import MessageKind

#: The locale of printed dates and numbers when none is given (see ``transcripts.formats``).
DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class Labels:
    """Every word a transcript prints. English here; the UI passes translated ones."""

    ticket: str = "Ticket"
    customer: str = "Customer"
    company: str = "Company"
    status: str = "Status"
    priority: str = "Priority"
    owner: str = "Owner"
    category: str = "Category"
    pipeline: str = "Pipeline"
    created: str = "Created"
    phone: str = "Phone"
    printed: str = "Printed"
    printed_by: str = "Printed by {agent} on {date}"
    time_zone: str = "Times in"
    origin: str = "from #{ticket}"
    sent: str = "sent"
    received: str = "received"
    events: str = "Activity"
    unassigned: str = "Unassigned"
    conversation: str = "Conversation"
    from_: str = "From"
    to: str = "To"
    cc: str = "Cc"
    date: str = "Date"
    subject: str = "Subject"
    attachments: str = "Attachments"
    internal: str = "INTERNAL — not seen by the customer"
    page: str = "page {page} of {pages}"
    no_messages: str = "No messages."
    email_mask: str = "[e-mail hidden]"
    phone_mask: str = "[phone hidden]"
    kinds: dict[MessageKind, str] = field(default_factory=lambda: {
        MessageKind.EMAIL: "Customer e-mail",
        MessageKind.REPLY: "Agent reply",
        MessageKind.CHAT: "Chat message",
        MessageKind.NOTE: "Internal note",
        MessageKind.COMMENT: "Internal comment",
    })
    size_units: tuple[str, ...] = ("bytes", "KB", "MB", "GB")
    priorities: dict[str, str] = field(default_factory=lambda: {
        "low": "Low", "medium": "Medium", "high": "High", "urgent": "Urgent"})
    categories: dict[str, str] = field(default_factory=lambda: {
        "product_issue": "Product issue", "billing_issue": "Billing issue",
        "feature_request": "Feature request", "general_inquiry": "General inquiry"})
    #: Dates, numbers and sizes follow this locale's rules (the UI passes ``QLocale().name()``).
    locale: str = DEFAULT_LOCALE
    #: Between a label and its value: ": " in English, " : " (no-break space) in French.
    colon: str = ": "
    #: A ticket's number as the language writes it: "#12" / "n° 12".
    number: str = "#{id}"


def suggested_file_name(ticket_id: int, ticket_name: str) -> str:
    """``Ticket-123-Printer-on-fire.pdf``: safe on every file system, letters of any script kept."""
    name = unicodedata.normalize("NFC", ticket_name)
    name = re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-_")[:60].rstrip("-_")
    return f"Ticket-{ticket_id}-{name}.pdf" if name else f"Ticket-{ticket_id}.pdf"
