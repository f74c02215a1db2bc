"""The language of the sentences built below the window: refusals, results, CLI output.

Standard-library :mod:`gettext`, no Qt (the domain never imports it). The window's own texts are
translated by Qt (``helpdesk_<lang>.qm``); everything the services, the application facade and
the command line say goes through :func:`_` and :func:`ngettext` here, with *named* placeholders
so that a translation may put them in any order::

    raise NotFound(_("Ticket #{number} does not exist or you cannot see it.").format(number=n))
    ngettext("Deleted {count} ticket.", "Deleted {count} tickets.", n).format(count=n)

A sentence is translated when it is built, in the language chosen by :func:`set_language`: the
window calls it with the language of its Qt translator, the command line with
:func:`language_from_environment`. The catalogue is ``assets/translations/messages_<lang>.mo``,
compiled from ``resources/translations/messages_<lang>.po`` by ``packaging/update_messages.py``;
a language without one speaks English (the source texts). Log lines, identifiers and ``--json``
output are never translated.
"""

from __future__ import annotations

import gettext
import os
from importlib.resources import files

DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
#: Languages with a catalogue (English is the source and needs none).
LANGUAGES: tuple[str, ...] = ("en", "fr")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def _catalogue(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    resource = files("helpdesk_desktop") / "assets" / "translations" / f"{DOMAIN}_{language}.mo"
    try:
        with resource.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    except (FileNotFoundError, OSError):
        return gettext.NullTranslations()


def normalize(code: str) -> str:
    """``fr_FR.UTF-8``, ``fr-CA``, ``FR`` → ``fr``; anything the program does not speak → ``en``."""
    language = code.strip().replace("-", "_").split(".", 1)[0].split("@", 1)[0]
    language = language.split("_", 1)[0].lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def set_language(code: str) -> str:
    """Speak ``code`` (a language or locale name) from now on; returns the language chosen."""
    global _translations, _language
    _language = normalize(code)
    _translations = _catalogue(_language)
    return _language


def current_language() -> str:
    return _language


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the environment asks for, read as gettext does: the first set variable of
    ``LANGUAGE`` (a colon-separated list of preferences), ``LC_ALL``, ``LC_MESSAGES``, ``LANG``.
    The first language of that list that the program speaks wins; ``C``/``POSIX`` mean English."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if not value:
            continue
        for code in value.split(":"):
            name = code.strip().split(".", 1)[0]
            if not name or name in ("C", "POSIX"):
                continue
            language = name.replace("-", "_").split("_", 1)[0].lower()
            if language in LANGUAGES:
                return language
        return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` for ``count`` in the current language (French says
    "0 ticket", "1 ticket", "2 tickets"; English "0 tickets")."""
    return _translations.ngettext(singular, plural, count)


def number(value: float, decimals: int = 0) -> str:
    """``value`` as the current language writes it: ``12,500`` / ``12\u202f500``, ``2.5`` /
    ``2,5`` with ``decimals=1`` (the CLDR rules, through Babel, as ``QLocale`` does in the
    window). Pass it to a ``{count}`` placeholder; never write ``{count:,}`` or ``{s:.1f}``,
    which write numbers the English way in every language."""
    from babel.numbers import format_decimal  # only when a sentence needs it: a quick start

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_language)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (it is translated with
    :func:`_` where it is shown, e.g. a table of sentences built at import time)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for the catalogue without translating it now (translated
    with :func:`ngettext` where it is used, e.g. by argparse)."""
    return singular, plural
