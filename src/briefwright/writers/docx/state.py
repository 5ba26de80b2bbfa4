"""What the DOCX writer carries while it walks a briefing: the document, the style IDs it has
looked up, the bookmarks of the headings, the footnotes written so far."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from docx.text.paragraph import Paragraph

from briefwright import model as m
from briefwright.fonts import Direction, language_direction
from briefwright.writers.docx import oxml
from briefwright.writers.docx.oxml import Element

if TYPE_CHECKING:
    from docx.document import Document
    from docx.parts.story import StoryPart

    from briefwright.errors import Reporter


@dataclass(frozen=True)
class Story:
    """Where paragraphs live: the document's body, or its footnotes. python-docx's proxies ask
    it for their part (to add a relationship or resolve a style)."""

    part: StoryPart


@dataclass(frozen=True)
class Para:
    """A paragraph being written: its w:p element, which the writer fills directly, and the
    story it belongs to. `proxy` is python-docx's Paragraph over it, for what has an API."""

    element: Element
    story: Story

    @property
    def proxy(self) -> Paragraph:
        return Paragraph(self.element, self.story)

    @property
    def part(self) -> StoryPart:
        return self.story.part


@dataclass
class State:
    document: Document
    briefing: m.Briefing
    reporter: Reporter
    notes: Story  # the footnotes part
    body: Story = field(init=False)
    bookmarks: dict[str, str] = field(default_factory=dict)  # heading ID -> bookmark name
    written_notes: set[str] = field(default_factory=set)
    style_ids: dict[str, str] = field(default_factory=dict)
    note: Element | None = None  # the w:footnote being written, if any: blocks go there
    cell: Element | None = None  # the w:tc being written, if any: blocks go there first
    nested: list[m.Footnote] | None = None  # the notes first called in the note being written
    font_sizes: dict[tuple[str, bool], int | None] = field(default_factory=dict)  # of styles
    hyperlinks: dict[tuple[str, str], str] = field(default_factory=dict)  # (part, URL) -> rId
    heading_num: int = 0  # the w:num numbering the headings (section_numbers); 0: none yet

    def __post_init__(self) -> None:
        self.body = Story(self.document.part)

    @cached_property
    def heading_numbers(self) -> dict[str, str]:
        """Each numbered heading's ID -> its number ("3.2"), for cross-references."""
        return {h.id: h.number for h in self.briefing.headings if h.number}

    @property
    def direction(self) -> Direction:
        """The briefing's direction, from its language: a paragraph without a strongly
        directional character follows it."""
        return language_direction(self.briefing.meta.lang)

    def style_id(self, name: str) -> str:
        """The style's ID, looked up once: python-docx scans every style on each lookup by name,
        which took most of the time of a long brief."""
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, style: str, text: str = "") -> Para:
        """A new paragraph in `style` (Normal is Footnote Text in a note), with `text` as one
        plain run, at the end of the body or of the note being written."""
        if self.note is not None and style == "Normal":
            style = "Footnote Text"
        p = oxml.styled_paragraph(self.style_id(style))
        self.append_block(p)
        if text:
            oxml.text_run(p, text, oxml.PLAIN)
        return Para(p, self.story)

    def append_block(self, element: Element) -> None:
        """A paragraph or table at the end of the body, of the table cell or of the note being
        written."""
        if self.cell is not None:
            self.cell.append(element)
        elif self.note is not None:
            self.note.append(element)
        else:
            oxml.append_block(self.document.element.body, element)

    @property
    def story(self) -> Story:
        return self.body if self.note is None else self.notes

    @cached_property
    def called_again(self) -> frozenset[str]:
        """The footnotes called more than once: their first call gets a bookmark."""
        calls = Counter(
            run.key
            for block in (*self.briefing.blocks, *self._note_blocks())
            for runs in m.inline_children(block)
            for run in m.iter_inlines(runs)
            if isinstance(run, m.FootnoteRef)
        )
        return frozenset(key for key, count in calls.items() if count > 1)

    def _note_blocks(self) -> tuple[m.Block, ...]:
        return tuple(block for note in self.briefing.footnotes for block in note.blocks)

    def run(self, paragraph: Para, style: str, text: str = "") -> Element:
        """A run in a character style; returns its w:r element."""
        return oxml.text_run(paragraph.element, text, oxml.PLAIN, self.style_id(style))

    def in_notes(self, paragraph: Para) -> bool:
        return paragraph.story.part is self.notes.part

    @property
    def text_width(self) -> int:
        section = self.document.sections[-1]
        margins = int(section.left_margin or 0) + int(section.right_margin or 0)
        return int(section.page_width or 0) - margins
