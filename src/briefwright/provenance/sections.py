"""What assemble kept of each briefing item, as the manifest's sections.

A section's hash is of its content as the output has it (blocks with the variables in, their
markings, the footnotes they call, the bytes of the images they show), never of where it is:
lines move when something above it is edited, and an edit elsewhere in the source must not
make it look changed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from briefwright import model as m
from briefwright.assemble import ItemPart
from briefwright.build.records import sha256_hex
from briefwright.markings import Marking, Scheme, roll_up
from briefwright.provenance.manifest import Paragraph, Section
from briefwright.readers.sources import slugify
from briefwright.spec.briefing import LoadedBriefing

# fields that say where something was written or found, not what it is
_LOCATION_FIELDS = frozenset({"line", "file", "called_at", "path", "origin"})

ImageHash = Callable[[Path], str]  # an image file's SHA-256


def sections_of(
    briefing: LoadedBriefing,
    parts: list[ItemPart],
    sources: dict[str, m.Source],
    scheme: Scheme | None,
    image_hash: ImageHash,
    relative: Callable[[Path], Path],
) -> tuple[Section, ...]:
    """One section for each item the document kept something of, in the document's order;
    keys made unique (an item taken twice: "#2")."""
    found: list[Section] = []
    keys: dict[str, int] = {}
    for part in parts:
        section = _section(briefing, part, sources, scheme, image_hash, relative)
        keys[section.key] = keys.get(section.key, 0) + 1
        if keys[section.key] > 1:
            section = dataclasses.replace(section, key=f"{section.key}#{keys[section.key]}")
        found.append(section)
    return tuple(found)


def _section(
    briefing: LoadedBriefing,
    part: ItemPart,
    sources: dict[str, m.Source],
    scheme: Scheme | None,
    image_hash: ImageHash,
    relative: Callable[[Path], Path],
) -> Section:
    item = briefing.spec.sections[part.index]
    title = _title(part.blocks) or item.title or ""
    marking = roll_up(list(part.markings), scheme)
    content = content_sha256(part, image_hash)
    paragraphs = tuple(_paragraphs(part))
    if item.from_ is None:
        key = f"text:{slugify(item.title) if item.title else part.index}"
        file = str(briefing.item_file(part.index))
        return Section(
            key=key,
            kind="text",
            title=title,
            file=file,
            lines=_text_lines(briefing, part.index),
            sha256=content,
            marking=_text(marking),
            paragraphs=paragraphs,
        )
    source = sources[item.source_id]
    section_id = item.section_id
    return Section(
        key=f"{source.id}#{section_id}" if section_id else source.id,
        kind="source",
        title=title,
        file=str(relative(source.path)),
        lines=source_lines(source, section_id, item.subsections),
        sha256=content,
        marking=_text(marking),
        source=source.id,
        section=section_id,
        origin=_meta_text(source, "origin"),
        source_sha256=_meta_text(source, "sha256"),
        paragraphs=paragraphs,
    )


def _text_lines(briefing: LoadedBriefing, index: int) -> tuple[int, int]:
    """From the item's first line to its text's last (a block scalar's lines follow its key)."""
    origin = briefing.origin(index)
    text = briefing.spec.sections[index].text or ""
    lines = text.rstrip("\n").count("\n")
    last = origin.line("text") + (lines + 1 if "\n" in text else 0)
    return origin.line(), max(last, origin.line())


def source_lines(source: m.Source, section_id: str | None, subsections: bool) -> tuple[int, int]:
    """The first and last line of what an item takes from its source: from its heading to the
    line before the next heading it does not take (or the end of the file)."""
    last = max(source.line_count, 1)
    section = source.section(section_id) if section_id else None
    if section is None:
        return 1, last
    end = section.end if subsections else section.own_end
    if end < len(source.block_lines):
        last = max(source.block_lines[end] - 1, section.line)
    return section.line, last


def content_sha256(part: ItemPart, image_hash: ImageHash) -> str:
    images = [image_hash(image.path) for image in _images(part) if image.path is not None]
    content = {
        "blocks": [canonical(block) for block in part.blocks],
        "markings": [_text(marking) for marking in part.markings],
        "notes": [[key, [canonical(b) for b in blocks]] for key, blocks in part.notes],
        "images": images,
    }
    return sha256_hex(json.dumps(content, ensure_ascii=False, sort_keys=True).encode())


def canonical(value: object) -> object:
    """A model value as plain data, without where it was written."""
    if isinstance(value, Marking):
        return value.text()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _LOCATION_FIELDS
        }
        return [type(value).__name__, fields]
    if isinstance(value, tuple | list):
        return [canonical(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _images(part: ItemPart) -> Iterator[m.Image]:
    yield from m.images_in(part.blocks)
    for _, blocks in part.notes:
        yield from m.images_in(blocks)


def _title(blocks: tuple[m.Block, ...]) -> str:
    first = next((b for b in blocks if isinstance(b, m.Heading)), None)
    return m.plain_text(first.children) if first is not None else ""


def _paragraphs(part: ItemPart) -> Iterator[Paragraph]:
    for block in part.blocks:
        yield from paragraphs(block)
    for key, blocks in part.notes:
        for block in blocks:
            for paragraph in paragraphs(block):
                yield _prefixed(paragraph, f"[^{key}] ", "note")


def paragraphs(block: m.Block, style: str = "p") -> Iterator[Paragraph]:
    """A block as the paragraphs a reader sees, each with its style (`style`: that of plain
    text here: "li" inside a bullet list's item, "ol" inside a numbered one's)."""
    match block:
        case m.Heading():
            yield styled(f"h{block.level}", block.children)
        case m.Paragraph():
            yield styled(style, block.children)
        case m.BulletList():
            for item in block.items:
                for inner in item.blocks:
                    yield from paragraphs(inner, "li")
        case m.OrderedList():  # its number is text: a renumbered item is a change a reader sees
            for number, item in enumerate(block.items, start=block.start):
                for n, text in enumerate(_list_item(item.blocks)):
                    if n == 0 and text.style == "ol":
                        text = _prefixed(text, f"{number}. ", "ol")
                    yield text
        case m.BlockQuote():
            for inner in block.blocks:
                yield from paragraphs(inner, "quote")
        case m.Div():
            for inner in block.blocks:
                yield from paragraphs(inner, style)
        case m.CodeBlock():
            yield Paragraph(style="code", text=block.text.rstrip("\n"))
        case m.Table():
            if block.caption:
                yield Paragraph(style="p", text=m.plain_text(block.caption))
            for row in (block.header, *block.rows):
                if row:
                    cells = (_cell_text(cell) for cell in row)
                    yield Paragraph(style="row", text=" | ".join(cells))
        case m.Image():
            yield Paragraph(style="p", text=block.alt)
        case m.DefinitionList():
            for definition in block.items:
                yield Paragraph(style="term", text=m.plain_text(definition.term))
                for blocks in definition.definitions:
                    for inner in blocks:
                        yield from paragraphs(inner, style)
        case m.ThematicBreak() | m.PageBreak():
            return


_MARKS: dict[type, str] = {
    m.Strong: "strong",
    m.Emphasis: "emphasis",
    m.Strikethrough: "strike",
    m.Code: "code",
}


def styled(style: str, inlines: tuple[m.Inline, ...]) -> Paragraph:
    """A paragraph of `inlines`: their plain text, and where it is strong, emphasised, struck
    through or code (a redline keeps the brief's formatting)."""
    marks: list[tuple[int, int, str]] = []
    _mark(inlines, 0, marks)
    return Paragraph(style=style, text=m.plain_text(inlines), marks=tuple(marks))


def _mark(inlines: tuple[m.Inline, ...], start: int, marks: list[tuple[int, int, str]]) -> int:
    """Record the formatted spans of `inlines`, whose text begins at `start`; return its end.
    Offsets follow m.plain_text, which is the text of each run in turn."""
    for run in inlines:
        end = start + len(m.plain_text((run,)))
        kind = _MARKS.get(type(run))
        if kind is not None and end > start:
            marks.append((start, end, kind))
        if isinstance(run, m.Strong | m.Emphasis | m.Strikethrough | m.Link):
            _mark(run.children, start, marks)
        elif isinstance(run, m.Span):
            _mark(run.inlines, start, marks)
        start = end
    return start


def _prefixed(paragraph: Paragraph, prefix: str, style: str) -> Paragraph:
    """`paragraph` with `prefix` before its text (a list item's number, a note's key)."""
    shift = len(prefix)
    marks = tuple((a + shift, b + shift, kind) for a, b, kind in paragraph.marks)
    return Paragraph(style=style, text=prefix + paragraph.text, marks=marks)


def _list_item(blocks: tuple[m.Block, ...]) -> Iterator[Paragraph]:
    for block in blocks:
        yield from paragraphs(block, "ol")


def _cell_text(cell: m.TableCell) -> str:
    return m.plain_text(cell.children) or " ".join(m.block_text(b) for b in cell.blocks)


def _text(marking: Marking | None) -> str | None:
    return marking.text() if marking is not None else None


def _meta_text(source: m.Source, key: str) -> str | None:
    value = source.meta.get(key)
    return str(value) if value is not None else None
