"""The local files of a drag and drop (mail files dropped on the window or the import dialog)."""

from __future__ import annotations

from PySide6.QtGui import QDragEnterEvent, QDropEvent


def dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
    """The paths of the local files ``event`` carries; empty for anything else."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
