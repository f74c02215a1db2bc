"""What a transcript holds, built from data objects (no database)."""

from __future__ import annotations

import dataclasses

import pytest

from helpdesk_desktop.domain.enums import ActivityKind, Category, MessageKind, Priority
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.services.dto import ActivityInfo, AttachmentInfo
from helpdesk_desktop.transcripts import (
    TranscriptOptions,
    build_transcript,
    suggested_file_name,
)
from helpdesk_desktop.transcripts.model import Labels
from helpdesk_desktop.transcripts.pdf import pdf_bytes
from tests.transcripts.builders import T0, agent, conversation, message, ticket
from tests.transcripts.pdftext import all_text


def _thread() -> list:
    return [
        message(1, MessageKind.EMAIL, "Customer asks"),
        message(2, MessageKind.NOTE, "Secret note"),
        message(3, MessageKind.REPLY, "Agent answers", subject="Re: Printer on fire"),
        message(4, MessageKind.COMMENT, "Moved from Sales"),
        message(5, MessageKind.CHAT, "Customer chats"),
    ]


def test_by_default_only_customer_and_agent_messages_in_order() -> None:
    shuffled = list(reversed(_thread()))  # the order comes from the send time, not the input
    transcript = build_transcript(ticket([conversation(1, shuffled)]), TranscriptOptions(),
                                  viewer=agent())
    assert [m.body for m in transcript.messages] == [
        "Customer asks", "Agent answers", "Customer chats"]
    assert not any(m.internal for m in transcript.messages)


def test_notes_and_comments_come_in_marked_internal_when_asked() -> None:
    transcript = build_transcript(ticket([conversation(1, _thread())]),
                                  TranscriptOptions(include_notes=True), viewer=agent())
    assert [(m.body, m.internal) for m in transcript.messages] == [
        ("Customer asks", False), ("Secret note", True), ("Agent answers", False),
        ("Moved from Sales", True), ("Customer chats", False)]
    assert transcript.messages[1].kind_label == "Internal note"


def test_spam_conversations_never_print() -> None:
    detail = ticket([conversation(1, [message(1, MessageKind.EMAIL, "real")]),
                     conversation(2, [message(2, MessageKind.EMAIL, "buy pills",
                                              conversation_id=2)], spam=True)])
    transcript = build_transcript(detail, TranscriptOptions(all_conversations=True),
                                  viewer=agent())
    assert [m.body for m in transcript.messages] == ["real"]
    assert transcript.ticket_conversations == 1


def test_a_merged_ticket_prints_every_conversation_by_default_in_time_order() -> None:
    # The merged-in conversation (created later, from #1998) holds the older messages.
    main = conversation(1, [message(i, MessageKind.EMAIL, f"main {i}", minutes=60 + i)
                            for i in range(1, 6)], subject="Main")
    merged = conversation(2, [message(10 + i, MessageKind.EMAIL, f"merged {i}", minutes=i,
                                      conversation_id=2, subject="Merged") for i in (1, 2)],
                          subject="Merged", origin=1998)
    detail = ticket([main, merged], ticket_id=42)
    default = build_transcript(detail, TranscriptOptions(), viewer=agent())
    assert [m.body for m in default.messages] == ["merged 1", "merged 2"] + [
        f"main {i}" for i in range(1, 6)]
    assert [c.origin for c in default.conversations] == ["from #1998", ""]
    latest = build_transcript(detail, TranscriptOptions(all_conversations=False),
                              viewer=agent())
    assert [c.subject for c in latest.conversations] == ["Main"]
    chosen = build_transcript(detail, TranscriptOptions(all_conversations=False),
                              viewer=agent(), conversation_id=2)
    assert [m.body for m in chosen.messages] == ["merged 1", "merged 2"]
    with pytest.raises(InvalidInput, match="no conversation #99"):
        build_transcript(detail, TranscriptOptions(all_conversations=False), viewer=agent(),
                         conversation_id=99)


def test_dates_are_in_the_agents_time_zone_with_the_zone_named() -> None:
    detail = ticket([conversation(1, [message(1, MessageKind.EMAIL, "hi", minutes=0)])])
    paris = build_transcript(detail, TranscriptOptions(), viewer=agent(time_zone="Europe/Paris"),
                             printed_at=T0)
    assert paris.messages[0].date == "Mon, Mar 2, 2026, 10:00\u202fAM CET"
    assert paris.time_zone == "Europe/Paris"
    assert paris.printed_at == "Mon, Mar 2, 2026, 10:00\u202fAM CET"
    tokyo = build_transcript(detail, TranscriptOptions(), viewer=agent(time_zone="Asia/Tokyo"))
    assert tokyo.messages[0].date == "Mon, Mar 2, 2026, 6:00\u202fPM JST"


def test_header_names_ticket_customer_company_and_status() -> None:
    transcript = build_transcript(ticket([conversation(1, _thread())], ticket_id=7,
                                         name="Oven broken"), TranscriptOptions(),
                                  viewer=agent())
    assert transcript.title == "Ticket #7: Oven broken"
    assert transcript.customer == "Marie Dupont <marie@dupont.fr>"
    assert transcript.company == "Boulangerie Dupont"
    assert transcript.status == "Waiting on us"
    assert transcript.author == "Arno Agent"


def test_subject_is_shown_only_when_it_changes() -> None:
    messages = [
        message(1, MessageKind.EMAIL, "a", subject="Printer on fire"),
        message(2, MessageKind.REPLY, "b", subject="RE: Re: Printer on fire"),
        message(3, MessageKind.EMAIL, "c", subject="Also the scanner"),
        message(4, MessageKind.REPLY, "d", subject="Re: Also the scanner"),
    ]
    transcript = build_transcript(ticket([conversation(1, messages)]), TranscriptOptions(),
                                  viewer=agent())
    assert [m.subject for m in transcript.messages] == [None, None, "Also the scanner", None]


def test_html_bodies_become_readable_text() -> None:
    html = ("<p>Hello,</p><ul><li>unplug it</li><li>call us</li></ul>"
            "<p>See <a href='https://help.example.com/fire'>the guide</a>.</p>"
            "<blockquote><p>Earlier: it smokes</p></blockquote>")
    transcript = build_transcript(
        ticket([conversation(1, [message(1, MessageKind.REPLY, "plain", html=html)])]),
        TranscriptOptions(), viewer=agent())
    body = transcript.messages[0].body
    assert "Hello,\n\n- unplug it\n- call us" in body
    assert "the guide <https://help.example.com/fire>" in body
    assert "> Earlier: it smokes" in body


def test_attachments_are_listed_by_name_and_size() -> None:
    files = (AttachmentInfo(1, "photo.jpg", "image/jpeg", 4),
             AttachmentInfo(2, "invoice.pdf", "application/pdf", 2_500_000))
    transcript = build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, "see", attachments=files)])]),
        TranscriptOptions(), viewer=agent())
    assert transcript.messages[0].attachments == ("photo.jpg (4 bytes)", "invoice.pdf (2.4 MB)")


def test_french_dates_and_sizes_follow_the_french_rules() -> None:
    files = (AttachmentInfo(2, "facture.pdf", "application/pdf", 2_500_000),)
    labels = Labels(size_units=("octets", "Ko", "Mo", "Go"), locale="fr_FR", colon="\u00a0: ",
                    number="n°\u00a0{id}")
    transcript = build_transcript(
        ticket([conversation(1, [message(1, MessageKind.EMAIL, "voir", minutes=0,
                                                  attachments=files)])]),
        TranscriptOptions(), viewer=agent(time_zone="Europe/Paris"), labels=labels,
        printed_at=T0)
    assert transcript.messages[0].date == "lun. 2 mars 2026, 10:00 CET"
    assert transcript.printed_at == "lun. 2 mars 2026, 10:00 CET"
    assert transcript.messages[0].attachments == ("facture.pdf (2,4 Mo)",)
    assert transcript.title.startswith(f"Ticket n°\u00a0{transcript.ticket_id}\u00a0: ")


def test_file_name_from_ticket_number_and_name() -> None:
    assert suggested_file_name(12, "Printer on fire!") == "Ticket-12-Printer-on-fire.pdf"
    assert suggested_file_name(3, "Crème brûlée / 日本") == "Ticket-3-Crème-brûlée-日本.pdf"
    assert suggested_file_name(4, "???") == "Ticket-4.pdf"


def test_options_round_trip_through_settings_values() -> None:
    options = TranscriptOptions(all_conversations=False, include_notes=False, mask_contacts=True,
                                include_events=True, include_attachments=False)
    assert TranscriptOptions.from_dict(options.to_dict()) == options
    # QSettings may hand back strings; unknown or broken values fall back to the defaults.
    assert TranscriptOptions.from_dict({"include_notes": "true", "mask_contacts": "nonsense",
                                        "other": 1}) == TranscriptOptions(include_notes=True)
    assert dataclasses.asdict(TranscriptOptions()) == {
        "all_conversations": True, "include_notes": False, "mask_contacts": False,
        "include_events": False, "include_attachments": True}


def test_the_header_the_printed_by_line_and_the_optional_sections() -> None:
    detail = ticket([conversation(1, [
        message(1, MessageKind.EMAIL, "Question", attachments=[
            AttachmentInfo(id=1, filename="invoice.pdf", content_type="application/pdf",
                           size=2048)]),
        message(2, MessageKind.REPLY, "Answer"),
    ])])
    row = dataclasses.replace(detail.row, priority=Priority.HIGH,
                              category=Category.BILLING_ISSUE)
    activity = ActivityInfo(id=1, ticket_id=42, kind=ActivityKind.PROPERTY_CHANGED,
                            actor="Arno Agent", actor_id=10, created_at=T0,
                            summary="Status changed to Waiting on us", data={})
    detail = dataclasses.replace(detail, row=row, activities=(activity,))
    default = build_transcript(detail, TranscriptOptions(), viewer=agent(), printed_at=T0)
    assert dict(default.header_rows) == {
        "Status": "Waiting on us", "Priority": "High", "Owner": "Arno Agent",
        "Category": "Billing issue", "Pipeline": "Support Pipeline",
        "Created": "Mon, Mar 2, 2026, 10:00\u202fAM CET", "Customer": "Marie Dupont <marie@dupont.fr>",
        "Phone": "+33 1 23 45 67 89", "Company": "Boulangerie Dupont",
        "Times in": "Europe/Paris"}
    assert default.printed_by == "Printed by Arno Agent on Mon, Mar 2, 2026, 10:00\u202fAM CET"
    assert [m.state for m in default.messages] == ["received", "sent"]
    assert default.messages[0].attachments == ("invoice.pdf (2.0 KB)",)
    assert default.events == ()
    text = all_text(pdf_bytes(default, paper="A4"))
    assert "Printed by Arno Agent on Mon, Mar 2, 2026, 10:00\u202fAM CET" in text
    assert text.count("Mon, Mar 2, 2026, 10:01\u202fAM CET") == 1  # each message's date once
    assert "Priority: High" in text and "Phone: +33 1 23 45 67 89" in text
    assert "Attachments: invoice.pdf (2.0 KB)" in text

    sections = build_transcript(detail, TranscriptOptions(include_events=True,
                                                          include_attachments=False),
                                viewer=agent())
    assert sections.messages[0].attachments == ()
    assert [(e.actor, e.summary) for e in sections.events] == [
        ("Arno Agent", "Status changed to Waiting on us")]
    text = all_text(pdf_bytes(sections, paper="A4"))
    assert "Activity" in text and "Status changed to Waiting on us" in text
    assert "invoice.pdf" not in text
