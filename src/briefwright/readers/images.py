"""Image files checked before any writer uses them: real, complete, and of a sane size; SVGs
also made safe (readers/svg.py), so every writer embeds the sanitised document."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefwright.readers import svg
from briefwright.readers.files import UnreadableFileError, read_regular

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
SVG_MIME = "image/svg+xml"


@dataclass(frozen=True)
class ImageData:
    data: bytes  # for an SVG, the sanitised document
    mime: str
    width: int  # pixels (CSS pixels for an SVG)
    height: int
    removed: tuple[str, ...] = ()  # what sanitising an SVG took out

    @property
    def is_svg(self) -> bool:
        return self.mime == SVG_MIME


class ImageError(Exception):
    """Why an image cannot be used, in words for the author."""


MISSING_ALT = "has no alt text"
UA_VARIANT = "pdf/ua-1"  # the PDF variant that requires alt text on every image


def missing_alt(what: str, fix: str) -> str:
    """The warning for an image without alt text (an error under pdf/ua-1): what and how."""
    return f"{what} {MISSING_ALT}, which readers who cannot see it need; write {fix}"


def is_missing_alt(message: str) -> bool:
    return f" {MISSING_ALT}, " in message


def load_image(path: Path) -> ImageData:
    """The checked image: readable to the last byte, PNG/JPEG/GIF within the pixel limit, or
    a sanitised SVG."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ImageError(f"cannot be read ({exc.strerror})") from None
    if stat.st_size > MAX_IMAGE_BYTES:
        raise ImageError(f"is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MiB")
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(path: Path, mtime_ns: int, size: int) -> ImageData:
    from PIL import Image as PILImage  # imported only when a source has an image

    try:
        data = read_regular(path, MAX_IMAGE_BYTES)
    except UnreadableFileError as exc:
        raise ImageError(exc.reason) from None
    if svg.sniff(data):
        return _load_svg(data)
    # Pillow's own bomb check, at our limit, refuses oversized images before decoding them.
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as image:
                kind, width, height = image.format, image.width, image.height
                image.load()  # decodes everything: a truncated file fails here
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageError(f"has more than {MAX_PIXELS:,} pixels") from None
    except Exception as exc:  # Pillow raises many kinds for broken files
        raise ImageError(f"is not a readable image ({exc.__class__.__name__})") from None
    if kind not in IMAGE_TYPES:
        raise ImageError(f"is {kind}; use PNG, JPEG, GIF or SVG")
    return ImageData(data, IMAGE_TYPES[kind], width, height)


def _load_svg(data: bytes) -> ImageData:
    try:
        safe = svg.sanitise(data)
    except svg.SvgError as exc:
        raise ImageError(str(exc)) from None
    size = (max(1, round(safe.width)), max(1, round(safe.height)))
    if size[0] * size[1] > MAX_PIXELS:
        raise ImageError(f"is {size[0]} x {size[1]} pixels, more than {MAX_PIXELS:,}")
    return ImageData(safe.data, SVG_MIME, *size, removed=safe.removed)


def removed_note(image: ImageData) -> str | None:
    """What sanitising took out of an SVG, as a warning's text; None when nothing was."""
    if not image.removed:
        return None
    return f"had unsafe parts removed: {', '.join(image.removed)}"
