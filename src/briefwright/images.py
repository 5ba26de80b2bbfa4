"""Image files checked before any writer uses them: real, complete, and of a sane size."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


@dataclass(frozen=True)
class ImageData:
    data: bytes
    mime: str
    width: int
    height: int


class ImageError(Exception):
    """Why an image cannot be used, in words for the author."""


def load_image(path: Path) -> ImageData:
    from PIL import Image as PILImage  # Pillow comes with WeasyPrint; only writers call this

    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise ImageError(f"is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MiB")
    data = path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as image:
                kind, width, height = image.format, image.width, image.height
                if width * height > MAX_PIXELS:
                    raise ImageError(f"has {width}x{height} pixels (limit {MAX_PIXELS:,})")
                image.load()  # decodes everything: a truncated file fails here
    except ImageError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken files
        raise ImageError(f"is not a readable image ({exc.__class__.__name__})") from None
    if kind not in FORMATS:
        raise ImageError(f"is {kind}; use PNG, JPEG or GIF")
    return ImageData(data, FORMATS[kind], width, height)
