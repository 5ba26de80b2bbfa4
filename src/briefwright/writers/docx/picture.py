"""Pictures: raster images as they are; an SVG as its (sanitised) SVG part, which Word 2016 and
later draw, with a PNG rendering of it as the fallback every other reader shows."""

from __future__ import annotations

import io

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Length

from briefwright.readers.images import SVG_MIME, ImageData, ImageError
from briefwright.writers.docx import oxml

FALLBACK_SCALE = 2  # the PNG at twice the SVG's CSS size: sharp at 192 dpi


def add_picture(
    document: Document,
    image: ImageData,
    *,
    width: Length | None = None,
    height: Length | None = None,
    alt: str = "",
) -> None:
    """A picture paragraph at the end of the body, `width` or `height` given (the other in
    proportion); raises ImageError for an SVG that cannot be drawn."""
    data = svg_fallback_png(image) if image.is_svg else image.data
    document.add_picture(io.BytesIO(data), width=width, height=height)
    body = document.element.body
    if image.is_svg:
        part = Part(_svg_partname(document), SVG_MIME, image.data, document.part.package)
        oxml.add_svg_blip(body, document.part.relate_to(part, RELATIONSHIP_TYPE.IMAGE))
    if alt:
        oxml.describe_last_picture(body, alt)


def svg_fallback_png(image: ImageData) -> bytes:
    """The SVG drawn to PNG by CairoSVG, which fetches nothing (its safe mode: data: URLs only,
    no entities) and is given the sanitised document anyway."""
    import cairosvg  # only when a brief has an SVG

    try:
        png = cairosvg.svg2png(
            bytestring=image.data,
            output_width=image.width * FALLBACK_SCALE,
            output_height=image.height * FALLBACK_SCALE,
            unsafe=False,
        )
    except Exception as exc:  # CairoSVG raises many kinds for drawings it cannot handle
        raise ImageError(f"could not be drawn for DOCX ({exc.__class__.__name__})") from None
    assert isinstance(png, bytes)
    return png


def _svg_partname(document: Document) -> PackURI:
    partname: PackURI = document.part.package.next_partname("/word/media/image%d.svg")
    return partname
