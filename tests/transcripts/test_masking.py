"""Hiding third parties' addresses and phone numbers."""

from __future__ import annotations

from helpdesk_desktop.domain.enums import MessageKind
from helpdesk_desktop.transcripts import TranscriptOptions, build_transcript
from helpdesk_desktop.transcripts.masking import ContactMasker, looks_like_phone
from helpdesk_desktop.transcripts.pdf import pdf_bytes
from tests.transcripts.builders import agent, conversation, message, ticket
from tests.transcripts.pdftext import all_text

THIRD_PARTY_BODY = ("Please also write to bob.builder@other.org or call Bob on +44 20 7946 0958, "
                    "or his office at (555) 123-4567. You can reach me at marie@dupont.fr or "
                    "01 23 45 67 89, and the help desk at support@example.com. "
                    "Order 12345678 of 2026-03-02 (02/03/2026 10:00) for 1 234 567 EUR.")


def _masker() -> ContactMasker:
    return ContactMasker(known_emails=["marie@dupont.fr", "agent@example.com"],
                         known_phones=["+33 1 23 45 67 89"], own_domains=["example.com"])


def test_third_party_addresses_and_phones_are_hidden_known_ones_kept() -> None:
    masked = _masker().mask(THIRD_PARTY_BODY)
    assert "bob.builder@other.org" not in masked
    assert "7946" not in masked and "123-4567" not in masked
    assert masked.count("[e-mail hidden]") == 1 and masked.count("[phone hidden]") == 2
    # The customer (by address and by phone in another notation), the help desk's own domain,
    # order numbers and dates stay.
    for kept in ("marie@dupont.fr", "01 23 45 67 89", "support@example.com", "12345678",
                 "2026-03-02", "02/03/2026 10:00", "1 234 567 EUR"):
        assert kept in masked


def test_what_counts_as_a_phone_number() -> None:
    assert looks_like_phone("+33 6 12 34 56 78")
    assert looks_like_phone("0612345678")
    assert looks_like_phone("555.123.4567")
    assert not looks_like_phone("12345678")  # an order number
    assert not looks_like_phone("2026-03-02")
    assert not looks_like_phone("1.2.3")
    assert not looks_like_phone("02/03/2026")
    assert not looks_like_phone("2.3.2026")
    assert not looks_like_phone("1 234 567")  # an amount
    assert looks_like_phone("030/1234567")
    assert looks_like_phone("06.12.34.56.78")  # French, dotted: starts like a date
    assert looks_like_phone("01.23.45.67.89")
    assert not looks_like_phone("02.03.2026 10")  # a date and an hour
    assert looks_like_phone("555 123 4567")


def _cc_thread() -> list:
    return [
        message(1, MessageKind.EMAIL, THIRD_PARTY_BODY, cc="Bob <bob.builder@other.org>"),
        message(2, MessageKind.REPLY, "Noted, we will contact bob.builder@other.org.",
                to="marie@dupont.fr, bob.builder@other.org"),
        message(3, MessageKind.EMAIL, "Forwarded by Carol", author="Carol Third",
                author_email="carol@elsewhere.net"),
    ]


def test_masking_option_hides_third_parties_everywhere_in_the_transcript() -> None:
    detail = ticket([conversation(1, _cc_thread())])
    masked = build_transcript(detail, TranscriptOptions(mask_contacts=True), viewer=agent(),
                              agents=[agent()])
    first, reply, forwarded = masked.messages
    assert first.cc == "Bob <[e-mail hidden]>"
    assert reply.to == "marie@dupont.fr, [e-mail hidden]"
    assert forwarded.sender == "Carol Third <[e-mail hidden]>"
    assert first.sender == "Marie Dupont <marie@dupont.fr>"
    assert reply.sender == "Arno Agent <agent@example.com>"

    text = all_text(pdf_bytes(masked))
    for secret in ("bob.builder@other.org", "carol@elsewhere.net", "7946 0958", "123-4567"):
        assert secret not in text
    assert "[e-mail hidden]" in text and "[phone hidden]" in text
    assert "marie@dupont.fr" in text


def test_without_the_option_nothing_is_hidden() -> None:
    detail = ticket([conversation(1, _cc_thread())])
    text = all_text(pdf_bytes(build_transcript(detail, TranscriptOptions(), viewer=agent(),
                                               agents=[agent()])))
    assert "bob.builder@other.org" in text and "carol@elsewhere.net" in text
    assert "[e-mail hidden]" not in text
