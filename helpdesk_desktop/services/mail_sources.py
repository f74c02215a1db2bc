"""Raw messages out of files and folders: ``.eml`` files, ``.mbox`` mailboxes and Maildirs.

Reading never raises: a file that cannot be read becomes a :class:`MailItem` with an error
sentence instead of bytes, so an import reports it and goes on with the next one.
"""

from __future__ import annotations

import mailbox
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

MAIL_SUFFIXES = (".eml", ".msg822", ".mbox", ".mbx")
MAX_FILE_BYTES = 60 * 1024 * 1024  # a single .eml larger than this is not read into memory
_HEADER_START = re.compile(rb"^(?:From |[!-9;-~]{1,76}:)")


@dataclass(frozen=True)
class MailItem:
    """One message found: ``raw`` bytes, or ``error`` (one sentence) when it could not be read.
    ``source`` is the file, ``file#N`` for the N-th message of an mbox."""

    source: str
    raw: bytes | None
    error: str = ""


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def is_mbox(path: Path) -> bool:
    """An mbox by its suffix, or by the ``From `` line it starts with."""
    if path.suffix.lower() in (".mbox", ".mbx"):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def looks_like_mail(path: Path) -> bool:
    """Whether a file found in a folder (without a mail suffix) starts like a message: a
    header line or an mbox ``From `` line. Pictures and documents beside mail are left out."""
    try:
        with path.open("rb") as handle:
            return bool(_HEADER_START.match(handle.read(80)))
    except OSError:
        return False


def _files(paths: Sequence[str | os.PathLike[str]]) -> Iterator[Path | str]:
    """The mail files and Maildirs under ``paths``, in a stable order (a missing path is
    yielded as its text so that it can be reported)."""
    for entry in paths:
        path = Path(entry)
        if is_maildir(path) or path.is_file():
            yield path
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith("."):
                    continue
                if is_maildir(child) or child.is_dir():
                    yield from _files([child])
                elif child.suffix.lower() in MAIL_SUFFIXES or looks_like_mail(child):
                    yield child
        else:
            yield str(path)


def count_messages(paths: Sequence[str | os.PathLike[str]]) -> int:
    """How many messages :func:`iter_messages` will yield (for a progress bar)."""
    total = 0
    for path in _files(paths):
        if isinstance(path, str):
            total += 1
        elif is_maildir(path):
            total += sum(1 for _ in _maildir_files(path))
        elif is_mbox(path):
            try:
                box = mailbox.mbox(path, create=False)
                total += len(box)
                box.close()
            except Exception:  # noqa: BLE001 - broken input must not escape
                total += 1
        else:
            total += 1
    return total


def iter_messages(paths: Sequence[str | os.PathLike[str]]) -> Iterator[MailItem]:
    """Every message under ``paths``: files, folders (recursively), mboxes and Maildirs."""
    for path in _files(paths):
        if isinstance(path, str):
            yield MailItem(path, None, "No such file or folder.")
        elif is_maildir(path):
            for file in _maildir_files(path):
                yield _read_file(file)
        elif is_mbox(path):
            yield from _mbox_messages(path)
        else:
            yield _read_file(path)


def _maildir_files(path: Path) -> Iterator[Path]:
    for folder in ("new", "cur"):
        for file in sorted((path / folder).iterdir()):
            if file.is_file() and not file.name.startswith("."):
                yield file


def _read_file(path: Path) -> MailItem:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return MailItem(str(path), None,
                            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        return MailItem(str(path), path.read_bytes())
    except OSError as error:
        return MailItem(str(path), None, f"The file could not be read ({error.strerror}).")


def _mbox_messages(path: Path) -> Iterator[MailItem]:
    try:
        box = mailbox.mbox(path, create=False)
        keys = list(box.iterkeys())
    except Exception as error:  # noqa: BLE001 - broken input must not escape
        yield MailItem(str(path), None, f"The mailbox could not be read ({error}).")
        return
    try:
        for number, key in enumerate(keys, 1):
            source = f"{path}#{number}"
            try:
                yield MailItem(source, box.get_bytes(key))
            except Exception as error:  # noqa: BLE001 - broken input must not escape
                yield MailItem(source, None, f"The message could not be read ({error}).")
    finally:
        box.close()
