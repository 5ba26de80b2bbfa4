"""PDF -> Imported: text in reading order, headings, paragraphs and tables, through pdfplumber
(pdfminer.six); running headers, footers and page numbers removed and listed.

Untrusted input: the bytes are limited before parsing, the page count before reading any page,
and the time a page took is checked after it (pdfminer cannot be interrupted inside a page;
a page that took too long stops the import). An encrypted PDF that needs a password, or bytes
that are not a PDF, are refused with a message that says so.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any, NoReturn

from briefwright.errors import BriefwrightError
from briefwright.importing import pdf_blocks, pdf_layout, pdf_limits
from briefwright.importing.model import Imported, Removed
from briefwright.importing.pdf_meta import metadata_of
from briefwright.readers.files import MAX_INPUT_BYTES, size_text

MAX_PDF_BYTES = MAX_INPUT_BYTES
MAX_PDF_PAGES = 500
MAX_PAGE_SECONDS = 20.0
_HEADER_WINDOW = 1024  # PDF 1.7 (7.5.2) allows bytes before %PDF-; readers accept 1 KiB of them


def read(data: bytes, origin: str) -> Imported:
    """The PDF `data` as Markdown with its title, author and date where the PDF has them."""
    if len(data) > MAX_PDF_BYTES:
        _fail(origin, f"is larger than {size_text(MAX_PDF_BYTES)}; split the PDF")
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        _fail(origin, "is not a PDF (no %PDF- header); give a PDF file")
    if pdf_limits.inflated_size(data) is None:
        limit = size_text(pdf_limits.MAX_INFLATED_BYTES)
        _fail(origin, f"has compressed streams that expand to more than {limit}; refused")
    import pdfplumber  # heavy: only for a PDF

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on damaged files; all mean one thing
        _fail(origin, _open_problem(exc))
    with pdf:
        return _read_open(pdf, origin)


def _read_open(pdf: Any, origin: str) -> Imported:
    try:
        pages = pdf.pages
    except Exception as exc:  # a broken page tree
        _fail(origin, _open_problem(exc))
    if len(pages) > MAX_PDF_PAGES:
        _fail(origin, f"has {len(pages)} pages, more than {MAX_PDF_PAGES}; split the PDF")
    removed: list[Removed] = []
    pieces, heights = [], []
    for number, page in enumerate(pages, start=1):
        started = time.monotonic()
        try:
            pieces.append(_page_pieces(page, number, removed))
        except Exception as exc:  # a damaged content stream: say which page
            _fail(origin, f"page {number} cannot be read ({type(exc).__name__}); is it damaged?")
        heights.append(float(page.height))
        if time.monotonic() - started > MAX_PAGE_SECONDS:
            _fail(origin, f"page {number} took more than {MAX_PAGE_SECONDS:.0f} s to read")
        page.close()  # pdfplumber caches each page's objects: free them as we go
    kept = pdf_layout.remove_margins(pieces, heights, removed)
    body = pdf_blocks.body_size([pdf_layout.Line([p]) for page in kept for p in page])
    lines = [
        line
        for page in kept
        for region in pdf_layout.reading_order(page, min_gap=0.7 * body)
        for line in pdf_layout.lines_of(region)
    ]
    blocks = pdf_blocks.blocks_of(lines, pdf_blocks.vocabulary(lines))
    title, author, date, warnings = metadata_of(pdf)
    heading_title = pdf_blocks.take_title(blocks)
    if not lines:
        warnings.append("no text found: is it a scan? (text in images is not read)")
    return Imported(
        markdown=pdf_blocks.markdown_of(blocks),
        title=heading_title or title,
        author=author,
        date=date,
        removed=removed,
        warnings=warnings,
    )


def _page_pieces(page: Any, number: int, removed: list[Removed]) -> list[pdf_layout.Piece]:
    tables = [t for t in page.find_tables() if _worth_keeping(t.extract())]
    boxes = [t.bbox for t in tables]
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    upright = [w for w in words if w["upright"] and not any(_inside(w, b) for b in boxes)]
    sideways = pdf_layout.sideways_text(
        [c for c in page.chars if not c["upright"] and not any(_inside(c, b) for b in boxes)]
    )
    if sideways:
        # text set sideways runs along the margin (stamps, "printed on" lines) in most PDFs
        removed.append(Removed(sideways, "pdf-rotated-text"))
    pieces = pdf_layout.pieces_of(upright, number)
    for table, (x0, top, x1, bottom) in zip(tables, boxes, strict=True):
        markdown = _table_markdown(table.extract())
        pieces.append(pdf_layout.Piece(number, x0, x1, top, bottom, "", 0.0, 0, 0, table=markdown))
    return pieces


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _worth_keeping(rows: list[list[str | None]]) -> bool:
    """A table of at least 2 rows and 2 columns with at least half its cells filled (ruled
    boxes around a single paragraph are not tables)."""
    cells = [c for row in rows for c in row]
    return (
        len(rows) >= 2
        and max((len(r) for r in rows), default=0) >= 2
        and sum(1 for c in cells if c and c.strip()) >= len(cells) / 2
    )


def _table_markdown(rows: list[list[str | None]]) -> str:
    width = max(len(r) for r in rows)
    text = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(text[0]) + " |", "|" + " --- |" * width]
    lines.extend("| " + " | ".join(row) + " |" for row in text[1:])
    return "\n".join(lines)


def _cell(value: str | None) -> str:
    return pdf_blocks.escape(" ".join((value or "").split())).replace("|", "\\|")


def _open_problem(exc: Exception) -> str:
    names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return "is encrypted and needs a password; save an unprotected copy and import that"
    return f"cannot be read as a PDF ({type(exc).__name__}); is it damaged or truncated?"


def _fail(origin: str, message: str) -> NoReturn:
    raise BriefwrightError(message, file=Path(origin))
