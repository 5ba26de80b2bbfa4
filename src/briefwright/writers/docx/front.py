"""Front matter and page furniture: page set-up, cover or title block, the contents field,
and the headers and footers with the marking and the page numbers."""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.section import Section
from docx.shared import Mm, RGBColor
from docx.styles.styles import Styles
from docx.text.paragraph import Paragraph

from briefwright import model as m
from briefwright.readers.images import ImageError, load_image
from briefwright.writers.docx import oxml
from briefwright.writers.docx.picture import add_picture
from briefwright.writers.docx.state import State

PAGE_SIZES_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}


def page_setup(section: Section, meta: m.BriefingMeta) -> None:
    width, height = PAGE_SIZES_MM[meta.page_size]
    if meta.orientation == "landscape":
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)


def cover(state: State) -> None:
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
            _detail(state.paragraph("Cover Detail").proxy, label, value)
    state.document.add_section(WD_SECTION.NEW_PAGE)


def title_block(state: State) -> None:
    """The memo's compact title block, its details on one line: no cover, no section break."""
    meta = state.briefing.meta
    _titles(state, 14)
    details = [("Date", meta.date_long), ("From", meta.author), ("For", meta.audience)]
    paragraph = state.paragraph("Cover Detail").proxy
    for label, value in (d for d in details if d[1]):
        if paragraph.runs:
            paragraph.add_run("    ")
        _detail(paragraph, label, value)


def _titles(state: State, logo_height_mm: float) -> None:
    meta = state.briefing.meta
    if meta.logo is not None:
        image = load_image(meta.logo)
        height = Mm(logo_height_mm)
        try:
            add_picture(state.document, image, height=height, alt=meta.logo_alt)
        except ImageError as exc:
            state.reporter.warn(f"logo '{meta.logo.name}' {exc}; left out", file=meta.file)
    state.paragraph("Title", meta.title)
    if meta.subtitle:
        state.paragraph("Subtitle", meta.subtitle)


def _detail(paragraph: Paragraph, label: str, value: str) -> None:
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def table_of_contents(state: State) -> None:
    """A real TOC field, pre-filled with the headings so it reads right before any update."""
    depth = state.briefing.meta.toc_depth
    headings = [h for h in state.briefing.headings if h.level <= depth]
    if not headings:
        return
    state.paragraph("TOC Heading", "Contents")
    first = state.paragraph("TOC 1")
    _field_begin(first.proxy, f'TOC \\o "1-{depth}" \\h \\z \\u')
    for index, heading in enumerate(headings):
        paragraph = first if index == 0 else state.paragraph(f"TOC {min(heading.level, 3)}")
        link = oxml.internal_hyperlink(state.bookmarks[heading.id], history=True)
        paragraph.element.append(link)
        number = f"{heading.number} " if heading.number else ""  # until Word updates the field
        link.append(paragraph.proxy.add_run(number + m.plain_text(heading.children)).element)
    _field_end(state.paragraph("Normal").proxy)
    oxml.update_fields_on_open(state.document.settings.element)


def _field_begin(paragraph: Paragraph, instruction: str) -> None:
    oxml.field_char(paragraph.add_run().element, "begin")
    oxml.instruction(paragraph.add_run().element, instruction)
    oxml.field_char(paragraph.add_run().element, "separate")


def _field_end(paragraph: Paragraph) -> None:
    oxml.field_char(paragraph.add_run().element, "end")


def _simple_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    _field_begin(paragraph, instruction)
    paragraph.add_run(placeholder)
    _field_end(paragraph)


def headers_and_footers(document: Document, meta: m.BriefingMeta) -> None:
    """The marking (if the project has a scheme) on every page; on the body's pages also the
    title and "Page X of Y"."""
    cover, body = document.sections[0], document.sections[-1]
    styles = document.styles
    if len(document.sections) > 1:  # the cover: the marking only
        for part in (cover.header, cover.footer):
            part.is_linked_to_previous = False
            _marking_paragraph(part.paragraphs[0], meta, styles)
    body.header.is_linked_to_previous = False
    body.footer.is_linked_to_previous = False
    running_title = meta.short_title or meta.title
    if meta.banner is None:
        title = body.header.paragraphs[0]
        title.text, title.style = running_title, styles["Header"]
    else:
        _marking_paragraph(body.header.paragraphs[0], meta, styles)
        title = body.header.add_paragraph(running_title, style="Header")
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    page = body.footer.paragraphs[0]
    page.style = styles["Footer"]
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.add_run("Page ")
    _simple_field(page, "PAGE", "1")
    page.add_run(" of ")
    _simple_field(page, "NUMPAGES", "1")
    if meta.banner is not None:
        _marking_paragraph(body.footer.add_paragraph(), meta, styles)


def _marking_paragraph(paragraph: Paragraph, meta: m.BriefingMeta, styles: Styles) -> None:
    """The banner: the marking in the scheme's colours, shaded behind the text only (an empty
    paragraph without a scheme: the cover's header and footer stay empty)."""
    if meta.banner is None:
        return
    level = meta.banner.level
    paragraph.style = styles["Marking"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(f" {meta.marking} ")
    run.font.color.rgb = RGBColor.from_string(level.colour.removeprefix("#").upper())
    oxml.shade(run.element, level.background[1:])
