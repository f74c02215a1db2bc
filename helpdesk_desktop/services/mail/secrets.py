"""Passwords and tokens: in the OS keyring, never in the database, QSettings or a log.

Where no keyring backend exists, a secret is kept for this session only (in memory); the
window asks for it once per session and says why (:meth:`SecretStore.keyring_problem`).
``keyring`` (~35 ms with its entry points) is imported when a secret is first used, not when
the program starts.
"""

from __future__ import annotations

import threading

from helpdesk_desktop.domain.i18n import _

SERVICE = "Help Desk Desktop"


def secret_key(protocol: str, user: str, host: str, port: int) -> str:
    """The keyring entry name of one server login, e.g. ``imap://agent@mail.example.com:993``."""
    return f"{protocol}://{user}@{host.lower()}:{port}"


def refresh_token_key(provider: str, user: str) -> str:
    return f"oauth2-refresh://{provider}/{user}"


class SecretStore:
    """The OS keyring, with a session-only fallback when no backend exists."""

    def __init__(self) -> None:
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()
        self._probed: tuple[object, str | None] | None = None  # (backend, problem)

    def keyring_problem(self) -> str | None:
        """Why secrets cannot be kept in the keyring (``None``: they can). Probed once per
        backend: a keyring may take a moment to answer."""
        import keyring
        import keyring.errors

        backend = keyring.get_keyring()
        if self._probed is not None and self._probed[0] is backend:
            return self._probed[1]
        problem: str | None = None
        try:
            keyring.get_password(SERVICE, "probe")
        except keyring.errors.NoKeyringError:
            problem = _("No system keyring is available (install and unlock one, e.g. GNOME "
                        "Keyring or KWallet), so the password is kept only until the program "
                        "closes.")
        except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
            problem = _("The system keyring cannot be used ({error}), so the password is "
                        "kept only until the program closes.").format(error=exc)
        self._probed = (backend, problem)
        return problem

    def get(self, key: str) -> str | None:
        import keyring
        import keyring.errors

        with self._lock:
            if key in self._session:
                return self._session[key]
        try:
            return keyring.get_password(SERVICE, key)
        except (keyring.errors.KeyringError, RuntimeError, OSError):
            return None

    def put(self, key: str, secret: str) -> bool:
        """Keep ``secret``; ``True`` when it went to the keyring, ``False`` when it is kept for
        this session only."""
        import keyring
        import keyring.errors

        try:
            keyring.set_password(SERVICE, key, secret)
        except (keyring.errors.KeyringError, RuntimeError, OSError):
            with self._lock:
                self._session[key] = secret
            return False
        with self._lock:
            self._session.pop(key, None)
        return True

    def remember_for_session(self, key: str, secret: str) -> None:
        """What the user typed when asked (no keyring): kept until the program closes."""
        with self._lock:
            self._session[key] = secret

    def delete(self, key: str) -> None:
        import keyring
        import keyring.errors

        with self._lock:
            self._session.pop(key, None)
        try:
            keyring.delete_password(SERVICE, key)
        except (keyring.errors.KeyringError, RuntimeError, OSError):
            pass


_default = SecretStore()


def default_store() -> SecretStore:
    """The process-wide store (one session = one process)."""
    return _default
