"""Writing a file the user named (a PDF, an export, a saved attachment) so that nothing is
lost or overwritten by surprise: the content goes to a temporary file beside the target and
is renamed into place only when complete (a full disk or a crash leaves the old file, never
a truncated one), an existing file is replaced only when the caller says so, and a symbolic
link is never written through."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _

T = TypeVar("T")


def check_target(target: Path, *, overwrite: bool) -> None:
    """Refuse a target that is a link, a folder, in a missing folder, or (unless
    ``overwrite``) an existing file."""
    if target.is_symlink():
        raise InvalidInput(_("{target} is a symbolic link; choose another name (links "
                             "are never written through).").format(target=target))
    if target.exists() and not target.is_file():
        raise InvalidInput(_("{target} is not a plain file; choose another name.").format(
                               target=target))
    if target.exists() and not overwrite:
        raise InvalidInput(_("{target} already exists; add --force to replace it.").format(
                               target=target))
    if not target.parent.is_dir():
        raise InvalidInput(_("Cannot write {target}: the folder {parent} does not "
                             "exist.").format(target=target, parent=target.parent))


def write_atomically(target: str | Path, write: Callable[[BinaryIO], T], *,
                     overwrite: bool = False) -> T:
    """Call ``write(file)`` on a temporary file beside ``target`` and rename it into place;
    returns what ``write`` returned. On failure the temporary file is removed and the
    target is as it was."""
    path = Path(target).expanduser()
    check_target(path, overwrite=overwrite)
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".partial")
    except OSError as exc:
        raise InvalidInput(_("Cannot write {path}: {strerror}.").format(
                               path=path, strerror=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "wb") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        check_target(path, overwrite=overwrite)  # it may have appeared meanwhile
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(_("Cannot write {path}: {strerror}; nothing was written "
                             "there.").format(path=path, strerror=exc.strerror or exc)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result
