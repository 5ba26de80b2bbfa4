"""Items that select several sections: a glob of section IDs (`from: nato-ukraine#*-relations`,
fnmatch rules, case-sensitive) or a tag (`tagged: deterrence`, alone or with `from: SOURCE`).

Each becomes one `from` item per section it selects, in source order (sources by ID when a tag
names no source), with the item's `level` and `subsections`; with subsections (the default) a
section inside one already selected is not selected again. A tag selects a section whose
heading has it (`## Deterrence {tags="deterrence east"}`), or a whole source whose front matter
`tags` hold it. Pure: a loaded briefing and the sources in, the briefing with plain items out,
with what each pattern selected (`brief check --explain`) and a located error for each pattern
that selects nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.spec.briefing import LoadedBriefing, TextItem, reference_problem
from briefwright.spec.include import Origin
from briefwright.spec.schema import SectionItem
from briefwright.suggest import did_you_mean

SHOWN_IDS = 8  # section IDs listed when no near one is found


@dataclass(frozen=True)
class Expansion:
    """What one pattern item selected: `briefings/a.yaml:12: nato-ukraine#*-relations ->
    nato-ukraine#bilateral-relations, nato-ukraine#partner-relations`."""

    file: Path
    line: int
    pattern: str
    selected: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.pattern} -> {', '.join(self.selected)}"


def pattern_text(item: SectionItem) -> str:
    if item.tagged is None:
        return item.from_ or ""
    return f"tagged: {item.tagged}" + (f" in {item.from_}" if item.from_ else "")


def expand_patterns(
    briefing: LoadedBriefing, sources: Mapping[str, m.Source], broken: Collection[str] = ()
) -> tuple[LoadedBriefing, list[Expansion], list[Problem]]:
    """The briefing with each pattern item replaced by the items it selects, what each
    selected, and the patterns that select nothing (a broken source's own errors say why,
    so not this)."""
    items: list[SectionItem] = []
    origins: list[Origin] = []
    texts: list[TextItem | None] = []
    expansions: list[Expansion] = []
    problems: list[Problem] = []
    for index, item in enumerate(briefing.spec.sections):
        origin = briefing.origin(index)
        if not item.is_pattern:
            items.append(item)
            origins.append(origin)
            texts.append(briefing.texts[index] if index < len(briefing.texts) else None)
            continue
        key = "tagged" if item.tagged is not None else "from"
        line = origin.line(key)
        if item.from_ is not None and item.source_id in broken:
            continue
        selected, problem = _select(item, sources, broken)
        if problem:
            problems.append(Problem(problem + origin.via(), origin.file, line))
            continue
        expansions.append(Expansion(origin.file, line, pattern_text(item), tuple(selected)))
        for number, reference in enumerate(selected):
            first = item.page_break_before and number == 0
            items.append(
                SectionItem(
                    from_=reference,
                    level=item.level,
                    subsections=item.subsections,
                    page_break_before=first,
                )
            )
            origins.append(origin)
            texts.append(None)
    spec = replace(briefing.spec, sections=items)
    expanded = replace(
        briefing,
        spec=spec,
        origins=tuple(origins),
        texts=tuple(texts),
        scans_sources=briefing.scans_sources or _scans_all_sources(briefing),
    )
    return expanded, expansions, problems


def _scans_all_sources(briefing: LoadedBriefing) -> bool:
    """True when a `tagged` item names no source: every source may be selected, so a source
    added or edited anywhere may change the briefing (build/inputs.py)."""
    return any(item.tagged is not None and item.from_ is None for item in briefing.spec.sections)


def _select(
    item: SectionItem, sources: Mapping[str, m.Source], broken: Collection[str]
) -> tuple[list[str], str | None]:
    """The references the pattern selects, or why it selects none."""
    if item.from_ is not None:
        missing = reference_problem(item.source_id, None, sources, broken)
        if missing:
            return [], missing
        chosen = [sources[item.source_id]]
    else:
        chosen = [sources[key] for key in sorted(sources)]
    selected: list[str] = []
    for source in chosen:
        selected += _in_source(item, source)
    if selected:
        return selected, None
    return [], _nothing(item, chosen)


def _in_source(item: SectionItem, source: m.Source) -> list[str]:
    if item.tagged is not None and item.tagged in source.tags:
        return [source.id]  # the whole source
    selected: list[str] = []
    covered_until = -1  # the end of the last section selected with its subsections
    for section in source.sections:
        if not _matches(item, section) or section.start < covered_until:
            continue
        selected.append(f"{source.id}#{section.id}")
        if item.subsections:
            covered_until = section.end
    return selected


def _matches(item: SectionItem, section: m.SectionInfo) -> bool:
    if item.tagged is not None:
        return item.tagged in section.tags
    return fnmatchcase(section.id, item.section_id or "")


def _nothing(item: SectionItem, chosen: list[m.Source]) -> str:
    """Why a pattern selects nothing, with the nearest names there are."""
    if item.tagged is not None:
        tags = sorted(
            {t for s in chosen for t in (*s.tags, *(t for x in s.sections for t in x.tags))}
        )
        where = f"in {chosen[0].path}" if item.from_ else "in any source"
        hint = did_you_mean(item.tagged, tags) or (
            f"; tags there: {', '.join(tags)}" if tags else '; tag a heading {tags="..."}'
        )
        return f"no section {where} is tagged '{item.tagged}'{hint}"
    source = chosen[0]
    ids = [s.id for s in source.sections]
    plain = "".join(c for c in item.section_id or "" if c not in "*?[]!")  # near it, as text
    hint = did_you_mean(plain, ids) or (
        f"; its sections: {', '.join(ids[:SHOWN_IDS])}" + (", ..." if len(ids) > SHOWN_IDS else "")
    )
    return f"'{item.section_id}' matches no section in {source.path}{hint}"
