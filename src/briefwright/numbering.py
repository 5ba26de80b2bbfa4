"""Section numbers: "1", "1.1", "1.1.1" for the headings of a briefing, computed once.

As Pandoc's `--number-sections`: each level counts within its parent, a level skipped shows 0
("1.0.1"). An unnumbered heading (`{-}`, `.unnumbered`) has no number and does not advance the
count; the headings under it have none either (an unnumbered "Summary" or "Annex" keeps its
subsections out of the count too: Word's numbering, continued in DOCX, could not show them
otherwise without numbers that point nowhere). Only the briefing's own headings are numbered,
not those inside callouts, lists or quotes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from briefwright import model as m


def heading_numbers(headings: Iterable[m.Heading]) -> Iterator[str | None]:
    """Each heading's number, in order (None: unnumbered)."""
    counts: list[int] = []  # the count at each level, 1 to the deepest seen
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
        counts = counts[:level] + [0] * (level - len(counts))
        counts[level - 1] += 1
        yield ".".join(str(count) for count in counts[:level])


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
