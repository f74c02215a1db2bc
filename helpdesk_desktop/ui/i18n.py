"""The interface language: chosen at start from the preference or the system, loaded once.

The program's catalogue (``helpdesk_<lang>.qm``, compiled from ``resources/translations``) and
Qt's own ``qtbase_<lang>.qm`` (standard buttons, file, print and colour dialogs) are installed
on the application before any window exists. English needs a catalogue too: it holds only the
plural forms (``tr("%n tickets", "", n)`` → "1 ticket"). A change of language in Preferences takes
effect at the next start, when every window is built in it.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from helpdesk_desktop.domain.i18n import set_language
from helpdesk_desktop.resources import TRANSLATIONS

#: Languages the program speaks, in the order Preferences offers them.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"
#: Application-wide (not per user): the language is chosen before anyone signs in.
LANGUAGE_KEY = "interface/language"


def preferred_language(settings: QSettings | None = None) -> str:
    """The saved choice (a code of :data:`LANGUAGES`), or "" to follow the system."""
    value = (settings or QSettings()).value(LANGUAGE_KEY, "")
    return value if isinstance(value, str) and value in LANGUAGES else ""


def save_language(language: str, settings: QSettings | None = None) -> None:
    """Remember ``language`` ("" = follow the system) for the next start."""
    (settings or QSettings()).setValue(LANGUAGE_KEY, language if language in LANGUAGES else "")


def system_language(locale: QLocale | None = None) -> str:
    """The first of the system's preferred interface languages that the program speaks."""
    locale = locale or QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-", 1)[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def effective_language(preference: str = "", locale: QLocale | None = None) -> str:
    return preference if preference in LANGUAGES else system_language(locale)


def formatting_locale(language: str, system: QLocale | None = None) -> QLocale:
    """The locale for dates and numbers: the system's own when it speaks ``language`` (a Swiss
    or Canadian French system keeps its formats), else the language's main locale."""
    system = system or QLocale.system()
    if QLocale.languageToCode(system.language()) == language:
        return system
    return QLocale(language)


def install_translations(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the program's and Qt's catalogues for ``language``; returns the translators
    (the caller keeps them alive). A missing catalogue leaves the English source texts.

    The sentences built below the window (refusals and results of the services, which cannot
    use Qt) switch to the same language through gettext (:mod:`helpdesk_desktop.domain.i18n`)."""
    set_language(language)
    installed: list[QTranslator] = []
    candidates = [(str(TRANSLATIONS), f"helpdesk_{language}")]
    if language != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        candidates.append((qt_dir, f"qtbase_{language}"))
    for folder, name in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    QLocale.setDefault(formatting_locale(language))
    return installed


def babel_locale() -> str:
    """The formatting locale of the running interface, as Babel names it (``fr_FR``)."""
    return QLocale().name()
