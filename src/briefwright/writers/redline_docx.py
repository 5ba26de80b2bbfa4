"""The redline as a DOCX of real Word tracked changes (w:ins, w:del with w:delText, and a moved
section as a move: w:moveFrom and w:moveTo), each with its author and date, so a reviewer
accepts or rejects them in Word or LibreOffice as usual.

It starts from the template's reference document, as the brief's DOCX does, so it has the
brief's styles. The tracked-change XML is built here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from briefwright import model as m
from briefwright.provenance.redline import (
    DELETE,
    EQUAL,
    INSERT,
    Piece,
    Redline,
    RedParagraph,
    RedSection,
)
from briefwright.templates import Template
from briefwright.writers.docx import oxml
from briefwright.writers.docx.front import headers_and_footers, page_setup
from briefwright.writers.docx.package import open_reference, package_bytes, set_custom_properties

Element = oxml.Element

# the manifest's paragraph styles as the reference document's paragraph styles
STYLES = {
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "h4": "Heading 4",
    "h5": "Heading 5",
    "h6": "Heading 6",
    "p": "Normal",
    "li": "List Bullet",
    "ol": "List",  # its number is in its text
    "quote": "Quote",
    "code": "Source Code",
    "row": "Normal",
    "term": "Normal",
    "note": "Footnote Text",
}
_MOVES = {"moved away": "moveFrom", "moved": "moveTo"}  # a moved section at either place


def render_redline_docx(red: Redline, template: Template, meta: m.BriefingMeta) -> bytes:
    """`meta`: the brief's now, for its page set-up and its marking on every page (a redline
    of a marked brief is handled as the brief is)."""
    document = open_reference(template)
    page_setup(document.sections[0], meta)
    titled = dataclasses.replace(meta, title=f"Redline: {red.title}", short_title="")
    headers_and_footers(document, titled)
    set_custom_properties(document, [("Classification", meta.marking)] if meta.marking else [])
    writer = _Writer(document, red)
    writer.legend()
    for section in red.sections:
        writer.section(section)
    _set_properties(document, red)
    return package_bytes(document)


class _Writer:
    def __init__(self, document: Document, red: Redline):
        self.document = document
        self.red = red
        self.ids = itertools.count(1)  # w:id of each change, unique in the document
        self.style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def legend(self) -> None:
        """What the redline compares, above the brief: untracked, it is not part of either."""
        red = self.red
        counts = red.counts()
        told = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no changes"
        self._plain("Title", f"Redline: {red.title}")
        self._plain("Cover Detail", f"{red.unit}, changes since {red.since}")
        self._plain("Cover Detail", f"Sections: {told}. Tracked changes by {red.author}.")
        if red.comparison.files:
            self._plain("Cover Detail", "Also changed: " + ", ".join(red.comparison.files) + ".")

    def _plain(self, style: str, text: str) -> None:
        p = oxml.styled_paragraph(self.style_id(style))
        if text:
            oxml.text_run(p, text, oxml.PLAIN)
        oxml.append_block(self.document.element.body, p)

    def section(self, section: RedSection) -> None:
        """A section's paragraphs; a moved one's, at either place, as a Word move (w:moveFrom
        where it was, w:moveTo where it is, both ranges named after the section), which Word
        and LibreOffice show, accept and reject as one move."""
        move = _MOVES.get(section.kind)
        paragraphs = [self.paragraph(p, move) for p in section.paragraphs]
        if move is None or not paragraphs:
            return
        name = "move" + hashlib.sha256(section.section.key.encode()).hexdigest()[:12]
        range_id = str(next(self.ids))
        start = self._tracked(f"w:{move}RangeStart", {qn("w:name"): name}, range_id)
        paragraphs[0].insert(1, start)  # after w:pPr
        paragraphs[-1].append(OxmlElement(f"w:{move}RangeEnd", {qn("w:id"): range_id}))

    def paragraph(self, paragraph: RedParagraph, move: str | None = None) -> Element:
        p = oxml.styled_paragraph(self.style_id(STYLES.get(paragraph.style, "Normal")))
        if paragraph.mark in (INSERT, DELETE):
            _mark_paragraph(p, self._change(paragraph.mark, move))
        for piece in paragraph.pieces:
            if piece.kind == EQUAL:
                self._run(p, piece)
            else:
                change = self._change(piece.kind, move)
                self._run(change, piece, deleted=piece.kind == DELETE and move is None)
                p.append(change)
        oxml.append_block(self.document.element.body, p)
        return p

    def _run(self, parent: Element, piece: Piece, deleted: bool = False) -> None:
        """A run of the piece's text in its formatting (code in the brief's Inline Code
        style), appended to `parent`: w:delText when it is deleted (Word shows w:t inside
        w:del as corrupt)."""
        marks = set(piece.marks)
        fmt = oxml.Format(
            bold="strong" in marks, italic="emphasis" in marks, strike="strike" in marks
        )
        style = self.style_id("Inline Code") if "code" in marks else None
        run = oxml.text_run(parent, piece.text, fmt, style)
        text = run.find(qn("w:t"))
        if text is not None:
            text.set(qn("xml:space"), "preserve")
            if deleted:
                text.tag = qn("w:delText")

    def _change(self, kind: str, move: str | None = None) -> Element:
        """An empty w:ins or w:del (in a moved section: w:moveTo or w:moveFrom) with its id,
        author and date."""
        tag = f"w:{move}" if move else ("w:ins" if kind == INSERT else "w:del")
        return self._tracked(tag, {}, str(next(self.ids)))

    def _tracked(self, tag: str, extra: dict[str, str], change_id: str) -> Element:
        attributes = {
            qn("w:id"): change_id,
            qn("w:author"): self.red.author,
            qn("w:date"): self.red.date,
            **extra,
        }
        return OxmlElement(tag, attributes)


def _mark_paragraph(p: Element, change: Element) -> None:
    """The paragraph mark itself inserted or deleted (w:pPr/w:rPr/w:ins|w:del): accepting a
    deleted paragraph removes it whole, rejecting an inserted one too. w:rPr is the last child
    of w:pPr but for w:sectPr and w:pPrChange, which a fresh paragraph has not."""
    properties = p.find(qn("w:pPr"))
    assert properties is not None  # styled_paragraph made it
    marks = OxmlElement("w:rPr")
    marks.append(change)
    properties.append(marks)


def _set_properties(document: Document, red: Redline) -> None:
    """Its own title, and the date of its changes, so the bytes depend on nothing else."""
    import datetime as dt

    props = document.core_properties
    moment = dt.datetime.fromisoformat(red.date.replace("Z", "+00:00")).replace(tzinfo=None)
    props.title = f"Redline: {red.title}"
    props.subject = f"{red.unit}, changes since {red.since}"
    props.author = red.author
    props.last_modified_by = red.author
    props.comments = ""
    props.keywords = ""
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
