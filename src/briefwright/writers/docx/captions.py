"""Numbered captions and cross-references as Word makes them: a Caption paragraph whose
"Figure 1" is the text "Figure " and a SEQ field, inside a bookmark; a reference is a REF field
to that bookmark (or a heading's), pre-filled with the text it shows, so Word and LibreOffice
renumber both when they update fields."""

from __future__ import annotations

from collections.abc import Callable

from briefwright import model as m
from briefwright.crossref import caption_lists
from briefwright.writers.docx import oxml
from briefwright.writers.docx.state import Para, State

# Bookmark numbers of captions, clear of the headings' `_Toc` numbers and the notes' 900000s.
CAPTION_BOOKMARK_IDS = 800000

WriteInlines = Callable[[Para, tuple[m.Inline, ...], State], None]


def caption_bookmarks(briefing: m.Briefing) -> dict[str, str]:
    """Each numbered figure's and table's label -> the name of the bookmark on its caption."""
    numbered = [
        block.id
        for block in m.walk(briefing.blocks)
        if isinstance(block, m.Image | m.Table) and block.number
    ]
    return {label: f"_Ref{CAPTION_BOOKMARK_IDS + n}" for n, label in enumerate(numbered, 1)}


def caption_list_fields(state: State) -> None:
    """Each list of figures or tables the briefing asks for: a TOC field over the captions of
    one SEQ kind (`\\c "Figure"`), pre-filled with linked entries so it reads right before
    any update."""
    for kind, title, entries in caption_lists(state.briefing):
        state.paragraph("TOC Heading", title)
        for index, (label, text) in enumerate(entries):
            p = state.paragraph("TOC 1").element
            if index == 0:
                oxml.field_char(oxml.text_run(p, "", oxml.PLAIN), "begin")
                oxml.instruction(oxml.text_run(p, "", oxml.PLAIN), f'TOC \\h \\z \\c "{kind}"')
                oxml.field_char(oxml.text_run(p, "", oxml.PLAIN), "separate")
            link = oxml.internal_hyperlink(state.bookmarks.get(label, label), history=True)
            p.append(link)
            link.append(oxml.text_run(p, text, oxml.PLAIN))
        oxml.field_char(oxml.text_run(state.paragraph("Normal").element, "", oxml.PLAIN), "end")
    if state.briefing.meta.lists:
        oxml.update_fields_on_open(state.document.settings.element)


def write_caption(
    state: State,
    kind: str,
    number: int,
    label: str,
    runs: tuple[m.Inline, ...],
    write_inlines: WriteInlines,
) -> None:
    """A Caption paragraph: "Figure 1: text" with the number a SEQ field, or (unnumbered) the
    text alone."""
    paragraph = state.paragraph("Caption")
    p = paragraph.element
    bookmark = state.bookmarks.get(label) if number else None
    if number:
        if bookmark is not None:
            oxml.bookmark_start(p, bookmark, bookmark.removeprefix("_Ref"))
        oxml.text_run(p, f"{kind} ", oxml.PLAIN)
        _field(p, f"SEQ {kind} \\* ARABIC", str(number))
        if bookmark is not None:
            oxml.bookmark_end(p, bookmark, bookmark.removeprefix("_Ref"))
        if runs:
            oxml.text_run(p, ": ", oxml.PLAIN)
    write_inlines(paragraph, runs, state)


def ref_field(
    paragraph: Para, bookmark: str, text: str, state: State, *, number_only: bool = False
) -> None:
    """A REF field to `bookmark`, a link (`\\h`), showing `text` until it is updated; with
    `number_only`, the number Word's list numbering gives the paragraph (`\\r`)."""
    p = paragraph.element
    style = state.style_id("Hyperlink")
    switches = "\\r \\h" if number_only else "\\h"
    _field(p, f"REF {bookmark} {switches}", text, style)


def _field(p: oxml.Element, instruction: str, result: str, style: str | None = None) -> None:
    oxml.field_char(oxml.text_run(p, "", oxml.PLAIN), "begin")
    oxml.instruction(oxml.text_run(p, "", oxml.PLAIN), instruction)
    oxml.field_char(oxml.text_run(p, "", oxml.PLAIN), "separate")
    oxml.text_run(p, result, oxml.PLAIN, style)
    oxml.field_char(oxml.text_run(p, "", oxml.PLAIN), "end")
