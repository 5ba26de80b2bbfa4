"""The redline as a PDF: the brief's type and page furniture (its template's stylesheets),
insertions underlined in colour, deletions struck through, under a legend that says since what,
when, by whom and how many sections changed. Rendered by WeasyPrint through the project's
fetcher, as the brief's PDF is."""

from __future__ import annotations

from html import escape

import weasyprint

from briefwright import model as m
from briefwright.errors import RenderError
from briefwright.provenance.redline import (
    DELETE,
    EQUAL,
    INSERT,
    Piece,
    Redline,
    RedParagraph,
    RedSection,
)
from briefwright.templates import BUILTIN_ROOT, Template
from briefwright.writers.fetcher import ProjectFetcher

_TAGS = {"h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6", "li": "li"}
_CLASSES = {
    "ol": "numbered",
    "quote": "quote",
    "code": "code",
    "row": "row",
    "term": "term",
    "note": "note",
}
_KINDS = {
    "added": "Added",
    "removed": "Removed",
    "moved": "Moved here",
    "moved away": "Moved from here",
    "edited": "Edited",
}

REDLINE_CSS = """
:root { --ins: #0b6b2f; --del: #b3261e; }
ins { color: var(--ins); text-decoration: underline; text-decoration-color: var(--ins);
      background: #e7f4ea; }
del { color: var(--del); text-decoration: line-through; background: #fbeaea; }
.legend { border: 0.75pt solid var(--rule); border-left: 4pt solid var(--accent);
          padding: 3mm 4mm; margin: 0 0 8mm; background: var(--zebra); font-size: 9.5pt; }
.legend h1 { font-size: 16pt; margin: 0 0 2mm; border: none; padding: 0; bookmark-level: none; }
.legend p { margin: 0.6mm 0; }
.legend .key ins, .legend .key del { padding: 0 1mm; }
.change { font-size: 7.5pt; letter-spacing: 0.06em; text-transform: uppercase;
          color: var(--muted); margin: 5mm 0 1mm; border-top: 0.5pt dotted var(--rule);
          padding-top: 1mm; }
.change b { color: var(--accent); }
.change.removed b, .change.moved-away b { color: var(--del); }
.change.added b, .change.moved b { color: var(--ins); }
p.quote { margin-left: 8mm; font-style: italic; }
p.code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; white-space: pre-wrap; }
p.row { font-size: 9.5pt; border-bottom: 0.5pt solid var(--rule); margin: 0; padding: 1mm 0; }
p.term { font-weight: bold; margin-bottom: 0; }
p.note { font-size: 8.5pt; }
p.bullet, p.numbered { margin-left: 5mm; text-indent: -4mm; padding-left: 4mm; }
.whole-del { text-decoration: line-through; }
"""


def render_redline_pdf(red: Redline, template: Template, meta: m.BriefingMeta) -> bytes:
    html = redline_html(red, template, meta)
    fetcher = ProjectFetcher((*template.folders, BUILTIN_ROOT, template.project_root))
    try:
        document = weasyprint.HTML(
            string=html, base_url=str(template.folders[0]), url_fetcher=fetcher
        ).render()
        pdf = document.write_pdf(pdf_tags=True, custom_metadata=True)
    except MemoryError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(f"redline PDF rendering failed: {exc}") from exc
    assert isinstance(pdf, bytes)
    return pdf


def redline_html(red: Redline, template: Template, meta: m.BriefingMeta) -> str:
    banner = f"color: {meta.marking_colour}; background-color: {meta.marking_background};"
    page = f"@page {{ @top-center {{ {banner} }} @bottom-center {{ {banner} }} }}"
    marking = escape(meta.marking) if meta.marking else ""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(meta.lang)}"><head><meta charset="utf-8">',
        f"<title>Redline: {escape(red.title)}</title>",
        f'<meta name="author" content="{escape(red.author)}">',
        f'<meta name="dcterms.created" content="{escape(red.date)}">',
        *([f'<meta name="classification" content="{marking}">'] if marking else []),
        f"<style>{template.stylesheet()}\n{REDLINE_CSS}\n{page}</style>",
        "</head><body>",
        '<div class="running" aria-hidden="true">',
        *([f'<p class="running-marking">{marking}</p>'] if marking else []),
        f'<p class="running-title">Redline: {escape(red.title)}</p>',
        f'<p class="running-date">Changes since {escape(red.since)}</p>',
        "</div>",
    ]
    body = [_legend(red), "<main>", *(_section(s) for s in red.sections), "</main>"]
    return "\n".join([*head, *body, "</body></html>"])


def _legend(red: Redline) -> str:
    counts = red.counts()
    told = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no section changed"
    files = red.comparison.files
    also = f"<p>Also changed: {escape(', '.join(files))}.</p>" if files else ""
    return (
        '<section class="legend">'
        f"<h1>Redline: {escape(red.title)}</h1>"
        f"<p><b>{escape(red.unit)}</b>: changes since {escape(red.since)}</p>"
        f"<p>Date {escape(red.date[:10])}; changes by {escape(red.author)}</p>"
        f"<p>Sections: {escape(told)}.</p>{also}"
        '<p class="key">Key: <ins>inserted text</ins> <del>deleted text</del></p>'
        "</section>"
    )


def _section(section: RedSection) -> str:
    label = _KINDS.get(section.kind)
    note = ""
    if label is not None:
        css = section.kind.replace(" ", "-")
        note = (
            f'<p class="change {css}"><b>{label}</b> &middot; {escape(section.section.title)}'
            f" &middot; {escape(section.where)}</p>"
        )
    return note + "\n".join(_paragraph(p) for p in section.paragraphs)


def _paragraph(paragraph: RedParagraph) -> str:
    text = "".join(_piece(piece) for piece in paragraph.pieces)
    tag = _TAGS.get(paragraph.style, "p")
    css = _CLASSES.get(paragraph.style, "")
    if tag == "li":
        tag, css = "p", "bullet"
        text = "&bull; " + text
    attribute = f' class="{css}"' if css else ""
    if tag.startswith("h"):  # the brief's outline is the new one: no bookmark for a deleted one
        attribute += ' style="bookmark-level: none"' if paragraph.mark == DELETE else ""
    return f"<{tag}{attribute}>{text}</{tag}>"


_MARK_TAGS = {"strong": "strong", "emphasis": "em", "strike": "s", "code": "code"}


def _piece(piece: Piece) -> str:
    text = escape(piece.text)
    for mark in piece.marks:  # the brief's formatting, inside the change
        tag = _MARK_TAGS[mark]
        text = f"<{tag}>{text}</{tag}>"
    if piece.kind == EQUAL:
        return text
    tag = "ins" if piece.kind == INSERT else "del"
    return f"<{tag}>{text}</{tag}>"
