"""The HTML document -> PDF with WeasyPrint (imported only here)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import weasyprint

from briefwright import model as m
from briefwright.errors import RenderError, Reporter
from briefwright.fonts import tofu_reported_per_script
from briefwright.templates import BUILTIN_ROOT, Template
from briefwright.writers import Rendered
from briefwright.writers.fetcher import BlockedResourceError, ProjectFetcher
from briefwright.writers.html import html_document

# WeasyPrint's own complaint about an image without alt text, when it tags the PDF.
ALT_WARNING = "has no required alt description"


def render_pdf(briefing: m.Briefing, template: Template, reporter: Reporter) -> Rendered:
    html = html_document(briefing, template, reporter)
    fetcher = ProjectFetcher((*template.folders, BUILTIN_ROOT, template.project_root))
    with _captured_log() as messages:
        try:
            html_object = weasyprint.HTML(
                string=html, base_url=str(template.folders[0]), url_fetcher=fetcher
            )
            document = html_object.render()
            # Tagged: accessible, and the structure the DOCX parity check reads back.
            # custom_metadata: the <meta name="classification"> banner goes into the PDF's info
            pdf = document.write_pdf(
                pdf_variant=briefing.meta.pdf_variant, pdf_tags=True, custom_metadata=True
            )
        except MemoryError:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
            raise RenderError(f"PDF rendering failed: {exc}") from exc
    folder = template.folders[0]
    if folder.is_relative_to(template.project_root):
        folder = folder.relative_to(template.project_root)
    elif folder.is_relative_to(BUILTIN_ROOT):  # named as the build records name it
        folder = Path(f"builtin:{folder.relative_to(BUILTIN_ROOT)}")
    for blocked in fetcher.blocked:  # reported after rendering: WeasyPrint swallows exceptions
        reporter.warn(blocked, file=folder)
    for message in messages:
        reporter.warn(f"PDF renderer: {message}")
    _check_page_budget(briefing, document, reporter)
    assert isinstance(pdf, bytes)
    return Rendered(pdf, len(document.pages))


def _check_page_budget(briefing: m.Briefing, document: Any, reporter: Reporter) -> None:
    """Warn (fail with --strict, before anything is written) when the PDF is over max_pages."""
    budget = briefing.meta.max_pages
    pages = len(document.pages)
    if budget is None or pages <= budget:
        return
    starts = _heading_pages(briefing, document)
    crossing = [title for title, page in starts if page <= budget]
    where = f"; '{crossing[-1]}' runs past page {budget}" if crossing else ""
    reporter.warn(
        f"the PDF has {pages} pages, more than max_pages: {budget}{where}",
        file=briefing.meta.file,
    )


def _heading_pages(briefing: m.Briefing, document: Any) -> list[tuple[str, int]]:
    """Each heading's title and the page (1-based) it starts on, in document order."""
    first_page: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    headings = [h for h in briefing.headings if h.id in first_page]
    return [(m.plain_text(h.children), first_page[h.id]) for h in headings]


@contextmanager
def _captured_log() -> Iterator[list[str]]:
    """WeasyPrint's warnings, kept to be reported with context instead of printed bare."""
    messages: list[str] = []
    logger = logging.getLogger("weasyprint")

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if BlockedResourceError.__name__ in message:  # the fetcher reported those
                return
            if ALT_WARNING in message:  # with the whole data: URL; we warned at FILE:LINE
                return
            if not tofu_reported_per_script(message):  # the build says it once per script
                messages.append(message)

    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
