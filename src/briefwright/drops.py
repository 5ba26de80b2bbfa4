"""What a variant leaves out, and why (issue 16): the pure filter `assemble` applies to a
variant's blocks, and the drop report it produces.

A variant filters three ways, in this order:
1. items: `only: [...]` / `except: [...]` on a briefing item name variants or profiles;
2. releasability: with `releasable_to: [UKR]`, a block is kept only if its marking carries a
   releasability caveat listing every one of those countries. The marking is the block's
   effective one: its heading's `marking` attribute, else its source's front matter `marking`,
   else the project's default level ([markings] default, the scheme's lowest when unset); the
   briefing's own text items have `text_marking`. Content at a public level of the scheme
   (TLP:CLEAR, PUBLIC; `public = true` on a project's own level) is releasable to anyone and
   kept, unless a restrictive caveat limits it. Other content without a releasability caveat
   is dropped: releasability is asserted, never assumed (NATO UNCLASSIFIED still needs one);
3. profile and format conditions of fenced divs and spans (conditions.py).
The marking is judged first and on every block: no profile rule or `only:` can bring back
what its marking forbids. A heading left with nothing under it (because what was under it was
dropped) goes too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefwright import model as m
from briefwright.conditions import Keep, hidden_for_profile, shown_for_profile
from briefwright.markings import Marking


@dataclass(frozen=True)
class Drop:
    """One thing a variant leaves out: what, where it was written, and the condition."""

    what: str
    file: Path | None
    line: int | None
    condition: str

    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else str(self.file)

    def __str__(self) -> str:
        return f"{self.where()}: {self.what}: {self.condition}"

    def as_json(self) -> dict[str, object]:
        return {
            "what": self.what,
            "file": None if self.file is None else str(self.file),
            "line": self.line,
            "condition": self.condition,
        }


def releasable(marking: Marking | None, countries: Sequence[str]) -> bool:
    """Whether content with `marking` may be released to every one of `countries`."""
    if not countries:
        return True
    if marking is None:
        return False
    if marking.releasable is None:
        return marking.level.public and not marking.restrictive
    return all(country in marking.releasable.countries for country in countries)


def not_releasable(marking: Marking | None, countries: Sequence[str]) -> str:
    """The drop report's condition for content `releasable` refuses."""
    shown = marking.text() if marking is not None else "no marking"
    return f"marked {shown}: not releasable to {', '.join(countries)} (releasable_to)"


def describe(block: m.Block) -> str:
    """How the drop report names a block: a heading by its text, else by its kind."""
    if isinstance(block, m.Heading):
        return f"section '{m.plain_text(block.children)}'"
    return type(block).__name__.lower()


def empty_headings(blocks: Sequence[m.Block], kept: Sequence[bool]) -> list[int]:
    """The kept headings with nothing kept under them, where something was under them before
    filtering: each heading's span runs to the next heading at its level or above."""
    found: list[int] = []
    # repeated: a heading whose only kept content is a heading found empty is empty too
    changed = True
    while changed:
        changed = False
        for index, block in enumerate(blocks):
            if index in found or not (kept[index] and isinstance(block, m.Heading)):
                continue
            span = range(index + 1, span_end(blocks, index))
            if span and not any(kept[i] and i not in found for i in span):
                found.append(index)
                changed = True
    return sorted(found)


def span_end(blocks: Sequence[m.Block], index: int) -> int:
    heading = blocks[index]
    assert isinstance(heading, m.Heading)
    for later in range(index + 1, len(blocks)):
        block = blocks[later]
        if isinstance(block, m.Heading) and block.level <= heading.level:
            return later
        if isinstance(block, m.PageBreak):
            return later
    return len(blocks)


Where = tuple[Path, int | None]


def profile_drops(block: m.Block, profile: str | None, where: Where) -> list[Drop]:
    """The divs and spans in `block` that no output of `profile` shows (their format
    conditions aside), outermost only, each at its fence's line (a span: its block's)."""
    found: list[Drop] = []
    for element, condition in hidden_for_profile((block,), profile):
        if isinstance(element, m.Div):
            line = element.line or where[1]
            found.append(Drop(f"div {_preview(element)}", where[0], line, condition))
        else:
            text = m.plain_text(element.inlines)
            shown = text if len(text) <= 40 else text[:39] + "…"
            found.append(Drop(f"span '{shown}'", where[0], where[1], condition))
    return found


def _preview(div: m.Div) -> str:
    """A div as the report names it: its first words."""
    text = " ".join(m.block_text(b) for b in m.walk(div.blocks)).split()
    words = " ".join(text[:6])
    return f"'{words}…'" if len(text) > 6 else f"'{words}'"


def profile_keeper(profile: str | None) -> Keep:
    """Keeps the divs and spans some output of `profile` shows (writers judge formats)."""
    return lambda classes, attributes: (
        shown_for_profile(classes, attributes, profile=profile) is not False
    )
