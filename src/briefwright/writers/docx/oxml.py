"""Raw WordprocessingML, for what python-docx has no API for: footnotes, fields, bookmarks,
hyperlinks, list numbering, and the text runs built directly for speed.

Everything here goes through python-docx's public oxml entry points (`OxmlElement`,
`parse_xml`, `qn`) and the methods of its oxml element classes; nothing reaches into a proxy's
private attributes. The rest of the writer asks this module for elements.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, TypeAlias

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length

# python-docx's element classes are typed loosely (OxmlElement may return a bare lxml element)
Element: TypeAlias = Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SECTION_PROPERTIES = qn("w:sectPr")
PARAGRAPH = qn("w:p")
PARAGRAPH_PROPERTIES = qn("w:pPr")
PARAGRAPH_STYLE = qn("w:pStyle")
VALUE = qn("w:val")

# --- parts' XML ---------------------------------------------------------------------------------

FOOTNOTES_XML = (
    f'<w:footnotes xmlns:w="{W_NS}"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)
FOOTNOTE_PROPERTIES_XML = (
    f'<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
)
CUSTOM_PROPERTIES_XML = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
CUSTOM_PROPERTY_XML = (
    '<property xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"'
    ' fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"><vt:lpwstr></vt:lpwstr></property>'
)


def footnotes_element() -> Element:
    """A footnotes part's root, with the two separators Word expects."""
    return parse_xml(FOOTNOTES_XML)


def ensure_footnote_properties(settings: Element) -> None:
    """Point the settings at the separators, unless the reference document already does."""
    if settings.find(qn("w:footnotePr")) is None:
        settings.insert(0, parse_xml(FOOTNOTE_PROPERTIES_XML))


def footnote(notes: Element, number: int) -> Element:
    """A new, empty w:footnote at the end of the footnotes part."""
    note = OxmlElement("w:footnote", {qn("w:id"): str(number)})
    notes.append(note)
    return note


def custom_properties_element(properties: list[tuple[str, str]]) -> Element:
    """docProps/custom.xml with each (name, text) property; pids start at 2, as Word's do."""
    element = parse_xml(CUSTOM_PROPERTIES_XML)
    for pid, (name, text) in enumerate(properties, 2):
        prop = parse_xml(CUSTOM_PROPERTY_XML)
        prop.set("pid", str(pid))
        prop.set("name", name)
        prop[0].text = text
        element.append(prop)
    return element


def app_properties_element(version: str, words: int, characters: int, spaced: int) -> Element:
    """docProps/app.xml: the application that wrote the file and the counts of its text. Pages
    are left out: only a layout knows them, and Word counts them again when it opens the file."""
    return parse_xml(
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties">'
        f"<Application>briefwright</Application><DocSecurity>0</DocSecurity>"
        f"<Words>{words}</Words><Characters>{characters}</Characters>"
        f"<CharactersWithSpaces>{spaced}</CharactersWithSpaces>"
        f"<AppVersion>{version}</AppVersion></Properties>"
    )


def paragraph_texts(body: Element) -> list[str]:
    """The text of every paragraph in `body`, table cells included, as Word reads it."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def update_fields_on_open(settings: Element) -> None:
    """Ask Word to update every field (the TOC's page numbers) when it opens the file."""
    if settings.find(qn("w:updateFields")) is None:  # asked once: the TOC, the lists
        settings.append(OxmlElement("w:updateFields", {qn("w:val"): "true"}))


# --- blocks -------------------------------------------------------------------------------------


def append_block(body: Element, block: Element) -> None:
    """Add a paragraph or table at the end of the body, before its final section properties."""
    if len(body) and body[-1].tag == SECTION_PROPERTIES:
        body[-1].addprevious(block)
    else:
        body.append(block)


def styled_paragraph(style_id: str) -> Element:
    """An empty w:p in a paragraph style, built directly: python-docx's add_paragraph searches
    the body for its place and inserts through generic child machinery, a fifth of a long
    render."""
    p = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(OxmlElement("w:pStyle", {qn("w:val"): style_id}))
    p.append(properties)
    return p


# What comes after w:bidi in a w:pPr (ECMA-376 CT_PPrBase), to insert it in schema order.
_AFTER_BIDI = frozenset(
    qn(f"w:{tag}")
    for tag in [
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def set_bidi(paragraph: Element) -> None:
    """Make a w:p a right-to-left paragraph (w:bidi): its lines start at the right."""
    properties = paragraph.get_or_add_pPr()
    bidi = OxmlElement("w:bidi")
    later = next((child for child in properties if child.tag in _AFTER_BIDI), None)
    if later is None:
        properties.append(bidi)
    else:
        later.addprevious(bidi)


# What comes after w:shd in a w:pPr, to insert a box's borders and shading in schema order.
_AFTER_SHADING = _AFTER_BIDI | frozenset(
    qn(f"w:{tag}")
    for tag in [
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
    ]
)


def put_in_box(paragraph: Element, style: Element) -> None:
    """Give a w:p the borders and shading (w:pBdr, w:shd) of a paragraph style's box: a list
    item inside a callout is drawn in the callout's box, whatever its own style."""
    properties = paragraph.get_or_add_pPr()
    style_properties = style.find(qn("w:pPr"))
    if style_properties is None:
        return
    later = next((child for child in properties if child.tag in _AFTER_SHADING), None)
    for tag in ("w:pBdr", "w:shd"):
        found = style_properties.find(qn(tag))
        if found is None or properties.find(qn(tag)) is not None:
            continue
        if later is None:
            properties.append(copy.deepcopy(found))
        else:
            later.addprevious(copy.deepcopy(found))


def repeat_as_header(row: Element) -> None:
    """Mark a table row (w:tr) to repeat at the top of every page the table runs onto."""
    row.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def remove_body_content(body: Element) -> None:
    """Empty the reference document's body, keeping its section properties."""
    for child in list(body):
        if child.tag != SECTION_PROPERTIES:
            body.remove(child)


# --- runs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """Direct character formatting of a run."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    smallcaps: bool = False  # spans: [text]{.smallcaps}, {.underline}, {.mark}
    underline: bool = False
    highlight: bool = False


PLAIN = Format()
# in the schema's order of w:rPr's children
_RUN_FLAGS = (
    ("w:b", "bold"),
    ("w:i", "italic"),
    ("w:smallCaps", "smallcaps"),
    ("w:strike", "strike"),
    ("w:highlight", "highlight"),
    ("w:u", "underline"),
)
_FLAG_VALUES = {"w:highlight": "yellow", "w:u": "single"}


def text_run(
    paragraph: Element,
    text: str,
    fmt: Format,
    style_id: str | None = None,
    rtl_font: str | None = None,
) -> Element:
    """A formatted run appended to a w:p, built in schema order (rStyle, rFonts, b, bCs, i,
    iCs, strike, rtl): text runs are most of a brief, and python-docx's generic child insertion
    is slow. With `rtl_font`, the run is right-to-left text (w:rtl) set in that complex-script
    font, bold and italic applied to complex script too."""
    run = OxmlElement("w:r")
    properties = [OxmlElement("w:rStyle", {qn("w:val"): style_id})] if style_id else []
    if rtl_font:
        properties.append(OxmlElement("w:rFonts", {qn("w:cs"): rtl_font}))
    for tag, on in _RUN_FLAGS:
        if getattr(fmt, on):
            value = _FLAG_VALUES.get(tag)
            properties.append(OxmlElement(tag, {qn("w:val"): value} if value else None))
            if rtl_font and tag in ("w:b", "w:i"):
                properties.append(OxmlElement(tag + "Cs"))
    if rtl_font:
        properties.append(OxmlElement("w:rtl"))
    if properties:
        rpr = OxmlElement("w:rPr")
        rpr.extend(properties)
        run.append(rpr)
    if text:
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"} if text != text.strip() else None)
        t.text = text
        run.append(t)
    paragraph.append(run)
    return run


def line_break() -> Element:
    return OxmlElement("w:br")


def shade(run: Element, fill: str) -> None:
    """Shade a run's background (behind the text only) in `fill`, six hex digits."""
    shading = OxmlElement(
        "w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill}
    )
    run.get_or_add_rPr().append(shading)


def set_run_style(run: Element, style_id: str) -> None:
    run.get_or_add_rPr().style = style_id


# --- fields -------------------------------------------------------------------------------------


def field_char(run: Element, kind: str) -> None:
    """A w:fldChar of `kind` (begin, separate, end) in an empty run; `begin` marks the field
    dirty so the client recomputes it."""
    element = OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})
    if kind == "begin":
        element.set(qn("w:dirty"), "true")
    run.append(element)


def instruction(run: Element, text: str) -> None:
    """A field's instruction text (`TOC ...`, `PAGE`) in an empty run."""
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {text} "
    run.append(instr)


# --- bookmarks and hyperlinks -------------------------------------------------------------------


def bookmark_id(name: str) -> str:
    """The numeric ID of a `_Toc00012` bookmark name: its number."""
    return name.removeprefix("_Toc").lstrip("0") or "0"


def note_bookmark_id(number: int) -> str:
    """The numeric ID of the bookmark on footnote `number`'s first call, clear of the
    headings' `_Toc` numbers."""
    return str(NOTE_BOOKMARK_IDS + number)


NOTE_BOOKMARK_IDS = 900000


def bookmark_start(paragraph: Element, name: str, number: str | None = None) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), number or bookmark_id(name))
    start.set(qn("w:name"), name)
    paragraph.append(start)


def bookmark_end(paragraph: Element, name: str, number: str | None = None) -> None:
    paragraph.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): number or bookmark_id(name)}))


def internal_hyperlink(anchor: str, *, history: bool = False) -> Element:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    if history:
        link.set(qn("w:history"), "1")
    return link


def external_hyperlink(rel_id: str) -> Element:
    return OxmlElement("w:hyperlink", {qn("r:id"): rel_id})


# --- footnote marks -----------------------------------------------------------------------------


def footnote_reference(run: Element, number: int) -> None:
    """The call in the text: w:footnoteReference to footnote `number`."""
    run.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))


def footnote_mark_first(note: Element, style_id: str) -> None:
    """The note's own number (w:footnoteRef) and a space at the start of its first paragraph."""
    first = note.find(qn("w:p"))
    mark = text_run(OxmlElement("w:p"), "", PLAIN, style_id)
    mark.append(OxmlElement("w:footnoteRef"))
    space = text_run(OxmlElement("w:p"), " ", PLAIN)
    properties = first.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(mark)
    else:
        first.insert(0, mark)
    mark.addnext(space)


def paragraph_styles(note: Element) -> set[str]:
    """The IDs of the paragraph styles used in a note."""
    return {e.get(qn("w:val")) for e in note.iter(qn("w:pStyle"))}


def set_text_size(note: Element, size: int, style_ids: set[str]) -> None:
    """Every run of the note's paragraphs in `style_ids` set in `size` (EMU)."""
    for p in note.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in style_ids:
            for run in p.iter(qn("w:r")):
                run.get_or_add_rPr().sz_val = Length(size)


# --- numbering ----------------------------------------------------------------------------------


def restarted_numbering(numbering: Element, style: Element, start: int) -> int:
    """A new w:num on the list style's abstract numbering starting at `start`, so each list
    counts from its own number; 0 when the style has no numbering."""
    style_num = style.find(f".//{qn('w:numId')}")
    if style_num is None:
        return 0
    base = numbering.num_having_numId(int(style_num.get(qn("w:val"))))
    num = numbering.add_num(base.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.numId)


def set_numbering(paragraph: Element, num_id: int, level: int = 0) -> None:
    num_pr = paragraph.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


HEADING_NUMBERING = "Heading Numbering"  # the w:name of the headings' abstract numbering


def heading_numbering(numbering: Element) -> int:
    """A w:num on the reference document's heading numbering (the w:abstractNum named
    HEADING_NUMBERING: restyle it in Word to change how numbers look), on one added as
    Pandoc's 1, 1.1, 1.1.1 when the document has none. Word and LibreOffice count it."""
    name = f"{qn('w:name')}[@{qn('w:val')}='{HEADING_NUMBERING}']"
    found = [a for a in numbering.iterchildren(qn("w:abstractNum")) if a.find(name) is not None]
    abstract = found[0] if found else _add_heading_abstract(numbering)
    return int(numbering.add_num(int(abstract.get(qn("w:abstractNumId")))).numId)


def _add_heading_abstract(numbering: Element) -> Element:
    taken = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iterchildren(qn("w:abstractNum"))]
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:suff w:val="space"/>'
        f'<w:lvlText w:val="{".".join(f"%{n}" for n in range(1, i + 2))}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        for i in range(9)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{max(taken, default=-1) + 1}">'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{HEADING_NUMBERING}"/>'
        f"{levels}</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))  # every w:abstractNum comes before the w:num
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    return abstract


def describe_last_picture(body: Element, text: str) -> None:
    """Alt text (`wp:docPr/@descr`) on the picture just added at the end of `body`: what Word
    shows as the picture's description and reads aloud."""
    found = body.xpath("./w:p[last()]//wp:docPr")
    if found:
        found[-1].set("descr", text)


SVG_BLIP_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # [MS-ODRAWXML] 2.3.1.25
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def add_svg_blip(body: Element, rel_id: str) -> None:
    """The SVG beside the PNG of the picture just added at the end of `body`: an `asvg:svgBlip`
    in the blip's extension list, which Office 2016+ draws and every other reader ignores."""
    found = body.xpath("./w:p[last()]//a:blip")
    if not found:
        return
    ext_list = found[-1].find(qn("a:extLst"))
    if ext_list is None:
        ext_list = OxmlElement("a:extLst")
        found[-1].append(ext_list)
    ext = OxmlElement("a:ext")
    ext.set("uri", SVG_BLIP_EXTENSION)
    blip = parse_xml(f'<asvg:svgBlip xmlns:asvg="{SVG_NS}" xmlns:r="{REL_NS}" r:embed="{rel_id}"/>')
    ext.append(blip)
    ext_list.append(ext)
