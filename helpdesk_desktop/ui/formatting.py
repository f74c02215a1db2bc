"""Dates, times, numbers and file sizes as the interface's locale writes them (``QLocale``).

The locale is set once at start (:func:`helpdesk_desktop.ui.i18n.install_translations`); PDFs
and the command line use the same CLDR rules through Babel (``transcripts/formats.py``).
Datetimes arrive already converted to the zone they are shown in.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone

_UTC = QTimeZone.utc()


def _qdate(moment: dt.date) -> QDate:
    return QDate(moment.year, moment.month, moment.day)


def _qtime(moment: dt.datetime) -> QTime:
    return QTime(moment.hour, moment.minute)


def date_time(moment: dt.datetime) -> str:
    """``02/03/2026 10:00`` (fr) / ``3/2/26 10:00 AM`` (en_US): the short form."""
    # The moment is already in the zone it is shown in: written as it is, without asking the
    # system's zone (a local QDateTime looks it up for each call: 5× the cost of the rest, and
    # would move a time that falls in the system zone's daylight-saving gap).
    return QLocale().toString(QDateTime(_qdate(moment), _qtime(moment), _UTC),
                              QLocale.FormatType.ShortFormat)


def date_only(moment: dt.date) -> str:
    return QLocale().toString(_qdate(moment), QLocale.FormatType.ShortFormat)


def time_only(moment: dt.datetime) -> str:
    return QLocale().toString(_qtime(moment), QLocale.FormatType.ShortFormat)


def day_and_month(moment: dt.date) -> str:
    """``2 mars`` / ``Mar 2``: a date of the current year."""
    locale = QLocale()
    pattern = "MMM d" if locale.language() == QLocale.Language.English else "d MMM"
    return locale.toString(_qdate(moment), pattern)


def number(value: int) -> str:
    """``2 400`` / ``2,400``."""
    return QLocale().toString(value)


def file_size(size: int) -> str:
    """``193 octets``, ``2,4 Mo`` / ``193 bytes``, ``2.4 MB`` (binary steps, as the PDF)."""
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
