"""Page images of a PDF and a contact sheet of them, as PNG bytes.

Rendering is PDFium's (pypdfium2), in process. PDFium is not thread-safe: every call into it
holds one lock for this process, so threads take turns and the build's worker processes each
have their own. The PNG bytes depend on the PDF bytes and the arguments alone: Pillow writes no
time or text chunks unless asked, and the compression level is fixed here.

    page_images(pdf, width_px=800) -> [PNG of page 1, PNG of page 2, ...]
    contact_sheet(pages, columns=4) -> one PNG: every page small, in a grid, numbered
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from briefwright.errors import RenderError

if TYPE_CHECKING:  # Pillow and PDFium are imported when something is rendered
    from PIL import Image, ImageFont
    from pypdfium2 import PdfDocument

PAGE_WIDTH_PX = 400  # `brief build --thumbnails`: output/NAME/page-001.png ...
CONTACT_COLUMNS = 4  # and output/NAME.pages.png
MIN_WIDTH_PX = 16
MAX_WIDTH_PX = 4000  # about 340 dpi on A4: more is a poster, not a thumbnail
MAX_PAGES = 2000  # a briefing's PDF; a bigger one is not rendered into thousands of files
PNG_COMPRESSION = 3  # zlib level: fixed, so the same pixels always give the same bytes

SHEET_BACKGROUND = (232, 232, 232)
SHEET_BORDER = (150, 150, 150)
SHEET_LABEL = (60, 60, 60)
SHEET_GAP_PX = 16  # between cells and around the grid
SHEET_LABEL_PX = 18  # the band under each page with its number

_PDFIUM_LOCK = threading.Lock()


def load_renderer() -> None:
    """Import PDFium and Pillow now (a build's worker does, before its first document)."""
    import pypdfium2  # noqa: F401
    from PIL import Image, ImageDraw  # noqa: F401

    _label_font()


class Thumbnails(NamedTuple):
    pages: list[bytes]  # one PNG per page
    sheet: bytes  # the contact sheet, a PNG


def page_images(pdf: bytes, *, width_px: int) -> list[bytes]:
    """Each page of `pdf` as a PNG `width_px` wide (height in proportion), white background,
    in page order. A width out of range is a ValueError; bytes PDFium cannot open, or more
    than MAX_PAGES pages, a RenderError."""
    return [_png(image) for image in _rendered(pdf, width_px)]


def contact_sheet(
    pages: Sequence[bytes], *, columns: int = 4, cell_width_px: int = 200, numbers: bool = True
) -> bytes:
    """One PNG with every page image in `pages` scaled to `cell_width_px` wide, in a grid of
    `columns` (fewer when there are fewer pages), each with a thin border and, with `numbers`,
    its page number under it."""
    return _sheet([_decoded(data) for data in pages], columns, cell_width_px, numbers)


def thumbnails(
    pdf: bytes, *, width_px: int, columns: int = 4, cell_width_px: int = 200
) -> Thumbnails:
    """`page_images` and the `contact_sheet` of them (the same bytes), rendering once and
    decoding nothing: what a build writes."""
    images = _rendered(pdf, width_px)
    pages = [_png(image) for image in images]
    return Thumbnails(pages, _sheet(images, columns, cell_width_px, numbers=True))


def _rendered(pdf: bytes, width_px: int) -> list[Image.Image]:
    """The pages as palette images (what their PNGs hold)."""
    import pypdfium2

    _check_width(width_px)
    with _PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as exc:
            raise RenderError(f"not a PDF that can be rendered: {exc}") from None
        try:
            if len(document) > MAX_PAGES:
                raise RenderError(f"{len(document)} pages; at most {MAX_PAGES} are rendered")
            return [_render_page(document, index, width_px) for index in range(len(document))]
        finally:
            document.close()


def _render_page(document: PdfDocument, index: int, width_px: int) -> Image.Image:
    page = document[index]
    try:
        width, height = page.get_size()
        scale = width_px / width
        bitmap = page.render(
            scale=scale, fill_color=(255, 255, 255, 255), draw_annots=False, rev_byteorder=True
        )
        try:
            image = bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
    finally:
        page.close()
    target = (width_px, max(1, round(height * scale)))
    if image.size != target:  # PDFium rounds the bitmap's sides its own way
        image = image.resize(target, _lanczos())
    return _palette(image)


def _palette(image: Image.Image) -> Image.Image:
    """At most 256 colours, no dithering: a page is text, rules and a few colours, and its
    PNG is then a third the size and three times faster to write than in RGB."""
    from PIL import Image

    return image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def _sheet(images: Sequence[Image.Image], columns: int, cell_width_px: int, numbers: bool) -> bytes:
    from PIL import Image, ImageDraw

    if not images:
        raise ValueError("no pages to put on a contact sheet")
    if columns < 1:
        raise ValueError(f"columns must be at least 1, not {columns}")
    _check_width(cell_width_px)
    cells = [_shrunk(image.convert("RGB"), cell_width_px) for image in images]
    cell_height = max(cell.height for cell in cells)
    label = SHEET_LABEL_PX if numbers else 0
    used_columns = min(columns, len(cells))
    rows = -(-len(cells) // used_columns)
    pitch_x = cell_width_px + 2 + SHEET_GAP_PX  # 2: the border, one pixel each side
    pitch_y = cell_height + 2 + label + SHEET_GAP_PX
    size = (SHEET_GAP_PX + used_columns * pitch_x, SHEET_GAP_PX + rows * pitch_y)
    sheet = Image.new("RGB", size, SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = _label_font()
    for number, cell in enumerate(cells, start=1):
        row, column = divmod(number - 1, used_columns)
        left = SHEET_GAP_PX + column * pitch_x
        top = SHEET_GAP_PX + row * pitch_y
        draw.rectangle(
            (left, top, left + cell.width + 1, top + cell.height + 1), outline=SHEET_BORDER
        )
        sheet.paste(cell, (left + 1, top + 1))
        if numbers:
            centre = (left + 1 + cell_width_px / 2, top + cell.height + 2 + label / 2)
            draw.text(centre, str(number), fill=SHEET_LABEL, font=font, anchor="mm")
    return _png(_palette(sheet))


def _decoded(data: bytes) -> Image.Image:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        if opened.format != "PNG":
            raise ValueError(f"a page image must be a PNG, not {opened.format}")
        return opened.convert("RGB")


def _shrunk(image: Image.Image, width_px: int) -> Image.Image:
    """`image` `width_px` wide: averaged over whole blocks of pixels when the factor is a whole
    number (fast, and as sharp), else resampled."""
    if image.width == width_px:
        return image
    factor, rest = divmod(image.width, width_px)
    if rest == 0:
        return image.reduce(factor)
    height = max(1, round(image.height * width_px / image.width))
    return image.resize((width_px, height), _lanczos(), reducing_gap=2.0)


def _lanczos() -> Image.Resampling:
    from PIL import Image

    return Image.Resampling.LANCZOS


@functools.cache
def _label_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=SHEET_LABEL_PX - 5)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=PNG_COMPRESSION, optimize=False)
    return out.getvalue()


def _check_width(width_px: int) -> None:
    if not MIN_WIDTH_PX <= width_px <= MAX_WIDTH_PX:
        message = f"width must be {MIN_WIDTH_PX} to {MAX_WIDTH_PX} pixels, not {width_px}"
        raise ValueError(message)
