"""Footnotes in DOCX: a Word footnote for each note, at its first call; a NOTEREF field for
every later call, and for every call inside a note, since a Word footnote cannot hold a
footnote reference: a note first called in a note is a footnote of its own whose reference
follows that of the note calling it."""

from __future__ import annotations

from collections.abc import Callable

from docx.styles.style import ParagraphStyle

from briefwright import model as m
from briefwright.writers.docx import oxml
from briefwright.writers.docx.state import Para, State

BlockWriter = Callable[[m.Block, State, int], None]  # blocks.write_block (which imports this)


def footnote_ref(paragraph: Para, run: m.FootnoteRef, state: State, write: BlockWriter) -> None:
    """A real Word footnote the first time a note is called. Word gives each footnote one
    reference, so a later call is a NOTEREF field showing the same number in the footnote
    reference style, pointing at a bookmark on the first call. So is a call in a note: a Word
    footnote cannot hold a footnote reference (see `_notes`)."""
    note = state.briefing.footnote(run.key)
    if note is None:
        return
    first = run.key not in state.written_notes
    state.written_notes.add(run.key)
    if state.in_notes(paragraph):
        if first:
            assert state.nested is not None, "notes are written by _notes"
            state.nested.append(note)
        _note_again(paragraph, note.number, _bookmark(note), state)
    elif first:
        _reference(paragraph, note, run.key in state.called_again, state)
        _notes(paragraph, note, state, write)
    else:
        _note_again(paragraph, note.number, _bookmark(note), state)


def _bookmark(note: m.Footnote) -> str:
    return f"_RefNote{note.number:05d}"


def _reference(paragraph: Para, note: m.Footnote, bookmarked: bool, state: State) -> None:
    """The footnote's reference mark, in a bookmark if another call points at it."""
    bookmark, bookmark_id = _bookmark(note), oxml.note_bookmark_id(note.number)
    if bookmarked:
        oxml.bookmark_start(paragraph.element, bookmark, bookmark_id)
    oxml.footnote_reference(state.run(paragraph, "Footnote Reference"), note.number)
    if bookmarked:
        oxml.bookmark_end(paragraph.element, bookmark, bookmark_id)


def _note_again(paragraph: Para, number: int, bookmark: str, state: State) -> None:
    """A later call: NOTEREF to the first call's bookmark, its number as the shown result."""
    oxml.field_char(state.run(paragraph, "Footnote Reference"), "begin")
    oxml.instruction(state.run(paragraph, "Footnote Reference"), f"NOTEREF {bookmark} \\f \\h")
    oxml.field_char(state.run(paragraph, "Footnote Reference"), "separate")
    state.run(paragraph, "Footnote Reference", str(number))
    oxml.field_char(state.run(paragraph, "Footnote Reference"), "end")


def _notes(paragraph: Para, note: m.Footnote, state: State, write: BlockWriter) -> None:
    """The note, then each note first called in it (depth first, a work list: a chain of notes
    may be long): each a footnote of its own whose reference follows, after a comma, so that
    Word numbers them as the model does; the calling note shows its number as a NOTEREF."""
    todo = [note]
    while todo:
        current = todo.pop()
        if current is not note:
            state.run(paragraph, "Footnote Reference", ",")
            _reference(paragraph, current, True, state)
        state.nested = []
        _note(current, state, write)
        todo.extend(reversed(state.nested))
        state.nested = None


def _note(note: m.Footnote, state: State, write: BlockWriter) -> None:
    """The footnote's text: every block, as in the body, in the footnotes part; its number
    first, at the start of its first paragraph (or of a paragraph of its own)."""
    element = oxml.footnote(state.notes.part.element, note.number)
    state.note = element
    try:
        if not note.blocks or not isinstance(note.blocks[0], m.Paragraph):
            state.paragraph("Normal")
        for block in note.blocks:
            write(block, state, 0)
    finally:
        state.note = None
    oxml.footnote_mark_first(element, state.style_id("Footnote Reference"))
    size = _font_size(state, "Footnote Text")
    if size is not None:  # lists, quotes and code no larger than the note's own text
        larger = {p: s for p in oxml.paragraph_styles(element) if (s := _font_size(state, p, True))}
        oxml.set_text_size(element, size, {p for p, s in larger.items() if s > size})


def _font_size(state: State, style: str, by_id: bool = False) -> int | None:
    """A paragraph style's font size in EMU, from the style or the styles it is based on;
    looked up once (each note asks, and a look-up scans every style)."""
    if (style, by_id) not in state.font_sizes:
        state.font_sizes[style, by_id] = _style_font_size(state, style, by_id)
    return state.font_sizes[style, by_id]


def _style_font_size(state: State, style: str, by_id: bool) -> int | None:
    found = state.document.styles[style] if not by_id else _style_by_id(state, style)
    while found is not None:
        if found.font.size is not None:
            return int(found.font.size)
        found = found.base_style
    return None


def _style_by_id(state: State, style_id: str) -> ParagraphStyle | None:
    for style in state.document.styles:
        if isinstance(style, ParagraphStyle) and style.style_id == style_id:
            return style
    return None
