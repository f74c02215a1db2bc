"""Intake over two real mail corpora nobody here wrote: CPython's ``test_email`` messages and
the ``tests/mails`` of the ``mail-parser`` sdist. Every message: ``ingest_raw`` never raises
and says one of the five outcomes; taking the corpus in again stores nothing twice.

``.ci/run`` fetches the corpora into ``.cache/corpora`` (ignored by git). Outside CI a missing
corpus skips; in CI (``CI`` set) it fails, so the test is never silently left out.
"""

from __future__ import annotations

import glob
import os
import sys
import sysconfig
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpdesk_desktop.domain.models import Message, SetAsideMail
from helpdesk_desktop.services.intake import Outcome, ingest_raw
from helpdesk_desktop.services.uow import UnitOfWork
from tests.factories import Workspace

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("HELPDESK_CORPUS_DIR", ROOT / ".cache" / "corpora"))


def cpython_corpus() -> list[Path]:
    """CPython's ``Lib/test/test_email/data/msg_*.txt``: the running Python's, the cached
    copy, or any Python installation of this machine (pyenv, Debian's testsuite package)."""
    candidates = [
        Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data",
        CACHE / "cpython-test-email",
        *map(Path, sorted(glob.glob("/root/.pyenv/versions/3.*/lib/python3.*/test/test_email/data"),
                          reverse=True)),
        *map(Path, sorted(glob.glob("/usr/lib/python3*/test/test_email/data"), reverse=True)),
    ]
    for folder in candidates:
        files = sorted(folder.glob("msg_*.txt"))
        if files:
            return files
    return []


def mail_parser_corpus() -> list[Path]:
    """The ``tests/mails`` folder of the ``mail-parser`` sdist, unpacked by ``.ci/run``."""
    for folder in sorted(CACHE.glob("mail-parser*/mail_parser-*/tests/mails")) + sorted(
            CACHE.glob("mail_parser-*/tests/mails")):
        files = sorted(p for p in folder.iterdir() if p.is_file())
        if files:
            return files
    return []


CORPORA = {"cpython": (cpython_corpus, 40), "mail-parser": (mail_parser_corpus, 15)}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_every_message_of_a_real_corpus_has_an_outcome(ws: Workspace, corpus: str) -> None:
    finder, minimum = CORPORA[corpus]
    files = finder()
    if len(files) < minimum:
        message = (f"The {corpus} mail corpus was not found (looked under {CACHE} and the "
                   f"Python installations; {sys.executable}); .ci/run fetches it.")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    inbox_id = ws.inboxes["Help Desk"]
    seen: dict[str, Outcome] = {}
    for path in files:
        raw = path.read_bytes()
        outcome = ingest_raw(UnitOfWork(ws.db, None, ws.clock), inbox_id, raw,
                             source=path.name)
        assert outcome.outcome in set(Outcome), path
        assert outcome.source == path.name
        assert "\n" not in outcome.reason, (path, outcome.reason)
        if outcome.outcome in (Outcome.CREATED, Outcome.JOINED):
            assert outcome.conversation_id is not None, path
        seen[path.name] = outcome.outcome
    stored = sum(1 for o in seen.values() if o in (Outcome.CREATED, Outcome.JOINED))
    aside = sum(1 for o in seen.values() if o in (Outcome.SKIPPED, Outcome.REFUSED))
    assert stored >= len(files) // 2, seen  # most real mail is kept
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == stored
        assert session.scalar(select(func.count()).select_from(SetAsideMail)) == aside
    # The whole corpus again: nothing is stored twice.
    for path in files:
        again = ingest_raw(UnitOfWork(ws.db, None, ws.clock), inbox_id, path.read_bytes(),
                           source=path.name)
        if seen[path.name] in (Outcome.CREATED, Outcome.JOINED, Outcome.DUPLICATE):
            assert again.outcome is Outcome.DUPLICATE, path
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == stored
