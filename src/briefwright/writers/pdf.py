"""The HTML document -> PDF with WeasyPrint (imported only here)."""

from __future__ import annotations

import weasyprint

from briefwright import model as m
from briefwright.errors import RenderError
from briefwright.reporter import Reporter
from briefwright.templates import Template
from briefwright.writers.html import html_document


def render_pdf(briefing: m.Briefing, template: Template, reporter: Reporter) -> bytes:
    html = html_document(briefing, template, reporter)
    document = weasyprint.HTML(string=html, base_url=str(template.folders[0]))
    try:
        pdf = document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(f"PDF rendering failed: {exc}", file=None) from exc
    assert isinstance(pdf, bytes)
    return pdf
