"""Every UI text reaches the translators in the context the code looks it up in.

pyside6-lupdate files ``self.tr("…")`` under the class, ``translate("Context", "…")`` under its
context, and ``tr("…")`` of a module-level helper under no context at all (while the helper
looks it up in a named one at run time), and ``window.tr("…")`` under "window".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "helpdesk_desktop" / "ui"
LUPDATE = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)) \
    or shutil.which("pyside6-lupdate")


@pytest.mark.skipif(LUPDATE is None, reason="pyside6-lupdate is not installed")
def test_every_text_is_extracted_under_a_real_context(tmp_path: Path) -> None:
    assert LUPDATE is not None
    ts = tmp_path / "ui.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    subprocess.run([LUPDATE, *sources, "-ts", str(ts)], check=True, capture_output=True)
    contexts = {}
    for name, body in re.findall(r"<context>\s*<name>(.*?)</name>(.*?)</context>",
                                 ts.read_text(encoding="utf-8"), re.DOTALL):
        contexts[name] = re.findall(r"<source>(.*?)</source>", body, re.DOTALL)
    wrong = {name: texts[:3] for name, texts in contexts.items()
             if not re.fullmatch(r"[A-Z][A-Za-z]+", name)}
    assert not wrong, f"texts filed under a context the code does not use: {wrong}"
    # The action texts and reasons (translated at run time from variables) are marked.
    assert {"&amp;Merge Ticket…", "Needs the delete permission.", "Set S&amp;tatus…",
            "Select tickets of one pipeline."} <= set(contexts["TicketActions"])
