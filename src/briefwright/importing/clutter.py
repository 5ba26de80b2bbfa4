"""Clutter removal that says what it did: rules (built-in, then the project's) applied to the
Markdown a reader returned, each removed line listed with its rule.

A rule only ever removes a line that is a whole block on its own (a paragraph, heading or list
item of one line) and not sentence-long: a line inside a longer paragraph is kept, whatever
matches it. That is the guard against a broad pattern eating the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefwright.importing.clutter_rules import BUILT_IN
from briefwright.importing.model import Removed

MAX_WORDS = 60  # a line longer than this is prose, never boilerplate
_MARKERS = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,9}[.)]\s+)+")
_EMPHASIS = re.compile(r"[*_`]+|\[|\]\([^)]*\)|\]")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class CompiledRule:
    name: str
    regex: re.Pattern[str]
    trailing: bool


def compile_rules(project_patterns: Sequence[str] = ()) -> list[CompiledRule]:
    """The built-in rules, then the project's (`[import] remove`), in that order."""
    rules = [CompiledRule(r.name, re.compile(r.pattern, re.I), r.trailing) for r in BUILT_IN]
    for number, pattern in enumerate(project_patterns, 1):
        name = f"briefwright.toml [import] remove #{number}"
        rules.append(CompiledRule(name, re.compile(pattern), False))
    return rules


def plain(line: str) -> str:
    """A line as a rule sees it: without Markdown block markers, emphasis and link targets."""
    text = _MARKERS.sub("", line)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def remove_clutter(markdown: str, rules: Sequence[CompiledRule]) -> tuple[str, list[Removed]]:
    """`markdown` without the lines the rules match, and what was removed (1-based lines of
    `markdown`)."""
    lines = markdown.split("\n")
    alone = _standalone(lines)
    drop: dict[int, str] = {}
    for index, line in enumerate(lines):
        if index in drop or not alone[index]:
            continue
        rule = _match(plain(line), rules)
        if rule is None:
            continue
        drop[index] = rule.name
        if rule.trailing:
            block = _trailing(lines, alone, index, rules)
            # a line of the block that a rule of its own matches is listed under that rule
            drop.update(
                {i: getattr(_match(plain(lines[i]), rules), "name", rule.name) for i in block}
            )
    removed = [Removed(lines[i].strip(), drop[i], i + 1) for i in sorted(drop)]
    gone = set(drop) | _blank_after(lines, set(drop))
    kept = [line for index, line in enumerate(lines) if index not in gone]
    body = "\n".join(kept).strip("\n")
    return (body + "\n" if body.strip() else ""), removed


def _match(text: str, rules: Sequence[CompiledRule]) -> CompiledRule | None:
    if not text or len(text.split()) > MAX_WORDS:
        return None
    return next((rule for rule in rules if rule.regex.fullmatch(text)), None)


def _standalone(lines: list[str]) -> list[bool]:
    """For each line: is it a block on its own (blank or block-marked lines around it), outside
    code? A line of a paragraph that runs on over several lines is not."""
    result = [False] * len(lines)
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not line.strip():
            continue
        before = lines[index - 1] if index > 0 else ""
        after = lines[index + 1] if index + 1 < len(lines) else ""
        heading = line.lstrip().startswith("#")
        result[index] = heading or (_block_edge(before) and _block_edge(after))
    return result


def _block_edge(neighbour: str) -> bool:
    return not neighbour.strip() or _MARKERS.match(neighbour) is not None


def _trailing(
    lines: list[str], alone: list[bool], start: int, rules: Sequence[CompiledRule]
) -> list[int]:
    """The lines after a trailing-block heading, when all of them to the end are short
    stand-alone lines that are no sentence (link titles, dates, buttons) or clutter of their
    own; none if any prose follows."""
    rest = [i for i in range(start + 1, len(lines)) if lines[i].strip()]
    short = all(
        alone[i] and (_title(plain(lines[i])) or _match(plain(lines[i]), rules)) for i in rest
    )
    return rest if short else []


def _title(text: str) -> bool:
    return len(text.split()) <= 20 and not text.endswith((".", "!", "?"))


def _blank_after(lines: list[str], drop: set[int]) -> set[int]:
    """The blank line that separated each removed block from the next, so no gap of two blank
    lines is left behind (blank lines elsewhere, in code for one, are not touched)."""
    blanks: set[int] = set()
    for index in drop:
        after = index + 1
        if after < len(lines) and not lines[after].strip() and after not in drop:
            blanks.add(after)
    return blanks
