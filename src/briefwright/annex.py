"""The sources annex (`sources_annex: true`): every source the briefing drew on, with its
title, author, date, origin (linked), marking and the sections of the brief that use it.

Built as ordinary blocks (a heading and a table) at the end of the briefing, so every writer
sets it with its own table style and the parity check covers it. It honours variants: a source
is listed only when content of it is kept, with the sections kept. Its marking column shows
the marking of what the brief uses of each source (the roll-up of the kept blocks), never the
source file's own marking: the annex reveals nothing above the briefing's banner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from briefwright import model as m
from briefwright.drops import span_end
from briefwright.links import Location
from briefwright.markings import Marking, Scheme, roll_up
from briefwright.readers.sources import UniqueIds

TITLE = "Annex: Sources"
ANCHOR = "sources-annex"
_LINKED = ("http://", "https://")


def annex_blocks(
    blocks: Sequence[m.Block],
    locations: Sequence[Location],
    markings: Sequence[Marking | None],
    heads: Mapping[Location, m.Source],
    scheme: Scheme | None,
    titles: Sequence[m.Block],
) -> tuple[list[m.Block], Marking | None]:
    """The annex: a page break, its heading and a table of the sources of the kept `blocks`
    (each with its location and marking), and its own marking, the highest it lists; `heads`
    holds where each item drawing on a source starts (its heading's file and line); `titles`
    are the blocks before portion marks, whose headings name the sections. Nothing when no
    source is kept."""
    used: dict[str, tuple[m.Source, list[int]]] = {}
    ends: dict[int, int] = {}  # each listed heading's span end, worked out once
    for index, (block, where) in enumerate(zip(blocks, locations, strict=True)):
        source = heads.get(where) if isinstance(block, m.Heading) else None
        if source is None:
            continue
        found = used.setdefault(source.id, (source, []))[1]
        if found and index < ends[found[-1]]:  # inside a section already listed
            continue
        found.append(index)
        ends[index] = span_end(blocks, index)
    if not used:
        return [], None
    kept = {
        source.id: roll_up(
            [markings[i] for start in found for i in range(start, ends[start])], scheme
        )
        for source, found in used.values()
    }
    rows = [
        _row(source, found, blocks, kept[source.id], scheme, titles)
        for source, found in used.values()
    ]
    anchor = UniqueIds(b.id for b in blocks if isinstance(b, m.Heading)).take(ANCHOR)
    header = ["Source", "Date", "Origin", *(["Marking"] if scheme else []), "Used in"]
    table = m.Table(
        tuple(m.TableCell((m.Text(h),)) for h in header), tuple(rows), ("",) * len(header)
    )
    heading = m.Heading(1, (m.Text(TITLE),), anchor, unnumbered=True)
    return [m.PageBreak(), heading, table], roll_up(list(kept.values()), scheme)


def _row(
    source: m.Source,
    headings: list[int],
    blocks: Sequence[m.Block],
    marking: Marking | None,
    scheme: Scheme | None,
    titles: Sequence[m.Block],
) -> tuple[m.TableCell, ...]:
    title: list[m.Inline] = [m.Strong((m.Text(source.title),))]
    author = source.meta.get("author")
    if author:
        title += [m.LineBreak(), m.Text(str(author))]
    cells = [m.TableCell(tuple(title)), _text(_date(source.meta.get("date"))), _origin(source)]
    if scheme is not None:
        cells.append(_text(marking.text() if marking else ""))
    cells.append(m.TableCell(tuple(_used(blocks, headings, titles))))
    return tuple(cells)


def _used(
    blocks: Sequence[m.Block], headings: list[int], titles: Sequence[m.Block]
) -> list[m.Inline]:
    """Each section of the brief drawing on the source (not its subsections), linked: by
    number when sections are numbered ("3.1, 3.4"), else by title, one a line."""
    runs: list[m.Inline] = []
    for index in headings:
        heading, unmarked = blocks[index], titles[index]
        assert isinstance(heading, m.Heading) and isinstance(unmarked, m.Heading)
        label = heading.number or m.plain_text(unmarked.children)
        between: list[m.Inline] = [m.Text(", ") if heading.number else m.LineBreak()]
        runs += [*(between if runs else []), m.Link(f"#{heading.id}", (m.Text(label),))]
    return runs


def _origin(source: m.Source) -> m.TableCell:
    origin = str(source.meta.get("origin") or "")
    if origin.startswith(_LINKED):
        return m.TableCell((m.Link(origin, (m.Text(origin),)),))
    return _text(origin)


def _date(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value or "")


def _text(text: str) -> m.TableCell:
    return m.TableCell((m.Text(text),) if text else ())


def annex_start(blocks: tuple[m.Block, ...]) -> int:
    """Where the sources annex `annex_blocks` made begins at the end of `blocks` (its page
    break), or len(blocks) when there is none: what comes after the body goes before it."""
    if len(blocks) >= 3:
        brk, heading, table = blocks[-3:]
        if (
            isinstance(brk, m.PageBreak)
            and isinstance(heading, m.Heading)
            and heading.id.startswith(ANCHOR)
            and isinstance(table, m.Table)
        ):
            return len(blocks) - 3
    return len(blocks)
