"""``helpdesk-desktop transcript``: the same path as the window, on a real database."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.enums import MessageKind
from tests.factories import Workspace, make_ticket
from tests.transcripts.pdftext import all_text, pages_text

THREAD = (
    (MessageKind.EMAIL, "Hello, my printer is on fire. Call Bob on +44 20 7946 0958."),
    (MessageKind.NOTE, "Secret: this customer is a VIP"),
    (MessageKind.REPLY, "Please unplug it. Bob can write to bob@other.org."),
)


def _run(ws: Workspace, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(["--as", "agent@example.com", *args], database=ws.db, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_transcript_writes_the_conversation_without_notes(ws: Workspace, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=THREAD)
    path = tmp_path / "t.pdf"
    code, out, err = _run(ws, "transcript", str(ticket_id), "--pdf", str(path), "--paper", "A4")
    assert (code, err) == (0, "")
    assert out == f"Wrote {path} (1 page, 2 messages, A4).\n"
    text = all_text(path.read_bytes())
    assert f"Ticket #{ticket_id}: Printer on fire" in text
    assert text.index("my printer is on fire") < text.index("Please unplug it")
    assert "VIP" not in text
    assert "Marie Dupont" in text and "Boulangerie Dupont" in text
    assert "CET" in text  # the agent's zone is Europe/Paris


def test_transcript_options(ws: Workspace, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=THREAD,
                            conversations=2)
    path = tmp_path / "all.pdf"
    code, out, _ = _run(ws, "transcript", f"#{ticket_id}", "--pdf", str(path),
                        "--include-notes", "--mask-contacts", "--json", "--paper", "Letter")
    assert code == 0
    assert json.loads(out) == {"path": str(path), "pages": len(pages_text(path.read_bytes())),
                               "messages": 6, "ticket_id": ticket_id, "paper": "Letter",
                               "missing_characters": 0}
    reader = PdfReader(path)
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == [612, 792]
    text = all_text(path.read_bytes())
    assert text.count("Secret: this customer is a VIP") == 2
    assert "Printer on fire (2)" in text
    assert "bob@other.org" not in text and "7946" not in text
    assert "[e-mail hidden]" in text and "[phone hidden]" in text


def test_transcript_refusals(ws: Workspace, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=THREAD)
    code, _, err = _run(ws, "transcript", "999999", "--pdf", str(tmp_path / "x.pdf"))
    assert code == 2 and err.startswith("error: ")
    code, _, err = _run(ws, "transcript", str(ticket_id), "--pdf", str(tmp_path / "x.pdf"),
                        "--conversation", "999999")
    assert code == 2 and "no conversation #999999" in err
    code, _, err = _run(ws, "transcript", str(ticket_id), "--pdf",
                        str(tmp_path / "missing" / "dir" / "x.pdf"))
    assert code == 2 and "Cannot write" in err
    assert not (tmp_path / "x.pdf").exists()


def test_transcript_this_conversation_only_and_the_missing_glyph_warning(
        ws: Workspace, tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=(
        (MessageKind.EMAIL, "Hieroglyphs \U00013000\U00013001 and Hello"),), conversations=2)
    path = tmp_path / "one.pdf"
    code, out, err = _run(ws, "transcript", str(ticket_id), "--pdf", str(path),
                          "--this-conversation-only", "--paper", "A4")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Wrote {path} (1 page, 1 message, A4).",
        "warning: 2 characters could not be printed: no font has them (shown as boxes)."]
    text = all_text(path.read_bytes())
    assert "Printer on fire (2)" in text and "\U00013000\U00013001" in text  # kept, as boxes


@pytest.mark.parametrize("args", [["--conversation", "1", "--all-conversations"], []])
def test_transcript_usage_errors(ws: Workspace, tmp_path: Path, args: list[str]) -> None:
    extra = ["--pdf", str(tmp_path / "x.pdf")] if args else []
    code, _, err = _run(ws, "transcript", "1", *args, *extra)
    assert code == 2 and err.startswith("error: ")


def test_transcript_never_replaces_or_follows_a_link_without_force(ws: Workspace,
                                                                     tmp_path: Path) -> None:
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent", messages=THREAD)
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"keep me")
    code, _, err = _run(ws, "transcript", str(ticket_id), "--pdf", str(existing))
    assert code == 2 and "already exists; add --force" in err
    assert existing.read_bytes() == b"keep me"
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"secret")
    link = tmp_path / "link.pdf"
    link.symlink_to(outside)
    for extra in ([], ["--force"]):
        code, _, err = _run(ws, "transcript", str(ticket_id), "--pdf", str(link), *extra)
        assert code == 2 and "symbolic link" in err
    assert outside.read_bytes() == b"secret"
    code, _, err = _run(ws, "transcript", str(ticket_id), "--pdf", str(existing), "--force")
    assert code == 0, err
    assert existing.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
