"""Parity between a brief's DOCX (read with python-docx) and PDF (structure read with pypdf,
text with pdftotext).

Both are reduced to an Inventory: headings in order, list items, tables with their cell text,
footnotes, images and external links. `assert_parity` names the first element that differs.
The PDF side reads the tagged structure WeasyPrint writes (/LI with a /Lbl, /Table, /Figure),
the outline, the link annotations and the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pypdf
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from lxml import etree

from briefwright.callouts import LABELS
from tests.helpers import outline_titles, pdf_pages, squash

LIST_STYLES = ("List Bullet", "List Number")
NUMBERED = re.compile(r"(?:Figure|Table) \d+(?::|$)")
XREF_FIELD = re.compile(r"REF _(?:Ref|Toc)\d+ (?:\\r )?\\h$")  # a cross-reference, not a footnote's
CALLOUT_STYLES = tuple(LABELS.values())  # "Note", ...: a callout's title is in "Note Title"


@dataclass
class Inventory:
    headings: list[str] = field(default_factory=list)
    list_items: int = 0
    tables: list[list[int]] = field(default_factory=list)  # cells per row, per table
    cells: list[str] = field(default_factory=list)  # every cell's text, in order
    footnotes: list[str] = field(default_factory=list)
    note_paragraphs: list[list[str]] = field(default_factory=list)  # each note's, in order
    images: int = 0
    links: list[str] = field(default_factory=list)
    text: str = ""
    callouts: list[str] = field(default_factory=list)  # "Kind: title" (DOCX and HTML)
    captions: list[str] = field(default_factory=list)  # numbered: "Figure 1: ..." (DOCX)
    references: list[str] = field(default_factory=list)  # cross-references' text (DOCX, HTML)
    bibliography: list[str] = field(default_factory=list)  # each entry's text (DOCX)


def docx_inventory(path: Path) -> Inventory:
    document = docx.Document(str(path))
    found = Inventory()
    numbers = _word_numbers(document)
    for paragraph, number in zip(document.paragraphs, numbers, strict=True):
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading"):
            found.headings.append(f"{number} {paragraph.text}" if number else paragraph.text)
        elif style.startswith(LIST_STYLES):
            found.list_items += 1
        elif style.removesuffix(" Title") in CALLOUT_STYLES and style.endswith(" Title"):
            found.callouts.append(f"{style.removesuffix(' Title')}: {paragraph.text}")
        elif style == "Bibliography":
            found.bibliography.append(_shown(paragraph._p))
    for table in document.tables:
        found.tables.append([len(row.cells) for row in table.rows])
        found.cells.extend(cell.text for row in table.rows for cell in row.cells)
    found.images = len(document.inline_shapes)
    found.captions = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name == "Caption" and NUMBERED.match(p.text)
    ]
    fields = docx_fields(document.element.body)
    # a numbered section's reference is the text "Section " and a REF \r field (its number)
    found.references = [
        ("Section " if " \\r " in instr else "") + shown
        for instr, shown in fields
        if XREF_FIELD.match(instr)
    ]
    parts = [document.part]
    for rel in document.part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
            notes = etree.fromstring(rel.target_part.blob)
            for note in notes.iter(qn("w:footnote")):
                if int(note.get(qn("w:id"))) > 0:  # the text shown: not a field's instruction
                    paragraphs = [_shown(p) for p in note.iter(qn("w:p"))]
                    found.footnotes.append("".join(paragraphs).strip())
                    found.note_paragraphs.append(paragraphs)
            parts.append(rel.target_part)
    for part in parts:
        element = etree.fromstring(part.blob) if part is not document.part else part.element
        for link in element.iter(qn("w:hyperlink")):
            rel_id = link.get(qn("r:id"))
            if rel_id:
                found.links.append(part.rels[rel_id].target_ref)
    return found


def docx_fields(element: Any) -> list[tuple[str, str]]:
    """Every complex field in `element` as (instruction, the text it shows), in order."""
    found: list[tuple[str, str]] = []
    stack: list[list[str]] = []  # per open field: [instruction, shown, phase]
    for node in element.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if node.tag == qn("w:fldChar"):
            kind = node.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append(["", "", "instr"])
            elif kind == "separate" and stack:
                stack[-1][2] = "result"
            elif kind == "end" and stack:
                instr, shown, _ = stack.pop()
                found.append((instr.strip(), shown))
        elif stack and node.tag == qn("w:instrText") and stack[-1][2] == "instr":
            stack[-1][0] += node.text or ""
        elif stack and node.tag == qn("w:t") and stack[-1][2] == "result":
            stack[-1][1] += node.text or ""
    return found


def _shown(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def pdf_inventory(path: Path) -> Inventory:
    reader = pypdf.PdfReader(path)
    found = Inventory(text="".join(pdf_pages(path)))
    found.headings = outline_titles(reader)
    root = reader.root_object.get("/StructTreeRoot")
    continued = _continued_tables(root)
    for node in _structure(root):
        kind = str(node.get("/S"))
        if kind == "/LI" and any(str(c.get("/S")) == "/Lbl" for c in _kids(node)):
            found.list_items += 1
        elif kind == "/Table" and id(node) in continued:
            # a table broken over pages is tagged once per page, its header repeated
            found.tables[-1].extend(len(list(_kids(r))) for r in _rows(node, header=False))
        elif kind == "/Table":
            found.tables.append([len(list(_kids(r))) for r in _rows(node, header=True)])
    # Images by what the pages draw: WeasyPrint tags a figure pushed to the next page as
    # /NonStruct, so /Figure elements cannot be counted on.
    found.images = sum(_images_drawn(page) for page in reader.pages)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is not None and (not found.links or found.links[-1] != str(uri)):
                found.links.append(str(uri))  # a link broken over two lines has two boxes
    return found


def html_footnotes(path: Path) -> list[str]:
    """Each note's text as the HTML shows it on screen (its list of notes, without the links
    only print shows), in order."""
    tree = lxml.html.parse(str(path))
    for hidden in tree.xpath('//section[@class="endnotes"]//*[@class="fn-again"]'):
        hidden.drop_tree()
    notes = tree.xpath('//section[@class="endnotes"]/ol/li')
    return ["".join(note.itertext()).strip() for note in notes]


def html_references(path: Path) -> list[str]:
    """Each cross-reference's text, in order."""
    return [a.text_content() for a in lxml.html.parse(str(path)).xpath('//a[@class="xref"]')]


def html_captions(path: Path) -> list[str]:
    """Each numbered caption's text ("Table 1: ..."), in order."""
    nodes = lxml.html.parse(str(path)).xpath("//figcaption|//table/caption")
    return [t for t in (n.text_content().strip() for n in nodes) if NUMBERED.match(t)]


def html_callouts(path: Path) -> list[str]:
    """Each callout as "Kind: title", in order (the kind from its `callout-KIND` class)."""
    found = []
    for box in lxml.html.parse(str(path)).xpath('//div[contains(@class, "callout-")]'):
        kinds = [c.removeprefix("callout-") for c in box.get("class").split()]
        kind = next(LABELS[k] for k in kinds if k in LABELS)
        title = "".join(box.xpath('./p[@class="callout-title"]')[0].itertext())
        found.append(f"{kind}: {title}")
    return found


def _word_numbers(document: Any) -> list[str]:
    """Each body paragraph's heading number as Word counts it (section_numbers: a Heading
    paragraph with numPr, one level per ilvl, a deeper count restarting), "" for none."""
    counts: list[int] = []
    numbers = []
    path = f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}"
    style_path = f"{qn('w:pPr')}/{qn('w:pStyle')}"
    for p in document.element.body.findall(qn("w:p")):
        level, style = p.find(path), p.find(style_path)
        if level is None or style is None or not style.get(qn("w:val")).startswith("Heading"):
            numbers.append("")
            continue
        depth = int(level.get(qn("w:val"))) + 1
        counts = counts[:depth] + [0] * (depth - len(counts))
        counts[depth - 1] += 1
        numbers.append(".".join(map(str, counts)))
    return numbers


def assert_parity(docx_path: Path, pdf_path: Path, html_path: Path | None = None) -> None:
    """DOCX and PDF carry the same content; every footnote's text and every callout (kind and
    title) is also in the HTML (`html_path`, by default the DOCX's name with .html), one for
    one; the callouts' titles are in the PDF's text, in the same order."""
    word, pdf = docx_inventory(docx_path), pdf_inventory(pdf_path)
    _same_list("heading", word.headings, pdf.headings)
    assert word.list_items == pdf.list_items, (
        f"list items: DOCX has {word.list_items}, PDF has {pdf.list_items}"
    )
    assert len(word.tables) == len(pdf.tables), (
        f"tables: DOCX has {len(word.tables)}, PDF has {len(pdf.tables)}"
    )
    for number, (word_rows, pdf_rows) in enumerate(zip(word.tables, pdf.tables, strict=True), 1):
        _same_list(f"table {number} row (cells per row)", word_rows, pdf_rows)
    text = squash(pdf.text)
    for cell in word.cells:
        assert squash(cell) in text, f"table cell {cell!r} is in the DOCX but not the PDF"
    html = html_footnotes(html_path or docx_path.with_suffix(".html"))
    _same_list("footnote", [squash(n) for n in word.footnotes], [squash(n) for n in html], "HTML")
    for number, paragraphs in enumerate(word.note_paragraphs, 1):
        note_in_pdf(number, paragraphs, text)
    assert word.images == pdf.images, f"images: DOCX has {word.images}, PDF has {pdf.images}"
    _same_list("link", word.links, pdf.links)
    html_path = html_path or docx_path.with_suffix(".html")
    _same_list("callout", word.callouts, html_callouts(html_path), "HTML")
    _same_list("numbered caption", word.captions, html_captions(html_path), "HTML")
    _same_list("cross-reference", word.references, html_references(html_path), "HTML")
    for what, texts in (("caption", word.captions), ("cross-reference", word.references)):
        at = 0
        for shown in texts:
            at = text.find(squash(shown), at)
            assert at >= 0, f"{what} {shown!r} is in the DOCX but not the PDF (in that order)"
    at = 0
    for callout in word.callouts:
        at = text.find(squash(callout.split(": ", 1)[1]), at)
        assert at >= 0, f"callout {callout!r} is in the DOCX but not the PDF (in that order)"
        at += 1
    html_entries = html_bibliography(html_path)
    _same_list("bibliography entry", word.bibliography, html_entries, "HTML")
    at = 0
    for entry in word.bibliography:
        at = text.find(squash(entry), at)
        assert at >= 0, f"bibliography entry {entry!r} is in the DOCX but not the PDF (in order)"
        at += 1


def html_bibliography(path: Path) -> list[str]:
    """Each bibliography entry's text as the HTML shows it, in order."""
    entries = lxml.html.parse(str(path)).xpath('//div[contains(@class, "csl-entry")]')
    return [" ".join("".join(entry.itertext()).split()) for entry in entries]


def note_in_pdf(number: int, paragraphs: list[str], text: str) -> None:
    """Footnote `number` in the (squashed) PDF text: its number and first paragraph, then each
    other paragraph (list item, table cell) after it; the PDF's list markers may come between."""
    at = text.find(squash(f"{number}.{paragraphs[0]}"))
    for paragraph in paragraphs[1:]:
        at = text.find(squash(paragraph), at) if at >= 0 else at
    assert at >= 0, f"footnote {number} {''.join(paragraphs)!r} not in the PDF"


def _same_list(what: str, word: list[Any], pdf: list[Any], other: str = "PDF") -> None:
    for index, (a, b) in enumerate(zip(word, pdf, strict=False)):
        assert a == b, f"{what} {index + 1} differs: DOCX {a!r}, {other} {b!r}"
    assert len(word) == len(pdf), (
        f"{what}s: DOCX has {len(word)}, {other} has {len(pdf)}; first extra: "
        f"{(word + pdf)[min(len(word), len(pdf))]!r}"
    )


def _kids(node: Any) -> Iterator[Any]:
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, pypdf.generic.DictionaryObject) and "/S" in kid:
            yield kid


def _structure(root: Any) -> Iterator[Any]:
    """Every structure element, depth first (the same objects on every walk)."""
    if root is None:
        return
    stack = list(_kids(root.get_object()))
    while stack:
        node = stack.pop(0)
        yield node
        stack[0:0] = list(_kids(node))


def _continued_tables(root: Any) -> set[int]:
    """Tables that open a page right after a page that ended with a table: continuations.
    WeasyPrint groups each page's structure in a /Part under the /Document."""
    continued: set[int] = set()
    ended_with_table = False
    for node in _structure(root):
        if str(node.get("/S")) != "/Part":
            continue
        blocks = [kid for kid in _kids(node) if str(kid.get("/S")) != "/NonStruct"]
        if blocks and ended_with_table and str(blocks[0].get("/S")) == "/Table":
            continued.add(id(blocks[0]))
        ended_with_table = bool(blocks) and str(blocks[-1].get("/S")) == "/Table"
    return continued


def _images_drawn(page: Any) -> int:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    contents = page.get_contents()
    if xobjects is None or contents is None:
        return 0
    xobjects = xobjects.get_object()
    names = re.findall(rb"/([^\s/\[\]()<>]+)\s+Do\b", contents.get_data())
    return sum(
        1
        for name in names
        if f"/{name.decode()}" in xobjects
        and xobjects[f"/{name.decode()}"].get_object().get("/Subtype") == "/Image"
    )


def _rows(table: Any, header: bool) -> Iterator[Any]:
    for kid in _kids(table):
        kind = str(kid.get("/S"))
        if kind == "/TR":
            yield kid
        elif kind in ("/TBody", "/TFoot") or (kind == "/THead" and header):
            yield from (row for row in _kids(kid) if str(row.get("/S")) == "/TR")
