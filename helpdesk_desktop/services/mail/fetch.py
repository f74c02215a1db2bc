"""One pass over an inbox's IMAP folder: every message not yet fetched, handed to intake.

Messages are read with ``BODY.PEEK[]`` on a folder selected read-only, so nothing is marked
read on the server unless the inbox says so. The folder's UIDVALIDITY and the last fetched UID
are saved after every message: a restart or a dropped connection continues where it stopped,
and a message already stored (same ``dedupe_key``: its Message-ID, else a digest) is never
stored twice; one that cannot be kept is set aside by intake, so the UID moves on.
"""

from __future__ import annotations

import imaplib
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import MailFolderState
from helpdesk_desktop.services.intake import outcome_count
from helpdesk_desktop.services.mail.accounts import MailAccountInfo
from helpdesk_desktop.services.mail.connect import ImapSession, open_imap
from helpdesk_desktop.services.mail.delivery import Delivery, deliver_raw
from helpdesk_desktop.services.mail.errors import describe
from helpdesk_desktop.services.mail.secrets import SecretStore
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database


class Deliver(Protocol):
    """(database, inbox id, raw message, clock, source) -> what became of it."""

    def __call__(self, database: Database, inbox_id: int, raw: bytes, clock: Clock,
                 source: str) -> Delivery: ...


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    delivery: Delivery


@dataclass
class FetchReport:
    """What one pass fetched (in UID order)."""

    inbox_name: str
    messages: list[FetchedMessage] = field(default_factory=list)
    uid_validity_changed: bool = False

    @property
    def created_ticket_ids(self) -> tuple[int, ...]:
        return tuple(m.delivery.ticket_id for m in self.messages
                     if m.delivery.outcome == "created" and m.delivery.ticket_id is not None)

    @property
    def changed_ticket_ids(self) -> tuple[int, ...]:
        return tuple(m.delivery.ticket_id for m in self.messages
                     if m.delivery.outcome == "joined" and m.delivery.ticket_id is not None)

    def sentence(self) -> str:
        if not self.messages:
            return _("No new mail in {inbox}.").format(inbox=self.inbox_name)
        counts: dict[str, int] = {}
        for message in self.messages:
            counts[message.delivery.outcome] = counts.get(message.delivery.outcome, 0) + 1
        parts = ", ".join(outcome_count(outcome, n) for outcome, n in counts.items())
        total = len(self.messages)
        return ngettext("{count} new message in {inbox}: {outcomes}.",
                        "{count} new messages in {inbox}: {outcomes}.",
                        total).format(count=total, inbox=self.inbox_name, outcomes=parts)


def fetch_once(database: Database, account: MailAccountInfo, secrets: SecretStore, *,
               deliver: Deliver = deliver_raw, clock: Clock = utcnow,
               session: ImapSession | None = None) -> FetchReport:
    """Fetch every message above the saved UID; raise :class:`MailError` on a network failure
    (what was delivered before it stays delivered and counted)."""
    own = session is None
    imap_session = session or open_imap(account, secrets)
    report = FetchReport(account.inbox_name)
    try:
        _fetch(database, account, imap_session, report, deliver, clock)
    except Exception as exc:
        if own:
            imap_session.close()
        raise describe(exc, "IMAP", account.imap_host, account.imap_port) from exc
    if own:
        imap_session.close()
    return report


def _fetch(database: Database, account: MailAccountInfo, session: ImapSession,
           report: FetchReport, deliver: Deliver, clock: Clock) -> None:
    imap = session.imap
    last_uid, changed = _start_state(database, account, session.uid_validity, clock)
    report.uid_validity_changed = changed
    status, data = imap.uid("SEARCH", None, f"UID {last_uid + 1}:*")  # type: ignore[arg-type]
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH failed: {data!r}")
    # "n:*" always matches the newest message, even when its UID is below n.
    uids = sorted(uid for uid in (int(x) for x in (data[0] or b"").split()) if uid > last_uid)
    for uid in uids:
        status, parts = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
        if status != "OK":
            raise imaplib.IMAP4.error(f"UID FETCH {uid} failed: {parts!r}")
        raw = next((p[1] for p in parts if isinstance(p, tuple) and len(p) > 1), None)
        if raw is not None:
            source = f"IMAP {account.imap_folder} UID {uid} ({account.inbox_name})"
            delivery = deliver(database, account.inbox_id, bytes(raw), clock, source)
            report.messages.append(FetchedMessage(uid, delivery))
            if account.mark_seen:
                imap.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
        _save_uid(database, account, session.uid_validity, uid, clock)


def _start_state(database: Database, account: MailAccountInfo, uid_validity: int,
                 clock: Clock) -> tuple[int, bool]:
    """(last fetched UID, whether the folder's UIDVALIDITY changed). A new UIDVALIDITY means
    the server renumbered the folder: read it again from the start (messages already stored
    are recognised as duplicates by their ``dedupe_key``)."""
    with UnitOfWork(database, None, clock) as uow:
        state = uow.session.get(MailFolderState, (account.id, account.imap_folder))
        if state is not None and state.uid_validity == uid_validity:
            return state.last_uid, False
        changed = state is not None
        if state is None:
            state = MailFolderState(account_id=account.id, folder=account.imap_folder,
                                    uid_validity=uid_validity, last_uid=0)
            uow.session.add(state)
        state.uid_validity, state.last_uid, state.fetched_at = uid_validity, 0, uow.now
        uow.commit()
        return 0, changed


def _save_uid(database: Database, account: MailAccountInfo, uid_validity: int, uid: int,
              clock: Clock) -> None:
    with UnitOfWork(database, None, clock) as uow:
        state = uow.session.scalars(select(MailFolderState).where(
            MailFolderState.account_id == account.id,
            MailFolderState.folder == account.imap_folder)).one()
        if state.uid_validity == uid_validity and uid > state.last_uid:
            state.last_uid, state.fetched_at = uid, uow.now
        uow.commit()


def folder_state(database: Database, account_id: int, folder: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, last UID) saved for a folder, or ``None``."""
    with database.session() as session:
        state = session.get(MailFolderState, (account_id, folder))
        return None if state is None else (state.uid_validity, state.last_uid)
