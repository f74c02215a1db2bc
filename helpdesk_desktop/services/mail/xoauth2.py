"""SASL XOAUTH2 for IMAP and SMTP, with pluggable token sources.

A :class:`TokenSource` turns a mailbox user into a fresh OAuth2 access token. The providers'
libraries (``msal`` for Microsoft 365, ``google-auth-oauthlib`` for Gmail) are optional
(``pip install helpdesk-desktop[oauth]``) and imported only when such an inbox is used. Their
refresh tokens live in the OS keyring, like passwords.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.services.mail.errors import MailError, MailProblem
from helpdesk_desktop.services.mail.secrets import SecretStore, refresh_token_key


class TokenSource(Protocol):
    """Gives an OAuth2 access token for ``user`` (signing in interactively if it must)."""

    def access_token(self, user: str) -> str: ...


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial client response (before base64)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


class XOAuth2Responder:
    """The IMAP/SMTP authenticator: the XOAUTH2 string first; an empty answer to the error
    challenge a server sends when it refuses the token (so the server ends with NO/535)."""

    def __init__(self, user: str, token: str) -> None:
        self._initial = xoauth2_string(user, token)
        self._sent = False

    def imap(self, _challenge: bytes) -> bytes:
        if self._sent:
            return b""
        self._sent = True
        return self._initial.encode()

    def smtp(self, challenge: bytes | None = None) -> str:
        if challenge is not None and self._sent:
            return ""
        self._sent = True
        return self._initial


class CachedRefreshTokenSource:
    """Shared logic of the provider sources: access tokens cached until shortly before they
    expire, refresh tokens kept in the keyring."""

    provider = "generic"

    def __init__(self, secrets: SecretStore) -> None:
        self.secrets = secrets
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def access_token(self, user: str) -> str:
        with self._lock:
            cached = self._cache.get(user)
            if cached is not None and cached[1] > time.monotonic() + 60:
                return cached[0]
        refresh = self.secrets.get(refresh_token_key(self.provider, user))
        if refresh is None:
            token, new_refresh, lifetime = self.sign_in(user)
        else:
            token, new_refresh, lifetime = self.refresh(user, refresh)
        if new_refresh:
            self.secrets.put(refresh_token_key(self.provider, user), new_refresh)
        with self._lock:
            self._cache[user] = (token, time.monotonic() + lifetime)
        return token

    def refresh(self, user: str, refresh_token: str) -> tuple[str, str | None, float]:
        """(access token, new refresh token or None, lifetime in seconds)."""
        raise NotImplementedError

    def sign_in(self, user: str) -> tuple[str, str | None, float]:
        """Interactive sign-in in the system browser."""
        raise NotImplementedError


def _missing(package: str, extra: str = "oauth") -> MailError:
    """The refusal when an optional sign-in library is not installed."""
    return MailError(_("OAuth2 sign-in needs the optional package '{package}' (pip "
                       "install 'helpdesk-desktop[{extra}]').").format(
                         package=package, extra=extra), MailProblem.SECRET)


class MicrosoftTokenSource(CachedRefreshTokenSource):
    """Microsoft 365 through MSAL (public client, system browser)."""

    provider = "microsoft"
    CLIENT_ID = "9e5f94bc-e8a4-4e73-b8be-63364c29d753"  # Thunderbird's public client id
    SCOPES: ClassVar[list[str]] = ["https://outlook.office.com/IMAP.AccessAsUser.All",
                                   "https://outlook.office.com/SMTP.Send"]

    def _app(self) -> Any:
        try:
            import msal  # optional: only a Microsoft sign-in needs it
        except ImportError:
            raise _missing("msal") from None
        return msal.PublicClientApplication(
            self.CLIENT_ID, authority="https://login.microsoftonline.com/common")

    def refresh(self, user: str, refresh_token: str) -> tuple[str, str | None, float]:
        return self._answer(self._app().acquire_token_by_refresh_token(refresh_token,
                                                                       self.SCOPES))

    def sign_in(self, user: str) -> tuple[str, str | None, float]:
        return self._answer(self._app().acquire_token_interactive(self.SCOPES, login_hint=user))

    @staticmethod
    def _answer(result: dict[str, Any]) -> tuple[str, str | None, float]:
        if "access_token" not in result:
            reason = result.get("error_description") or result.get("error") or "no token"
            raise MailError(_("Microsoft sign-in failed: {reason}").format(
                                reason=str(reason).splitlines()[0]),
                            MailProblem.LOGIN)
        return (result["access_token"], result.get("refresh_token"),
                float(result.get("expires_in", 3600)))


class GoogleTokenSource(CachedRefreshTokenSource):
    """Gmail through Google's installed-app flow (system browser, loopback redirect)."""

    provider = "google"
    SCOPES: ClassVar[list[str]] = ["https://mail.google.com/"]

    def __init__(self, secrets: SecretStore, client_config: dict[str, Any] | None = None) -> None:
        super().__init__(secrets)
        self.client_config = client_config or {}

    def refresh(self, user: str, refresh_token: str) -> tuple[str, str | None, float]:
        try:  # optional: only a Google sign-in needs them
            import google.auth.transport.requests as requests_module
            import google.oauth2.credentials as credentials_module
        except ImportError:
            raise _missing("google-auth") from None
        installed = self.client_config.get("installed", {})
        credentials = credentials_module.Credentials(
            None, refresh_token=refresh_token, token_uri=installed.get(
                "token_uri", "https://oauth2.googleapis.com/token"),
            client_id=installed.get("client_id"), client_secret=installed.get("client_secret"),
            scopes=self.SCOPES)
        credentials.refresh(requests_module.Request())
        return credentials.token, credentials.refresh_token, 3000.0

    def sign_in(self, user: str) -> tuple[str, str | None, float]:
        try:  # optional: only a Google sign-in needs it
            import google_auth_oauthlib.flow as flow_module
        except ImportError:
            raise _missing("google-auth-oauthlib") from None
        if not self.client_config:
            raise MailError(_("Gmail sign-in needs the OAuth client of your Google "
                              "Cloud project (client_secret.json)."), MailProblem.SECRET)
        flow = flow_module.InstalledAppFlow.from_client_config(self.client_config, self.SCOPES)
        credentials = flow.run_local_server(port=0, login_hint=user)
        return credentials.token, credentials.refresh_token, 3000.0


TokenSourceFactory = Callable[[SecretStore], TokenSource]

#: provider name -> factory; tests register a stub here.
TOKEN_SOURCES: dict[str, TokenSourceFactory] = {
    "microsoft": MicrosoftTokenSource,
    "google": GoogleTokenSource,
}
_instances: dict[tuple[str, int, int], TokenSource] = {}


def token_source(provider: str | None, secrets: SecretStore) -> TokenSource:
    """The token source of ``provider`` (one per provider and secret store)."""
    factory = TOKEN_SOURCES.get(provider or "")
    if factory is None:
        known = ", ".join(sorted(TOKEN_SOURCES))
        raise MailError(_("Unknown OAuth2 provider '{provider}' (known: {known}).").format(
                            provider=provider, known=known),
                        MailProblem.SECRET)
    key = (provider or "", id(secrets), id(factory))
    if key not in _instances:
        _instances[key] = factory(secrets)
    return _instances[key]
