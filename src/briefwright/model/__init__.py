"""The format-neutral document model: frozen dataclasses, no I/O.

Every reader produces these and every writer consumes them; writers dispatch on the type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from briefwright.markings import Marking

# --- inline runs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strikethrough:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple[Inline, ...]
    title: str = ""
    # A reference link no definition resolved (`[text][label]`, `[label][]`, `[label]`): what
    # followed `[text]` ("[label]", "[]" or ""). assemble makes it a link to the heading so
    # titled, as Pandoc does, or puts the text back as it was written; writers never see one.
    reference: str | None = None
    # A cross-reference, `@fig-map`, `@tbl-members` or `@sec-risks`: the label it names. The
    # reader writes it as a link with no href and the text as written; assemble gives it its
    # text ("Figure 2", "Section 3.2" or the section's title) and `#label` (crossref.py).
    xref: str = ""


@dataclass(frozen=True)
class FootnoteRef:
    """A call to a footnote; `key` is unique within the whole briefing."""

    key: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class VarRef:
    """`{{< var key >}}` as written at `line` of its file: assemble puts the value in its
    place (as Text), so writers never see one. Its plain text is the shortcode, so a heading's
    ID does not change with a value."""

    key: str
    line: int

    @property
    def written(self) -> str:
        return f"{{{{< var {self.key} >}}}}"


@dataclass(frozen=True)
class CiteItem:
    """One work cited: `prefix @key suffix`, `-@key` (author suppressed) in Pandoc's syntax."""

    key: str
    prefix: str = ""
    suffix: str = ""  # the locator and suffix as written: ", p. 4"
    suppress_author: bool = False


@dataclass(frozen=True)
class Cite:
    """A citation as written at `line` of `file` (`[@a; @b, p. 4]`, or `@a` in the text):
    briefwright.citations formats it with the briefing's style, so writers never see one."""

    items: tuple[CiteItem, ...]
    in_text: bool
    written: str
    file: Path
    line: int


# Pandoc attributes: `{#id .class key="value"}`, as written (classes and keys in order).
Attributes = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Span:
    """A bracketed span, `[text]{.class key="value"}` (Pandoc's Span). Conditional classes
    (`.content-visible`, `.content-hidden`) are judged by `briefwright.conditions`."""

    classes: tuple[str, ...]
    attributes: Attributes
    identifier: str | None
    inlines: tuple[Inline, ...]


Inline = (
    Text
    | Strong
    | Emphasis
    | Strikethrough
    | Code
    | Link
    | FootnoteRef
    | LineBreak
    | Span
    | VarRef
    | Cite
)

# --- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    id: str
    unnumbered: bool = False  # `{-}` or `{.unnumbered}`
    # "1", "1.2", "1.2.3" when the briefing has `section_numbers` (numbering.py, in assemble);
    # None: not numbered (no section numbers, `{-}`, or under an unnumbered heading)
    number: str | None = None


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    tight: bool = True


@dataclass(frozen=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True


@dataclass(frozen=True)
class TableCell:
    """Inline text, or (a grid table's cell holding lists, paragraphs...) `blocks`."""

    children: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Table:
    header: tuple[TableCell, ...]  # empty: no header row (Pandoc's headerless tables)
    rows: tuple[tuple[TableCell, ...], ...]
    aligns: tuple[str, ...]  # "", "left", "center" or "right" per column
    caption: tuple[Inline, ...] = ()  # `: Caption {#tbl-id}` before or after a pipe table
    id: str = ""  # its label, `tbl-...`: numbered and the target of `@tbl-...`
    number: int = 0  # set by assemble for a labelled table (0: not numbered)


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class CodeBlock:
    text: str
    language: str = ""


@dataclass(frozen=True)
class Image:
    """A figure. `path` is resolved inside the project; None when the reference was refused."""

    src: str
    alt: str
    title: str = ""
    path: Path | None = None
    id: str = ""  # Pandoc attributes: `{#fig-a width=50%}`
    width: str = ""
    height: str = ""
    number: int = 0  # set by assemble for a figure labelled `fig-...` (0: not numbered)


@dataclass(frozen=True)
class ThematicBreak:
    pass


@dataclass(frozen=True)
class PageBreak:
    """A page break the author asked for (`page_break_before`)."""


@dataclass(frozen=True)
class Definition:
    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class DefinitionList:
    items: tuple[Definition, ...]


@dataclass(frozen=True)
class Div:
    """A fenced div, `::: {.class #id key="value"}` ... `:::` (Pandoc's Div): a styled block
    (`note`, `warning`, ...: see `briefwright.callouts`), a conditional one (see
    `briefwright.conditions`) or a plain one. `line` is its opening fence's 1-based line in
    its file (0: unknown)."""

    classes: tuple[str, ...]
    attributes: Attributes
    identifier: str | None
    blocks: tuple[Block, ...]
    line: int = 0


Block = (
    Heading
    | Paragraph
    | BulletList
    | OrderedList
    | Table
    | BlockQuote
    | CodeBlock
    | Image
    | ThematicBreak
    | PageBreak
    | DefinitionList
    | Div
)

# --- documents ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    key: str
    number: int
    blocks: tuple[Block, ...]
    # Where it is first called (a note called from a note: where that note is), for warnings.
    called_at: tuple[Path, int | None] | None = None


@dataclass(frozen=True)
class SectionInfo:
    """A heading in a source and the span of blocks it owns.

    `blocks[start:end]` is the section with its subsections; `blocks[start:own_end]` without.
    """

    id: str
    title: str
    level: int
    line: int
    start: int
    end: int
    own_end: int
    words: int
    # effective: its own, its parent section's, or its source's; None: no scheme, no markings
    marking: Marking | None
    tags: tuple[str, ...] = ()  # its heading's own `{tags="a b"}`, for `tagged:` items


@dataclass(frozen=True)
class Source:
    id: str
    path: Path
    title: str
    blocks: tuple[Block, ...]
    sections: tuple[SectionInfo, ...]
    footnotes: tuple[tuple[str, tuple[Block, ...]], ...]
    # the source's own (front matter or project default); None: the project has no scheme
    marking: Marking | None
    block_markings: tuple[Marking | None, ...]  # each block's effective marking
    meta: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    tags: tuple[str, ...] = ()
    # the index in `blocks` of the level-1 heading that gave the source its title, when its
    # front matter has none: a whole source included is not headed twice
    title_heading: int | None = None
    block_lines: tuple[int, ...] = ()  # 1-based line of each block, where known
    line_count: int = 0  # lines in its file: where its last section ends

    def section(self, section_id: str) -> SectionInfo | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class BriefingMeta:
    name: str
    title: str
    date: dt.date
    subtitle: str = ""
    short_title: str = ""  # the running header's title; the title when empty
    author: str = ""
    organisation: str = ""
    audience: str = ""
    # the highest marking included, computed; None: the project has no marking scheme, so
    # there is no banner, no portion mark and no classification metadata
    banner: Marking | None = None
    lang: str = "en"
    template: str = "briefing"
    keywords: tuple[str, ...] = ()
    file: Path = Path()  # the briefing file, as the user knows it
    logo: Path | None = None  # checked image file inside the project
    logo_alt: str = ""  # its alt text; "" when none was given (a warning said so)
    toc_depth: int = 2
    lists: tuple[str, ...] = ()  # "figures", "tables": lists after the contents, in order
    section_numbers: bool = False  # headings carry their `number` (writers print it)
    page_size: str = "A4"
    orientation: str = "portrait"
    pdf_variant: str | None = None
    max_pages: int | None = None
    # the variant's profile, which `.content-visible when-profile=...` content is judged by
    # (briefwright.conditions); None: no profile, so `when-profile` content is left out
    profile: str | None = None
    # what the output is made from (provenance/manifest.py), as JSON; "" when not recorded
    manifest: str = ""

    @property
    def marking(self) -> str:
        """The banner's text, as templates and writers print it ("" when there is none)."""
        return self.banner.text() if self.banner else ""

    @property
    def marking_colour(self) -> str:
        return self.banner.level.colour if self.banner else ""

    @property
    def marking_background(self) -> str:
        return self.banner.level.background if self.banner else ""

    @property
    def date_long(self) -> str:
        """The date as a brief prints it: 21 November 2026."""
        return f"{self.date.day} {self.date:%B %Y}"


@dataclass(frozen=True)
class Briefing:
    meta: BriefingMeta
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]

    def footnote(self, key: str) -> Footnote | None:
        return self._footnotes_by_key.get(key)

    def footnote_by_number(self, number: int) -> Footnote | None:
        return next((note for note in self.footnotes if note.number == number), None)

    @cached_property
    def _footnotes_by_key(self) -> dict[str, Footnote]:
        """Looked up at every call: a scan each time was quadratic in the number of notes."""
        return {note.key: note for note in self.footnotes}

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The visible text of inline runs, without formatting (footnote calls omitted)."""
    parts: list[str] = []
    for run in inlines:
        if isinstance(run, Text | Code):
            parts.append(run.text)
        elif isinstance(run, Strong | Emphasis | Strikethrough | Link):
            parts.append(plain_text(run.children))
        elif isinstance(run, Span):
            parts.append(plain_text(run.inlines))
        elif isinstance(run, LineBreak):
            parts.append(" ")
        elif isinstance(run, VarRef | Cite):
            parts.append(run.written)
    return "".join(parts)


# An image reference -> (resolved file, or None with the reason it was refused; a reason
# beside a file says what was removed from it, an SVG's scripts or external references).
ImageResolver = Callable[[str], tuple[Path | None, str | None]]


def children(block: Block) -> Iterator[Block]:
    """The blocks directly inside `block` (list items, quotes, definitions), in reading order:
    the one place that knows which blocks contain blocks."""
    if isinstance(block, BulletList | OrderedList):
        for item in block.items:
            yield from item.blocks
    elif isinstance(block, BlockQuote | Div):
        yield from block.blocks
    elif isinstance(block, Table):
        for row in (block.header, *block.rows):
            for cell in row:
                yield from cell.blocks
    elif isinstance(block, DefinitionList):
        for entry in block.items:
            for definition in entry.definitions:
                yield from definition


def walk(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block in `blocks` and inside them, depth first."""
    for block in blocks:
        yield block
        yield from walk(children(block))


def images_in(blocks: Iterable[Block]) -> Iterator[Image]:
    """Every image in `blocks`, at any depth."""
    return (block for block in walk(blocks) if isinstance(block, Image))


def inline_children(block: Block) -> Iterator[tuple[Inline, ...]]:
    """Every run of inline content directly or indirectly inside `block`, in reading order
    (a definition list's term before its definitions)."""
    if isinstance(block, Heading | Paragraph):
        yield block.children
    elif isinstance(block, Table):
        yield block.caption
        for row in (block.header, *block.rows):
            for cell in row:
                yield cell.children
                for child in cell.blocks:
                    yield from inline_children(child)
    elif isinstance(block, DefinitionList):
        for entry in block.items:
            yield entry.term
            for definition in entry.definitions:
                for child in definition:
                    yield from inline_children(child)
    else:
        for child in children(block):
            yield from inline_children(child)


def iter_inlines(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    """Every inline run, depth first."""
    for run in inlines:
        yield run
        if isinstance(run, Strong | Emphasis | Strikethrough | Link):
            yield from iter_inlines(run.children)
        elif isinstance(run, Span):
            yield from iter_inlines(run.inlines)


def substitute(
    inlines: tuple[Inline, ...], leaf: Callable[[Inline], tuple[Inline, ...] | None]
) -> tuple[Inline, ...]:
    """`inlines` with each run that `leaf` answers for (not None) replaced by its answer, at any
    depth inside emphasis, links and spans; the others kept."""
    out: list[Inline] = []
    for run in inlines:
        found = leaf(run)
        if found is not None:
            out.extend(found)
        elif isinstance(run, Strong | Emphasis | Strikethrough | Link):
            out.append(replace(run, children=substitute(run.children, leaf)))
        elif isinstance(run, Span):
            out.append(replace(run, inlines=substitute(run.inlines, leaf)))
        else:
            out.append(run)
    return tuple(out)


def footnote_calls(blocks: Iterable[Block]) -> Iterator[FootnoteRef]:
    """Every footnote call in `blocks`, in reading order (not those inside the notes)."""
    for block in blocks:
        for runs in inline_children(block):
            yield from (run for run in iter_inlines(runs) if isinstance(run, FootnoteRef))


def block_text(block: Block) -> str:
    parts = [plain_text(runs) for runs in inline_children(block)]
    if isinstance(block, CodeBlock):
        parts.append(block.text)
    if isinstance(block, Image):
        parts.append(block.alt)
    return " ".join(parts)


def word_count(blocks: tuple[Block, ...] | list[Block]) -> int:
    return sum(len(block_text(block).split()) for block in blocks)
