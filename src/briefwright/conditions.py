"""Conditional content, as Quarto writes it: which fenced divs and bracketed spans an output
shows. Pure functions on the model; no I/O.

    ::: {.content-visible when-profile="leadership"}   shown only for the profile `leadership`
    ::: {.content-hidden unless-format="docx"}         hidden everywhere but in the DOCX
    [text]{.content-visible when-format="pdf"}         a span, the same way

A `.content-visible` element is shown when every condition on it holds, a `.content-hidden`
one is hidden when every condition on it holds (Quarto's rule: `when-format="html"
unless-format="revealjs"` is "html, but not Reveal.js"). A condition's value may list several
names, separated by commas or spaces: `when-profile="leadership, board"` holds for either.

Formats: the PDF is "pdf" (Quarto's alias "latex" means it too), the DOCX "docx", the HTML
"html" (aliases "html4", "html5"): our PDF is printed from HTML, but `when-format="html"` means
the HTML output only, as an author asking for it means. Profiles: with no profile (a build
without variants) `when-profile` never holds and `unless-profile` always does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import assert_never

from briefwright import model as m
from briefwright.suggest import did_you_mean, suggestion

VISIBLE = "content-visible"
HIDDEN = "content-hidden"
CONDITIONAL_CLASSES = (VISIBLE, HIDDEN)
CONDITION_KEYS = ("when-profile", "unless-profile", "when-format", "unless-format")

# Each output format and the names a condition may call it by (the first is its own name).
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf", "latex"),
    "docx": ("docx",),
    "html": ("html", "html4", "html5"),
}
KNOWN_FORMAT_NAMES = tuple(name for names in FORMAT_NAMES.values() for name in names)

_SEPARATOR = re.compile(r"[,\s]+")


def names(value: str) -> tuple[str, ...]:
    """The names a condition's value lists: `"a, b"` -> ("a", "b")."""
    return tuple(name for name in _SEPARATOR.split(value) if name)


def is_conditional(classes: tuple[str, ...]) -> bool:
    return any(cls in CONDITIONAL_CLASSES for cls in classes)


def conditions(attributes: m.Attributes) -> tuple[tuple[str, str], ...]:
    """The condition attributes among `attributes`, in the order written."""
    return tuple((key, value) for key, value in attributes if key in CONDITION_KEYS)


def _holds(key: str, value: str, *, profile: str | None, fmt: str) -> bool:
    wanted = names(value)
    if key.endswith("-profile"):
        matches = profile is not None and profile in wanted
    else:
        matches = any(name in FORMAT_NAMES.get(fmt, (fmt,)) for name in wanted)
    return matches if key.startswith("when-") else not matches


def shown(
    classes: tuple[str, ...], attributes: m.Attributes, *, profile: str | None, fmt: str
) -> bool | None:
    """Whether a div or span with these classes and attributes is shown for `profile` (None:
    no profile) in the output format `fmt` ("pdf", "docx", "html"); None when it is not a
    conditional element. A conditional element with no condition is shown."""
    if not is_conditional(classes):
        return None
    every = all(
        _holds(key, value, profile=profile, fmt=fmt) for key, value in conditions(attributes)
    )
    if VISIBLE in classes:
        return every
    return not every


def shown_for_profile(
    classes: tuple[str, ...], attributes: m.Attributes, *, profile: str | None
) -> bool | None:
    """As `shown`, judging the profile conditions only (the format ones are taken to hold):
    False means no output format of `profile` shows it."""
    judged = tuple((k, v) for k, v in attributes if not k.endswith("-format"))
    return shown(classes, judged, profile=profile, fmt="")


def describe(classes: tuple[str, ...], attributes: m.Attributes) -> str:
    """The condition as the author wrote it, for a drop report: `.content-visible
    when-profile="leadership"`."""
    written = [f".{cls}" for cls in classes if cls in CONDITIONAL_CLASSES]
    written += [f'{key}="{value}"' for key, value in conditions(attributes)]
    return " ".join(written)


def condition_problems(classes: tuple[str, ...], attributes: m.Attributes) -> list[str]:
    """What would make a condition silently not apply (content shown to a reader it was meant
    to be hidden from): a condition key on a conditional element that is not one (`when-meta`,
    `when-profle`), and a class that is nearly a conditional one (`.content-visble`)."""
    problems = []
    for cls in classes:
        if cls not in CONDITIONAL_CLASSES and suggestion(cls, CONDITIONAL_CLASSES):
            hint = did_you_mean(cls, CONDITIONAL_CLASSES)
            problems.append(f"class '.{cls}' is not a condition, so it hides nothing{hint}")
    if is_conditional(classes):
        for key, _ in attributes:
            if key.startswith(("when-", "unless-")) and key not in CONDITION_KEYS:
                hint = did_you_mean(key, CONDITION_KEYS)
                problems.append(
                    f"condition '{key}' is not supported (only {', '.join(CONDITION_KEYS)})"
                    f", so it would be ignored{hint}"
                )
    return problems


# --- applying them to the model ---------------------------------------------------------------

Keep = Callable[[tuple[str, ...], m.Attributes], bool]


def keeper(*, profile: str | None, fmt: str) -> Keep:
    """A test that keeps what `shown` does not hide."""
    return lambda classes, attributes: (
        shown(classes, attributes, profile=profile, fmt=fmt) is not False
    )


def select_briefing(briefing: m.Briefing, fmt: str) -> m.Briefing:
    """`briefing` as the output format `fmt` shows it, for the briefing's profile: every
    conditional div and span whose condition hides it is left out (writers call this)."""
    keep = keeper(profile=briefing.meta.profile, fmt=fmt)
    notes = tuple(
        replace(note, blocks=select_blocks(note.blocks, keep)) for note in briefing.footnotes
    )
    return replace(briefing, blocks=select_blocks(briefing.blocks, keep), footnotes=notes)


def select_blocks(blocks: tuple[m.Block, ...], keep: Keep) -> tuple[m.Block, ...]:
    """`blocks` without the divs and spans (at any depth) that `keep` refuses; a list item or
    list left with nothing goes too."""
    out: list[m.Block] = []
    for block in blocks:
        kept = _select(block, keep)
        if kept is not None:
            out.append(kept)
    return tuple(out)


def select_inlines(runs: tuple[m.Inline, ...], keep: Keep) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for run in runs:
        match run:
            case m.Span():
                if keep(run.classes, run.attributes):
                    out.append(replace(run, inlines=select_inlines(run.inlines, keep)))
            case m.Strong() | m.Emphasis() | m.Strikethrough() | m.Link():
                out.append(replace(run, children=select_inlines(run.children, keep)))
            case m.Text() | m.Code() | m.FootnoteRef() | m.LineBreak() | m.VarRef() | m.Cite():
                out.append(run)
            case _:
                assert_never(run)
    return tuple(out)


def _select(block: m.Block, keep: Keep) -> m.Block | None:
    match block:
        case m.Div():
            if not keep(block.classes, block.attributes):
                return None
            return replace(block, blocks=select_blocks(block.blocks, keep))
        case m.Heading() | m.Paragraph():
            return replace(block, children=select_inlines(block.children, keep))
        case m.BulletList() | m.OrderedList():
            items = tuple(m.ListItem(select_blocks(item.blocks, keep)) for item in block.items)
            items = tuple(item for item in items if item.blocks)
            return replace(block, items=items) if items else None
        case m.BlockQuote():
            return replace(block, blocks=select_blocks(block.blocks, keep))
        case m.Table():
            return replace(
                block,
                header=_cells(block.header, keep),
                rows=tuple(_cells(row, keep) for row in block.rows),
            )
        case m.DefinitionList():
            terms = tuple(
                m.Definition(
                    select_inlines(d.term, keep),
                    tuple(select_blocks(x, keep) for x in d.definitions),
                )
                for d in block.items
            )
            return replace(block, items=terms)
        case m.CodeBlock() | m.Image() | m.ThematicBreak() | m.PageBreak():
            return block
        case _:
            assert_never(block)


def _cells(row: tuple[m.TableCell, ...], keep: Keep) -> tuple[m.TableCell, ...]:
    return tuple(
        m.TableCell(select_inlines(c.children, keep), select_blocks(c.blocks, keep)) for c in row
    )


# --- what a profile leaves out, for a drop report -------------------------------------------


def hidden_for_profile(
    blocks: Iterable[m.Block], profile: str | None
) -> Iterator[tuple[m.Div | m.Span, str]]:
    """Each div and span in `blocks` (at any depth, the outermost of nested ones) that no
    output format of `profile` shows, with its condition as written (`describe`). A div's
    `line` locates it; a span is located by the block that holds it."""
    for block in blocks:
        if isinstance(block, m.Div) and _hidden(block.classes, block.attributes, profile):
            yield block, describe(block.classes, block.attributes)
            continue
        for runs in _own_inlines(block):
            yield from _hidden_spans(runs, profile)
        yield from hidden_for_profile(m.children(block), profile)


def _hidden(classes: tuple[str, ...], attributes: m.Attributes, profile: str | None) -> bool:
    return shown_for_profile(classes, attributes, profile=profile) is False


def _own_inlines(block: m.Block) -> Iterator[tuple[m.Inline, ...]]:
    """The inline runs of `block` itself, not of the blocks inside it."""
    if isinstance(block, m.Heading | m.Paragraph):
        yield block.children
    elif isinstance(block, m.Table):
        for row in (block.header, *block.rows):
            yield from (cell.children for cell in row)
    elif isinstance(block, m.DefinitionList):
        yield from (entry.term for entry in block.items)


def _hidden_spans(
    runs: tuple[m.Inline, ...], profile: str | None
) -> Iterator[tuple[m.Div | m.Span, str]]:
    for run in runs:
        if isinstance(run, m.Span):
            if _hidden(run.classes, run.attributes, profile):
                yield run, describe(run.classes, run.attributes)
            else:
                yield from _hidden_spans(run.inlines, profile)
        elif isinstance(run, m.Strong | m.Emphasis | m.Strikethrough | m.Link):
            yield from _hidden_spans(run.children, profile)
