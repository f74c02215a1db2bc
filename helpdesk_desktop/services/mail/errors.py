"""Network failures of the mail channel, each said in one sentence."""

from __future__ import annotations

import enum
import imaplib
import smtplib
import socket
import ssl

from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.domain.sentences import Sentence, sentence


class MailProblem(enum.StrEnum):
    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    TLS = "tls"
    LOGIN = "login"
    FOLDER = "folder"
    SECRET = "secret"
    PROTOCOL = "protocol"


class MailError(HelpDeskError):
    """A mail server could not be used; ``str(error)`` says why in one sentence."""

    exit_code = 5  # the CLI's status for "the mail server could not be used"

    def __init__(self, message: str | Sentence, problem: MailProblem) -> None:
        super().__init__(message.text() if isinstance(message, Sentence) else message)
        self.problem = problem
        #: The sentence, when it was built as one: what the outbox keeps (msgid + arguments)
        #: so that its reader sees it in their language.
        self.said = message if isinstance(message, Sentence) else None


def describe(exc: BaseException, protocol: str, host: str, port: int) -> MailError:
    """The one-sentence diagnosis of a connection failure (DNS, refused, TLS, timeout, …)."""
    where = f"{host}:{port}"
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, socket.gaierror):
        return MailError(sentence("The {protocol} server name '{host}' was not found (DNS "
                                  "lookup failed); check the host name.",
                                  protocol=protocol, host=host), MailProblem.DNS)
    if isinstance(exc, ConnectionRefusedError):
        return MailError(sentence("The {protocol} server {where} refused the connection; "
                                  "check the host and port, or whether the server is running.",
                                  protocol=protocol, where=where), MailProblem.REFUSED)
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return MailError(sentence("The {protocol} server {where} did not answer in time; "
                                  "check the host, port and network.",
                                  protocol=protocol, where=where), MailProblem.TIMEOUT)
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or "not trusted"
        return MailError(sentence("The TLS certificate of {host} was refused ({reason}).",
                                  host=host, reason=reason),
                         MailProblem.TLS)
    if isinstance(exc, ssl.SSLError):
        reason = exc.reason or str(exc)
        return MailError(sentence("The TLS handshake with {where} failed ({reason}); check "
                                  "the security setting (TLS or STARTTLS) for this port.",
                                  where=where, reason=reason), MailProblem.TLS)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError(sentence("The SMTP server {where} refused the user name or password "
                                  "({smtp_error}).",
                                  where=where, smtp_error=_smtp_text(exc.smtp_error)),
                         MailProblem.LOGIN)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return MailError(sentence("The SMTP server {where} does not offer {exc}.",
                                  where=where, exc=_first_line(str(exc))),
                         MailProblem.PROTOCOL)
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError(sentence("The SMTP server {where} answered {smtp_code} {smtp_error}.",
                                  where=where, smtp_code=exc.smtp_code,
                                  smtp_error=_smtp_text(exc.smtp_error)), MailProblem.PROTOCOL)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return MailError(sentence("The SMTP server {where} closed the connection "
                                  "unexpectedly.", where=where),
                         MailProblem.REFUSED)
    if isinstance(exc, imaplib.IMAP4.abort):
        return MailError(sentence("The IMAP server {where} closed the connection "
                                  "unexpectedly ({exc}).", where=where, exc=_first_line(str(exc))),
                         MailProblem.REFUSED)
    if isinstance(exc, imaplib.IMAP4.error):
        return MailError(sentence("The IMAP server {where} answered: {exc}.",
                                  where=where, exc=_first_line(str(exc))),
                         MailProblem.PROTOCOL)
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc) or type(exc).__name__
        return MailError(sentence("The connection to the {protocol} server {where} failed "
                                  "({text}).", protocol=protocol, where=where, text=text),
                         MailProblem.REFUSED)
    return MailError(sentence("The {protocol} server {where} failed: {exc}.",
                              protocol=protocol, where=where, exc=_first_line(str(exc))),
                     MailProblem.PROTOCOL)


def _smtp_text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return _first_line(text)


def _first_line(text: str) -> str:
    text = text.strip().strip("b'\"")
    return " ".join(text.splitlines()[0].split()) if text else "no reason given"
