"""The sender: everything due in the outbox goes to its inbox's SMTP server.

Run by the window's background sender and by ``outbox flush``. A row is claimed before it is
sent, so two processes flushing at once never send it twice; it is marked sent only once the
server accepted it; a failure is retried with backoff, a permanent refusal (5xx) fails at once.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.enums import OutboxState
from helpdesk_desktop.domain.models import MailAccount, Message, OutboxItem
from helpdesk_desktop.domain.sentences import Sentence, sentence
from helpdesk_desktop.services.mail import outbox
from helpdesk_desktop.services.mail.accounts import MailAccountInfo, account_info
from helpdesk_desktop.services.mail.compose import Outgoing, build
from helpdesk_desktop.services.mail.connect import open_smtp
from helpdesk_desktop.services.mail.errors import MailError, MailProblem, describe
from helpdesk_desktop.services.mail.outbox import FlushReport
from helpdesk_desktop.services.mail.secrets import SecretStore
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database

OpenSmtp = Callable[[MailAccountInfo, SecretStore], smtplib.SMTP]


def flush(database: Database, secrets: SecretStore, *, clock: Clock = utcnow,
          connect: OpenSmtp = open_smtp, limit: int = 100) -> FlushReport:
    """Send every due e-mail (one SMTP connection per account)."""
    report = FlushReport()
    connections: dict[int, smtplib.SMTP] = {}
    broken: dict[int, MailError] = {}
    try:
        for outbox_id in outbox.due_ids(UnitOfWork(database, None, clock), limit):
            token = outbox.claim(UnitOfWork(database, None, clock), outbox_id)
            if token is None:
                continue  # another sender has it, or it was cancelled
            _send_one(database, secrets, clock, connect, outbox_id, token, connections,
                      broken, report)
    finally:
        for smtp in connections.values():
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    return report


def _load(database: Database, clock: Clock, outbox_id: int
          ) -> tuple[MailAccountInfo | None, Outgoing | None, int | None]:
    with UnitOfWork(database, None, clock) as uow:
        item = uow.session.get(OutboxItem, outbox_id)
        assert item is not None
        message = uow.session.get(Message, item.message_id)
        account = uow.session.get(MailAccount, item.account_id) if item.account_id else None
        if message is None or account is None:
            return None, None, None
        ticket_id = message.conversation.ticket_id
        return account_info(account), build(message, account, ticket_id, uow.now), ticket_id


def _send_one(database: Database, secrets: SecretStore, clock: Clock, connect: OpenSmtp,
              outbox_id: int, token: str, connections: dict[int, smtplib.SMTP],
              broken: dict[int, MailError], report: FlushReport) -> None:
    account, outgoing, ticket_id = _load(database, clock, outbox_id)
    if ticket_id is not None:
        report.ticket_ids.add(ticket_id)
    if account is None or outgoing is None:
        _failed(database, clock, outbox_id, token,
                sentence("The inbox is no longer connected to a mailbox."), True, report)
        return
    if not outgoing.recipients:
        _failed(database, clock, outbox_id, token, sentence("The reply has no recipient."), True,
                report)
        return
    try:
        if account.id in broken:
            raise broken[account.id]
        smtp = connections.get(account.id)
        if smtp is None:
            try:
                smtp = connections[account.id] = connect(account, secrets)
            except MailError as exc:
                broken[account.id] = exc
                raise
        refused = smtp.send_message(outgoing.message, outgoing.sender,
                                    list(outgoing.recipients))
    except smtplib.SMTPRecipientsRefused as exc:
        detail = "; ".join(f"{address}: {code} {_text(text)}"
                           for address, (code, text) in exc.recipients.items())
        _failed(database, clock, outbox_id, token,
                sentence("Every recipient was refused ({detail}).", detail=detail), True, report)
        return
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        error = describe(exc, "SMTP", account.smtp_host, account.smtp_port)
        _failed(database, clock, outbox_id, token, error.said or str(error),
                exc.smtp_code >= 500, report)
        return
    except MailError as exc:
        # A missing password does not come back by retrying when the keyring works: the
        # reply fails at once, with Retry, instead of waiting in the queue. Without a keyring
        # the program asks for the password this session, so the reply keeps waiting for it.
        permanent = exc.problem is MailProblem.SECRET and secrets.keyring_problem() is None
        _failed(database, clock, outbox_id, token, exc.said or str(exc), permanent, report)
        return
    except (smtplib.SMTPException, OSError) as exc:
        connections.pop(account.id, None)
        error = describe(exc, "SMTP", account.smtp_host, account.smtp_port)
        _failed(database, clock, outbox_id, token, error.said or str(error), False, report)
        return
    note = None
    if refused:
        note = sentence("Accepted except for: {detail}", detail="; ".join(
            f"{address}: {code} {_text(text)}" for address, (code, text) in refused.items()))
    if outbox.mark_sent(UnitOfWork(database, None, clock), outbox_id, token, clock(), note,
                        as_sent=outgoing.message):
        report.sent.append(outbox_id)


def _failed(database: Database, clock: Clock, outbox_id: int, token: str,
            error: Sentence | str, permanent: bool, report: FlushReport) -> None:
    """``error``: a sentence (kept, so that the outbox shows it in its reader's language), or
    a text already said (a sign-in failure worded by the token source)."""
    state = outbox.mark_failed(UnitOfWork(database, None, clock), outbox_id, token, error,
                               permanent=permanent)
    (report.failed if state is OutboxState.FAILED else report.retrying).append(outbox_id)
    report.errors.append(str(error))


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
