"""Reading the workspace logo (PNG or JPEG) without Qt."""

from __future__ import annotations

import io


def image_size(data: bytes) -> tuple[int, int] | None:
    """The pixel size of an image, or ``None`` when ``data`` is not an image Pillow can read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None
