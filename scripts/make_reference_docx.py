"""Generate the built-in template's reference.docx: the Word styles every DOCX brief uses.

Run: .venv/bin/python scripts/make_reference_docx.py
Users restyle their briefs by editing a copy of the output in Word or LibreOffice instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
INK = RGBColor(0x1D, 0x23, 0x2B)
MUTED = RGBColor(0x5B, 0x65, 0x73)
BODY_FONT = "Calibri"
CODE_FONT = "Consolas"

TEMPLATES = Path(__file__).resolve().parent.parent / "src/briefwright/templates"
TITLE_SIZES = {"briefing": 28.0, "memo": 19.0}  # the memo has a compact title block


def font(style, size: float, *, bold=None, italic=None, color=INK, name=BODY_FONT):  # type: ignore[no-untyped-def]
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(docx.oxml.ns.qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(docx.oxml.ns.qn(attr), None)


def spacing(style, before: float, after: float, line: float | None = None) -> None:  # type: ignore[no-untyped-def]
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def add_style(doc, name: str, kind, base: str):  # type: ignore[no-untyped-def]
    style = doc.styles.add_style(name, kind)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


TABLE_STYLE = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefTable">
  <w:name w:val="Brief Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="40"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="30" w:after="30" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="8" w:color="1F3A5F"/>
      <w:bottom w:val="single" w:sz="8" w:color="1F3A5F"/>
      <w:insideH w:val="single" w:sz="4" w:color="C5CDD8"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:color w:val="1F3A5F"/></w:rPr>
    <w:tblPr/>
    <w:tcPr>
      <w:tcBorders><w:bottom w:val="single" w:sz="8" w:color="1F3A5F"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="E8EDF4"/>
    </w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F4F6F9"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


# Callouts (briefwright/callouts.py): (kind's style name, bar, tint, title colour), as the
# built-in templates' CSS (_shared/base.css) draws them.
CALLOUTS = (
    ("Note", "2C6CB0", "EEF4FB", RGBColor(0x1F, 0x4E, 0x85)),
    ("Tip", "2E8540", "EEF7F0", RGBColor(0x1E, 0x5C, 0x2B)),
    ("Important", "B3261E", "FBEEED", RGBColor(0x8C, 0x1D, 0x17)),
    ("Warning", "C98A00", "FDF6E3", RGBColor(0x7A, 0x54, 0x00)),
    ("Caution", "D0631B", "FDF1E8", RGBColor(0x9A, 0x45, 0x10)),
)


def callout_styles(doc) -> None:  # type: ignore[no-untyped-def]
    """A paragraph style per callout kind ("Note": a bar on the left and a tint; paragraphs in
    a row with the same borders make one box in Word) and its title style ("Note Title")."""
    for name, bar, tint, ink in CALLOUTS:
        body = add_style(doc, name, WD_STYLE_TYPE.PARAGRAPH, "Normal")
        font(body, 10.5)
        ppr = body.element.get_or_add_pPr()  # borders and shading first: schema order
        ppr.append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="2" w:space="4" '
                f'w:color="{tint}"/><w:left w:val="single" w:sz="24" w:space="8" '
                f'w:color="{bar}"/><w:bottom w:val="single" w:sz="2" w:space="4" '
                f'w:color="{tint}"/></w:pBdr>'
            )
        )
        ppr.append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{tint}"/>')
        )
        spacing(body, 0, 4)
        body.paragraph_format.left_indent = Mm(4)
        body.paragraph_format.right_indent = Mm(2)
        title = add_style(doc, f"{name} Title", WD_STYLE_TYPE.PARAGRAPH, name)
        font(title, 10.5, bold=True, color=ink)
        spacing(title, 8, 2)  # apart from the box before it, a callout of another kind
        title.paragraph_format.keep_with_next = True
        title.next_paragraph_style = body


def main() -> None:
    for name, title_size in TITLE_SIZES.items():
        out = TEMPLATES / name / "reference.docx"
        build(title_size).save(str(out))
        print(f"wrote {out}", file=sys.stderr)


def build(title_size: float) -> docx.document.Document:
    doc = docx.Document()
    styles = doc.styles

    normal = styles["Normal"]
    font(normal, 10.5)
    spacing(normal, 0, 5, 1.15)

    font(styles["Title"], title_size, bold=True, color=ACCENT)
    spacing(styles["Title"], 60 if title_size > 20 else 0, 12 if title_size > 20 else 4, 1.0)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(docx.oxml.ns.qn("w:pBdr")):
        title_ppr.remove(border)
    font(styles["Subtitle"], 15, italic=False, color=MUTED)
    spacing(styles["Subtitle"], 0, 24)

    sizes = {1: 16, 2: 13, 3: 11.5, 4: 10.5, 5: 10.5, 6: 10.5}
    for level, size in sizes.items():
        style = styles[f"Heading {level}"]
        font(style, size, bold=True, italic=level == 4 or None, color=ACCENT if level < 5 else INK)
        spacing(style, 18 if level == 1 else 12 if level == 2 else 9, 4 if level > 1 else 6, 1.0)
        style.paragraph_format.keep_with_next = True
    h1_ppr = styles["Heading 1"].element.get_or_add_pPr()
    h1_ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="3" '
            f'w:color="C5CDD8"/></w:pBdr>'
        )
    )

    quote = styles["Quote"]
    font(quote, 10.5, italic=False, color=MUTED)
    quote.paragraph_format.left_indent = Mm(8)
    quote.paragraph_format.right_indent = Mm(0)
    quote.element.get_or_add_pPr().append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
            f'w:color="1F3A5F"/></w:pBdr>'
        )
    )

    font(styles["Caption"], 9, bold=False, color=MUTED)
    spacing(styles["Caption"], 2, 10)

    code = add_style(doc, "Source Code", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    font(code, 8.5, name=CODE_FONT)
    spacing(code, 0, 0, 1.0)
    code.paragraph_format.left_indent = Mm(3)
    code.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F4F6F9"/>')
    )
    inline_code = add_style(doc, "Inline Code", WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
    inline_code.font.name = CODE_FONT
    inline_code.font.size = Pt(9.5)

    note = add_style(doc, "Footnote Text", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    font(note, 8.5)
    spacing(note, 0, 2, 1.0)
    note_ref = add_style(
        doc, "Footnote Reference", WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font"
    )
    note_ref.font.superscript = True

    link = add_style(doc, "Hyperlink", WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
    link.font.color.rgb = ACCENT
    link.font.underline = True

    for name in ("Header", "Footer"):
        font(styles[name], 8, color=MUTED)
    marking = add_style(doc, "Marking", WD_STYLE_TYPE.PARAGRAPH, "Header")
    font(marking, 9, bold=True, color=INK)
    marking.paragraph_format.alignment = 1  # centred

    meta = add_style(doc, "Cover Detail", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    font(meta, 10.5, color=INK)
    spacing(meta, 0, 3)

    toc_heading = styles["TOC Heading"]
    font(toc_heading, 14, bold=True, color=ACCENT)
    for level in (1, 2, 3):
        toc = add_style(doc, f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal")
        font(toc, 10.5, bold=level == 1 or None)
        spacing(toc, 4 if level == 1 else 0, 2)
        toc.paragraph_format.left_indent = Mm(6 * (level - 1))
        toc.paragraph_format.tab_stops.add_tab_stop(
            Mm(168), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )

    for name in ("List Bullet", "List Number"):
        for suffix in ("", " 2", " 3"):
            spacing(styles[name + suffix], 0, 3)

    styles.element.append(parse_xml(TABLE_STYLE))

    callout_styles(doc)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    doc.core_properties.author = ""
    doc.core_properties.last_modified_by = "briefwright"
    doc.core_properties.title = "briefwright reference document"
    return doc


if __name__ == "__main__":
    main()
