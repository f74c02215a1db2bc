"""A transcript as simple HTML for Qt's rich text (the print preview), with no Qt import.

Only what ``QTextDocument`` understands is used: blocks with inline CSS for size, colour and
background, ``dir="rtl"`` for right-to-left paragraphs, and one small table for the header.
Every piece of text is escaped, so nothing in a message can become markup.
"""

from __future__ import annotations

from html import escape

from helpdesk_desktop.transcripts.fonts import family_list
from helpdesk_desktop.transcripts.model import Transcript, TranscriptMessage
from helpdesk_desktop.transcripts.rtl import direction_groups

INTERNAL_BACK = "#FFF4CC"
INTERNAL_INK = "#8A5A00"
MUTED = "#555555"


def _text(value: str) -> str:
    """Escaped text with its line breaks and leading indentation kept."""
    lines = []
    for line in value.split("\n"):
        stripped = line.lstrip(" ")
        lines.append("&nbsp;" * (len(line) - len(stripped)) + escape(stripped))
    return "<br/>".join(lines)


def _block(tag: str, text: str, style: str = "", *, back: str | None = None) -> str:
    """One block of text; consecutive lines that read right to left become their own
    right-aligned ``rtl`` block (each line of plain text is its own bidi paragraph)."""
    if back:
        style += f"background-color:{back};"
    groups = direction_groups(text.split("\n"))
    out = []
    for index, (rtl, lines) in enumerate(groups):
        part = style
        if index:
            part += "margin-top:0px;"
        if index < len(groups) - 1:
            part += "margin-bottom:0px;"
        direction = ' dir="rtl" align="right"' if rtl else ""
        out.append(f'<{tag} style="{part}"{direction}>{_text(chr(10).join(lines))}</{tag}>')
    return "".join(out)


def _message(message: TranscriptMessage, transcript: Transcript) -> str:
    labels = transcript.labels
    back = INTERNAL_BACK if message.internal else None
    meta = f"color:{MUTED};font-size:8.5pt;margin:0;"
    parts = [_block("h3", f"{message.kind_label} — {message.date}",
                    "font-size:10.5pt;margin-top:10px;margin-bottom:2px;", back=back)]
    if message.internal:
        parts.append(_block("p", labels.internal,
                            f"color:{INTERNAL_INK};font-size:8.5pt;font-weight:bold;margin:0;",
                            back=back))
    for key, value in ((labels.from_, message.sender), (labels.to, message.to),
                       (labels.cc, message.cc), (labels.date, message.date),
                       (labels.subject, message.subject or "")):
        if value:
            parts.append(_block("p", f"{key}{labels.colon}{value}", meta, back=back))
    for paragraph in message.body.split("\n\n"):
        if paragraph.strip():
            parts.append(_block("p", paragraph, "margin-top:4px;margin-bottom:2px;", back=back))
    if message.attachments:
        label = f"{labels.attachments}{labels.colon}"
        parts.append(_block("p", label + "; ".join(message.attachments),
                            meta, back=back))
    parts.append("<hr/>")
    return "\n".join(parts)


def transcript_html(transcript: Transcript) -> str:
    """The whole transcript as one HTML document (page numbers are drawn by the printer)."""
    labels = transcript.labels
    families = ", ".join(f"'{f}'" for f in family_list())
    rows = "".join(
        f'<tr><td style="color:{MUTED};font-weight:bold;padding-right:12px;">{escape(k)}</td>'
        f'<td style="color:{MUTED};">{escape(v or "—")}</td></tr>'
        for k, v in ((labels.customer, transcript.customer), (labels.company, transcript.company),
                     (labels.status, transcript.status), (labels.printed, transcript.printed_at),
                     (labels.time_zone, transcript.time_zone)))
    parts = [
        f'<html><head><meta charset="utf-8"/><title>{escape(transcript.title)}</title></head>'
        f'<body style="font-family:{families};font-size:10pt;">',
        _block("h1", transcript.title, "font-size:16pt;margin-bottom:6px;"),
        f'<table style="font-size:8.5pt;" cellspacing="0" cellpadding="1">{rows}</table><hr/>',
    ]
    several = len(transcript.conversations) > 1
    for conversation in transcript.conversations:
        if several or conversation.subject:
            parts.append(_block("h2", f"{labels.conversation}{labels.colon}{conversation.subject}",
                                "font-size:12.5pt;margin-top:12px;"))
        if not conversation.messages:
            parts.append(_block("p", labels.no_messages, f"color:{MUTED};"))
        parts.extend(_message(m, transcript) for m in conversation.messages)
    parts.append("</body></html>")
    return "\n".join(parts)
