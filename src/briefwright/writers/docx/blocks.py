"""The briefing's blocks and inline runs as Word paragraphs, tables and runs: one small
function per kind, chosen by a `match` that mypy checks is exhaustive."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import assert_never

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.shared import Emu, Inches, Length, Mm
from docx.styles.style import ParagraphStyle

from briefwright import model as m
from briefwright.callouts import LABELS, callout
from briefwright.citations import ENTRY_CLASS
from briefwright.fonts import RTL_CHARACTER, direction_runs, first_strong, rtl_font
from briefwright.readers.images import ImageError, load_image
from briefwright.sizes import image_box
from briefwright.writers.docx import oxml
from briefwright.writers.docx.captions import ref_field, write_caption
from briefwright.writers.docx.notes import footnote_ref
from briefwright.writers.docx.oxml import Format
from briefwright.writers.docx.picture import add_picture, svg_fallback_png
from briefwright.writers.docx.state import Para, State

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
DEFINITION_INDENT = Emu(228600)  # a quarter inch
MIN_COLUMN = Mm(15)  # the narrowest a column gets, room for a short word or a number
# A word's width in a table cell, estimated: a character (wide enough for the monospaced inline
# code font; 2 mm broke "Unknown" and `apiKey` in a LibreOffice conversion of public-apis'
# README, 2.4 mm did not), and the cell's left and right margins (100 twips each).
CHAR_WIDTH = Mm(2.4)
CELL_PADDING = Emu(200 * 635)


def write_block(block: m.Block, state: State, depth: int) -> None:
    match block:
        case m.Heading():
            _heading(block, state)
        case m.Paragraph():
            _paragraph(block, state)
        case m.BulletList() | m.OrderedList():
            _list(block, state, depth)
        case m.Table():
            _table(block, state)
        case m.BlockQuote():
            _blockquote(block, state, depth)
        case m.CodeBlock():
            _code_block(block, state)
        case m.Image():
            _image(block, state)
        case m.ThematicBreak():
            _thematic_break(state)
        case m.PageBreak():
            _page_break(state)
        case m.DefinitionList():
            _definition_list(block, state, depth)
        case m.Div():
            _div(block, state, depth)
        case _:
            assert_never(block)


def _heading(block: m.Heading, state: State) -> None:
    paragraph = state.paragraph(f"Heading {min(block.level, 6)}")
    name = state.bookmarks.get(block.id)
    if name is not None:  # the target of the TOC entries and of internal links
        oxml.bookmark_start(paragraph.element, name)
    write_inlines(paragraph, block.children, state)
    set_direction(paragraph, block.children, state)
    if name is not None:
        oxml.bookmark_end(paragraph.element, name)
    if block.number:
        _number_heading(paragraph, block.number, state)


def _number_heading(paragraph: Para, number: str, state: State) -> None:
    """Word's own numbering (not typed): the reference document's heading numbering, at the
    number's depth (numbering.py never skips one); Word and LibreOffice count to `number`."""
    if not state.heading_num:
        numbering = state.document.part.numbering_part.element
        state.heading_num = oxml.heading_numbering(numbering)
    oxml.set_numbering(paragraph.element, state.heading_num, number.count("."))


def _paragraph(block: m.Paragraph, state: State, style: str = "Normal") -> Para:
    paragraph = state.paragraph(style)
    write_inlines(paragraph, block.children, state)
    set_direction(paragraph, block.children, state)
    return paragraph


def set_direction(paragraph: Para, runs: tuple[m.Inline, ...], state: State) -> None:
    """A right-to-left paragraph (w:bidi) when its first strong character is Arabic, Hebrew...
    or, having none, when the briefing's language is written right to left."""
    if (first_strong(m.plain_text(runs)) or state.direction) == "rtl":
        oxml.set_bidi(paragraph.element)


def _list(block: m.BulletList | m.OrderedList, state: State, depth: int) -> None:
    level = min(depth + 1, 3)
    kind = "List Number" if isinstance(block, m.OrderedList) else "List Bullet"
    style = kind + ("" if level == 1 else f" {level}")
    num_id = None
    if isinstance(block, m.OrderedList):  # each list counts from its own start
        numbering = state.document.part.numbering_part.element
        style_element = state.document.styles[style].element
        num_id = oxml.restarted_numbering(numbering, style_element, block.start)
    for item in block.items:
        first = True
        for child in item.blocks:
            if isinstance(child, m.Paragraph) and first:
                paragraph = _paragraph(child, state, style)
                if num_id is not None:
                    oxml.set_numbering(paragraph.element, num_id)
                first = False
            elif isinstance(child, m.BulletList | m.OrderedList):
                _list(child, state, depth + 1)
            else:
                write_block(child, state, depth)


def _table(block: m.Table, state: State) -> None:
    """A table in the Brief Table style, its header row repeated on each page, its columns as
    wide as their content asks (fixed, so Word and LibreOffice keep them). Cells are reached by
    walking each row's w:tc once: python-docx's cell(r, c) rebuilds the grid on every call,
    which is quadratic in the rows. A headerless table has no header row."""
    rows = (block.header, *block.rows) if block.header else block.rows
    if block.caption or block.number:  # above the table, as Word and Pandoc put it
        write_caption(state, "Table", block.number, block.id, block.caption, write_inlines)
    columns = max(len(row) for row in rows)
    widths = column_widths(rows, columns, state.text_width)
    element = CT_Tbl.new_tbl(len(rows), columns, Emu(state.text_width))
    state.append_block(element)  # the body, or the footnote being written
    # on the element, with the style ID looked up once per document: Table.style = looks the
    # style up by name, a scan of every style for each table (a tenth of 30 small tables)
    element.tblPr.style = state.style_id("Brief Table")
    element.tblPr.autofit = False
    for grid_column, width in zip(element.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    for tr, row in zip(element.tr_lst, rows, strict=True):
        for c, tc in enumerate(tr.tc_lst):
            tc.width = widths[c]
            if c >= len(row):
                continue
            if row[c].blocks:
                _cell_blocks(tc, row[c].blocks, state)
                continue
            paragraph = Para(tc.p_lst[0], state.story)
            write_inlines(paragraph, row[c].children, state)
            set_direction(paragraph, row[c].children, state)
            align = block.aligns[c] if c < len(block.aligns) else ""
            if align:
                paragraph.proxy.alignment = ALIGN[align]
    if block.header:
        oxml.repeat_as_header(element.tr_lst[0])
    state.paragraph("Normal")


def _cell_blocks(tc: CT_Tc, blocks: tuple[m.Block, ...], state: State) -> None:
    """A grid table's cell holding lists, paragraphs...: its blocks in place of its empty
    paragraph (a cell ends with a paragraph, which each block written here leaves)."""
    empty = tc.p_lst[0]
    outer, state.cell = state.cell, tc
    try:
        for child in blocks:
            write_block(child, state, 0)
    finally:
        state.cell = outer
    if len(tc.p_lst) > 1 and tc[-1].tag == empty.tag:
        tc.remove(empty)


def column_widths(
    rows: tuple[tuple[m.TableCell, ...], ...], columns: int, total: int
) -> list[Length]:
    """Widths (EMU) in proportion to each column's longest cell text, summing to `total`. No
    column is narrower than MIN_COLUMN or than its longest word (Word breaks a word that does
    not fit inside it: "Unkno-wn") up to an equal share, unless those floors together exceed
    `total` (many columns): then they are scaled down to fit."""
    longest, word = [1] * columns, [0] * columns
    for row in rows:
        for c, cell in enumerate(row):
            text = " ".join(m.block_text(b) for b in cell.blocks) or m.plain_text(cell.children)
            longest[c] = max(longest[c], len(text))
            word[c] = max([word[c], *(len(w) for w in text.split())])
    share = total // columns  # a long word (a URL) asks for no more than an equal share
    floors = [max(MIN_COLUMN, min(CELL_PADDING + CHAR_WIDTH * n, share)) for n in word]
    if sum(floors) > total:
        floors = [total * f // sum(floors) for f in floors]
    fixed: set[int] = set()
    while True:  # columns whose share is below their floor get it; the rest share what is left
        free = [c for c in range(columns) if c not in fixed]
        room = total - sum(floors[c] for c in fixed)
        weight = sum(longest[c] for c in free)
        narrow = {c for c in free if room * longest[c] < floors[c] * weight}
        if not narrow:
            break
        fixed |= narrow
    raw = [floors[c] if c in fixed else room * longest[c] // weight for c in range(columns)]
    raw[-1] += total - sum(raw)  # what integer division left over
    return [Length(width) for width in raw]


def _blockquote(block: m.BlockQuote, state: State, depth: int) -> None:
    """Quote paragraphs, each spaced like a body paragraph (whatever the Quote style says)."""
    gap = _paragraph_gap(state)
    for child in block.blocks:
        if isinstance(child, m.Paragraph):
            spacing = _paragraph(child, state, "Quote").proxy.paragraph_format
            spacing.space_before, spacing.space_after = 0, gap
        else:
            write_block(child, state, depth)


def _paragraph_gap(state: State) -> Length | None:
    """The space after a Normal paragraph in the reference document: blocks that are not
    paragraphs leave the same gap below them."""
    style = state.document.styles["Normal"]
    assert isinstance(style, ParagraphStyle), "the reference document's Normal style"
    gap: Length | None = style.paragraph_format.space_after
    return gap


def _code_block(block: m.CodeBlock, state: State) -> None:
    """One Source Code paragraph, its lines joined by breaks (one shaded box), spaced below
    like a body paragraph: the style has no space, which set it against what follows."""
    paragraph = state.paragraph("Source Code").proxy
    paragraph.paragraph_format.space_after = _paragraph_gap(state)
    for index, line in enumerate(block.text.split("\n")):
        run = paragraph.add_run(line)
        if index:
            run.element.addprevious(oxml.line_break())


def _image(block: m.Image, state: State) -> None:
    caption = block.title or block.alt
    if block.path is not None:
        try:
            image = load_image(block.path)
        except ImageError as exc:
            state.reporter.warn(f"image '{block.src}' {exc}; its caption is shown instead")
        else:
            natural = (float(image.width), float(image.height))
            box = image_box(block.width, block.height, natural, state.text_width, Inches(1))
            width, height = (Emu(round(side)) for side in box)
            try:
                if state.note is None:
                    add_picture(state.document, image, width=width, height=height, alt=block.alt)
                else:  # in the footnotes part, which holds the picture's relationship
                    run = state.paragraph("Normal").proxy.add_run()
                    data = svg_fallback_png(image) if image.is_svg else image.data
                    run.add_picture(io.BytesIO(data), width=width, height=height)
            except ImageError as exc:
                state.reporter.warn(f"image '{block.src}' {exc}; its caption is shown instead")
    if block.number:
        runs = (m.Text(caption),) if caption else ()
        write_caption(state, "Figure", block.number, block.id, runs, write_inlines)
    elif caption:
        state.paragraph("Caption", caption)


def _thematic_break(state: State) -> None:
    paragraph = state.paragraph("Normal").proxy
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("* * *")


def _page_break(state: State) -> None:
    if state.note is None:  # a note has no pages of its own
        state.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _definition_list(block: m.DefinitionList, state: State, depth: int) -> None:
    for item in block.items:
        term = state.paragraph("Normal")
        term.proxy.paragraph_format.keep_with_next = True
        write_inlines(term, item.term, state, bold=True)
        set_direction(term, item.term, state)
        for definition in item.definitions:
            for child in definition:
                if isinstance(child, m.Paragraph):
                    paragraph = _paragraph(child, state)
                    paragraph.proxy.paragraph_format.left_indent = DEFINITION_INDENT
                else:
                    write_block(child, state, depth)


BIBLIOGRAPHY = "Bibliography"
BIB_BOOKMARK_IDS = 800000  # clear of the headings' _Toc numbers and the notes' bookmarks


def bibliography_bookmarks(blocks: tuple[m.Block, ...]) -> dict[str, str]:
    """A bookmark name for each bibliography entry (citations.py), the target of its
    citations' links."""
    entries = [b for b in m.walk(blocks) if isinstance(b, m.Div) and ENTRY_CLASS in b.classes]
    return {b.identifier: f"_Bib{n:05d}" for n, b in enumerate(entries, 1) if b.identifier}


def _bibliography_entry(block: m.Div, state: State) -> None:
    """An entry's paragraphs in the Bibliography style (added, with a hanging indent, when the
    reference document has none), bookmarked for the citations' links."""
    if BIBLIOGRAPHY not in [s.name for s in state.document.styles]:
        style = state.document.styles.add_style(BIBLIOGRAPHY, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = state.document.styles["Normal"]
        style.paragraph_format.left_indent = Mm(8)
        style.paragraph_format.first_line_indent = Mm(-8)
    name = state.bookmarks.get(block.identifier or "")
    for child in block.blocks:
        if not isinstance(child, m.Paragraph):
            continue
        paragraph = state.paragraph(BIBLIOGRAPHY)
        number = str(BIB_BOOKMARK_IDS + int(name.removeprefix("_Bib"))) if name else None
        if name is not None:
            oxml.bookmark_start(paragraph.element, name, number)
        write_inlines(paragraph, child.children, state)
        set_direction(paragraph, child.children, state)
        if name is not None:
            oxml.bookmark_end(paragraph.element, name, number)
            name = None


def _div(block: m.Div, state: State, depth: int) -> None:
    """A plain div's blocks as they are; a callout's title and paragraphs in its kind's styles
    ("Note Title", "Note"), which make one shaded box. Its lists, tables... are written as
    anywhere else, between the box's parts."""
    if ENTRY_CLASS in block.classes:
        _bibliography_entry(block, state)
        return
    styled = callout(block)
    if styled is None:
        for child in block.blocks:
            write_block(child, state, depth)
        return
    title = state.paragraph(f"{styled.label} Title")
    write_inlines(title, styled.title, state)
    set_direction(title, styled.title, state)
    for child in styled.blocks:
        if isinstance(child, m.Paragraph):
            _paragraph(child, state, styled.label)
        else:
            write_block(child, state, depth)
    box = state.document.styles[styled.label].element
    boxed = {
        state.style_id(f"{label}{suffix}") for label in LABELS.values() for suffix in ("", " Title")
    }
    for element in title.element.itersiblings(oxml.PARAGRAPH):
        style = element.find(f"{oxml.PARAGRAPH_PROPERTIES}/{oxml.PARAGRAPH_STYLE}")
        if style is None or style.get(oxml.VALUE) not in boxed:
            oxml.put_in_box(element, box)


# --- inlines -----------------------------------------------------------------------------------


def write_inlines(
    paragraph: Para, runs: tuple[m.Inline, ...], state: State, *, bold: bool = False
) -> None:
    for run in runs:
        _inline(paragraph, run, state, Format(bold=bold))


def _inline(paragraph: Para, run: m.Inline, state: State, fmt: Format) -> None:
    match run:
        case m.Text():
            _text(paragraph, run.text, fmt)
        case m.Code():
            oxml.text_run(paragraph.element, run.text, fmt, state.style_id("Inline Code"))
        case m.Strong() | m.Emphasis() | m.Strikethrough():
            inner = replace(
                fmt,
                bold=fmt.bold or isinstance(run, m.Strong),
                italic=fmt.italic or isinstance(run, m.Emphasis),
                strike=fmt.strike or isinstance(run, m.Strikethrough),
            )
            for child in run.children:
                _inline(paragraph, child, state, inner)
        case m.Link():
            _hyperlink(paragraph, run, state, fmt)
        case m.FootnoteRef():
            footnote_ref(paragraph, run, state, write_block)
        case m.LineBreak():
            paragraph.proxy.add_run().add_break()
        case m.VarRef() | m.Cite():  # assemble and citations.py replace them; never reached
            _text(paragraph, run.written, fmt)
        case m.Span():
            for child in run.inlines:
                _inline(paragraph, child, state, _span_format(run.classes, fmt))
        case _:
            assert_never(run)


def _span_format(classes: tuple[str, ...], fmt: Format) -> Format:
    """The classes Pandoc gives a meaning to, as direct formatting; others change nothing."""
    return replace(
        fmt,
        smallcaps=fmt.smallcaps or "smallcaps" in classes,
        underline=fmt.underline or "underline" in classes,
        highlight=fmt.highlight or "mark" in classes,
    )


def _text(paragraph: Para, text: str, fmt: Format) -> None:
    """Text as runs, cut where its direction changes: right-to-left parts are w:rtl runs in
    the font of their script. The order of the characters is kept; Word's bidi orders them."""
    if RTL_CHARACTER.search(text) is None:  # nearly all text: one plain run
        oxml.text_run(paragraph.element, text, fmt)
        return
    for part, direction in direction_runs(text):
        font = rtl_font(part) if direction == "rtl" else None
        oxml.text_run(paragraph.element, part, fmt, rtl_font=font)


def _hyperlink(paragraph: Para, link: m.Link, state: State, fmt: Format) -> None:
    bookmark = state.bookmarks.get(link.href[1:]) if link.xref else None
    if bookmark is not None:  # a cross-reference: a REF field Word and LibreOffice update
        shown = m.plain_text(link.children)
        number = state.heading_numbers.get(link.href[1:])
        if number is not None and shown == f"Section {number}":  # the heading's own number
            oxml.text_run(paragraph.element, "Section ", fmt, state.style_id("Hyperlink"))
            ref_field(paragraph, bookmark, number, state, number_only=True)
        else:
            ref_field(paragraph, bookmark, shown, state)
        return
    if link.href.startswith("#"):
        anchor = link.href[1:]
        element = oxml.internal_hyperlink(state.bookmarks.get(anchor, anchor))
    else:
        element = oxml.external_hyperlink(_hyperlink_rel(paragraph, link.href, state))
    p = paragraph.element
    p.append(element)
    for child in link.children:
        before = len(p)
        _inline(paragraph, child, state, fmt)
        for new_run in list(p)[before:]:
            oxml.set_run_style(new_run, state.style_id("Hyperlink"))
            element.append(new_run)


def _hyperlink_rel(paragraph: Para, url: str, state: State) -> str:
    """The part's relationship to `url`, made once and remembered. python-docx's relate_to and
    get_or_add_ext_rel scan every relationship of the part for a match, and for a free rId:
    quadratic in a document's links (1,740 links: seconds)."""
    part = paragraph.part
    key = (str(part.partname), url)
    if key not in state.hyperlinks:
        rels = part.rels
        number = len(rels) + 1
        while f"rId{number}" in rels:
            number += 1
        rel_id = f"rId{number}"
        rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, rel_id, is_external=True)
        state.hyperlinks[key] = rel_id
    return state.hyperlinks[key]
