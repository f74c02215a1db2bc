"""The background watcher: IDLE wakes it on new mail, polling works without IDLE, a stopped
server is an error state and a reconnect."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.services.mail import watch as mail_watch
from helpdesk_desktop.services.mail.accounts import MailAccountInfo
from helpdesk_desktop.services.mail.fetch import FetchReport
from tests.factories import Workspace
from tests.mail.servers import Dovecot
from tests.mail.test_fetch import mail


def wait_for(events: queue.Queue[tuple[str, str]], state: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            name, detail = events.get(timeout=0.2)
        except queue.Empty:
            continue
        if name == state:
            return detail
    raise AssertionError(f"no '{state}' state within {timeout} s")


@pytest.mark.parametrize("use_idle", [True, False], ids=["idle", "polling"])
def test_new_mail_arrives_while_watching(
        ws: Workspace, connected: tuple[Desk, MailAccountInfo], running_dovecot: Dovecot,
        mailbox: str, use_idle: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_watch, "FIRST_RETRY_SECONDS", 0.3)
    monkeypatch.setattr(mail_watch, "MAX_RETRY_SECONDS", 0.3)
    desk, account = connected
    account = MailAccountInfo(**{**account.__dict__, "poll_seconds": 1})
    events: queue.Queue[tuple[str, str]] = queue.Queue()
    reports: queue.Queue[FetchReport] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=mail_watch.watch, args=(
        ws.db, account, desk.secrets, stop, lambda s, d: events.put((s, d)), reports.put),
        kwargs={"clock": ws.clock, "use_idle": use_idle})
    thread.start()
    try:
        assert wait_for(events, "idle") == ("IDLE" if use_idle else "polling")
        assert reports.get(timeout=5).messages == []
        running_dovecot.append(mailbox, mail(1))
        report = reports.get(timeout=10)
        assert [m.delivery.outcome for m in report.messages] == ["created"]
        # the server goes away: an error sentence, then a reconnect that loses nothing
        running_dovecot.stop()
        sentence = wait_for(events, "error")
        assert sentence.startswith("The IMAP server 127.0.0.1:") and sentence.endswith(".")
        running_dovecot.start()
        running_dovecot.append(mailbox, mail(2))
        assert wait_for(events, "connected") == ""
        report = reports.get(timeout=10)
        while not report.messages:
            report = reports.get(timeout=10)
        assert [m.uid for m in report.messages] == [2]
    finally:
        stop.set()
        started = time.monotonic()
        thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 3
