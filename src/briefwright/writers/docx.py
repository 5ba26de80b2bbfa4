"""The model -> DOCX with python-docx, on the template's reference.docx (never from HTML).

Only the reference document's styles are used, so a user restyles every brief by editing it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.part import XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Emu, Mm, RGBColor
from docx.text.paragraph import Paragraph

from briefwright import model as m
from briefwright.errors import Reporter, TemplateError
from briefwright.readers.images import ImageError, load_image
from briefwright.templates import Template
from briefwright.writers import Rendered

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def render_docx(briefing: m.Briefing, template: Template, reporter: Reporter) -> Rendered:
    document = _open_reference(template)
    state = _State(document, briefing, reporter, Footnotes(document))
    state.bookmarks = {h.id: f"_Toc{n:05d}" for n, h in enumerate(briefing.headings, 1)}
    _set_properties(document, briefing.meta)
    _page_setup(document.sections[0], briefing.meta)
    if template.info.cover:
        _cover(state)
    else:
        _title_block(state)
    if template.info.toc:
        _toc(state)
    for block in briefing.blocks:
        _block(block, state, depth=0)
    _headers_and_footers(document, briefing.meta)
    if briefing.meta.marking:
        _classification_property(document, briefing.meta.marking)
    return Rendered(package_bytes(document))


FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class Footnotes:
    """The document's footnotes part (python-docx has no API for it)."""

    def __init__(self, document: Document):
        for rel_id, rel in list(document.part.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:  # a reference.docx edited in Word
                document.part.drop_rel(rel_id)
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            parse_xml(FOOTNOTES_XML),
            document.part.package,
        )
        document.part.relate_to(self.part, RELATIONSHIP_TYPE.FOOTNOTES)
        settings = document.settings.element
        if settings.find(qn("w:footnotePr")) is None:
            properties = parse_xml(
                '<w:footnotePr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
            )
            settings.insert(0, properties)

    def add(self, number: int, count: int, document: Document) -> list[Paragraph]:
        """`count` empty paragraphs of a new footnote, in the Footnote Text style."""
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        self.part.element.append(note)
        holder = _NoteParent(_NotesPart(self.part, document))
        style_id = document.styles["Footnote Text"].style_id
        paragraphs = []
        for _ in range(count):
            p = OxmlElement("w:p")
            p.get_or_add_pPr().style = style_id
            note.append(p)
            paragraphs.append(Paragraph(p, holder))  # type: ignore[arg-type]
        return paragraphs


class _NotesPart:
    """The part footnote paragraphs report: styles are the document's, links the notes'."""

    def __init__(self, notes: XmlPart, document: Document):
        self.notes = notes
        self.document = document

    def get_style_id(self, style: Any, style_type: Any) -> str | None:
        found: str | None = self.document.part.get_style_id(style, style_type)  # type: ignore[no-untyped-call]
        return found

    def relate_to(self, target: str, reltype: str, is_external: bool = False) -> str:
        return self.notes.relate_to(target, reltype, is_external)


@dataclass(frozen=True)
class _NoteParent:
    """What a python-docx Paragraph asks of its parent: the part it lives in."""

    part: _NotesPart


def _open_reference(template: Template) -> Document:
    path = template.file("reference.docx")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not DOCX
        raise TemplateError(
            f"not a valid Word file ({exc.__class__.__name__})", file=path
        ) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


@dataclass
class _State:
    document: Document
    briefing: m.Briefing
    reporter: Reporter
    footnotes: Footnotes
    bookmarks: dict[str, str] = field(default_factory=dict)  # heading ID -> bookmark name
    written_notes: set[str] = field(default_factory=set)
    style_ids: dict[str, str] = field(default_factory=dict)

    def style_id(self, name: str) -> str:
        """The style's ID, looked up once: python-docx scans every style on each lookup by name,
        which took most of the time of a long brief."""
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, style: str, text: str = "") -> Paragraph:
        """A new body paragraph, built with lxml: python-docx's add_paragraph searches the body
        for its place and inserts through generic child machinery, a fifth of a long render."""
        p = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        properties.append(OxmlElement("w:pStyle", {qn("w:val"): self.style_id(style)}))
        p.append(properties)
        body = self.document.element.body
        if len(body) and body[-1].tag == SECTION_PROPERTIES:  # the body ends with them
            body[-1].addprevious(p)
        else:
            body.append(p)
        paragraph = Paragraph(p, self.document._body)
        if text:
            _text_run(paragraph, text, PLAIN)
        return paragraph

    def run(self, paragraph: Paragraph, style: str, text: str = "") -> Any:
        """A run in a character style; returns its w:r element."""
        return _text_run(paragraph, text, PLAIN, self.style_id(style))

    @property
    def text_width(self) -> int:
        section = self.document.sections[-1]
        margins = int(section.left_margin or 0) + int(section.right_margin or 0)
        return int(section.page_width or 0) - margins


def package_bytes(document: Document) -> bytes:
    """The package zipped once, with fixed timestamps and order, so two builds give identical
    bytes. This is what python-docx's save does, less the current time in every member (and
    re-zipping its output meant compressing everything twice: a tenth of a long render)."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(uri: PackURI, blob: bytes) -> None:
            info = zipfile.ZipInfo(uri.membername, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, blob)

        # python-docx's own [Content_Types].xml builder: private, so the version range in
        # pyproject.toml is narrow, and the DOCX tests open every output in LibreOffice.
        content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
        write(CONTENT_TYPES_URI, content_types.blob)
        write(PACKAGE_URI.rels_uri, package.rels.xml)
        for part in parts:
            write(part.partname, part.blob)
            if len(part.rels):
                write(part.partname.rels_uri, part.rels.xml)
    return out.getvalue()


def _set_properties(document: Document, meta: m.BriefingMeta) -> None:
    props = document.core_properties
    moment = dt.datetime.combine(meta.date, dt.time(0, 0))
    props.title = meta.title
    props.subject = meta.subtitle
    props.author = meta.author or meta.organisation
    props.keywords = ", ".join(meta.keywords)
    props.category = meta.marking
    props.comments = ""
    props.last_modified_by = "briefwright"
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
    props.language = meta.lang


# --- front matter ------------------------------------------------------------------------------


PAGE_SIZES_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}


def _page_setup(section: Section, meta: m.BriefingMeta) -> None:
    width, height = PAGE_SIZES_MM[meta.page_size]
    if meta.orientation == "landscape":
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)


def _logo(state: _State, height_mm: float) -> None:
    logo = state.briefing.meta.logo
    if logo is not None:
        image = load_image(logo)
        state.document.add_picture(io.BytesIO(image.data), height=Mm(height_mm))


def _titles(state: _State, logo_height_mm: float) -> None:
    meta = state.briefing.meta
    _logo(state, logo_height_mm)
    state.paragraph("Title", meta.title)
    if meta.subtitle:
        state.paragraph("Subtitle", meta.subtitle)


def _detail(paragraph: Paragraph, label: str, value: str) -> None:
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _cover(state: _State) -> None:
    """Cover page in a section of its own, so its header and footer can differ."""
    meta = state.briefing.meta
    _titles(state, 20)
    details = [
        ("Date", meta.date_long),
        ("Author", meta.author),
        ("Organisation", meta.organisation),
        ("Audience", meta.audience),
    ]
    for label, value in details:
        if value:
            _detail(state.paragraph("Cover Detail"), label, value)
    state.document.add_section(WD_SECTION.NEW_PAGE)


def _title_block(state: _State) -> None:
    """The memo's compact title block, its details on one line: no cover, no section break."""
    meta = state.briefing.meta
    _titles(state, 14)
    details = [("Date", meta.date_long), ("From", meta.author), ("For", meta.audience)]
    paragraph = state.paragraph("Cover Detail")
    for label, value in (d for d in details if d[1]):
        if paragraph.runs:
            paragraph.add_run("    ")
        _detail(paragraph, label, value)


def _toc(state: _State) -> None:
    """A real TOC field, pre-filled with the headings so it reads right before any update."""
    depth = state.briefing.meta.toc_depth
    headings = [h for h in state.briefing.headings if h.level <= depth]
    if not headings:
        return
    state.paragraph("TOC Heading", "Contents")
    first = state.paragraph("TOC 1")
    _field_begin(first, f'TOC \\o "1-{depth}" \\h \\z \\u')
    for index, heading in enumerate(headings):
        style = f"TOC {min(heading.level, 3)}"
        paragraph = first if index == 0 else state.paragraph(style)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), state.bookmarks[heading.id])
        link.set(qn("w:history"), "1")
        paragraph._p.append(link)
        link.append(paragraph.add_run(m.plain_text(heading.children))._r)
    last = state.paragraph("Normal")
    _field_end(last)
    settings = state.document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _field_begin(paragraph: Paragraph, instruction: str) -> None:
    _fld_char(paragraph, "begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _fld_char(paragraph, "separate")


def _field_end(paragraph: Paragraph) -> None:
    _fld_char(paragraph, "end")


def _fld_char(paragraph: Paragraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(element)


def _simple_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    _field_begin(paragraph, instruction)
    paragraph.add_run(placeholder)
    _field_end(paragraph)


def _headers_and_footers(document: Document, meta: m.BriefingMeta) -> None:
    cover, body = document.sections[0], document.sections[-1]
    styles = document.styles
    if len(document.sections) > 1:  # the cover: the marking only
        for part in (cover.header, cover.footer):
            part.is_linked_to_previous = False
            _marking_paragraph(part.paragraphs[0], meta, styles)
    body.header.is_linked_to_previous = False
    body.footer.is_linked_to_previous = False
    _marking_paragraph(body.header.paragraphs[0], meta, styles)
    title = body.header.add_paragraph(meta.title, style="Header")
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    page = body.footer.paragraphs[0]
    page.style = document.styles["Footer"]
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.add_run("Page ")
    _simple_field(page, "PAGE", "1")
    page.add_run(" of ")
    _simple_field(page, "NUMPAGES", "1")
    _marking_paragraph(body.footer.add_paragraph(), meta, styles)


def _marking_paragraph(paragraph: Paragraph, meta: m.BriefingMeta, styles: Any) -> None:
    """The banner: the marking in the scheme's colours, shaded behind the text only."""
    paragraph.style = styles["Marking"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not meta.marking:
        return
    run = paragraph.add_run(f" {meta.marking} ")
    run.font.color.rgb = RGBColor.from_string(meta.marking_colour.removeprefix("#").upper())
    shading = OxmlElement(
        "w:shd",
        {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): meta.marking_background[1:]},
    )
    run._r.get_or_add_rPr().append(shading)


CUSTOM_PROPERTIES = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Classification">'
    "<vt:lpwstr></vt:lpwstr></property></Properties>"
)


def _classification_property(document: Document, marking: str) -> None:
    """docProps/custom.xml with the banner, for systems that route documents by marking."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES:
            package.rels.pop(rel_id)
    element = parse_xml(CUSTOM_PROPERTIES)
    element[0][0].text = marking
    part = XmlPart(
        PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, element, package
    )
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


# --- blocks: one small function per kind ------------------------------------------------------


def _block(block: m.Block, state: _State, depth: int) -> None:
    _BLOCKS[type(block)](block, state, depth)


def _heading(block: Any, state: _State, depth: int) -> None:
    paragraph = state.paragraph(f"Heading {min(block.level, 6)}")
    name = state.bookmarks.get(block.id)
    if name is not None:  # the target of the TOC entries and of internal links
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), name.removeprefix("_Toc").lstrip("0") or "0")
        start.set(qn("w:name"), name)
        paragraph._p.append(start)
    _inlines(paragraph, block.children, state)
    if name is not None:
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), start.get(qn("w:id")))
        paragraph._p.append(end)


def _paragraph(block: Any, state: _State, depth: int, style: str = "Normal") -> Paragraph:
    paragraph = state.paragraph(style)
    _inlines(paragraph, block.children, state)
    return paragraph


def _list(block: Any, state: _State, depth: int) -> None:
    ordered = isinstance(block, m.OrderedList)
    level = min(depth + 1, 3)
    style = ("List Number" if ordered else "List Bullet") + ("" if level == 1 else f" {level}")
    num_id = _restarted_numbering(state, style, block.start) if ordered else None
    for item in block.items:
        first = True
        for child in item.blocks:
            if isinstance(child, m.Paragraph) and first:
                paragraph = _paragraph(child, state, depth, style)
                if num_id is not None:
                    _set_num(paragraph, num_id)
                first = False
            elif isinstance(child, m.BulletList | m.OrderedList):
                _list(child, state, depth + 1)
            else:
                _block(child, state, depth)


def _restarted_numbering(state: _State, style: str, start: int) -> int:
    """A new w:num on the style's abstract numbering, so each list starts at its own number."""
    numbering = state.document.part.numbering_part.element
    style_num = state.document.styles[style].element.find(f".//{qn('w:numId')}")
    if style_num is None:
        return 0
    base = numbering.num_having_numId(int(style_num.get(qn("w:val"))))
    abstract_id = base.abstractNumId.val
    num = numbering.add_num(abstract_id)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    return int(num.numId)


def _set_num(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _table(block: Any, state: _State, depth: int) -> None:
    rows = (block.header, *block.rows)
    columns = max(len(row) for row in rows)
    table = state.document.add_table(rows=len(rows), cols=columns)
    table.style = state.document.styles["Brief Table"]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            paragraph = table.cell(r, c).paragraphs[0]
            _inlines(paragraph, cell.children, state)
            align = block.aligns[c] if c < len(block.aligns) else ""
            if align:
                paragraph.alignment = _ALIGN[align]
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    state.paragraph("Normal")


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _blockquote(block: Any, state: _State, depth: int) -> None:
    for child in block.blocks:
        if isinstance(child, m.Paragraph):
            _paragraph(child, state, depth, "Quote")
        else:
            _block(child, state, depth)


def _code_block(block: Any, state: _State, depth: int) -> None:
    paragraph = state.paragraph("Source Code")
    for index, line in enumerate(block.text.split("\n")):
        run = paragraph.add_run(line)
        if index:
            run._r.addprevious(_break())


def _break() -> Any:
    return OxmlElement("w:br")


def _image(block: Any, state: _State, depth: int) -> None:
    caption = block.title or block.alt
    if block.path is not None:
        try:
            image = load_image(block.path)
        except ImageError as exc:
            state.reporter.warn(f"image '{block.src}' {exc}; its caption is shown instead")
        else:
            natural = Emu(int(image.width * 914400 / 96))
            width = min(natural, Emu(state.text_width))
            state.document.add_picture(io.BytesIO(image.data), width=width)
    if caption:
        state.paragraph("Caption", caption)


def _thematic_break(block: Any, state: _State, depth: int) -> None:
    paragraph = state.paragraph("Normal")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("* * *")


def _page_break(block: Any, state: _State, depth: int) -> None:
    state.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _definition_list(block: Any, state: _State, depth: int) -> None:
    for item in block.items:
        term = state.paragraph("Normal")
        term.paragraph_format.keep_with_next = True
        _inlines(term, item.term, state, bold=True)
        for definition in item.definitions:
            for child in definition:
                if isinstance(child, m.Paragraph):
                    paragraph = _paragraph(child, state, depth)
                    paragraph.paragraph_format.left_indent = Emu(228600)
                else:
                    _block(child, state, depth)


_BLOCKS: dict[type, Callable[[Any, _State, int], Any]] = {
    m.Heading: _heading,
    m.Paragraph: _paragraph,
    m.BulletList: _list,
    m.OrderedList: _list,
    m.Table: _table,
    m.BlockQuote: _blockquote,
    m.CodeBlock: _code_block,
    m.Image: _image,
    m.ThematicBreak: _thematic_break,
    m.PageBreak: _page_break,
    m.DefinitionList: _definition_list,
}

# --- inlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False


def _inlines(
    paragraph: Paragraph, runs: tuple[m.Inline, ...], state: _State, *, bold: bool = False
) -> None:
    for run in runs:
        _inline(paragraph, run, state, _Format(bold=bold))


def _inline(paragraph: Paragraph, run: m.Inline, state: _State, fmt: _Format) -> None:
    if isinstance(run, m.Text):
        _text_run(paragraph, run.text, fmt)
    elif isinstance(run, m.Code):
        _text_run(paragraph, run.text, fmt, state.style_id("Inline Code"))
    elif isinstance(run, m.Strong | m.Emphasis | m.Strikethrough):
        inner = _Format(
            bold=fmt.bold or isinstance(run, m.Strong),
            italic=fmt.italic or isinstance(run, m.Emphasis),
            strike=fmt.strike or isinstance(run, m.Strikethrough),
        )
        for child in run.children:
            _inline(paragraph, child, state, inner)
    elif isinstance(run, m.Link):
        _hyperlink(paragraph, run, state, fmt)
    elif isinstance(run, m.FootnoteRef):
        _footnote_ref(paragraph, run, state)
    else:
        paragraph.add_run().add_break()


def _footnote_ref(paragraph: Paragraph, run: m.FootnoteRef, state: _State) -> None:
    """A real Word footnote the first time a note is called; its number again after that
    (Word lets a footnote be referenced once, and notes cannot nest)."""
    note = state.briefing.footnote(run.key)
    if note is None:
        return
    if run.key in state.written_notes or isinstance(paragraph.part, _NotesPart):
        state.run(paragraph, "Footnote Reference", str(note.number))
        return
    state.written_notes.add(run.key)
    reference = state.run(paragraph, "Footnote Reference")
    element = OxmlElement("w:footnoteReference")
    element.set(qn("w:id"), str(note.number))
    reference.append(element)
    contents = [runs for block in note.blocks for runs in m.inline_children(block)] or [()]
    paragraphs = state.footnotes.add(note.number, len(contents), state.document)
    marker = state.run(paragraphs[0], "Footnote Reference")
    marker.append(OxmlElement("w:footnoteRef"))
    paragraphs[0].add_run(" ")
    for note_paragraph, runs in zip(paragraphs, contents, strict=True):
        _inlines(note_paragraph, runs, state)


def _text_run(paragraph: Paragraph, text: str, fmt: _Format, style_id: str | None = None) -> Any:
    """A formatted run, built with lxml in schema order (rStyle, b, i, strike): the text runs
    are most of a brief, and python-docx's generic child insertion is slow."""
    run = OxmlElement("w:r")
    properties = [OxmlElement("w:rStyle", {qn("w:val"): style_id})] if style_id else []
    properties += [OxmlElement(tag) for tag, on in _RUN_FLAGS if getattr(fmt, on)]
    if properties:
        rpr = OxmlElement("w:rPr")
        rpr.extend(properties)
        run.append(rpr)
    if text:
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"} if text != text.strip() else None)
        t.text = text
        run.append(t)
    paragraph._p.append(run)
    return run


_RUN_FLAGS = (("w:b", "bold"), ("w:i", "italic"), ("w:strike", "strike"))
PLAIN = _Format()
SECTION_PROPERTIES = qn("w:sectPr")


def _hyperlink(paragraph: Paragraph, link: m.Link, state: _State, fmt: _Format) -> None:
    element = OxmlElement("w:hyperlink")
    if link.href.startswith("#"):
        anchor = link.href[1:]
        element.set(qn("w:anchor"), state.bookmarks.get(anchor, anchor))
    else:
        rel = paragraph.part.relate_to(link.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        element.set(qn("r:id"), rel)
    paragraph._p.append(element)
    for child in link.children:
        before = len(paragraph._p)
        _inline(paragraph, child, state, fmt)
        for new_run in list(paragraph._p)[before:]:
            new_run.get_or_add_rPr().style = state.style_id("Hyperlink")
            element.append(new_run)
