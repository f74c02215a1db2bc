"""The transcript's words in the window's language (the catalogue's "TranscriptPrint" context)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import Labels

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


def qt_labels() -> Labels:
    """The transcript's words, translated."""
    return Labels(
        ticket=translate("TranscriptPrint", "Ticket"),
        customer=translate("TranscriptPrint", "Customer"),
        company=translate("TranscriptPrint", "Company"),
        status=translate("TranscriptPrint", "Status"),
        priority=translate("TranscriptPrint", "Priority"),
        owner=translate("TranscriptPrint", "Owner"),
        category=translate("TranscriptPrint", "Category"),
        pipeline=translate("TranscriptPrint", "Pipeline"),
        created=translate("TranscriptPrint", "Created"),
        phone=translate("TranscriptPrint", "Phone"),
        printed=translate("TranscriptPrint", "Printed"),
        printed_by=translate("TranscriptPrint", "Printed by {agent} on {date}"),
        time_zone=translate("TranscriptPrint", "Times in"),
        origin=translate("TranscriptPrint", "from #{ticket}"),
        sent=translate("TranscriptPrint", "sent"),
        received=translate("TranscriptPrint", "received"),
        events=translate("TranscriptPrint", "Activity"),
        unassigned=translate("TranscriptPrint", "Unassigned"),
        conversation=translate("TranscriptPrint", "Conversation"),
        from_=translate("TranscriptPrint", "From"),
        to=translate("TranscriptPrint", "To"),
        cc=translate("TranscriptPrint", "Cc"),
        date=translate("TranscriptPrint", "Date"),
        subject=translate("TranscriptPrint", "Subject"),
        attachments=translate("TranscriptPrint", "Attachments"),
        internal=translate("TranscriptPrint", "INTERNAL — not seen by the customer"),
        page=translate("TranscriptPrint", "page {page} of {pages}"),
        no_messages=translate("TranscriptPrint", "No messages."),
        email_mask=translate("TranscriptPrint", "[e-mail hidden]"),
        phone_mask=translate("TranscriptPrint", "[phone hidden]"),
        kinds={MessageKind.EMAIL: translate("TranscriptPrint", "Customer e-mail"),
               MessageKind.REPLY: translate("TranscriptPrint", "Agent reply"),
               MessageKind.CHAT: translate("TranscriptPrint", "Chat message"),
               MessageKind.NOTE: translate("TranscriptPrint", "Internal note"),
               MessageKind.COMMENT: translate("TranscriptPrint", "Internal comment")},
        size_units=(translate("TranscriptPrint", "bytes"), translate("TranscriptPrint", "KB"),
                    translate("TranscriptPrint", "MB"), translate("TranscriptPrint", "GB")),
        priorities={"low": translate("TranscriptPrint", "Low"),
                    "medium": translate("TranscriptPrint", "Medium"),
                    "high": translate("TranscriptPrint", "High"),
                    "urgent": translate("TranscriptPrint", "Urgent")},
        categories={"product_issue": translate("TranscriptPrint", "Product issue"),
                    "billing_issue": translate("TranscriptPrint", "Billing issue"),
                    "feature_request": translate("TranscriptPrint", "Feature request"),
                    "general_inquiry": translate("TranscriptPrint", "General inquiry")},
        locale=QLocale().name(),
        colon=translate("TranscriptPrint", ": ", "between a label and its value"),
        number=translate("TranscriptPrint", "#{id}", "a ticket's number"),
    )


def missing_warning(count: int) -> str:
    """The one-line warning about characters no font has ("" when there are none)."""
    if not count:
        return ""
    return translate("TranscriptPrint", "%n characters could not be printed: no font has them "
                     "(shown as boxes).", None, count)
