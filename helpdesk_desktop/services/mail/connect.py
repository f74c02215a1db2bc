"""Opening authenticated IMAP and SMTP connections, and testing them.

Every failure comes out as a :class:`MailError` with one sentence: the server name not found
(DNS), the connection refused, no answer, TLS, login, or no such folder.
"""

from __future__ import annotations

import imaplib
import smtplib
import ssl
from dataclasses import dataclass

from helpdesk_desktop.domain.enums import MailAuth, MailSecurity
from helpdesk_desktop.domain.i18n import N_, _
from helpdesk_desktop.domain.sentences import Sentence, sentence
from helpdesk_desktop.services.mail.accounts import MailAccountInfo
from helpdesk_desktop.services.mail.errors import MailError, MailProblem, describe
from helpdesk_desktop.services.mail.secrets import SecretStore
from helpdesk_desktop.services.mail.xoauth2 import XOAuth2Responder, token_source

TIMEOUT = 20.0


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's trusted authorities (or $SSL_CERT_FILE)."""
    return ssl.create_default_context()


def login_secret(account: MailAccountInfo, protocol: str, secrets: SecretStore) -> str:
    """The password (or OAuth2 access token) for ``protocol`` ("imap"/"smtp")."""
    user = account.imap_user if protocol == "imap" else account.smtp_user
    if account.auth is MailAuth.XOAUTH2:
        return token_source(account.oauth_provider, secrets).access_token(user)
    key = account.imap_secret_key if protocol == "imap" else account.smtp_secret_key
    secret = secrets.get(key)
    if secret is None:
        raise MailError(Sentence(MISSING_PASSWORD, {"protocol": protocol.upper(), "user": user}),
                        MailProblem.SECRET)
    return secret


def missing_password(protocol: str, user: str) -> str:
    """The sentence for an account whose password is not stored. It names no command-line
    option: the CLI adds its own hint (see :func:`is_missing_password`)."""
    return _(MISSING_PASSWORD).format(protocol=protocol.upper(), user=user)


MISSING_PASSWORD = N_("No password is stored for the {protocol} account {user}; enter it in "
                      "Settings › Inboxes.")


def is_missing_password(text: str) -> bool:
    """Whether ``text`` (an error, or a report of several) says a password is missing, in
    English or in the current language."""
    prefixes = {MISSING_PASSWORD.split("{", 1)[0], _(MISSING_PASSWORD).split("{", 1)[0]}
    return any(prefix in text for prefix in prefixes)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class ImapSession:
    """A logged-in IMAP connection with its folder selected."""

    imap: imaplib.IMAP4
    uid_validity: int
    exists: int

    def close(self) -> None:
        try:
            self.imap.logout()
        except (imaplib.IMAP4.error, OSError):
            # logout() leaves the socket open when the server is already gone
            try:
                self.imap.shutdown()
            except OSError:
                pass


def open_imap(account: MailAccountInfo, secrets: SecretStore, *, select: bool = True,
              timeout: float = TIMEOUT) -> ImapSession:
    """Connect, secure, log in and select the inbox's folder (read-only unless the inbox marks
    fetched mail as seen)."""
    host, port = account.imap_host, account.imap_port
    secret = login_secret(account, "imap", secrets)
    try:
        if account.imap_security is MailSecurity.TLS:
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(),
                                                    timeout=timeout)
        else:
            imap = imaplib.IMAP4(host, port, timeout=timeout)
            if account.imap_security is MailSecurity.STARTTLS:
                imap.starttls(tls_context())
    except Exception as exc:
        raise describe(exc, "IMAP", host, port) from exc
    try:
        try:
            if account.auth is MailAuth.XOAUTH2:
                imap.authenticate("XOAUTH2", XOAuth2Responder(account.imap_user, secret).imap)
            else:
                imap.login(account.imap_user, secret)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            raise MailError(sentence("The IMAP server {host} refused the login of "
                                     "{imap_user} ({exc}).",
                                     host=host, imap_user=account.imap_user, exc=_imap_text(exc)),
                            MailProblem.LOGIN) from exc
        if not select:
            return ImapSession(imap, 0, 0)
        status, data = imap.select(_quoted(account.imap_folder),
                                   readonly=not account.mark_seen)
        if status != "OK":
            raise MailError(sentence("The folder '{imap_folder}' does not exist on the IMAP "
                                     "server {host} ({data}).",
                                     imap_folder=account.imap_folder, host=host,
                                     data=_imap_text(data)), MailProblem.FOLDER)
        _name, values = imap.response("UIDVALIDITY")
        uid_validity = int(values[0]) if values and values[0] else 0
        exists = int(data[0] or 0) if data and data[0] else 0
        return ImapSession(imap, uid_validity, exists)
    except Exception as exc:
        try:
            imap.shutdown()
        except OSError:
            pass
        raise describe(exc, "IMAP", host, port) from exc


def _imap_text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split()) or "no reason given"


def open_smtp(account: MailAccountInfo, secrets: SecretStore, *,
              timeout: float = TIMEOUT) -> smtplib.SMTP:
    """Connect, secure (TLS or STARTTLS) and log in to the inbox's SMTP server."""
    host, port = account.smtp_host, account.smtp_port
    secret = login_secret(account, "smtp", secrets)
    smtp: smtplib.SMTP | None = None
    try:
        if account.smtp_security is MailSecurity.TLS:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            smtp.ehlo()
            if account.smtp_security is MailSecurity.STARTTLS:
                if not smtp.has_extn("starttls"):
                    raise MailError(sentence("The SMTP server {host}:{port} does not offer "
                                             "STARTTLS; choose TLS or another port.",
                                             host=host, port=port), MailProblem.TLS)
                smtp.starttls(context=tls_context())
                smtp.ehlo()
        if account.auth is MailAuth.XOAUTH2:
            smtp.auth("XOAUTH2", XOAuth2Responder(account.smtp_user, secret).smtp,
                      initial_response_ok=True)
        else:
            smtp.login(account.smtp_user, secret)
        return smtp
    except Exception as exc:
        if smtp is not None:
            try:
                smtp.close()
            except OSError:
                pass
        raise describe(exc, "SMTP", host, port) from exc


@dataclass(frozen=True)
class ConnectionTest:
    """The outcome of "Test connection": ``None`` where a side works, else its sentence."""

    imap_error: str | None
    smtp_error: str | None

    @property
    def ok(self) -> bool:
        return self.imap_error is None and self.smtp_error is None

    def sentence(self) -> str:
        if self.ok:
            return _("Both the IMAP and the SMTP server accepted the connection and the login.")
        return " ".join(e for e in (self.imap_error, self.smtp_error) if e)


def check_connection(account: MailAccountInfo, secrets: SecretStore,
                    timeout: float = TIMEOUT) -> ConnectionTest:
    """Log in to both servers (and select the IMAP folder); say what failed."""
    imap_error = smtp_error = None
    try:
        open_imap(account, secrets, timeout=timeout).close()
    except MailError as exc:
        imap_error = str(exc)
    try:
        smtp = open_smtp(account, secrets, timeout=timeout)
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
    except MailError as exc:
        smtp_error = str(exc)
    return ConnectionTest(imap_error, smtp_error)

