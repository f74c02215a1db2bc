"""Reading a raw e-mail into plain data, whatever state it arrives in.

The standard library's :mod:`email` (``policy.default``) does the parsing. Real mail is often
broken: malformed MIME, unknown charsets, missing bodies, enormous headers. Every header and
body access here has a fallback, so :func:`parse_mail` either returns a :class:`ParsedMail` or
raises :class:`MailRefused` with one sentence; never anything else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from helpdesk_desktop.domain.sentences import Sentence, sentence

MAX_RAW_BYTES = 50 * 1024 * 1024  # a larger message is refused (and set aside)
MAX_HEADER_CHARS = 8_000  # a longer header value is read from its raw text, cut to this
MAX_ATTACHMENTS_BYTES = 25 * 1024 * 1024  # per message; what does not fit is noted, not kept
MAX_PARTS = 500  # parts walked in one message (a MIME bomb stops here)
# More part headers than this and the message is refused before parsing: the standard parser
# spends seconds per thousand parts (20,000 parts: 10 s), and no real mail has that many.
MAX_PART_HEADERS = 2000
_PART_HEADER = re.compile(rb"^content-type:", re.IGNORECASE | re.MULTILINE)
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,490}>")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
# Subject prefixes mail programs add for replies and forwards, in the languages they are
# commonly met in: English, German (AW, WG), French (TR), Spanish (RV), Nordic (SV, VS),
# Dutch (Antw, Doorst), Polish (Odp, PD), Portuguese (Enc); Italian "R:"/"I:" are left out,
# a one-letter word is too often real.
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|tr|rv|sv|vs|antw|doorst|ref|enc|odp|pd|vb|r[eé]f)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE)
_TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
_RESERVED_WINDOWS = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$",
                               re.IGNORECASE)
_UNSAFE_FILENAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class MailRefused(Exception):
    """A message that cannot be kept; ``said`` is the one-line reason (``str()``: in English,
    as stored)."""

    def __init__(self, said: Sentence) -> None:
        super().__init__(said.english())
        self.said = said


@dataclass(frozen=True)
class MailPart:
    """A file of a message: an attachment, or an inline image (``content_id`` set)."""

    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None


@dataclass(frozen=True)
class ParsedMail:
    """What intake needs of one e-mail."""

    message_id: str | None
    dedupe_key: str  # sha256 of the Message-ID, or of the raw bytes when there is none
    from_name: str
    from_email: str | None  # None: no usable sender address
    to: str
    cc: str
    subject: str
    sent_at: dt.datetime | None
    in_reply_to: str | None
    references: str | None
    text: str
    html: str | None
    parts: tuple[MailPart, ...] = ()
    omitted: tuple[str, ...] = ()  # "name (size)" of files not kept
    automatic: Sentence | None = None  # why this is an auto-reply or a bounce, else None
    headers: dict[str, str] = field(default_factory=dict)


def strip_subject_prefixes(subject: str) -> str:
    """``subject`` without the reply/forward prefixes mail programs stack in front of it
    (``Re:``, ``Fwd:``, ``AW:``, ``TR:``, ``RV:``, ``SV:``, ``Re[2]:``...)."""
    return _SUBJECT_PREFIX.sub("", subject or "").strip()


def ticket_number_in(subject: str) -> int | None:
    """The ticket number of a ``[#123]`` tag in ``subject`` (the last one), or None."""
    found = _TICKET_TAG.findall(subject or "")
    return int(found[-1]) if found else None


def message_ids(*headers: str | None) -> list[str]:
    """The ``<id@host>`` tokens of In-Reply-To / References headers, in order, once each."""
    found: list[str] = []
    for header in headers:
        for token in _MESSAGE_ID.findall(header or ""):
            if token not in found:
                found.append(token)
    return found


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A file name safe to offer in a Save dialog on any system: no directory parts, no
    control or reserved characters, no reserved Windows device name, at most 200 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME_CHARS.sub("_", name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.strip().strip(".").strip()
    if not name or set(name) <= {"_", " ", "."}:
        name = fallback
    if _RESERVED_WINDOWS.match(name):
        name = "_" + name
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: 200 - len(extension) - 1] + "." + extension
        else:
            name = name[:200]
    return name


def parse_mail(raw: bytes) -> ParsedMail:
    """``raw`` as a :class:`ParsedMail`, or :class:`MailRefused` with the reason."""
    if not raw or not raw.strip():
        raise MailRefused(sentence("The message is empty."))
    if len(raw) > MAX_RAW_BYTES:
        raise MailRefused(sentence("The message is larger than {size} MB.",
                                   size=MAX_RAW_BYTES // (1024 * 1024)))
    if len(_PART_HEADER.findall(raw, 0, len(raw))) > MAX_PART_HEADERS:
        raise MailRefused(sentence("The message has more than {count} parts.",
                                   count=MAX_PART_HEADERS))
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:  # noqa: BLE001 - the parser is meant to be lenient; be sure of it
        raise MailRefused(sentence("The message could not be read as e-mail ({error}).",
                                   error=type(error).__name__))
    if not message.keys():
        raise MailRefused(sentence("The message has no headers."))
    from_name, from_email = _sender(message)
    message_id_header = header_text(message, "Message-ID")
    found_ids = message_ids(message_id_header)
    message_id = found_ids[0] if found_ids else None
    key_source = ("id:" + message_id).encode() if message_id else b"raw:" + raw
    text, html, parts, omitted = _bodies(message)
    return ParsedMail(
        message_id=message_id,
        dedupe_key=hashlib.sha256(key_source).hexdigest(),
        from_name=from_name, from_email=from_email,
        to=_addresses(message, "To"), cc=_addresses(message, "Cc"),
        subject=_one_line(header_text(message, "Subject"))[:500],
        sent_at=_date(message),
        in_reply_to=" ".join(message_ids(header_text(message, "In-Reply-To"))) or None,
        references=" ".join(message_ids(header_text(message, "References"))) or None,
        text=text, html=html, parts=tuple(parts), omitted=tuple(omitted),
        automatic=automatic_reason(message),
    )


def header_text(message: Message, name: str) -> str:
    """A header's decoded text ("" when absent or unreadable). A very long header is read
    from its raw text, cut to :data:`MAX_HEADER_CHARS`, instead of by the full parser."""
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    if len(raw) <= MAX_HEADER_CHARS:
        try:
            return str(message[name] or "")
        except Exception:  # noqa: BLE001, S110 - a header the parser chokes on: decoded by hand
            pass
    return _decode_raw(raw[:MAX_HEADER_CHARS])


def _raw_header(message: Message, name: str) -> str | None:
    lowered = name.lower()
    for key, value in message.raw_items():
        if key.lower() == lowered:
            return str(value)
    return None


def _decode_raw(value: str) -> str:
    value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001 - broken input must not escape
        return value


def _one_line(value: str) -> str:
    return " ".join(value.replace("\x00", "").split())


def _sender(message: Message) -> tuple[str, str | None]:
    for name in ("From", "Sender", "Reply-To", "Return-Path"):
        value = header_text(message, name)
        if not value:
            continue
        display, address = parseaddr(value)
        address = address.strip().lower()
        if _EMAIL.match(address) and len(address) <= 320:
            return _one_line(display)[:200], address
    return "", None


def _addresses(message: Message, name: str) -> str:
    value = header_text(message, name)
    if not value:
        return ""
    try:
        pairs = getaddresses([value])
    except Exception:  # noqa: BLE001 - broken input must not escape
        return _one_line(value)[:2000]
    shown = [address for _, address in pairs if address and "@" in address]
    return ", ".join(shown)[:5000]


def _date(message: Message) -> dt.datetime | None:
    value = header_text(message, "Date")
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # RFC 5322 "-0000": the time is UTC, the zone unknown
        when = when.replace(tzinfo=dt.UTC)
    try:
        return when.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def automatic_reason(message: Message) -> Sentence | None:
    """Why ``message`` was sent by a machine (auto-reply, bounce, list traffic), or None."""
    auto_submitted = header_text(message, "Auto-Submitted").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return sentence("Automatic message (Auto-Submitted: {value}).",
                        value=auto_submitted[:40])
    precedence = header_text(message, "Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return sentence("Automatic message (Precedence: {value}).", value=precedence)
    for name in ("X-Autoreply", "X-Autorespond"):
        if header_text(message, name).strip():
            return sentence("Automatic message ({header}).", header=name)
    if header_text(message, "X-Failed-Recipients"):
        return sentence("Delivery failure report (bounce).")
    try:
        content_type = message.get_content_type()
        report_type = str(message.get_param("report-type", "") or "").lower()
    except Exception:  # noqa: BLE001 - broken input must not escape
        return None
    if content_type == "multipart/report" and report_type in ("delivery-status",
                                                              "disposition-notification"):
        return (sentence("Delivery failure report (bounce).")
                if report_type == "delivery-status" else sentence("Read receipt."))
    return None


def _bodies(message: Message) -> tuple[str, str | None, list[MailPart], list[str]]:
    """(text, html, files kept, files not kept) of ``message``."""
    text: str | None = None
    html: str | None = None
    parts: list[MailPart] = []
    omitted: list[str] = []
    budget = MAX_ATTACHMENTS_BYTES
    walked = 0
    try:
        leaves = [part for part in message.walk() if not part.is_multipart()]
    except Exception:  # noqa: BLE001 - too deep or broken a structure: the top part alone
        leaves = [message]
    for part in leaves:
        walked += 1
        if walked > MAX_PARTS:
            omitted.append(f"{len(leaves) - MAX_PARTS} more parts")
            break
        content_type = _content_type(part)
        disposition = _disposition(part)
        filename = _filename(part)
        is_body_text = (content_type in ("text/plain", "text/html") and disposition != "attachment"
                        and not filename)
        if is_body_text:
            decoded = _text_of(part)
            if content_type == "text/plain" and text is None:
                text = decoded
                continue
            if content_type == "text/html" and html is None:
                html = decoded
                continue
        if content_type.startswith("multipart/"):
            continue
        if content_type == "message/rfc822" and not filename:
            filename = "forwarded-message.eml"
        payload = _payload(part)
        if payload is None or (not payload and not filename):
            continue
        content_id = _content_id(part)
        name = safe_filename(filename or _default_name(content_type, len(parts) + 1))
        if len(payload) > budget:
            omitted.append(f"{name} ({_size_text(len(payload))})")
            continue
        budget -= len(payload)
        parts.append(MailPart(filename=name, content_type=content_type[:200], content=payload,
                              content_id=content_id))
    if text is None and html is None:
        text = ""
    return (text or "").replace("\x00", ""), html, parts, omitted


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type().lower()
    except Exception:  # noqa: BLE001 - broken input must not escape
        return "application/octet-stream"


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001 - broken input must not escape
        return ""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - broken input must not escape
        name = ""
    return _one_line(str(name))


def _content_id(part: Message) -> str | None:
    found = message_ids(header_text(part, "Content-ID"))
    return found[0] if found else None


def _payload(part: Message) -> bytes | None:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken input must not escape
        payload = None
    if isinstance(payload, bytes):
        return payload
    if part.get_content_type() == "message/rfc822":
        try:
            return part.as_bytes(policy=policy.SMTP) if isinstance(part, EmailMessage) \
                else bytes(part)
        except Exception:  # noqa: BLE001 - broken input must not escape
            return None
    return None


def _text_of(part: Message) -> str:
    """A text part's content: its declared charset when Python knows it, else UTF-8, else
    Latin-1 (which decodes any byte), with undecodable bytes replaced."""
    payload = _payload(part)
    if payload is None:
        try:
            value = part.get_payload()
        except Exception:  # noqa: BLE001 - broken input must not escape
            return ""
        return value if isinstance(value, str) else ""
    try:
        charset = str(part.get_content_charset() or "")
    except Exception:  # noqa: BLE001 - broken input must not escape
        charset = ""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    try:
        return payload.decode(charset or "utf-8", errors="replace")
    except (LookupError, ValueError):
        return payload.decode("latin-1")


def _default_name(content_type: str, number: int) -> str:
    extension = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                 "text/plain": ".txt", "text/html": ".html", "application/pdf": ".pdf",
                 "message/rfc822": ".eml", "text/calendar": ".ics"}.get(content_type, ".bin")
    return f"part-{number}{extension}"


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"
