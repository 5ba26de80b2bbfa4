"""Internal links in an assembled brief: a `#anchor` or an implicit header reference is matched
to a heading of the brief by its own ID, then its GitHub and Pandoc slugs, then its title; a
link that leads nowhere keeps its text, without the link, and is one warning at its line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.suggest import did_you_mean

Location = tuple[Path, int | None]  # a block's file and line, for warnings


def github_slug(title: str) -> str:
    """A heading's ID as GitHub makes it: lowercase, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def pandoc_slug(title: str) -> str:
    """A heading's ID as Pandoc makes it: punctuation but `_-.` dropped, each space a hyphen,
    lowercase, everything before the first letter dropped; "section" if nothing is left."""
    text = re.sub(r"[^\w\-. \t\n]", "", title.strip())
    text = re.sub(r"\s", "-", text).lower()
    start = next((i for i, ch in enumerate(text) if ch.isalpha()), len(text))
    return text[start:] or "section"


def _label(text: str) -> str:
    """A reference label or title compared as Pandoc compares them: case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class _Targets:
    """What an internal link may name, each mapped to the heading ID it means, by preference:
    the brief's own IDs, the sources' IDs, GitHub's and Pandoc's slugs, and (for reference
    links) the titles themselves."""

    by_anchor: tuple[dict[str, str], ...]
    by_title: dict[str, str]


def link_targets(unmarked: list[m.Block], blocks: list[m.Block]) -> _Targets:
    final: dict[str, str] = {}
    own: dict[str, str] = {}
    slugs: tuple[dict[str, str], dict[str, str]] = ({}, {})
    seen: tuple[dict[str, int], dict[str, int]] = ({}, {})
    titles: dict[str, str] = {}
    for before, after in zip(unmarked, blocks, strict=True):
        if not isinstance(after, m.Heading):
            continue
        assert isinstance(before, m.Heading)
        title = m.plain_text(before.children)
        final.setdefault(after.id, after.id)
        own.setdefault(before.id, after.id)
        titles.setdefault(_label(title), after.id)
        for slug, table, counts in zip((github_slug, pandoc_slug), slugs, seen, strict=True):
            base = slug(title)
            n = counts.get(base, 0)
            counts[base] = n + 1
            table.setdefault(base if n == 0 else f"{base}-{n}", after.id)
    return _Targets((final, own, *slugs), titles)


@dataclass
class LinkResolver:
    """Internal links made to point at the brief's heading IDs; each one that leads nowhere
    is one warning at the line of the block that holds it."""

    targets: _Targets
    problems: list[Problem]
    where: Location = field(default=(Path(), None))

    def block(self, block: m.Block, where: Location) -> m.Block:
        self.where = where
        return map_inlines(block, self.inlines)

    def inlines(self, runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for run in runs:
            if isinstance(run, m.Strong | m.Emphasis | m.Strikethrough):
                out.append(replace(run, children=self.inlines(run.children)))
            elif isinstance(run, m.Span):
                out.append(replace(run, inlines=self.inlines(run.inlines)))
            elif isinstance(run, m.Link):
                inner = self.inlines(_unlinked(run.children))  # a link holds no link
                out.extend(self.link(replace(run, children=inner)))
            else:
                out.append(run)
        return tuple(out)

    def link(self, link: m.Link) -> list[m.Inline]:
        if link.reference is not None:
            return self.reference(link)
        if not link.href.startswith("#"):
            return [link]
        anchor = unquote(link.href[1:])
        for table in self.targets.by_anchor:
            if anchor in table:
                return [replace(link, href="#" + table[anchor])]
        hint = did_you_mean(anchor, self.targets.by_anchor[0])
        self.warn(
            f"link to '#{anchor}' leads nowhere: no heading in the brief has that ID, so its"
            f" text is kept without the link{hint}"
        )
        return list(link.children)

    def reference(self, link: m.Link) -> list[m.Inline]:
        """Pandoc's implicit header reference, else the text as it was written."""
        label = link.reference[1:-1] if link.reference else ""
        target = self.targets.by_title.get(_label(label or m.plain_text(link.children)))
        if target is not None:
            return [replace(link, href="#" + target, reference=None)]
        if link.reference:  # `[text][label]` or `[label][]`: meant as a link
            name = label or m.plain_text(link.children)
            self.warn(f"reference link '[{name}]' leads nowhere: no link definition or heading")
        return _written(link)

    def warn(self, message: str) -> None:
        self.problems.append(Problem(message, *self.where))


def _written(link: m.Link) -> list[m.Inline]:
    """An unresolved reference link as the text it was written as: `[text][label]`."""
    return [m.Text("["), *_unlinked(link.children), m.Text("]" + (link.reference or ""))]


def _unlinked(runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """`runs` with every link replaced by its text (a reference link by the text written)."""
    out: list[m.Inline] = []
    for run in runs:
        if isinstance(run, m.Link) and run.reference is not None:
            out.extend(_written(run))
        elif isinstance(run, m.Link):
            out.extend(_unlinked(run.children))
        elif isinstance(run, m.Strong | m.Emphasis | m.Strikethrough):
            out.append(replace(run, children=_unlinked(run.children)))
        elif isinstance(run, m.Span):
            out.append(replace(run, inlines=_unlinked(run.inlines)))
        else:
            out.append(run)
    return tuple(out)


def map_inlines(
    block: m.Block, change: Callable[[tuple[m.Inline, ...]], tuple[m.Inline, ...]]
) -> m.Block:
    """`block` with every run of inline content in it, at any depth, replaced by `change(run)`."""

    def blocks(inner: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        return tuple(map_inlines(b, change) for b in inner)

    def cells(row: tuple[m.TableCell, ...]) -> tuple[m.TableCell, ...]:
        return tuple(m.TableCell(change(cell.children), blocks(cell.blocks)) for cell in row)

    match block:
        case m.Heading() | m.Paragraph():
            return replace(block, children=change(block.children))
        case m.BulletList() | m.OrderedList():
            return replace(block, items=tuple(m.ListItem(blocks(i.blocks)) for i in block.items))
        case m.BlockQuote() | m.Div():
            return replace(block, blocks=blocks(block.blocks))
        case m.Table():
            rows = tuple(map(cells, block.rows))
            caption = change(block.caption)
            return replace(block, header=cells(block.header), rows=rows, caption=caption)
        case m.DefinitionList():
            items = tuple(
                m.Definition(change(d.term), tuple(blocks(x) for x in d.definitions))
                for d in block.items
            )
            return replace(block, items=items)
        case _:
            return block
