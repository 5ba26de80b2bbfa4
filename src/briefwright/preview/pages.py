"""Which pages of a new PDF look like a page already shown, so that only the others are made
into images again (writers/thumbnails.py makes them; an edit usually changes a page or two),
and which page each heading is on (the outline scrolls the page images to it).

A page's fingerprint is what PDFium reads from it: its text, and every object drawn with its
kind, place, matrix, colours and (for images) the size of its data. The fingerprint is of the
page alone: the same page moved elsewhere in the document keeps it.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
from typing import Any

# Image objects: their pixels may change where nothing else does.
_IMAGE = 3


def page_fingerprints(pdf: bytes) -> list[str]:
    """One hex digest per page of `pdf`, in page order."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_fingerprint(document[index]) for index in range(len(document))]
    finally:
        document.close()


def anchor_pages(pdf: bytes, anchors: list[str]) -> dict[str, int]:
    """The page (0-based) each anchor of `anchors` is on, from the PDF's named destinations
    (WeasyPrint writes one for every element ID); anchors it lacks are left out."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    document = pypdfium2.PdfDocument(pdf)
    try:
        found: dict[str, int] = {}
        for anchor in anchors:
            destination = pdfium_c.FPDF_GetNamedDestByName(document.raw, anchor.encode())
            if destination:
                index = pdfium_c.FPDFDest_GetDestPageIndex(document.raw, destination)
                if index >= 0:
                    found[anchor] = index
        return found
    finally:
        document.close()


def pages_pdf(pdf: bytes, indices: list[int]) -> bytes:
    """A PDF of only the pages `indices` (0-based) of `pdf`, in that order."""
    import pypdfium2

    source = pypdfium2.PdfDocument(pdf)
    target = pypdfium2.PdfDocument.new()
    try:
        target.import_pages(source, indices)
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()
    finally:
        target.close()
        source.close()


def _fingerprint(page: Any) -> str:
    digest = hashlib.sha256()
    try:
        digest.update(repr(page.get_size()).encode())
        text = page.get_textpage()
        try:
            digest.update(text.get_text_bounded().encode("utf-8", "surrogatepass"))
        finally:
            text.close()
        for item in page.get_objects():
            digest.update(_describe(item).encode())
    finally:
        page.close()
    return digest.hexdigest()


def _describe(item: Any) -> str:
    import pypdfium2.raw as pdfium_c

    bounds = tuple(round(v, 2) for v in item.get_bounds())
    matrix = tuple(round(v, 3) for v in item.get_matrix().get())
    colours = []
    for get in (pdfium_c.FPDFPageObj_GetFillColor, pdfium_c.FPDFPageObj_GetStrokeColor):
        rgba = [ctypes.c_uint() for _ in range(4)]
        get(item.raw, *(ctypes.byref(c) for c in rgba))
        colours.append(tuple(c.value for c in rgba))
    size = pdfium_c.FPDFImageObj_GetImageDataRaw(item.raw, None, 0) if item.type == _IMAGE else 0
    return f"{item.type}{item.level}{bounds}{matrix}{colours}{size};"
