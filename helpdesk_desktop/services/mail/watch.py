"""Watching an inbox while the window runs: fetch, then wait for new mail with IMAP IDLE where
the server has it (else poll at the inbox's interval), reconnecting after a failure.

Plain Python on a worker thread: ``stop`` (a ``threading.Event``) ends it within a second.
"""

from __future__ import annotations

import imaplib
import select
import threading
import time
from collections.abc import Callable

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.services.mail.accounts import MailAccountInfo
from helpdesk_desktop.services.mail.connect import ImapSession, open_imap
from helpdesk_desktop.services.mail.errors import MailError, describe
from helpdesk_desktop.services.mail.fetch import FetchReport, fetch_once
from helpdesk_desktop.services.mail.secrets import SecretStore
from helpdesk_desktop.storage.database import Database

#: (state, detail): "connecting", "connected", "fetching", "idle" (waiting), "error" + sentence
StateCallback = Callable[[str, str], None]
ReportCallback = Callable[[FetchReport], None]

FIRST_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 300.0
IDLE_RENEW_SECONDS = 25 * 60  # servers drop an IDLE after 30 minutes


def watch(database: Database, account: MailAccountInfo, secrets: SecretStore,
          stop: threading.Event, on_state: StateCallback, on_report: ReportCallback, *,
          clock: Clock = utcnow, use_idle: bool = True) -> None:
    """Run until ``stop`` is set."""
    retry = FIRST_RETRY_SECONDS
    while not stop.is_set():
        session: ImapSession | None = None
        try:
            on_state("connecting", "")
            session = open_imap(account, secrets)
            on_state("connected", "")
            retry = FIRST_RETRY_SECONDS
            idle = use_idle and "IDLE" in session.imap.capabilities
            while not stop.is_set():
                on_state("fetching", "")
                report = fetch_once(database, account, secrets, clock=clock, session=session)
                on_report(report)
                on_state("idle", "IDLE" if idle else "polling")
                if idle:
                    _idle(session.imap, stop, min(account.poll_seconds * 5, IDLE_RENEW_SECONDS))
                else:
                    stop.wait(account.poll_seconds)
                    session.imap.noop()
        except MailError as exc:
            on_state("error", str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure is a sentence and a retry
            on_state("error", str(describe(exc, "IMAP", account.imap_host, account.imap_port)))
        finally:
            if session is not None:
                session.close()
        if stop.wait(retry):
            break
        retry = min(retry * 2, MAX_RETRY_SECONDS)


def _idle(imap: imaplib.IMAP4, stop: threading.Event, seconds: float) -> None:
    """IMAP IDLE (RFC 2177) until the server reports a change, ``seconds`` pass, or ``stop``.
    imaplib has no IDLE before Python 3.14, so the command is written by hand."""
    tag = imap._new_tag().decode()  # private, but the only way to tag a hand-written command
    imap.send(f"{tag} IDLE\r\n".encode())
    line = imap.readline()
    if not line.startswith(b"+"):
        raise imaplib.IMAP4.error(f"IDLE refused: {line!r}")
    deadline = time.monotonic() + seconds
    sock = imap.sock
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            readable, _w, _x = select.select([sock], [], [], 1.0)
            if readable:
                untagged = imap.readline()
                if not untagged:
                    raise imaplib.IMAP4.abort("the server closed the connection")
                if b"EXISTS" in untagged or b"RECENT" in untagged:
                    break
    finally:
        imap.send(b"DONE\r\n")
        while True:  # read up to the IDLE command's tagged answer
            answer = imap.readline()
            if not answer:
                raise imaplib.IMAP4.abort("the server closed the connection")
            if answer.startswith(tag.encode()):
                break
