"""BriefingSpec + Sources -> Briefing: pick, order, retitle and re-level sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from briefwright import model as m
from briefwright.annex import annex_blocks
from briefwright.conditions import select_blocks
from briefwright.crossref import Resolver, number_captions
from briefwright.dates import build_date
from briefwright.drops import (
    Drop,
    describe,
    empty_headings,
    not_releasable,
    profile_drops,
    profile_keeper,
    releasable,
    span_end,
)
from briefwright.errors import Problem, SpecError
from briefwright.links import LinkResolver, Location, link_targets
from briefwright.markings import Marking, Scheme, roll_up
from briefwright.numbering import numbered
from briefwright.project import Project
from briefwright.readers.sources import UniqueIds, slugify
from briefwright.spec.briefing import LoadedBriefing
from briefwright.spec.classify import banner, text_marking
from briefwright.spec.schema import SectionItem
from briefwright.spec.variables import insert_values, title_runs
from briefwright.spec.variants import Variant
from briefwright.variables import Variables, substituted


def assemble(
    briefing: LoadedBriefing,
    sources: Mapping[str, m.Source],
    project: Project,
    problems: list[Problem],
    drops: list[Drop] | None = None,
    parts: list[ItemPart] | None = None,
) -> m.Briefing:
    """The briefing's document. References must have been checked (spec.check_references).
    A variant's document leaves out what its conditions drop (drops.py), each listed in
    `drops` when given; `parts`, when given, gets what the document kept of each item
    (provenance/: what an output was made from)."""
    blocks: list[m.Block] = []
    markings: list[Marking | None] = []  # each block's, for portion marks (None: no scheme)
    locations: list[Location] = []  # each block's file and line, for warnings
    judged: list[bool] = []  # each block's marking decides its releasability (not: a title)
    owners: list[int] = []  # the index of the item each block came from
    footnote_sources: dict[str, tuple[m.Block, ...]] = {}
    own_text = text_marking(briefing, project)
    variant = briefing.variant
    dropped: list[tuple[int, Drop]] = []  # each with the position it had, for the order
    heads: dict[Location, m.Source] = {}  # where each source item starts, for the annex
    for index, item in enumerate(briefing.spec.sections):
        item_location = (briefing.item_file(index), briefing.item_line(index))
        if variant is not None and not _selected(item, variant):
            dropped.append((len(blocks), _item_drop(item, index, item_location, variant)))
            continue
        if item.page_break_before and blocks:
            blocks.append(m.PageBreak())
            markings.append(own_text)
            locations.append(item_location)
            judged.append(False)
            owners.append(index)
        if item.text is not None:
            part, notes = text_item_blocks(item, briefing, index)
            part_markings = [own_text] * len(part)
            locations.extend([item_location] * len(part))
            judged.extend([True] * len(part))
        else:
            source = sources[item.source_id]
            part, notes, part_markings = _source_item(
                item, source, problems, briefing, index, project.scheme
            )
            item_locations = _source_locations(item, source, item_location, len(part))
            heads[item_locations[0]] = source
            locations.extend(item_locations)
            judged.extend([item.section_id is not None or i > 0 for i in range(len(part))])
        blocks.extend(part)
        markings.extend(part_markings)
        owners.extend([index] * len(part))
        footnote_sources.update(notes)
    blocks = [insert_values(block, briefing.variables) for block in blocks]
    footnote_sources = {
        key: tuple(insert_values(b, briefing.variables) for b in note)
        for key, note in footnote_sources.items()
    }
    if variant is not None:
        blocks, markings, locations, portions, owners = _variant_blocks(
            variant, blocks, markings, locations, judged, owners, dropped, project.scheme
        )
    if variant is not None and not blocks:
        line = briefing.doc.line_of(("variants", variant.name))
        message = (
            f"variant '{variant.name}' leaves nothing of the briefing in; "
            f"`brief check --explain {variant.name}` lists what it leaves out"
        )
        problems.append(Problem(message, briefing.file, line))
    if drops is not None:
        drops.extend(drop for _, drop in sorted(dropped, key=lambda found: found[0]))
    unmarked = blocks
    if parts is not None:
        parts.extend(_item_parts(blocks, markings, owners, footnote_sources))
    if briefing.spec.portion_marks:
        blocks = _portion_marked(blocks, markings, briefing.spec.portion_marks == "paragraphs")
    blocks = _unique_anchors(blocks)
    if briefing.spec.section_numbers:
        blocks = numbered(blocks)
    blocks = number_captions(blocks)
    links = LinkResolver(link_targets(unmarked, blocks), problems)
    blocks = [links.block(block, where) for block, where in zip(blocks, locations, strict=True)]
    xrefs = Resolver()
    xrefs.collect(unmarked, blocks, locations)
    blocks = [xrefs.block(block, where) for block, where in zip(blocks, locations, strict=True)]
    footnotes, calls = _footnotes(blocks, locations, footnote_sources)
    footnotes = tuple(
        replace(
            note,
            blocks=tuple(
                xrefs.block(links.block(b, calls[note.key]), calls[note.key]) for b in note.blocks
            ),
            called_at=calls[note.key],
        )
        for note in footnotes
    )
    add_at = (briefing.file, briefing.doc.line_of(("sections",)))
    wrong = xrefs.problems + xrefs.missing_problems(sources, add_at)
    if wrong:
        raise SpecError.from_problems(wrong)
    if briefing.spec.sources_annex:
        annex, marking = annex_blocks(blocks, locations, markings, heads, project.scheme, unmarked)
        if briefing.spec.portion_marks:  # its heading too, at the highest marking it lists
            annex = _portion_marked(annex, [marking] * len(annex), paragraphs=False)
        blocks += annex
    top = banner(briefing, sources, project)
    if dropped:  # the banner of what the variant keeps
        top = roll_up(portions, project.scheme)
    meta = _meta(briefing, sources, briefing.logo, top, briefing.variables)
    return m.Briefing(meta, tuple(blocks), footnotes)


@dataclass(frozen=True)
class ItemPart:
    """What the document kept of one item of the briefing: its blocks (variables in, before
    portion marks, numbering and cross-references), each block's marking, and the footnotes
    they call, in the order called (a note's own calls after it)."""

    index: int
    blocks: tuple[m.Block, ...]
    markings: tuple[Marking | None, ...]
    notes: tuple[tuple[str, tuple[m.Block, ...]], ...]


def _item_parts(
    blocks: list[m.Block],
    markings: list[Marking | None],
    owners: list[int],
    definitions: Mapping[str, tuple[m.Block, ...]],
) -> list[ItemPart]:
    found: dict[int, tuple[list[m.Block], list[Marking | None]]] = {}
    for block, marking, owner in zip(blocks, markings, owners, strict=True):
        kept, marks = found.setdefault(owner, ([], []))
        kept.append(block)
        marks.append(marking)
    parts = []
    for index, (kept, marks) in found.items():
        notes: dict[str, tuple[m.Block, ...]] = {}
        pending = [run.key for run in m.footnote_calls(tuple(kept))]
        while pending:
            key = pending.pop(0)
            if key not in notes and key in definitions:
                notes[key] = definitions[key]
                pending += [run.key for run in m.footnote_calls(definitions[key])]
        parts.append(ItemPart(index, tuple(kept), tuple(marks), tuple(notes.items())))
    return parts


def _selected(item: SectionItem, variant: Variant) -> bool:
    """Whether the item's `only`/`except` let `variant` have it."""
    if item.only is not None:
        return variant.selects(item.only)
    return not variant.selects(item.except_)


def _item_drop(item: SectionItem, index: int, where: Location, variant: Variant) -> Drop:
    label = f"'{item.title}'" if item.title else item.from_ or "(text)"
    if item.only is not None:
        condition = f"only: [{', '.join(item.only)}]"
    else:
        condition = f"except: [{', '.join(item.except_)}]"
    return Drop(f"sections[{index}] {label}", where[0], where[1], condition)


def _variant_blocks(
    variant: Variant,
    blocks: list[m.Block],
    markings: list[Marking | None],
    locations: list[Location],
    judged: list[bool],
    owners: list[int],
    dropped: list[tuple[int, Drop]],
    scheme: Scheme | None,
) -> tuple[list[m.Block], list[Marking | None], list[Location], list[Marking | None], list[int]]:
    """The blocks a variant keeps: those its releasability allows (drops.py), without the
    headings left with nothing under them and page breaks with nothing after them; their
    markings and locations; and the markings of the content kept, for the banner. A heading
    the briefing adds over a whole source is marked with what is kept under it."""
    countries = variant.releasable_to
    pairs = zip(judged, markings, strict=True)
    kept = [not judge or releasable(marking, countries) for judge, marking in pairs]
    previous = True
    for index, keep in enumerate(kept):
        first = previous or isinstance(blocks[index], m.Heading)
        if not keep and first:  # one entry for each section, or run of blocks, left out
            where = locations[index]
            condition = not_releasable(markings[index], countries)
            dropped.append((index, Drop(describe(blocks[index]), where[0], where[1], condition)))
        previous = keep
    # then the profile, on what the markings allow: it cannot bring back what they forbid
    blocks = list(blocks)
    keep_shown = profile_keeper(variant.profile)
    for index, block in enumerate(blocks):
        if kept[index]:
            dropped += [(index, d) for d in profile_drops(block, variant.profile, locations[index])]
            selected = select_blocks((block,), keep_shown)
            kept[index] = bool(selected)
            blocks[index] = selected[0] if selected else block
    for index in empty_headings(blocks, kept):
        kept[index] = False
        where = locations[index]
        empty = Drop(describe(blocks[index]), where[0], where[1], "nothing left under it")
        dropped.append((index, empty))
    picked = [i for i, keep in enumerate(kept) if keep]
    picked = [
        i
        for n, i in enumerate(picked)
        if not isinstance(blocks[i], m.PageBreak)
        or (0 < n < len(picked) - 1 and not isinstance(blocks[picked[n + 1]], m.PageBreak))
    ]
    marks = list(markings)
    for index in picked:
        if isinstance(blocks[index], m.Heading) and not judged[index]:
            under = range(index + 1, span_end(blocks, index))
            marks[index] = roll_up([marks[i] for i in under if kept[i] and judged[i]], scheme)
    portions = [marks[i] for i in picked if judged[i]]
    kept_blocks = [blocks[i] for i in picked]
    kept_marks = [marks[i] for i in picked]
    return (
        kept_blocks,
        kept_marks,
        [locations[i] for i in picked],
        portions,
        [owners[i] for i in picked],
    )


def _portion_marked(
    blocks: list[m.Block], markings: list[Marking | None], paragraphs: bool
) -> list[m.Block]:
    """Headings (and, if asked, paragraphs) prefixed with their portion mark: "(NR) Risks"."""
    marked: list[m.Block] = []
    for block, marking in zip(blocks, markings, strict=True):
        if marking is None:  # no scheme: check_ceiling has refused portion_marks already
            marked.append(block)
            continue
        prefix = m.Text(f"({marking.portion_mark()}) ")
        if isinstance(block, m.Heading) or (paragraphs and isinstance(block, m.Paragraph)):
            block = replace(block, children=(prefix, *block.children))
        marked.append(block)
    return marked


def _meta(
    briefing: LoadedBriefing,
    sources: Mapping[str, m.Source],
    logo: Path | None,
    top: Marking | None,
    variables: Variables,
) -> m.BriefingMeta:
    spec = briefing.spec
    keywords = spec.keywords or _source_tags(spec.sections, sources)
    return m.BriefingMeta(
        name=briefing.name,
        title=substituted(spec.title, variables),
        date=build_date(spec.date).date,
        subtitle=substituted(spec.subtitle or "", variables),
        short_title=substituted(spec.short_title or "", variables),
        author=spec.author or "",
        organisation=spec.organisation or "",
        audience=spec.audience or "",
        banner=top,
        lang=spec.lang,
        template=spec.template,
        keywords=tuple(keywords),
        file=briefing.file,
        logo=logo,
        logo_alt=spec.logo.alt if spec.logo else "",
        toc_depth=spec.toc_depth,
        lists=tuple(spec.lists),
        section_numbers=bool(spec.section_numbers),
        page_size=spec.page_size,
        orientation=spec.orientation,
        pdf_variant=spec.pdf_variant,
        max_pages=spec.max_pages,
        profile=briefing.variant.profile if briefing.variant else None,
    )


def _source_tags(items: list[SectionItem], sources: Mapping[str, m.Source]) -> list[str]:
    used = [sources[item.source_id] for item in items if item.from_ is not None]
    return list(dict.fromkeys(tag for source in used for tag in source.tags))


def text_item_blocks(
    item: SectionItem, briefing: LoadedBriefing, index: int
) -> tuple[list[m.Block], dict[str, tuple[m.Block, ...]]]:
    """A text item's blocks (parsed when the briefing was loaded) under its own title."""
    parsed = briefing.texts[index]
    assert parsed is not None, "load_briefing parses every text item"
    blocks: list[m.Block] = list(parsed.blocks)
    if item.title:
        runs = title_runs(item.title, briefing.doc.line_of(("sections", index, "title")))
        heading = m.Heading(item.level or 1, runs, slugify(item.title))
        blocks.insert(0, heading)
    return blocks, dict(parsed.footnotes)


def _source_item(
    item: SectionItem,
    source: m.Source,
    problems: list[Problem],
    briefing: LoadedBriefing,
    index: int,
    scheme: Scheme | None,
) -> tuple[list[m.Block], dict[str, tuple[m.Block, ...]], list[Marking | None]]:
    """The item's blocks, the footnotes they may call, and each block's marking."""
    target = item.level or 1
    section = source.section(item.section_id) if item.section_id else None
    if section is None:  # a whole source under a heading of its own
        title = item.title or source.title
        kept = [i for i in range(len(source.blocks)) if i != source.title_heading]  # not twice
        blocks = [source.blocks[i] for i in kept]
        block_markings = [source.block_markings[i] for i in kept]
        levels = [b.level for b in blocks if isinstance(b, m.Heading)]
        shift = target + 1 - min(levels, default=target + 1)
        body = _shift(blocks, shift, problems, briefing, index)
        heading = m.Heading(target, title_runs(title, None), source.id)
        top = roll_up([source.marking, *source.block_markings], scheme)  # its heading covers all
        return [heading, *body], dict(source.footnotes), [top, *block_markings]
    end = section.end if item.subsections else section.own_end
    blocks = list(source.blocks[section.start : end])
    part = _shift(blocks, target - section.level, problems, briefing, index)
    if item.title:
        first = part[0]
        assert isinstance(first, m.Heading)
        part[0] = replace(first, children=title_runs(item.title, None))
    return part, dict(source.footnotes), list(source.block_markings[section.start : end])


def _shift(
    blocks: list[m.Block], shift: int, problems: list[Problem], briefing: LoadedBriefing, index: int
) -> list[m.Block]:
    shifted: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Heading) and shift:
            level = block.level + shift
            if level > 6:
                origin = briefing.origin(index)
                where = f"sections[{origin.path[-1]}]"  # its index in the file it is written in
                message = f"{where}: heading level {level} is deeper than 6; set to 6"
                problems.append(Problem(message + origin.via(), origin.file, origin.line()))
            block = replace(block, level=min(max(level, 1), 6))
        shifted.append(block)
    return shifted


def _unique_anchors(blocks: list[m.Block]) -> list[m.Block]:
    """Heading IDs unique within the brief (two sources may both have a 'challenges')."""
    unique = UniqueIds()
    result: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Heading):
            anchor = unique.take(block.id or slugify(m.plain_text(block.children)))
            block = replace(block, id=anchor)
        result.append(block)
    return result


def _footnotes(
    blocks: list[m.Block],
    locations: list[Location],
    definitions: Mapping[str, tuple[m.Block, ...]],
) -> tuple[tuple[m.Footnote, ...], dict[str, Location]]:
    """The footnotes the brief calls, numbered depth first (a note called from a note follows
    it), and where each is first called: a note called from a note, where that note is (a
    note's own text has no line of its own). A work list, not recursion: a chain of notes
    calling each other may be long; the readers refuse a note that calls itself."""
    numbered: dict[str, m.Footnote] = {}
    calls: dict[str, Location] = {}
    for block, where in zip(blocks, locations, strict=True):
        stack = [m.footnote_calls((block,))]
        while stack:
            run = next(stack[-1], None)
            if run is None:
                stack.pop()
            elif run.key not in numbered:
                body = definitions.get(run.key, ())
                numbered[run.key] = m.Footnote(run.key, len(numbered) + 1, body)
                calls[run.key] = where
                stack.append(m.footnote_calls(body))
    return tuple(numbered.values()), calls


def _source_locations(
    item: SectionItem, source: m.Source, item_location: Location, count: int
) -> list[Location]:
    """Where each block of a source item was written: its source's line, else the item's."""
    section = source.section(item.section_id) if item.section_id else None
    lines: list[int | None] = list(source.block_lines) or [None] * len(source.blocks)
    if section is None:
        kept = [line for i, line in enumerate(lines) if i != source.title_heading]  # as included
        picked = [item_location[1], *kept]  # the source's own heading: the briefing item
        files = [item_location[0]] + [source.path] * len(kept)
    else:
        end = section.end if item.subsections else section.own_end
        picked = lines[section.start : end]
        files = [source.path] * len(picked)
    assert len(picked) == count
    return list(zip(files, picked, strict=True))
