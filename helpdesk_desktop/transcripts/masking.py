"""Hiding third parties' e-mail addresses and phone numbers in a transcript.

Who is *not* a third party (their details stay visible):

* the customer: every contact associated with the ticket and the contact of each conversation
  printed (a merged ticket can have several), by e-mail address and by phone number;
* the agents: every user of the help desk, by e-mail address;
* the organisation itself: any address at a domain where an agent has an address (so the
  support inbox ``support@example.com`` stays readable when agents are ``…@example.com``).

Everyone else is a third party: people in To/Cc, forwarded senders, and any address or phone
number written inside a message body. Their e-mail addresses become ``[e-mail hidden]`` and their
phone numbers ``[phone hidden]``; names stay, so a reader still knows who wrote.

A phone number is a run of 7 to 15 digits that starts with ``+``, ``00``, ``0`` or ``(``, or
whose digit groups are split by spaces, dots, dashes or brackets. Plain digit runs such as order
numbers (``12345678``), amounts with thousands separators (``1 234 567``) and dates
(``2026-03-02``, ``02/03/2026``) are not phone numbers. Something that starts like a date but
goes on (the French dotted ``06.12.34.56.78``) is a phone number when libphonenumber
(``phonenumbers``) finds it valid in one of the usual regions. Two phone numbers are
the same person's when their last nine digits agree, which ignores ``+33 1`` versus ``01``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_MASK = "[e-mail hidden]"
PHONE_MASK = "[phone hidden]"

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# A candidate phone number: optional +, then digits with separators; checked further in code.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d[\d \t./()\-\u00a0]{5,}\d(?![\w])")
DATE_RE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?!\d)")
_SEPARATED = re.compile(r"\d[ ./()\-\u00a0]+\d")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([ .,\u00a0])\d{3})(?:\1\d{3})*$")


def digits_of(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _phone_key(text: str) -> str:
    return digits_of(text)[-9:]


# Where a number written without its country code is tried (libphonenumber needs a region).
REGIONS = ("FR", "BE", "CH", "LU", "DE", "AT", "NL", "GB", "IE", "ES", "PT", "IT", "US", "CA",
           "AU", "IN", "MA", "DZ", "TN", "IL")


def valid_somewhere(candidate: str) -> bool:
    """Whether libphonenumber reads ``candidate`` as a valid number: with its country code, or
    in one of :data:`REGIONS`."""
    import phonenumbers  # ~4 MB of metadata: only a transcript that masks numbers needs it

    text = candidate.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    regions: tuple[str | None, ...] = (None,) if text.startswith("+") else REGIONS
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def looks_like_phone(candidate: str) -> bool:
    """True when ``candidate`` (a match of :data:`PHONE_RE`) reads as a phone number."""
    candidate = candidate.strip()
    digits = digits_of(candidate)
    if not 7 <= len(digits) <= 15:
        return False
    date = DATE_RE.match(candidate)
    if date is not None:
        # A date, unless more digit groups follow a two-digit year and the whole is a valid
        # number ("06.12.34.56.78"); "02.03.2026 10" is a date and an hour.
        year = re.split(r"[./-]", date.group())[-1]
        return (len(year) == 2 and date.end() < len(candidate)
                and valid_somewhere(candidate))
    if candidate.startswith(("+", "(", "0")):
        return True
    return bool(_SEPARATED.search(candidate)) and not _THOUSANDS.match(candidate)


class ContactMasker:
    """Replaces the e-mail addresses and phone numbers of third parties in any text."""

    def __init__(self, *, known_emails: Iterable[str | None] = (),
                 known_phones: Iterable[str | None] = (), own_domains: Iterable[str] = (),
                 email_mask: str = EMAIL_MASK, phone_mask: str = PHONE_MASK) -> None:
        self.known_emails = {e.strip().lower() for e in known_emails if e and e.strip()}
        self.known_phones = {_phone_key(p) for p in known_phones if p and len(digits_of(p)) >= 7}
        self.own_domains = {d.strip().lower().lstrip("@") for d in own_domains if d.strip()}
        self.email_mask = email_mask
        self.phone_mask = phone_mask

    def is_known_email(self, address: str) -> bool:
        address = address.strip().lower()
        domain = address.rpartition("@")[2]
        return address in self.known_emails or domain in self.own_domains

    def is_known_phone(self, number: str) -> bool:
        return _phone_key(number) in self.known_phones

    def mask(self, text: str) -> str:
        """``text`` with third parties' addresses and phone numbers replaced."""
        if not text:
            return text
        text = EMAIL_RE.sub(
            lambda m: m.group(0) if self.is_known_email(m.group(0)) else self.email_mask, text)

        def phone(match: re.Match[str]) -> str:
            found = match.group(0)
            trailing = len(found) - len(found.rstrip(" ./-()\u00a0\t"))
            core = found[:len(found) - trailing] if trailing else found
            if not looks_like_phone(core) or self.is_known_phone(core):
                return found
            return self.phone_mask + found[len(core):]

        return PHONE_RE.sub(phone, text)


class NoMasking(ContactMasker):
    """The masker used when masking is off: leaves everything as it is."""

    def mask(self, text: str) -> str:
        return text
