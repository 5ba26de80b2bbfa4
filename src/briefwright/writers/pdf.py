"""The HTML document -> PDF with WeasyPrint (imported only here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import weasyprint

from briefwright import model as m
from briefwright.errors import RenderError, Reporter
from briefwright.fonts import tofu_reported_per_script
from briefwright.templates import BUILTIN_ROOT, Template
from briefwright.writers import Rendered
from briefwright.writers.css_warnings import (
    captured,
    readable,
    stylesheet_warnings,
    without_position,
)
from briefwright.writers.fetcher import BlockedResourceError, ProjectFetcher
from briefwright.writers.html import html_document
from briefwright.writers.pdf_footnotes import check_footnotes_fit
from briefwright.writers.pdf_manifest import manifest_attachments, with_summary, xmp_finisher

# WeasyPrint's own complaint about an image without alt text, when it tags the PDF.
ALT_WARNING = "has no required alt description"


def render_pdf(
    briefing: m.Briefing,
    template: Template,
    reporter: Reporter,
    *,
    for_screen: bool = False,
    fonts: Any = None,
) -> Rendered:
    """The briefing's PDF. `for_screen` (brief preview): the same pages, written untagged,
    uncompressed and without a PDF/A or PDF/UA identification, about a third quicker to
    write; never an output.
    `fonts`: a font_configuration() to reuse (one warm process rendering one template again
    and again), which keeps the fonts its @font-face rules loaded."""
    html = html_document(briefing, template, reporter, "pdf")
    fetcher = ProjectFetcher((*template.folders, BUILTIN_ROOT, template.project_root))
    css_warnings = stylesheet_warnings(template.stylesheets(), fetcher, _worth_reporting)
    with captured(_worth_reporting) as messages:
        try:
            html_object = weasyprint.HTML(
                string=html, base_url=str(template.folders[0]), url_fetcher=fetcher
            )
            document = html_object.render(font_config=fonts)
            # Tagged: accessible, and the structure the DOCX parity check reads back.
            # custom_metadata: the <meta name="classification"> banner goes into the PDF's info
            if for_screen:
                pdf = document.write_pdf(uncompressed_pdf=True, custom_metadata=True)
            else:
                # the provenance manifest: an embedded file and an XMP summary (pdf_manifest.py)
                with_summary(document, briefing.meta)
                pdf = document.write_pdf(
                    pdf_variant=briefing.meta.pdf_variant,
                    pdf_tags=True,
                    custom_metadata=True,
                    attachments=manifest_attachments(briefing.meta),
                    finisher=xmp_finisher(briefing.meta),
                )
        except MemoryError:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
            raise RenderError(f"PDF rendering failed: {exc}") from exc
    folder = _shown(template.folders[0], template)
    # Reported after rendering: WeasyPrint swallows exceptions. Once each: the stylesheets
    # were fetched from twice.
    for blocked in dict.fromkeys(fetcher.blocked):
        reporter.warn(blocked, file=folder)
    for warning in css_warnings:
        reporter.warn(
            f"PDF renderer: {readable(warning.message)}",
            file=_shown(warning.file, template),
            line=warning.line,
        )
    said = {warning.message for warning in css_warnings}
    for message in messages:
        if without_position(message) not in said:
            reporter.warn(f"PDF renderer: {readable(message)}")
    check_footnotes_fit(briefing, document)
    _check_page_budget(briefing, document, reporter)
    assert isinstance(pdf, bytes)
    return Rendered(pdf, len(document.pages))


def font_configuration() -> Any:
    """Fonts for render_pdf to keep between documents (brief preview); a template whose files
    changed needs a new one, since fonts loaded by @font-face stay loaded."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


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


def _shown(path: Path, template: Template) -> Path:
    """A template file as the build records name it: project-relative, or builtin:NAME/..."""
    if path.is_relative_to(template.project_root):
        return path.relative_to(template.project_root)
    if path.is_relative_to(BUILTIN_ROOT):
        return Path(f"builtin:{path.relative_to(BUILTIN_ROOT)}")
    return path


def _worth_reporting(message: str) -> bool:
    """WeasyPrint's warnings less those the build reports better in its own words."""
    if BlockedResourceError.__name__ in message:  # the fetcher reported those
        return False
    if ALT_WARNING in message:  # with the whole data: URL; we warned at FILE:LINE
        return False
    return not tofu_reported_per_script(message)  # the build says it once per script
