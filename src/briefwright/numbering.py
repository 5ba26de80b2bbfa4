"""Section numbers: "1", "1.1", "1.1.1" for the headings of a briefing, computed once.

As Pandoc's `--number-sections`, each level counting within its parent, but by nesting: a
level skipped (a level-3 heading right under a level-1 one) is "1.1", not Pandoc's "1.0.1",
which Word and LibreOffice would each show differently; the DOCX gives Word the same depth
(numPr's ilvl), so every output shows the same number. An unnumbered heading (`{-}`,
`.unnumbered`) has no number and does not advance the count; the headings under it have none
either (an unnumbered "Summary" or "Annex" keeps its subsections out of the count: Word's
numbering could not show them otherwise). Only the briefing's own headings are numbered, not
those inside callouts, lists or quotes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from briefwright import model as m


def heading_numbers(headings: Iterable[m.Heading]) -> Iterator[str | None]:
    """Each heading's number, in order (None: unnumbered)."""
    levels: list[int] = []  # the levels of the numbered headings we are under, outermost first
    counts: list[int] = []  # the count at each depth
    unnumbered_at: int | None = None  # the level of the unnumbered heading we are under
    for heading in headings:
        level = heading.level
        if unnumbered_at is not None and level > unnumbered_at:
            yield None
            continue
        unnumbered_at = None
        if heading.unnumbered:
            unnumbered_at = level
            yield None
            continue
        while levels and levels[-1] >= level:
            levels.pop()
        levels.append(level)
        depth = len(levels)
        counts = counts[:depth] + [0] * (depth - len(counts))
        counts[depth - 1] += 1
        yield ".".join(str(count) for count in counts)


def numbered(blocks: Iterable[m.Block]) -> list[m.Block]:
    """`blocks` with each top-level heading given its number."""
    blocks = list(blocks)
    headings = [index for index, block in enumerate(blocks) if isinstance(block, m.Heading)]
    found = heading_numbers(block for block in blocks if isinstance(block, m.Heading))
    for index, number in zip(headings, found, strict=True):
        heading = blocks[index]
        assert isinstance(heading, m.Heading)
        blocks[index] = replace(heading, number=number)
    return blocks
