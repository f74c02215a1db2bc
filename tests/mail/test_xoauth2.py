"""SASL XOAUTH2 against the real servers, and the token source's keyring handling."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import MailAuth
from helpdesk_desktop.services.mail import xoauth2
from helpdesk_desktop.services.mail.errors import MailError
from helpdesk_desktop.services.mail.secrets import SecretStore, refresh_token_key
from helpdesk_desktop.services.mail.xoauth2 import CachedRefreshTokenSource, xoauth2_string
from tests.factories import Workspace
from tests.mail.conftest import MemoryKeyring, local_settings
from tests.mail.servers import Dovecot, SmtpServer
from tests.mail.test_fetch import mail

OAUTH_USER = "oauth@example.test"  # its Dovecot passwd-file "password" is the token


class StubProvider(CachedRefreshTokenSource):
    """A provider whose sign-in and refresh answer from a script instead of a browser."""

    provider = "stub"
    token = "access-token-1"

    def __init__(self, secrets: SecretStore) -> None:
        super().__init__(secrets)
        self.calls: list[str] = []

    def sign_in(self, user: str) -> tuple[str, str | None, float]:
        self.calls.append(f"sign-in {user}")
        return self.token, "refresh-1", 3600.0

    def refresh(self, user: str, refresh_token: str) -> tuple[str, str | None, float]:
        self.calls.append(f"refresh {refresh_token}")
        return self.token, "refresh-2", 3600.0


@pytest.fixture
def stub_provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[StubProvider]]:
    monkeypatch.setitem(xoauth2.TOKEN_SOURCES, "stub", StubProvider)
    monkeypatch.setattr(xoauth2, "_instances", {})
    yield StubProvider
    StubProvider.token = "access-token-1"


def test_xoauth2_string_is_the_documented_format() -> None:
    assert xoauth2_string("a@b.c", "tok") == "user=a@b.c\x01auth=Bearer tok\x01\x01"


def test_xoauth2_login_to_dovecot_and_aiosmtpd(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer,
        stub_provider: type[StubProvider], memory_keyring: MemoryKeyring) -> None:
    smtp.handler.tokens[OAUTH_USER] = "access-token-1"
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, smtp, OAUTH_USER, auth=MailAuth.XOAUTH2, oauth_provider="stub"))
    assert desk.test_inbox("Help Desk").ok
    running_dovecot.clear(OAUTH_USER, password="access-token-1")  # shared by both back-ends
    running_dovecot.append(OAUTH_USER, mail(1), password="access-token-1")
    [fetched] = desk.fetch_inbox("Help Desk").messages
    desk.reply(fetched.delivery.ticket_id or 0, "Signed in with OAuth2.")
    assert desk.flush_outbox().sent
    assert smtp.handler.received[-1].login == OAUTH_USER
    # the refresh token went to the keyring, never the database
    assert memory_keyring.entries[("Help Desk Desktop", refresh_token_key("stub", OAUTH_USER))
                                  ] == "refresh-1"


def test_a_refused_token_is_a_login_sentence(
        ws: Workspace, running_dovecot: Dovecot, smtp: SmtpServer,
        stub_provider: type[StubProvider]) -> None:
    stub_provider.token = "expired-token"
    desk = ws.desk("admin")
    desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, smtp, OAUTH_USER, auth=MailAuth.XOAUTH2, oauth_provider="stub"))
    result = desk.test_inbox("Help Desk")
    assert result.imap_error and "refused the login of oauth@example.test" in result.imap_error
    assert result.smtp_error and "refused the user name or password" in result.smtp_error
    running_dovecot.stop()  # forget Dovecot's auth penalty for the next tests


def test_token_source_signs_in_once_then_refreshes_from_the_keyring() -> None:
    store = SecretStore()
    source = StubProvider(store)
    assert source.access_token("u@x.test") == "access-token-1"
    assert source.access_token("u@x.test") == "access-token-1"  # cached
    assert source.calls == ["sign-in u@x.test"]
    later = StubProvider(store)  # next program start: the refresh token is in the keyring
    later.access_token("u@x.test")
    assert later.calls == ["refresh refresh-1"]
    assert store.get(refresh_token_key("stub", "u@x.test")) == "refresh-2"


def test_unknown_provider_and_missing_library_are_sentences(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MailError, match="Unknown OAuth2 provider 'nope'"):
        xoauth2.token_source("nope", SecretStore())
    monkeypatch.setitem(sys.modules, "msal", None)  # "import msal" now raises ImportError
    source = xoauth2.MicrosoftTokenSource(SecretStore())
    with pytest.raises(MailError, match=r"optional package 'msal'"):
        source.access_token("someone@contoso.example")


def test_desk_needs_no_password_for_oauth(ws: Workspace, running_dovecot: Dovecot,
                                          smtp: SmtpServer) -> None:
    desk: Desk = ws.desk("admin")
    info, _ = desk.connect_inbox("Help Desk", local_settings(
        running_dovecot, smtp, OAUTH_USER, auth=MailAuth.XOAUTH2, oauth_provider="google"))
    assert not desk.needs_password(info)
