"""Raw mail intake (``ingest_raw``): outcomes, duplicates, threading, loops and noise, sender
rules, spam, broken MIME, attachments, and the set-aside table."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from helpdesk_desktop.domain.enums import InboxKind, TicketState
from helpdesk_desktop.domain.errors import InvalidInput, PermissionDenied
from helpdesk_desktop.domain.models import (
    Attachment,
    Contact,
    Conversation,
    Inbox,
    Message,
    Notification,
    SetAsideMail,
    Ticket,
)
from helpdesk_desktop.services import intake, mail_parse
from helpdesk_desktop.services.intake import IngestOutcome, Outcome, ingest_raw
from helpdesk_desktop.services.mail_parse import (
    safe_filename,
    strip_subject_prefixes,
    ticket_number_in,
)
from helpdesk_desktop.services.uow import UnitOfWork
from tests.factories import Workspace


def mail(subject: str = "Oven broken", *, sender: str = "Marie Dupont <marie@dupont.fr>",
         body: str = "Hello, our oven stopped working.", message_id: str | None = "<m1@dupont.fr>",
         headers: dict[str, str] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@example.com"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Mar 2026 08:30:00 +0100"
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def ingest(ws: Workspace, raw: bytes, inbox: str = "Help Desk",
           source: str = "test.eml") -> IngestOutcome:
    return ingest_raw(UnitOfWork(ws.db, None, ws.clock), ws.inboxes[inbox], raw, source=source)


def count(ws: Workspace, model: Any, *where: Any) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_a_new_message_opens_a_ticket_and_says_so(ws: Workspace) -> None:
    outcome = ingest(ws, mail())
    assert outcome.outcome is Outcome.CREATED
    assert outcome.message_id == "<m1@dupont.fr>" and outcome.source == "test.eml"
    assert outcome.as_json() == {"source": "test.eml", "message_id": "<m1@dupont.fr>",
                                 "outcome": "created", "ticket_id": outcome.ticket_id,
                                 "reason": ""}
    with ws.db.session() as session:
        ticket = session.get(Ticket, outcome.ticket_id)
        assert ticket is not None and ticket.name == "Oven broken"
        assert [c.id for c in ticket.contacts] == [ws.contacts["marie"]]
        (message,) = ticket.conversations[0].messages
        assert message.body_text.strip() == "Hello, our oven stopped working."
        assert message.sent_at.isoformat() == "2026-03-02T07:30:00+00:00"


def test_the_same_message_twice_is_stored_once(ws: Workspace) -> None:
    first = ingest(ws, mail())
    again = ingest(ws, mail())
    # The same Message-ID with other bytes (another copy of the same mail) is the same too.
    resent = ingest(ws, mail(body="a copy that went another way"))
    assert again.outcome is Outcome.DUPLICATE and resent.outcome is Outcome.DUPLICATE
    assert again.ticket_id == first.ticket_id == resent.ticket_id
    assert count(ws, Message) == 1 and count(ws, Ticket) == 1


def test_without_message_id_a_digest_of_the_bytes_finds_duplicates(ws: Workspace) -> None:
    raw = mail(message_id=None)
    assert ingest(ws, raw).outcome is Outcome.CREATED
    assert ingest(ws, raw).outcome is Outcome.DUPLICATE
    assert ingest(ws, mail(message_id=None, body="other")).outcome is Outcome.CREATED
    assert count(ws, Message) == 2


def test_replies_thread_by_in_reply_to_then_references(ws: Workspace) -> None:
    first = ingest(ws, mail())
    reply = ingest(ws, mail("Re: Oven broken", message_id="<m2@dupont.fr>", body="Any news?",
                            headers={"In-Reply-To": "<m1@dupont.fr>"}))
    third = ingest(ws, mail("AW: Oven broken", message_id="<m3@dupont.fr>", body="Hello?",
                            headers={"References": "<x@elsewhere> <m1@dupont.fr>"}))
    assert (reply.outcome, third.outcome) == (Outcome.JOINED, Outcome.JOINED)
    assert reply.ticket_id == third.ticket_id == first.ticket_id
    assert count(ws, Ticket) == 1


def test_a_ticket_tag_in_the_subject_joins_that_ticket(ws: Workspace) -> None:
    first = ingest(ws, mail())
    tagged = ingest(ws, mail(f"Re: [#{first.ticket_id}] Oven broken", message_id="<t@x.org>",
                             sender="john@smith.example"))
    assert tagged.outcome is Outcome.JOINED and tagged.ticket_id == first.ticket_id
    unknown = ingest(ws, mail("Re: [#99999] Oven", message_id="<u@x.org>"))
    assert unknown.outcome is Outcome.CREATED
    with ws.db.session() as session:
        ticket = session.get(Ticket, unknown.ticket_id)
        assert ticket is not None and ticket.name == "[#99999] Oven"  # no "Re:" in the name


def test_a_merged_tickets_old_number_finds_the_survivor(ws: Workspace) -> None:
    kept = ingest(ws, mail())
    merged = ingest(ws, mail("Second problem", message_id="<m9@dupont.fr>"))
    assert kept.ticket_id is not None and merged.ticket_id is not None
    ws.desk("admin").merge(kept.ticket_id, merged.ticket_id)
    late = ingest(ws, mail(f"Re: [#{merged.ticket_id}] Second problem", message_id="<l@d.fr>"))
    assert late.outcome is Outcome.JOINED and late.ticket_id == kept.ticket_id
    with ws.db.session() as session:
        conversation = session.get(Conversation, late.conversation_id)
        assert conversation is not None and conversation.origin_ticket_id == merged.ticket_id


@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"},
    {"Auto-Submitted": "auto-generated"},
    {"Precedence": "bulk"},
    {"Precedence": "junk"},
    {"Precedence": "list"},
    {"X-Autoreply": "yes"},
])
def test_auto_replies_are_skipped_and_trigger_nothing(ws: Workspace,
                                                      headers: dict[str, str]) -> None:
    first = ingest(ws, mail())
    assert first.ticket_id is not None
    ws.desk("lead").follow([first.ticket_id])
    raw = mail("Out of office", message_id="<ooo@dupont.fr>", headers={
        "In-Reply-To": "<m1@dupont.fr>", **headers})
    outcome = ingest(ws, raw)
    assert outcome.outcome is Outcome.SKIPPED and outcome.ticket_id is None
    assert outcome.reason.startswith("Automatic message")
    assert count(ws, Message) == 1 and count(ws, Notification) == 0
    with ws.db.session() as session:
        (aside,) = session.scalars(select(SetAsideMail)).all()
        assert (aside.outcome, aside.raw) == ("skipped", raw)


def test_a_delivery_status_report_is_a_bounce(ws: Workspace) -> None:
    raw = (b"From: MAILER-DAEMON@mx.example\r\nTo: support@example.com\r\nSubject: Undelivered\r\n"
           b"Message-ID: <b@mx>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=XX\r\n\r\n"
           b"--XX\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
           b"--XX\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--XX--\r\n")
    outcome = ingest(ws, raw)
    assert outcome.outcome is Outcome.SKIPPED and "bounce" in outcome.reason
    assert count(ws, Ticket) == 0


def test_mail_from_the_inbox_own_address_is_a_loop(ws: Workspace) -> None:
    with ws.db.session() as session:
        inbox = session.get(Inbox, ws.inboxes["Help Desk"])
        assert inbox is not None
        inbox.address = "support@example.com"
        session.commit()
    outcome = ingest(ws, mail(sender="Support <Support@Example.com>"))
    assert outcome.outcome is Outcome.SKIPPED and "loop" in outcome.reason
    assert count(ws, Ticket) == 0


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "empty"),
    (b"   \r\n", "empty"),
    (b"Subject: no sender\r\n\r\nbody", "no usable sender"),
    (b"From: not an address\r\nSubject: x\r\n\r\nbody", "no usable sender"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "no headers"),
])
def test_what_cannot_be_kept_is_refused_and_set_aside(ws: Workspace, raw: bytes,
                                                      reason: str) -> None:
    outcome = ingest(ws, raw, source="bad.eml")
    assert outcome.outcome is Outcome.REFUSED and reason in outcome.reason
    assert "\n" not in outcome.reason
    with ws.db.session() as session:
        (aside,) = session.scalars(select(SetAsideMail)).all()
        assert (aside.outcome, aside.source, aside.raw) == ("refused", "bad.eml", raw)
        assert aside.inbox_id == ws.inboxes["Help Desk"]


def test_a_message_too_large_is_refused(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_parse, "MAX_RAW_BYTES", 1000)
    outcome = ingest(ws, mail(body="x" * 2000))
    assert outcome.outcome is Outcome.REFUSED and "larger than" in outcome.reason


def test_broken_mime_unknown_charsets_and_missing_bodies_are_kept(ws: Workspace) -> None:
    unknown_charset = (b"From: a@b.example\r\nSubject: =?x-unknown?q?caf=E9?=\r\n"
                       b"Message-ID: <c1@b>\r\nContent-Type: text/plain; charset=x-unknown-8\r\n"
                       b"\r\ncaf\xe9 cr\xe8me\r\n")
    no_body = b"From: a@b.example\r\nSubject: empty\r\nMessage-ID: <c2@b>\r\n"
    bad_boundary = (b"From: a@b.example\r\nSubject: broken\r\nMessage-ID: <c3@b>\r\n"
                    b"Content-Type: multipart/mixed; boundary=NOPE\r\n\r\n"
                    b"--OTHER\r\nContent-Type: text/plain\r\n\r\nlost?\r\n")
    bad_base64 = (b"From: a@b.example\r\nSubject: b64\r\nMessage-ID: <c4@b>\r\n"
                  b"Content-Transfer-Encoding: base64\r\nContent-Type: text/plain\r\n\r\n"
                  b"!!!not base64@@@\r\n")
    huge_header = (b"From: a@b.example\r\nSubject: " + b"long " * 40_000 + b"\r\n"
                   b"To: " + b", ".join(b"u%d@x.example" % i for i in range(20_000)) + b"\r\n"
                   b"Message-ID: <c5@b>\r\n\r\nbody\r\n")
    nul_and_8bit = (b"From: =?utf-8?q?Ren=C3=A9?= <a@b.example>\r\nSubject: caf\xc3\xa9\x00\r\n"
                    b"Message-ID: <c6@b>\r\n\r\nnul\x00here \xff\xfe\r\n")
    for raw in (unknown_charset, no_body, bad_boundary, bad_base64, huge_header, nul_and_8bit):
        outcome = ingest(ws, raw)
        assert outcome.outcome is Outcome.CREATED, (raw[:60], outcome)
    with ws.db.session() as session:
        messages = session.scalars(select(Message).order_by(Message.id)).all()
        assert "caf" in messages[0].body_text and "cr" in messages[0].body_text
        assert messages[1].body_text == ""
        assert len(messages[4].subject) <= 500 and len(messages[4].to_addresses) <= 5000
        assert "\x00" not in messages[5].body_text and messages[5].author_name == "René"


def test_a_conversations_inbox_gets_a_conversation_without_ticket(ws: Workspace) -> None:
    outcome = ingest(ws, mail(), inbox="Shared inbox")
    assert outcome.outcome is Outcome.CREATED and outcome.ticket_id is None
    with ws.db.session() as session:
        conversation = session.get(Conversation, outcome.conversation_id)
        assert conversation is not None and conversation.ticket_id is None
        assert conversation.inbox.kind is InboxKind.CONVERSATIONS


def test_deny_lists_file_new_mail_as_spam_but_never_a_known_contact(ws: Workspace) -> None:
    admin = ws.desk("admin")
    inbox = ws.inboxes["Help Desk"]
    admin.set_sender_rule(inbox, "spam.example", allow=False)
    admin.set_sender_rule(inbox, "@dupont.fr", allow=False)
    admin.set_sender_rule(inbox, "boss@spam.example", allow=True)
    spam = ingest(ws, mail(sender="x@mail.spam.example", message_id="<s1@x>"))
    assert spam.outcome is Outcome.CREATED and spam.spam and "deny list" in spam.reason
    allowed = ingest(ws, mail(sender="boss@spam.example", message_id="<s2@x>"))
    known = ingest(ws, mail(sender="marie@dupont.fr", message_id="<s3@x>"))  # a known contact
    assert not allowed.spam and not known.spam
    admin.set_sender_rule(inbox, "marie@dupont.fr", allow=False)  # an explicit address deny
    assert ingest(ws, mail(sender="marie@dupont.fr", message_id="<s4@x>")).spam
    with ws.db.session() as session:
        states = {t.id: t.state for t in session.scalars(select(Ticket))}
        assert states[spam.ticket_id] is TicketState.SPAM
        assert states[allowed.ticket_id] is TicketState.LIVE
        assert states[known.ticket_id] is TicketState.LIVE
    assert [r.pattern for r in admin.sender_rules(inbox)] == [
        "boss@spam.example", "dupont.fr", "marie@dupont.fr", "spam.example"]
    admin.remove_sender_rule(inbox, "dupont.fr")
    assert len(admin.sender_rules(inbox)) == 3


def test_sender_rules_need_account_access_and_a_valid_pattern(ws: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        ws.desk("agent").set_sender_rule(ws.inboxes["Help Desk"], "x.example", allow=False)
    with pytest.raises(InvalidInput):
        ws.desk("admin").set_sender_rule(ws.inboxes["Help Desk"], "not a domain", allow=False)


def test_a_new_message_in_a_spam_ticket_stays_in_spam_quietly(ws: Workspace) -> None:
    first = ingest(ws, mail())
    assert first.ticket_id is not None
    admin = ws.desk("admin")
    admin.follow([first.ticket_id])
    admin.mark_spam(first.ticket_id)
    reply = ingest(ws, mail("Re: Oven", message_id="<m2@d>",
                            headers={"In-Reply-To": "<m1@dupont.fr>"}))
    assert reply.outcome is Outcome.JOINED and reply.spam
    with ws.db.session() as session:
        ticket = session.get(Ticket, first.ticket_id)
        assert ticket is not None and ticket.state is TicketState.SPAM
    assert count(ws, Notification) == 0


def test_attachments_get_safe_names_and_a_size_limit_with_a_note(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_parse, "MAX_ATTACHMENTS_BYTES", 1000)
    message = EmailMessage()
    message["From"] = "marie@dupont.fr"
    message["Subject"] = "Files"
    message["Message-ID"] = "<files@d>"
    message.set_content("see attached")
    message.add_alternative('<p>logo <img src="cid:logo@d"></p>', subtype="html")
    message.add_attachment(b"1" * 100, maintype="application", subtype="octet-stream",
                           filename="../../etc/passwd")
    message.add_attachment(b"2" * 100, maintype="text", subtype="plain", filename="CON.txt")
    message.add_attachment(b"3" * 5000, maintype="application", subtype="zip",
                           filename="big\x07.zip")
    html_part = message.get_payload()[0].get_payload()[1]
    html_part.add_related(b"\x89PNG-img", maintype="image", subtype="png", cid="<logo@d>")
    outcome = ingest(ws, message.as_bytes())
    assert outcome.outcome is Outcome.CREATED
    with ws.db.session() as session:
        stored = session.scalars(select(Message)).one()
        files = {a.filename: a for a in stored.attachments}
        assert {"passwd", "_CON.txt"} <= set(files)
        assert not any("zip" in name for name in files)
        assert stored.intake_note == "big_.zip (4 KB)"
        inline = [a for a in stored.attachments if a.content_id == "<logo@d>"]
        assert len(inline) == 1 and inline[0].content == b"\x89PNG-img"
        assert 'src="cid:logo@d"' in (stored.body_html or "")
    detail = ws.desk("admin").ticket(outcome.ticket_id or 0)
    assert detail.conversations[0].messages[0].omitted_files == ("big_.zip (4 KB)",)


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"), ("C:\\Windows\\evil.exe", "evil.exe"),
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("COM1.log", "_COM1.log"), ("lpt9", "_lpt9"),
    ("a\x00b\x1fc\u202e.pdf", "a_b_c.pdf"), ("...", "attachment"), ("", "attachment"),
    ("report?.pdf", "report_.pdf"), ("ok name.docx", "ok name.docx"),
])
def test_safe_filename(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


@pytest.mark.parametrize(("subject", "stripped"), [
    ("Re: Fwd: Oven", "Oven"), ("RE[2]: AW: TR: RV: SV: VS: Oven", "Oven"),
    ("Fw : Antw: Oven", "Oven"), ("Réf : Oven", "Oven"), ("Reply needed", "Reply needed"),
    ("Oven: Re: broken", "Oven: Re: broken"), ("Re:", ""),
])
def test_subject_prefixes(subject: str, stripped: str) -> None:
    assert strip_subject_prefixes(subject) == stripped


def test_ticket_number_in_subject() -> None:
    assert ticket_number_in("Re: [#42] Oven") == 42
    assert ticket_number_in("[#1] then [#7]") == 7
    assert ticket_number_in("#42 Oven") is None


def test_an_inline_image_is_read_from_its_part(ws: Workspace) -> None:
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                           "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    message = EmailMessage()
    message["From"] = "marie@dupont.fr"
    message["Subject"] = "Pic"
    message.set_content('<p><img src="cid:pic@d" alt="pic"></p>', subtype="html")
    message.add_related(png, maintype="image", subtype="png", cid="<pic@d>")
    outcome = ingest(ws, message.as_bytes())
    desk = ws.desk("admin")
    detail = desk.ticket(outcome.ticket_id or 0)
    (attachment,) = detail.conversations[0].messages[0].attachments
    assert desk.inline_image(detail.conversations[0].messages[0].id, "<pic@d>") == png
    assert desk.inline_image(detail.conversations[0].messages[0].id, "<other@d>") is None
    assert attachment.filename.endswith(".png")


def test_contacts_are_not_duplicated_by_intake(ws: Workspace) -> None:
    ingest(ws, mail(sender="New Person <new@person.example>", message_id="<n1@p>"))
    ingest(ws, mail(sender="new@PERSON.example", message_id="<n2@p>"))
    assert count(ws, Contact, func.lower(Contact.email) == "new@person.example") == 1
    assert count(ws, Attachment) == 0


def test_two_processes_storing_the_same_message_store_it_once(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ingest(ws, mail())
    # The other process checked for a copy before this one committed: the unique key decides.
    real = intake._duplicate_of
    calls: list[int] = []

    def late_check(uow: UnitOfWork, incoming: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real(uow, incoming)

    monkeypatch.setattr(intake, "_duplicate_of", late_check)
    second = ingest(ws, mail(body="the same message, fetched twice"))
    assert second.outcome is Outcome.DUPLICATE and second.ticket_id == first.ticket_id
    assert count(ws, Message) == 1 and count(ws, Ticket) == 1 and count(ws, SetAsideMail) == 0


def test_an_unforeseen_failure_refuses_the_message_and_writes_nothing_else(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_html: str) -> str:
        raise RuntimeError("sanitizer bug")

    monkeypatch.setattr(intake, "sanitize_html", broken)
    message = EmailMessage()
    message["From"] = "new.person@example.org"
    message["Subject"] = "html"
    message.set_content("<p>hi</p>", subtype="html")
    raw = message.as_bytes()
    outcome = ingest(ws, raw)
    assert outcome.outcome is Outcome.REFUSED
    assert outcome.reason == "The message could not be stored (RuntimeError)."
    assert count(ws, Ticket) == 0 and count(ws, Message) == 0 and count(ws, Contact) == 2
    with ws.db.session() as session:
        (aside,) = session.scalars(select(SetAsideMail)).all()
        assert aside.raw == raw


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_parsing_never_raises_anything_but_a_refusal(raw: bytes) -> None:
    try:
        parsed = mail_parse.parse_mail(raw)
    except mail_parse.MailRefused as refusal:
        assert str(refusal) and "\n" not in str(refusal)
    else:
        assert parsed.dedupe_key and isinstance(parsed.text, str)


_HEADERS = st.sampled_from([
    b"From: ", b"To: ", b"Cc: ", b"Subject: ", b"Message-ID: ", b"In-Reply-To: ",
    b"References: ", b"Date: ", b"Content-Type: ", b"Content-Transfer-Encoding: ",
    b"Content-Disposition: ", b"MIME-Version: ", b"Auto-Submitted: "])
_VALUES = st.one_of(
    st.binary(max_size=80),
    st.sampled_from([b"multipart/mixed; boundary=\"b\"", b"text/plain; charset=x-nope",
                     b"=?utf-8?b?w6k=?= <a@b.example>", b"<x@y>", b"base64",
                     b"quoted-printable", b"attachment; filename=\"../CON\"", b"\"\" <>",
                     b"=?unknown?q?=FF?=", b"Thu, 99 Foo 20266 99:99:99 +9999"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_HEADERS, _VALUES), max_size=12), st.binary(max_size=500))
def test_header_soup_never_raises_anything_but_a_refusal(
        headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    raw = b"".join(name + value + b"\r\n" for name, value in headers) + b"\r\n--b\r\n" + body
    try:
        parsed = mail_parse.parse_mail(raw)
    except mail_parse.MailRefused:
        return
    assert parsed.subject == parsed.subject.strip() or parsed.subject == ""
    assert len(parsed.subject) <= 500


def test_a_mime_bomb_is_refused_quickly_and_kept_aside(ws: Workspace) -> None:
    raw = (b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           + b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" * 5000 + b"--b--\r\n")
    outcome = ingest(ws, raw)
    assert outcome.outcome is Outcome.REFUSED
    assert outcome.reason == "The message has more than 2000 parts."
    assert count(ws, SetAsideMail) == 1 and count(ws, Message) == 0
