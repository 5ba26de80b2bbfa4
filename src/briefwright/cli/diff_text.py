"""`brief diff` as text: one block per changed section (its kind, title and FILE:LINE), then its
word changes: coloured on a terminal, `[-old-]{+new+}` otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import click

from briefwright.provenance.compare import CONTEXT_WORDS, SectionChange
from briefwright.provenance.redline import Redline

WRAP = 100  # characters of a word-diff line
_SHOWN_WORDS = 12  # of an added or removed section


def diff_lines(red: Redline, note: str | None, colour: bool) -> Iterator[str]:
    changes = red.comparison.sections
    yield f"{red.unit}: changes since {red.since}"
    if note:
        yield f"  ({note})"
    for change in changes:
        yield ""
        yield _heading(change, colour)
        yield from _words(change, colour)
    counts = red.counts()
    told = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    yield ""
    if red.comparison.files:
        yield "also changed: " + ", ".join(red.comparison.files)
    yield f"{len(changes)} section(s) changed" + (f": {told}" if told else "")


def _heading(change: SectionChange, colour: bool) -> str:
    section = change.section
    first, last = section.lines
    where = f"{section.file}:{first}" + (f"-{last}" if last != first else "")
    kind = f"{change.kind:<8}"
    if colour:
        tint = {"added": "green", "removed": "red", "moved": "cyan"}.get(change.kind, "yellow")
        kind = click.style(kind, fg=tint, bold=True)
    return f"{kind} {section.title or section.key}  {where}"


def _words(change: SectionChange, colour: bool) -> Iterator[str]:
    if change.kind == "moved":
        return
    if change.kind in ("added", "removed"):
        words = " ".join(p.text for p in change.section.paragraphs).split()
        shown = " ".join(words[:_SHOWN_WORDS]) + (" ..." if len(words) > _SHOWN_WORDS else "")
        text = ("{+" + shown + "+}") if change.kind == "added" else ("[-" + shown + "-]")
    else:
        text = change.word_diff(CONTEXT_WORDS) or "(same words: markings, images or notes)"
    if colour:
        text = _coloured(text)
    yield from ("    " + line for line in _wrapped(text))


def _coloured(text: str) -> str:
    """`[-old-]` and `{+new+}` as red struck-through and green underlined text."""
    out = text
    for start, end, style in (
        ("[-", "-]", {"fg": "red", "strikethrough": True}),
        ("{+", "+}", {"fg": "green", "underline": True}),
    ):
        pieces: list[str] = []
        rest = out
        while start in rest:
            before, _, after = rest.partition(start)
            inner, _, rest = after.partition(end)
            pieces += [before, click.style(inner, **style)]  # type: ignore[arg-type]
        out = "".join([*pieces, rest])
    return out


def _wrapped(text: str) -> list[str]:
    """Long diffs broken at spaces (a change's brackets stay readable across lines)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(click.unstyle(current)) + 1 + len(click.unstyle(word)) > WRAP:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines
