"""Real mail servers for the tests: Dovecot (IMAP) and aiosmtpd (SMTP), on loopback ports.

Dovecot runs in the foreground (``dovecot -F``) with its own configuration, state and
passwd-file in a temporary folder: no system configuration is read or changed. Its passwd-file
users double as XOAUTH2 accounts (Dovecot checks an XOAUTH2 token against a non-OAuth passdb
as if it were the password), so the XOAUTH2 exchange is tested against the real server.
"""

from __future__ import annotations

import base64
import email
import email.policy
import imaplib
import itertools
import json
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost / 127.0.0.1 (cert, key); trusting the cert
    file (``SSL_CERT_FILE``) makes TLS connections to the test servers verify."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
        check=True, capture_output=True)
    return cert, key


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Dovecot:
    """One Dovecot instance; :meth:`stop`/:meth:`start` simulate a server going away."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.tls_port = free_port()  # implicit TLS (IMAPS); the plain port offers STARTTLS
        self.passwd = root / "passwd"
        self.process: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)
        self._write_config()

    def _write_config(self) -> None:
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        self.cert, key = make_certificate(self.root)
        # Users are written before the start: Dovecot notices a changed passwd-file by its
        # modification time, which two quick additions within one second would not change.
        self.passwd.write_text("".join(
            f"user{n}@example.test:{{PLAIN}}secret::::::\n" for n in range(1, 501))
            + "oauth@example.test:{PLAIN}access-token-1::::::\n")
        # Mail is stored as the dovecot system user (root may not be a mail user).
        if os.geteuid() == 0:
            entry = pwd.getpwnam("dovecot")
            uid, gid = entry.pw_uid, entry.pw_gid
            for folder in ("mail", "home"):
                os.chown(self.root / folder, uid, gid)
            self.root.chmod(0o755)  # (its parent must be reachable too: see conftest)
            user_settings = f"uid={uid} gid={gid}"
            users = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
        else:
            user_settings = f"uid={os.getuid()} gid={os.getgid()}"
            me = pwd.getpwuid(os.getuid()).pw_name
            users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        (self.root / "dovecot.conf").write_text(f"""\
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
mail_location = maildir:{self.root}/mail/%u
first_valid_uid = 0
{users}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = static
  args = {user_settings} home={self.root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_for_port(self.port)
        _wait_for_port(self.tls_port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # The whole process group: Dovecot's master leaves running IMAP sessions alive,
            # and a stopped server must drop its clients too.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the port is free again once Dovecot is gone
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    time.sleep(0.05)
            except OSError:
                return

    def add_user(self) -> str:
        """A fresh mailbox user (password ``secret``) with an empty INBOX."""
        return f"user{next(self._users)}@example.test"

    def imap(self, user: str, password: str = "secret") -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(user, password)
        return connection

    def append(self, user: str, *messages: bytes | EmailMessage, folder: str = "INBOX",
               password: str = "secret") -> None:
        connection = self.imap(user, password)
        try:
            for message in messages:
                raw = message if isinstance(message, bytes) else message.as_bytes(
                    policy=email.policy.SMTP)
                status, data = connection.append(folder, None, None, raw)
                assert status == "OK", data
        finally:
            connection.logout()

    def clear(self, user: str, password: str = "secret") -> None:
        """Empty the user's INBOX (for a mailbox several tests share)."""
        connection = self.imap(user, password)
        try:
            _status, data = connection.select("INBOX")
            if int(data[0] or 0) > 0:
                connection.store("1:*", "+FLAGS", "(\\Deleted)")
                connection.expunge()
        finally:
            connection.logout()

    def flags(self, user: str, password: str = "secret") -> list[bytes]:
        connection = self.imap(user, password)
        try:
            connection.select("INBOX", readonly=True)
            _status, data = connection.uid("FETCH", "1:*", "(FLAGS)")
            return [item for item in data if isinstance(item, bytes)]
        finally:
            connection.logout()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpHandler:
    """Accepts mail from authenticated users; keeps what it received, raw."""

    passwords: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    refuse_data: str | None = None  # e.g. "451 4.3.0 try later"

    def authenticator(self, _server: SMTP, _session: Session, _envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode()
            ok = self.passwords.get(login) == auth_data.password.decode()
            return AuthResult(success=ok, handled=False, auth_data=login if ok else None)
        return AuthResult(success=False, handled=False)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        blob = args[1] if len(args) > 1 else ""
        if not blob:
            answer = await server.challenge_auth("")
            blob = base64.b64encode(answer).decode() if isinstance(answer, bytes) else ""
        fields = dict(part.split("=", 1) for part in base64.b64decode(blob).decode().split(
            "\x01") if "=" in part)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        if user and self.tokens.get(user) == token:
            return AuthResult(success=True, handled=False, auth_data=user)
        error = json.dumps({"status": "401", "schemes": "bearer"}).encode()
        await server.challenge_auth(base64.b64encode(error).decode(), encode_to_b64=False)
        return AuthResult(success=False, handled=False)

    async def handle_MAIL(self, _server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        # AUTH is required (aiosmtpd's own auth_required also demands TLS on loopback).
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, _server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse_data:
            return self.refuse_data
        raw = envelope.original_content or envelope.content or b""
        self.received.append(Received(
            envelope.mail_from or "", list(envelope.rcpt_tos),
            raw if isinstance(raw, bytes) else raw.encode(),
            session.auth_data if isinstance(session.auth_data, str) else None))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a loopback port; MAIL FROM needs AUTH (PLAIN/LOGIN or XOAUTH2). With a
    certificate it offers STARTTLS."""

    def __init__(self, certificate: tuple[Path, Path] | None = None) -> None:
        self.handler = SmtpHandler()
        self.port = free_port()
        self.controller: Controller | None = None
        self.certificate = certificate

    def start(self) -> None:
        tls = None
        if self.certificate is not None:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(*self.certificate)
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, auth_require_tls=False,
            authenticator=self.handler.authenticator, tls_context=tls)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def add_user(self, user: str, password: str = "secret") -> None:
        self.handler.passwords[user] = password
