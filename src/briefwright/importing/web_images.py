"""`--fetch-images`: the images an imported web page shows, fetched through the same door as
the page (`url.fetch`: http(s) only, redirects checked, timeout, size limit) and made
`ImportedImage`s the Markdown points to. Nothing is fetched unless this is called.

An image that cannot be fetched, or is not PNG, JPEG, GIF, WebP or SVG by its bytes, keeps its
remote reference (the build shows its alt text) and is one warning; the build checks every
fetched image as it checks any source image (pixels, decoding).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urljoin

from markdown_it import MarkdownIt

from briefwright.errors import BriefwrightError
from briefwright.importing.html_markdown import url_text
from briefwright.importing.model import Imported, ImportedImage
from briefwright.importing.url import fetch
from briefwright.readers.images import MAX_IMAGE_BYTES

MAX_IMAGES = 50  # a page showing more is a gallery: the rest stay references
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def fetch_images(imported: Imported, page_url: str, folder: str) -> Imported:
    """`imported` with its http(s) images fetched into `folder` (e.g. `img/report`, relative
    to the source) as `folder/1.png`, `folder/2.jpg`...; the Markdown points to them."""
    markdown, images, warnings = imported.markdown, list(imported.images), []
    fetched: list[str] = []
    for number, src in enumerate(_image_sources(markdown), start=1):
        address = urljoin(page_url, src)
        if number > MAX_IMAGES:
            warnings.append(f"image '{address}' not fetched: more than {MAX_IMAGES} images")
            continue
        try:
            data, _ = fetch(address, limit=MAX_IMAGE_BYTES)
        except BriefwrightError as err:
            warnings.append(f"image not fetched: {err}")
            continue
        kind = _kind(data)
        if kind is None:
            warnings.append(f"image '{address}' not fetched: not PNG, JPEG, GIF, WebP or SVG")
            continue
        name = f"{folder.rstrip('/')}/{number}.{kind}"
        images.append(ImportedImage(name=name, data=data))
        markdown = markdown.replace(f"]({url_text(src)})", f"]({name})")
        fetched.append(f"image '{src}' ")
    # html.read's "referenced, not fetched" warnings, but for the images now fetched
    kept = [w for w in imported.warnings if not any(w.startswith(f) for f in fetched)]
    return replace(imported, markdown=markdown, images=images, warnings=kept + warnings)


def _image_sources(markdown: str) -> list[str]:
    """The http(s) addresses of the Markdown's images, each once, in order."""
    found: dict[str, None] = {}
    for token in _MD.parse(markdown):
        for child in token.children or []:
            src = child.attrGet("src") if child.type == "image" else None
            if isinstance(src, str) and src.startswith(("http://", "https://")):
                found[src] = None
    return list(found)


def _kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip().lower()
    return "svg" if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head else None
