"""``helpdesk-desktop transcript ID --pdf PATH``: a ticket's conversation as a PDF.

The same code path as the window's "Export conversation as PDF…": the facade's ticket, the
transcript model, the page layout, the ReportLab writer.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from helpdesk_desktop.application.safe_files import check_target, write_atomically
from helpdesk_desktop.cli import resolve
from helpdesk_desktop.cli.output import print_json
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.transcripts.options import PAPER_SIZES, TranscriptOptions, default_paper

#: The top-level commands :func:`register` adds (the parser registers only the one used).
COMMANDS = ("transcript",)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Adds the ``transcript`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "transcript", help=_("write a ticket's conversation transcript as a PDF"),
        description=_("Write the messages exchanged with the customer on a ticket as a PDF "
                      "(internal notes only with --include-notes)."))
    parser.add_argument("ticket_id", metavar="ID", type=resolve.id_argument("ticket"),
                        help=_("the ticket's number"))
    parser.add_argument("--pdf", metavar=_("PATH"), required=True, type=Path,
                        help=_("the PDF file to write"))
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--conversation", metavar="C", default=None,
                       type=resolve.id_argument("conversation"),
                       help=_("this conversation (default: the one with the latest message)"))
    scope.add_argument("--all-conversations", action="store_true",
                       help=_("every conversation of a merged ticket, in time order "
                              "(the default)"))
    scope.add_argument("--this-conversation-only", action="store_true",
                       help=_("only the conversation with the latest message"))
    parser.add_argument("--include-notes", action="store_true",
                        help=_("include internal notes and comments, marked as internal"))
    parser.add_argument("--include-events", action="store_true",
                        help=_("include the ticket's activity timeline"))
    parser.add_argument("--no-attachments", action="store_true",
                        help=_("leave out each message's list of attachments"))
    parser.add_argument("--paper", choices=sorted(PAPER_SIZES), default=None,
                        help=_("paper size (default: from the locale)"))
    parser.add_argument("--mask-contacts", action="store_true",
                        help=_("hide third parties' e-mail addresses and phone numbers"))
    parser.add_argument("--force", action="store_true",
                        help=_("replace the file if it exists"))
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace, desk: Any, out: TextIO) -> int:
    """Writes the PDF; prints where, how many pages and messages. Refusals (no such ticket,
    not allowed, unknown conversation, unwritable file) raise the domain's errors."""
    options = TranscriptOptions(
        all_conversations=not (args.this_conversation_only or args.conversation is not None),
        include_notes=args.include_notes, mask_contacts=args.mask_contacts,
        include_events=args.include_events, include_attachments=not args.no_attachments)
    # The transcript model and the text engine (~0.2 s with ReportLab) load only for this
    # command.
    from helpdesk_desktop.transcripts.model import load_transcript
    from helpdesk_desktop.transcripts.pages import typeset

    path: Path = args.pdf
    check_target(path, overwrite=args.force)  # before the work, not after
    transcript = load_transcript(desk, args.ticket_id, options, args.conversation)
    laid_out = typeset(transcript, args.paper or default_paper())
    from helpdesk_desktop.transcripts.pdf import write_pages  # ReportLab: ~0.12 s, only here

    pages = write_atomically(path, lambda stream: write_pages(laid_out, stream),
                             overwrite=args.force)
    messages = len(transcript.messages)
    missing = laid_out.missing
    if args.json:
        print_json({"path": str(path), "pages": pages, "messages": messages,
                    "ticket_id": transcript.ticket_id, "paper": laid_out.paper,
                    "missing_characters": missing}, out)
    else:
        # Translators: "Wrote FILE (3 pages, 12 messages, A4)."
        out.write(_("Wrote {path} ({pages}, {messages}, {paper}).").format(
            path=path,
            pages=ngettext("{count} page", "{count} pages", pages).format(count=pages),
            messages=ngettext("{count} message", "{count} messages",
                              messages).format(count=messages),
            paper=laid_out.paper) + "\n")
        if missing:
            out.write(ngettext(
                "warning: {count} character could not be printed: no font has it (shown as "
                "a box).",
                "warning: {count} characters could not be printed: no font has them (shown "
                "as boxes).", missing).format(count=missing) + "\n")
    return 0
