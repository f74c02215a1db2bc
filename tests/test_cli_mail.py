"""``import-mail`` and ``sender-rules`` on the command line."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import func, select

from helpdesk_desktop.domain.models import Conversation, SetAsideMail, Ticket
from tests.factories import Workspace
from tests.test_cli import ok, refused


def _mail(number: int, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Customer {number} <c{number}@example.org>"
    message["To"] = "support@example.com"
    message["Subject"] = f"Question {number}"
    message["Message-ID"] = f"<q{number}@example.org>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(f"Question number {number}.")
    return message


def _tree(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "one.eml").write_bytes(_mail(1).as_bytes())
    (folder / "broken.eml").write_bytes(b"Subject: nobody sent this\r\n\r\nbody")
    (folder / "picture.png").write_bytes(b"\x89PNG not mail")
    box = mailbox.mbox(folder / "archive.mbox")
    box.add(_mail(2))
    box.add(_mail(3, In_Reply_To="<q2@example.org>"))
    box.add(_mail(4, Auto_Submitted="auto-replied"))
    box.flush()
    box.close()
    maildir = mailbox.Maildir(folder / "Maildir", create=True)
    maildir.add(_mail(5))
    maildir.add(_mail(1))  # the same message as one.eml
    maildir.close()
    return folder


def test_import_mail_json_reports_every_message(ws: Workspace, tmp_path: Path) -> None:
    folder = _tree(tmp_path)
    run = ok(ws.db, "--as", "agent@example.com", "import-mail", str(folder), "--json")
    rows = run.json()
    assert all(set(row) == {"source", "message_id", "outcome", "ticket_id", "reason"}
               for row in rows)
    by_source = {Path(row["source"]).name: row for row in rows}
    assert len(rows) == 7  # picture.png is not mail and not listed
    assert {"archive.mbox#1", "archive.mbox#2", "archive.mbox#3", "broken.eml",
            "one.eml"} <= set(by_source)
    assert by_source["archive.mbox#1"]["outcome"] == "created"
    assert by_source["archive.mbox#2"]["outcome"] == "joined"
    assert by_source["archive.mbox#2"]["ticket_id"] == by_source["archive.mbox#1"]["ticket_id"]
    assert by_source["archive.mbox#3"]["outcome"] == "skipped"
    assert by_source["broken.eml"]["outcome"] == "refused"
    assert by_source["broken.eml"]["reason"] == "The message has no usable sender address."
    # The Maildir (sorted before "archive") holds message 5 and a copy of one.eml.
    maildir = [row["outcome"] for row in rows if "/Maildir/" in row["source"]]
    assert sorted(maildir) == ["created", "created"]
    assert by_source["one.eml"]["outcome"] == "duplicate"
    assert by_source["one.eml"]["message_id"] == "<q1@example.org>"
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 3  # 1/2+3, 5, 1
        assert session.scalar(select(func.count()).select_from(SetAsideMail)) == 2


def test_import_mail_text_into_a_named_inbox_and_missing_paths(ws: Workspace,
                                                               tmp_path: Path) -> None:
    eml = tmp_path / "one.eml"
    eml.write_bytes(_mail(1).as_bytes())
    run = ok(ws.db, "import-mail", str(eml), str(tmp_path / "missing.eml"),
             "--inbox", "Shared inbox")
    lines = run.out.splitlines()
    assert lines[0].startswith("created") and lines[0].endswith("one.eml")
    assert lines[1].startswith("refused") and "No such file or folder." in lines[1]
    assert lines[-1] == "2 messages: 1 created, 1 refused."
    with ws.db.session() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.inbox_id == ws.inboxes["Shared inbox"]
        assert conversation.ticket_id is None
    assert "Nowhere" in refused(ws.db, 2, "import-mail", str(eml), "--inbox", "Nowhere")


def test_sender_rules_commands(ws: Workspace) -> None:
    ok(ws.db, "--as", "admin@example.com", "sender-rules", "deny", "Help Desk", "@spam.example")
    ok(ws.db, "--as", "admin@example.com", "sender-rules", "allow", "Help Desk",
       "boss@spam.example")
    listed = ok(ws.db, "sender-rules", "list", "Help Desk", "--json").json()
    assert listed == [{"pattern": "boss@spam.example", "list": "allow"},
                      {"pattern": "spam.example", "list": "deny"}]
    line = refused(ws.db, 3, "--as", "agent@example.com", "sender-rules", "deny", "Help Desk",
                   "x.example")
    assert "account" in line.lower()
    refused(ws.db, 2, "--as", "admin@example.com", "sender-rules", "deny", "Help Desk", "nope")


def test_set_aside_mail_is_listed_and_saved_byte_for_byte(ws: Workspace,
                                                          tmp_path: Path) -> None:
    raw = b"Subject: nobody sent this\r\n\r\n\xffbody"
    (tmp_path / "broken.eml").write_bytes(raw)
    ok(ws.db, "import-mail", str(tmp_path / "broken.eml"))
    listed = ok(ws.db, "--as", "admin@example.com", "set-aside", "list", "--json").json()
    assert [(i["outcome"], i["reason"], i["inbox"]) for i in listed] == [
        ("refused", "The message has no usable sender address.", "Help Desk")]
    target = tmp_path / "back.eml"
    ok(ws.db, "--as", "admin@example.com", "set-aside", "save", str(listed[0]["id"]),
       str(target))
    assert target.read_bytes() == raw
    refused(ws.db, 3, "--as", "agent@example.com", "set-aside", "list")
    refused(ws.db, 2, "--as", "admin@example.com", "set-aside", "save", "999", str(target))
