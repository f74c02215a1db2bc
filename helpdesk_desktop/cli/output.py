"""Turning facade data objects into JSON-ready dicts and short text lines."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk_desktop.cli.safe_text import escape_controls, one_line
from helpdesk_desktop.domain.i18n import _, current_language
from helpdesk_desktop.domain.rules import local_time

if TYPE_CHECKING:  # the data objects only (``tickets show`` runs without importing them)
    from helpdesk_desktop.services.dto import (
        ConversationInfo,
        MessageInfo,
        OpResult,
        TicketDetail,
        TicketRow,
    )
    from helpdesk_desktop.services.ticket_sheet import (
        SheetConversation,
        SheetMessage,
        SheetRow,
        TicketSheet,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def print_json(data: Any, out: TextIO) -> None:
    """Indented UTF-8 JSON (accents kept as they are), datetimes in ISO 8601."""
    json.dump(data, out, ensure_ascii=False, indent=2, default=_plain)
    out.write("\n")


def ticket_row_json(row: TicketRow | SheetRow) -> dict[str, Any]:
    """One ticket as ``tickets list --json`` prints it."""
    return {
        "id": row.id,
        "name": row.name,
        "status": row.status,
        "status_closed": row.status_closed,
        "pipeline": row.pipeline,
        "priority": _plain(row.priority),
        "category": _plain(row.category),
        "owner": row.owner_email,
        "owner_name": row.owner,
        "contact": row.contact_email,
        "contact_name": row.contact,
        "state": _plain(row.state),
        "source": _plain(row.source),
        "inbox": row.inbox,
        "created_at": _plain(row.created_at),
        "last_activity_at": _plain(row.last_activity_at),
        "closed_at": _plain(row.closed_at),
        "unread": row.unread,
        "following": row.following,
        "followers": list(row.followers),
        "merged_ids": list(row.merged_ids),
        "version": row.version,
    }


def message_json(message: MessageInfo | SheetMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "kind": _plain(message.kind),
        "direction": _plain(message.direction),
        "author": message.author,
        "author_email": message.author_email,
        "sent_at": _plain(message.sent_at),
        "subject": message.subject,
        "text": message.text,
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type,
                         "size": a.size} for a in message.attachments],
    }


def conversation_json(conversation: ConversationInfo | SheetConversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "inbox": conversation.inbox,
        "origin_ticket_id": conversation.origin_ticket_id,
        "channel": _plain(conversation.channel),
        "subject": conversation.subject,
        "contact": conversation.contact.email if conversation.contact else None,
        "messages": [message_json(m) for m in conversation.messages],
    }


def ticket_detail_json(detail: TicketDetail | TicketSheet) -> dict[str, Any]:
    """One ticket with its conversations, as ``tickets show --json`` prints it."""
    data = ticket_row_json(detail.row)
    data["description"] = detail.description
    data["contacts"] = [c.email for c in detail.contacts]
    data["companies"] = [c.name for c in detail.companies]
    data["deals"] = [d.name for d in detail.deals]
    data["conversations"] = [conversation_json(c) for c in detail.conversations]
    return data


def ticket_line(row: TicketRow) -> str:
    """One line of ``tickets list``."""
    flags = ("*" if row.unread else " ") + ("F" if row.following else " ")
    priority = row.priority.value if row.priority else "-"
    owner = row.owner_email or _("unassigned")
    status, owner = one_line(row.status)[:20], one_line(owner)[:26]
    return f"{row.id:>7} {flags} {status:<20} {priority:<7} {owner:<26} {one_line(row.name)}"


def _field(label: str, value: str) -> str:
    """``"  Status:   Open"``: the labels of ``tickets show`` in a column."""
    return f"  {label.ljust(9)} {value}"


def moment_text(moment: dt.datetime, time_zone: str | None) -> str:
    """A time as ``tickets show`` writes it: in the agent's zone (as the window's list, ticket
    view and transcripts), by the language's CLDR rules, the zone named
    (``Mon, Mar 2, 2026, 10:00 AM CET`` / ``lun. 2 mars 2026, 10:00 CET``)."""
    from helpdesk_desktop.transcripts.formats import format_moment  # Babel: not for --json

    return format_moment(local_time(moment, time_zone), current_language())


def ticket_text(detail: TicketDetail | TicketSheet, time_zone: str | None = None) -> str:
    """``tickets show`` without ``--json``: properties, then each conversation's messages,
    times in ``time_zone`` (the agent's; ``None``: this computer's)."""
    row = detail.row
    f = one_line
    lines = [
        f"#{row.id} {f(row.name)}",
        _field(_("Status:"), f"{f(row.status)} ({f(row.pipeline)})" + (
            "" if row.state.value == "live" else f" [{row.state.value}]")),
        _field(_("Priority:"), row.priority.value if row.priority else "-"),
        _field(_("Category:"), row.category.value if row.category else "-"),
        _field(_("Owner:"), f(row.owner_email or _("unassigned"))),
        _field(_("Contact:"), f(row.contact_email or "-")),
        _field(_("Created:"), moment_text(row.created_at, time_zone)),
        _field(_("Unread:"), _("yes") if row.unread else _("no")),
    ]
    if row.followers:
        lines.append(_field(_("Followers:"), f(", ".join(row.followers))))
    if row.merged_ids:
        lines.append(_field(_("Merged:"), ", ".join(f"#{i}" for i in row.merged_ids)))
    for conversation in detail.conversations:
        lines += ["", _("== Conversation {number} ({inbox}): {subject}").format(
            number=conversation.id, inbox=f(conversation.inbox), subject=f(conversation.subject))]
        for message in conversation.messages:
            lines += ["", _("-- [{number}] {kind} by {author} at {time}").format(
                number=message.id, kind=message.kind.value, author=f(message.author),
                time=moment_text(message.sent_at, time_zone))]
            lines += ["   " + escape_controls(line) if line else ""
                      for line in message.text.splitlines()]
    return "\n".join(lines)


def result_line(result: OpResult[Any]) -> str:
    return result.message or _("Done.")
