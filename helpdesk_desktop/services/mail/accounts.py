"""Connecting an inbox to a mailbox: the IMAP and SMTP settings of each inbox.

Only super admins and users with account access may connect, change or disconnect an inbox;
any signed-in agent may read the settings (the window's background fetcher needs them).
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass

from sqlalchemy import delete, select

from helpdesk_desktop.domain.enums import MailAuth, MailSecurity
from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Inbox, MailAccount, MailFolderState
from helpdesk_desktop.services.access import reason_missing_account_access, require
from helpdesk_desktop.services.mail.secrets import secret_key
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_email, without_nul

DEFAULT_PORTS = {
    ("imap", MailSecurity.TLS): 993, ("imap", MailSecurity.STARTTLS): 143,
    ("imap", MailSecurity.NONE): 143, ("smtp", MailSecurity.TLS): 465,
    ("smtp", MailSecurity.STARTTLS): 587, ("smtp", MailSecurity.NONE): 25,
}
MAX_UNDO_SECONDS = 300


@dataclass(frozen=True)
class MailSettings:
    """What connecting an inbox asks for (ports of 0 mean: the usual port for the security)."""

    imap_host: str
    smtp_host: str
    user: str
    sender_address: str
    sender_name: str = ""
    imap_port: int = 0
    imap_security: MailSecurity = MailSecurity.TLS
    imap_user: str = ""  # empty: ``user``
    imap_folder: str = "INBOX"
    mark_seen: bool = False
    poll_seconds: int = 60
    smtp_port: int = 0
    smtp_security: MailSecurity = MailSecurity.STARTTLS
    smtp_user: str = ""  # empty: ``user``
    auth: MailAuth = MailAuth.PASSWORD
    oauth_provider: str | None = None
    undo_seconds: int = 10


@dataclass(frozen=True)
class MailAccountInfo:
    """An inbox's mailbox settings as the faces see them (never a secret)."""

    id: int
    inbox_id: int
    inbox_name: str
    auth: MailAuth
    oauth_provider: str | None
    imap_host: str
    imap_port: int
    imap_security: MailSecurity
    imap_user: str
    imap_folder: str
    mark_seen: bool
    poll_seconds: int
    smtp_host: str
    smtp_port: int
    smtp_security: MailSecurity
    smtp_user: str
    sender_address: str
    sender_name: str
    undo_seconds: int

    @property
    def imap_secret_key(self) -> str:
        return secret_key("imap", self.imap_user, self.imap_host, self.imap_port)

    @property
    def smtp_secret_key(self) -> str:
        return secret_key("smtp", self.smtp_user, self.smtp_host, self.smtp_port)


def account_info(account: MailAccount) -> MailAccountInfo:
    return MailAccountInfo(
        id=account.id, inbox_id=account.inbox_id, inbox_name=account.inbox.name,
        auth=account.auth, oauth_provider=account.oauth_provider,
        imap_host=account.imap_host, imap_port=account.imap_port,
        imap_security=account.imap_security, imap_user=account.imap_user,
        imap_folder=account.imap_folder, mark_seen=account.mark_seen,
        poll_seconds=account.poll_seconds, smtp_host=account.smtp_host,
        smtp_port=account.smtp_port, smtp_security=account.smtp_security,
        smtp_user=account.smtp_user, sender_address=account.sender_address,
        sender_name=account.sender_name, undo_seconds=account.undo_seconds)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (only there may a connection go unencrypted)."""
    name = host.strip().lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def validated(settings: MailSettings) -> MailSettings:
    """``settings`` trimmed, defaults filled in, or :class:`InvalidInput` with the reason."""
    user = without_nul(settings.user).strip()
    values: dict[str, object] = {"user": user}
    for protocol in ("imap", "smtp"):
        host = without_nul(getattr(settings, f"{protocol}_host")).strip()
        label = protocol.upper()
        if not host or any(c.isspace() for c in host) or len(host) > 255:
            raise InvalidInput(_("The {label} server needs a host name without spaces.").format(
                                   label=label))
        security = MailSecurity(getattr(settings, f"{protocol}_security"))
        if security is MailSecurity.NONE and not is_loopback(host):
            raise InvalidInput(_("An unencrypted {label} connection is allowed only "
                                 "to this computer (localhost); choose TLS or "
                                 "STARTTLS for {host}.").format(label=label, host=host))
        port = getattr(settings, f"{protocol}_port") or DEFAULT_PORTS[(protocol, security)]
        if not 0 < port < 65536:
            raise InvalidInput(_("The {label} port must be between 1 and 65535.").format(
                                   label=label))
        login = without_nul(getattr(settings, f"{protocol}_user")).strip() or user
        if not login:
            raise InvalidInput(_("The {label} server needs a user name.").format(label=label))
        values.update({f"{protocol}_host": host, f"{protocol}_port": port,
                       f"{protocol}_security": security, f"{protocol}_user": login})
    folder = without_nul(settings.imap_folder).strip() or "INBOX"
    if not 10 <= settings.poll_seconds <= 86_400:
        raise InvalidInput(_("The polling interval must be between 10 seconds and one "
                             "day."))
    if not 0 <= settings.undo_seconds <= MAX_UNDO_SECONDS:
        raise InvalidInput(_("The undo-send delay must be between 0 and "
                             "{maximum} seconds.").format(
                               maximum=MAX_UNDO_SECONDS))
    auth = MailAuth(settings.auth)
    if auth is MailAuth.XOAUTH2 and not settings.oauth_provider:
        raise InvalidInput(_("OAuth2 sign-in needs a provider (microsoft or google)."))
    return dataclasses.replace(
        settings, imap_folder=folder, sender_address=clean_email(settings.sender_address),
        sender_name=without_nul(settings.sender_name).strip()[:200], auth=auth,
        **values)  # type: ignore[arg-type]


def connect_inbox(uow: UnitOfWork, inbox_name: str, settings: MailSettings) -> MailAccountInfo:
    """Connect the inbox named ``inbox_name`` to a mailbox (or change its settings). Changing
    the server or folder starts reading that folder afresh (its UID state is forgotten)."""
    clean = validated(settings)
    with uow:
        require(reason_missing_account_access(uow.actor))
        inbox = _inbox_by_name(uow, inbox_name)
        account = uow.session.scalars(
            select(MailAccount).where(MailAccount.inbox_id == inbox.id)).first()
        if account is None:
            account = MailAccount(inbox_id=inbox.id, created_at=uow.now)
            uow.session.add(account)
        elif (account.imap_host, account.imap_user) != (clean.imap_host, clean.imap_user):
            uow.session.execute(delete(MailFolderState).where(
                MailFolderState.account_id == account.id))
        for field in ("auth", "oauth_provider", "imap_host", "imap_port", "imap_security",
                      "imap_user", "imap_folder", "mark_seen", "poll_seconds", "smtp_host",
                      "smtp_port", "smtp_security", "smtp_user", "sender_address",
                      "sender_name", "undo_seconds"):
            setattr(account, field, getattr(clean, field))
        account.updated_at = uow.now
        if inbox.address is None:
            inbox.address = clean.sender_address
        uow.session.flush()
        info = account_info(account)
        uow.commit()
        return info


def disconnect_inbox(uow: UnitOfWork, inbox_name: str) -> None:
    """Forget an inbox's mailbox settings (its secrets are removed by the caller)."""
    with uow:
        require(reason_missing_account_access(uow.actor))
        inbox = _inbox_by_name(uow, inbox_name)
        account = uow.session.scalars(
            select(MailAccount).where(MailAccount.inbox_id == inbox.id)).first()
        if account is None:
            raise NotFound(_("The inbox '{inbox_name}' is not connected to a mailbox.").format(
                               inbox_name=inbox.name))
        uow.session.delete(account)
        uow.commit()


def list_accounts(uow: UnitOfWork) -> list[MailAccountInfo]:
    with uow.read_only():
        uow.actor  # noqa: B018 - any signed-in agent
        return [account_info(a) for a in uow.session.scalars(
            select(MailAccount).order_by(MailAccount.inbox_id))]


def get_account(uow: UnitOfWork, inbox_name: str) -> MailAccountInfo:
    with uow.read_only():
        uow.actor  # noqa: B018
        inbox = _inbox_by_name(uow, inbox_name)
        account = uow.session.scalars(
            select(MailAccount).where(MailAccount.inbox_id == inbox.id)).first()
        if account is None:
            raise NotFound(_("The inbox '{inbox_name}' is not connected to a mailbox; "
                             "connect it first.").format(inbox_name=inbox.name))
        return account_info(account)


def _inbox_by_name(uow: UnitOfWork, name: str) -> Inbox:
    wanted = name.strip()
    inboxes = uow.session.scalars(select(Inbox).order_by(Inbox.id)).all()
    for inbox in inboxes:
        if inbox.name.casefold() == wanted.casefold() or (wanted.isdigit()
                                                          and inbox.id == int(wanted)):
            return inbox
    names = ", ".join(f"'{i.name}'" for i in inboxes) or "none"
    raise NotFound(_("There is no inbox '{wanted}' (inboxes: {names}).").format(
                       wanted=wanted, names=names))
