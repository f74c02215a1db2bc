"""The workspace's company name and logo, set through the facade and the CLI, on transcripts."""

from __future__ import annotations

import struct
import zlib
from io import StringIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.errors import InvalidInput, PermissionDenied
from tests.factories import Workspace, make_ticket
from tests.transcripts.pdftext import all_text


def _png(width: int = 60, height: int = 20) -> bytes:
    raw = b"".join(b"\x00" + bytes((30, 90, 200)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_branding_is_set_by_account_admins_only_and_checked(ws: Workspace) -> None:
    agent, admin = ws.desk("agent"), ws.desk("admin")
    assert agent.branding().company_name == "" and agent.branding().logo is None
    with pytest.raises(PermissionDenied):
        agent.set_branding(company_name="Evil Corp")
    with pytest.raises(InvalidInput, match="PNG or JPEG"):
        admin.set_branding(logo=b"GIF89a....")
    assert agent.branding().company_name == ""  # a refusal changes nothing
    admin.set_branding(company_name="  Boulangerie Support  ", logo=_png())
    assert agent.transcript_branding() == ("Boulangerie Support", _png())
    admin.set_branding(clear_logo=True)
    assert agent.branding().logo is None and agent.branding().company_name == \
        "Boulangerie Support"


def test_the_cli_sets_branding_and_transcripts_print_it(ws: Workspace, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    out, err = StringIO(), StringIO()
    code = main(["--as", "admin@example.com", "branding", "--company-name", "Dupont Support",
                 "--logo", str(logo)], database=ws.db, stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue() == f"Company name: Dupont Support\nLogo: {len(_png()):,} bytes\n"
    ticket_id = make_ticket(ws, "Printer on fire", owner="agent")
    path = tmp_path / "t.pdf"
    code = main(["--as", "agent@example.com", "transcript", str(ticket_id), "--pdf", str(path)],
                database=ws.db, stdout=StringIO(), stderr=StringIO())
    assert code == 0
    assert all_text(path.read_bytes()).startswith("Dupont Support\n")
    page = PdfReader(path).pages[0]
    assert len(page.images) == 1  # the logo
