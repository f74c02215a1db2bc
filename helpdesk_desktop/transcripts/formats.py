"""Dates, numbers and sizes for printed text and the command line, by the CLDR rules of a
locale (Babel): the same rules Qt's ``QLocale`` applies in the window.

``locale`` is a name such as ``fr_FR`` or ``en`` (the UI passes ``QLocale().name()``); an
unknown one falls back to English rather than failing a print.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_datetime_format
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal

from helpdesk_desktop.transcripts.labels import DEFAULT_LOCALE


def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name or DEFAULT_LOCALE)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def format_moment(moment: dt.datetime, locale: str = DEFAULT_LOCALE) -> str:
    """``Mon, Mar 2, 2026, 10:00 AM CET`` / ``lun. 2 mars 2026, 10:00 CET``: weekday, date and
    time in the locale's order, then the zone's abbreviation (times are in the agent's zone)."""
    loc = _locale(locale)
    date = format_skeleton("yMMMEd", moment, locale=loc, fuzzy=True)
    time = babel_time(moment, "short", locale=loc)
    both = str(get_datetime_format("medium", locale=loc)).replace("{1}", date).replace("{0}", time)
    return f"{both} {moment.tzname() or ''}".rstrip()


def format_number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """``2,400`` / ``2 400`` (with the locale's grouping and decimal signs)."""
    return format_decimal(value, locale=_locale(locale))


def format_size(size: int, units: tuple[str, ...] | list[str] = ("bytes", "KB", "MB", "GB"),
                locale: str = DEFAULT_LOCALE) -> str:
    """``193 bytes``, ``2.4 MB`` / ``2,4 Mo``: binary steps, one decimal above bytes."""
    value = float(size)
    loc = _locale(locale)
    for unit in units[:-1]:
        if value < 1024:
            if unit == units[0]:
                return f"{format_decimal(int(value), locale=loc)} {unit}"
            return f"{format_decimal(value, format='#,##0.0', locale=loc)} {unit}"
        value /= 1024
    return f"{format_decimal(value, format='#,##0.0', locale=loc)} {units[-1]}"
