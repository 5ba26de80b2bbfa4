"""The HTML document -> PDF with WeasyPrint (imported only here)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import weasyprint

from briefwright import model as m
from briefwright.errors import RenderError
from briefwright.reporter import Reporter
from briefwright.templates import BUILTIN_ROOT, Template
from briefwright.writers.fetcher import BlockedResourceError, ProjectFetcher
from briefwright.writers.html import html_document


def render_pdf(briefing: m.Briefing, template: Template, reporter: Reporter) -> bytes:
    html = html_document(briefing, template, reporter)
    fetcher = ProjectFetcher((*template.folders, BUILTIN_ROOT, template.project_root))
    with _captured_log() as messages:
        try:
            document = weasyprint.HTML(
                string=html, base_url=str(template.folders[0]), url_fetcher=fetcher
            )
            pdf = document.write_pdf()
        except MemoryError:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
            raise RenderError(f"PDF rendering failed: {exc}") from exc
    stylesheet = template.file("style.css")
    if stylesheet.is_relative_to(template.project_root):
        stylesheet = stylesheet.relative_to(template.project_root)
    for blocked in fetcher.blocked:  # reported after rendering: WeasyPrint swallows exceptions
        reporter.warn(blocked, file=stylesheet)
    for message in messages:
        reporter.warn(f"PDF renderer: {message}")
    assert isinstance(pdf, bytes)
    return pdf


@contextmanager
def _captured_log() -> Iterator[list[str]]:
    """WeasyPrint's warnings, kept to be reported with context instead of printed bare."""
    messages: list[str] = []
    logger = logging.getLogger("weasyprint")

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.args, tuple) and any(
                isinstance(arg, BlockedResourceError) for arg in record.args
            ):
                return  # already reported by the fetcher
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
