"""What a transcript holds, built from data objects (no database)."""

from __future__ import annotations

import dataclasses

import pytest

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.services.dto import AttachmentInfo
from helpdesk_desktop.transcripts import (
    TranscriptOptions,
    build_transcript,
    suggested_file_name,
)
from helpdesk_desktop.transcripts.model import Labels
from tests.transcripts.builders import T0, agent, conversation, message, ticket


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


def test_current_conversation_or_all_of_a_merged_ticket() -> None:
    first = conversation(1, [message(1, MessageKind.EMAIL, "first thread", minutes=1)],
                         subject="First")
    second = conversation(2, [message(2, MessageKind.EMAIL, "second thread", minutes=90,
                                      conversation_id=2, subject="Second")], subject="Second")
    detail = ticket([first, second])
    latest = build_transcript(detail, TranscriptOptions(), viewer=agent())
    assert [c.subject for c in latest.conversations] == ["Second"]
    chosen = build_transcript(detail, TranscriptOptions(), viewer=agent(), conversation_id=1)
    assert [m.body for m in chosen.messages] == ["first thread"]
    everything = build_transcript(detail, TranscriptOptions(all_conversations=True),
                                  viewer=agent(), conversation_id=1)
    assert [m.body for m in everything.messages] == ["first thread", "second thread"]
    with pytest.raises(InvalidInput, match="no conversation #99"):
        build_transcript(detail, TranscriptOptions(), viewer=agent(), conversation_id=99)


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
    options = TranscriptOptions(all_conversations=True, include_notes=False, mask_contacts=True)
    assert TranscriptOptions.from_dict(options.to_dict()) == options
    # QSettings may hand back strings; unknown or broken values fall back to the defaults.
    assert TranscriptOptions.from_dict({"include_notes": "true", "mask_contacts": "nonsense",
                                        "other": 1}) == TranscriptOptions(include_notes=True)
    assert dataclasses.asdict(TranscriptOptions()) == {
        "all_conversations": False, "include_notes": False, "mask_contacts": False}
