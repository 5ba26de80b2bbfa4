"""Styled blocks: a fenced div with a callout class, as Quarto names them.

    ::: note                    ::: {.warning title="Check the figures"}
    ## Heads up                 They are from 2024.
    Text.                       :::
    :::

The kinds are note, tip, important, warning and caution (`callout-note` ... is the same; a
plain `.callout`, as Quarto allows, is a note). The
title is the `title` attribute, else a heading that opens the div, else the kind's label
("Note"). Every built-in template styles them (_shared/base.css), and the DOCX writer gives
them the reference document's paragraph styles of the same names ("Note", "Note Title").
A div with any other class is kept as a plain div, content and HTML class kept, without a
warning (as Pandoc does): a house template may style it.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefwright import model as m

KINDS = ("note", "tip", "important", "warning", "caution")
LABELS = {kind: kind.capitalize() for kind in KINDS}


@dataclass(frozen=True)
class Callout:
    kind: str  # one of KINDS
    title: tuple[m.Inline, ...]
    blocks: tuple[m.Block, ...]  # without the heading that gave the title

    @property
    def label(self) -> str:
        """The kind as a reader sees it: the paragraph style's name in DOCX."""
        return LABELS[self.kind]


def kind_of(classes: tuple[str, ...]) -> str | None:
    """The callout kind among `classes` (the first one), or None."""
    for cls in classes:
        kind = cls.lower().removeprefix("callout-")
        if kind in KINDS:
            return kind
    return "note" if "callout" in (cls.lower() for cls in classes) else None


def callout(div: m.Div) -> Callout | None:
    """The div as a callout, or None if it has no callout class."""
    kind = kind_of(div.classes)
    if kind is None:
        return None
    blocks = div.blocks
    given = dict(div.attributes).get("title", "").strip()
    title: tuple[m.Inline, ...] = (m.Text(given),) if given else ()
    if not title and blocks and isinstance(blocks[0], m.Heading):
        title, blocks = blocks[0].children, blocks[1:]
    return Callout(kind, title or (m.Text(LABELS[kind]),), blocks)


def other_classes(div: m.Div) -> tuple[str, ...]:
    """The div's classes but the one that made it a callout."""
    kind = kind_of(div.classes)
    return tuple(c for c in div.classes if c.lower().removeprefix("callout-") != kind)
