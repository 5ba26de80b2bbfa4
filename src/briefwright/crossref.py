"""Numbered figures and tables, and cross-references, through an assembled brief.

A figure labelled `{#fig-...}` and a table labelled `{#tbl-...}` are numbered in reading order
("Figure 1", "Table 1"), as Quarto numbers them; unlabelled ones keep their caption unnumbered.
`@fig-map`, `@tbl-members` and `@sec-risks` (links the reader marked with `xref`) get the text
of what they name ("Figure 2", "Table 1", "Section 3.2", or the section's title while headings
are unnumbered) and `#label` as their target. A label named nowhere, or defined twice, is an
error at its line; a section of a source the briefing does not include says where to add it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.links import Location, map_inlines
from briefwright.suggest import did_you_mean

KINDS = {"fig": "Figure", "tbl": "Table", "sec": "Section"}


@dataclass(frozen=True)
class Target:
    anchor: str  # the ID the writers give it (a heading's, made unique within the brief)
    text: str  # what a reference to it reads
    where: Location


def number_captions(blocks: list[m.Block]) -> list[m.Block]:
    """The brief's blocks with each labelled figure and table numbered, in reading order."""
    counts = {"fig": 0, "tbl": 0}

    def number(block: m.Block) -> m.Block:
        if isinstance(block, m.Image) and block.id.startswith("fig-"):
            counts["fig"] += 1
            return replace(block, number=counts["fig"])
        if isinstance(block, m.Table) and block.id.startswith("tbl-"):
            counts["tbl"] += 1
            return replace(block, number=counts["tbl"])
        if isinstance(block, m.Div | m.BlockQuote):
            return replace(block, blocks=tuple(number(b) for b in block.blocks))
        return block

    return [number(block) for block in blocks]


LIST_TITLES = {"figures": "List of figures", "tables": "List of tables"}


def caption_lists(briefing: m.Briefing) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The lists the briefing asks for (`lists: [figures, tables]`), each as (kind: "Figure"
    or "Table", title, [(label, "Figure 1: caption")...]); one with no entry is left out."""
    found = []
    for name in briefing.meta.lists:
        kind = "Figure" if name == "figures" else "Table"
        entries = [
            (block.id, _entry(block))
            for block in m.walk(briefing.blocks)
            if isinstance(block, m.Image | m.Table) and block.number and kind == _kind(block)
        ]
        if entries:
            found.append((kind, LIST_TITLES[name], entries))
    return found


def _kind(block: m.Image | m.Table) -> str:
    return "Figure" if isinstance(block, m.Image) else "Table"


def _entry(block: m.Image | m.Table) -> str:
    text = block.title or block.alt if isinstance(block, m.Image) else m.plain_text(block.caption)
    label = f"{_kind(block)} {block.number}"
    return f"{label}: {text}" if text else label


def caption_label(kind: str, number: int) -> str:
    """ "Figure 2", "Table 1": a caption's label and a reference's text."""
    return f"{KINDS[kind]} {number}"


def heading_text(heading: m.Heading) -> str:
    """What a reference to a section reads: "Section 3.2" once headings carry numbers, else
    the section's title."""
    return f"Section {heading.number}" if heading.number else m.plain_text(heading.children)


@dataclass
class Resolver:
    """Every label of the brief and, at `resolve`, the brief with each reference filled in."""

    problems: list[Problem] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)
    where: Location = (Path(), None)
    missing: list[tuple[str, Location]] = field(default_factory=list)  # (label, where named)

    def collect(self, unmarked: list[m.Block], blocks: list[m.Block], at: list[Location]) -> None:
        for before, block, where in zip(unmarked, blocks, at, strict=True):
            if isinstance(block, m.Heading) and isinstance(before, m.Heading):
                if before.id.startswith("sec-"):
                    self._define(before.id, Target(block.id, heading_text(block), where))
                continue
            for inner in m.walk((block,)):
                if isinstance(inner, m.Image | m.Table) and inner.number:
                    text = caption_label(inner.id[:3], inner.number)
                    self._define(inner.id, Target(inner.id, text, where))

    def _define(self, label: str, target: Target) -> None:
        first = self.targets.get(label)
        if first is None:
            self.targets[label] = target
            return
        file, line = first.where
        there = f"{file}:{line}" if line else str(file)
        message = f"label '{label}' is defined twice: here and at {there}; rename one of them"
        self.problems.append(Problem(message, *target.where))

    def block(self, block: m.Block, where: Location) -> m.Block:
        self.where = where
        return map_inlines(block, self.inlines)

    def inlines(self, runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        def reference(run: m.Inline) -> tuple[m.Inline, ...] | None:
            return (self._reference(run),) if isinstance(run, m.Link) and run.xref else None

        return m.substitute(runs, reference)

    def _reference(self, link: m.Link) -> m.Inline:
        target = self.targets.get(link.xref)
        if target is not None:
            return replace(link, href="#" + target.anchor, children=(m.Text(target.text),))
        self.missing.append((link.xref, self.where))
        return link

    def missing_problems(self, sources: Mapping[str, m.Source], add_at: Location) -> list[Problem]:
        """Each reference to a label the brief lacks: the nearest label it has, or (a section
        of a source the briefing leaves out) the briefing line where it could be added."""
        found: list[Problem] = []
        for label, where in self.missing:
            kind = KINDS[label[:3]].lower()
            elsewhere = _section_elsewhere(label, sources) if label.startswith("sec-") else None
            if elsewhere is not None:
                source, section = elsewhere
                file, line = add_at
                message = (
                    f"cross-reference '@{label}' names section '{label}' of source '{source.id}'"
                    f" ({source.path}:{section.line}), which this briefing does not include;"
                    f" add `- from: {source.id}#{label}` to its sections ({file}:{line})"
                )
            else:
                same = [t for t in self.targets if t.startswith(label[:4])]
                hint = did_you_mean(label, same or self.targets)
                message = f"cross-reference '@{label}' names no {kind} in the briefing{hint}"
            found.append(Problem(message, *where))
        return found


def _section_elsewhere(
    label: str, sources: Mapping[str, m.Source]
) -> tuple[m.Source, m.SectionInfo] | None:
    for source in sources.values():
        section = source.section(label)
        if section is not None:
            return source, section
    return None
