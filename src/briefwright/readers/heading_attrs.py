"""Attribute blocks, read strictly: `## Risks {#risks .unnumbered marking="NR"}`.

A marking that is not applied fails open (the text is published under a lower banner), so
nothing that looks like attributes or a marking is ever passed over: a heading's trailing
attribute block is read in full or refused with a reason; a near-miss of a name gets "did you
mean"; `marking=` anywhere it would not be applied (in a heading's text, in a paragraph's
`{...}`) is an error. What is not an attribute block at all (`{placeholder}`, `{{ name }}`,
text in code spans or escaped) stays text.

Names are matched as README documents them, exactly: `#id` (or `id=`), `.unnumbered` (or `-`),
`marking=`, `tags=` (words a briefing's `tagged:` selects the section by). Other classes are
Pandoc's and harmless (a class never marks): kept out of the
title, named in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefwright.markings import Scheme
from briefwright.suggest import suggestion

KEYS = ("id", "marking", "tags")
CLASSES = ("unnumbered",)
DOCUMENTED = '#id, .unnumbered (or -), marking="..." and tags="..."'

_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
_BACKTICKS = re.compile(r"`+")
# what an attribute block starts with: `{#`, `{.`, `{-}`, `{key=`; or any mention of marking
_LOOKS_LIKE = re.compile(r"\{\s*(?:[#.]|-\s*\}|[\w:.-]+\s*=)|\{[^{}]*\bmarking\b", re.I)
_NAME = re.compile(r"[^\s\"'=}{]+")
_KEY = re.compile(r"[A-Za-z_][\w.:-]*")
_BARE_VALUE = re.compile(r"[^\s\"'}{]+")
_WORD = re.compile(r"\S+")
_STRAY = re.compile(r"[{}]|\bmarking\s*=", re.I)
MAX_ERRORS = 5  # per attribute block: enough to act on, and a hostile block stays cheap


@dataclass
class HeadingAttrs:
    """What a heading's text holds: its title (`text[:start]`), its attributes, and problems."""

    start: int
    attrs: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, message)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def masked(text: str) -> str:
    """`text` with code spans and escaped characters blanked out (same length): what lies in
    them is text, never attributes."""
    text = _ESCAPED.sub("  ", text)
    chars = list(text)
    for start, end in _code_spans(text):
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where code spans are: a run of backticks to the next run of the same length. Linear:
    each run is looked at once, however many runs are never closed."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    cursor = dict.fromkeys(by_length, 0)  # per length: the next of its runs not yet passed
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        length = runs[index][1] - runs[index][0]
        same = by_length[length]
        while same[cursor[length]] <= index and cursor[length] + 1 < len(same):
            cursor[length] += 1
        closer = same[cursor[length]]
        if closer <= index:
            index += 1  # never closed: its backticks are text
            continue
        spans.append((runs[index][0], runs[closer][1]))
        index = closer + 1
    return spans


def read_heading(text: str) -> HeadingAttrs:
    """Split a heading's raw inline text into title and attribute block, strictly."""
    if "{" not in text and not _mentions_marking(text):
        return HeadingAttrs(len(text))  # the common case, without the scans below
    plain = masked(text)
    end = len(plain.rstrip())
    opening = plain.rfind("{", 0, end)
    if opening >= 0 and plain[end - 1 : end] == "}" and _LOOKS_LIKE.match(plain, opening):
        found = _block(text[opening + 1 : end - 1], opening + 1)
        found.start = opening
    elif opening >= 0 and "}" not in plain[opening:] and _LOOKS_LIKE.match(plain + "}", opening):
        found = HeadingAttrs(opening)  # the rest is not title text either: the build stops
        found.errors.append(
            (opening, f"attribute block '{text[opening:end]}' is not closed by '}}'")
        )
    else:
        found = HeadingAttrs(len(text))
    _stray(plain[: found.start], found.errors, heading=True)
    return found


def stray_markings(text: str) -> list[tuple[int, str]]:
    """`marking=` in attributes outside a heading's block (a paragraph's, an image's, a fenced
    div's...), where it would not be applied: (offset, message) for the first, if any."""
    errors: list[tuple[int, str]] = []
    if "{" in text and _mentions_marking(text):  # else nothing to find: skip the scans
        _stray(masked(text), errors, heading=False)
    return errors


def _mentions_marking(text: str) -> bool:
    return "marking" in text.casefold()


def _stray(plain: str, errors: list[tuple[int, str]], *, heading: bool) -> None:
    """The first `marking=` in `plain` (in a heading's text, or between braces elsewhere)."""
    inside = False
    for match in _STRAY.finditer(plain):
        token = match.group(0)
        if token in "{}":
            inside = token == "{"
        elif heading or inside:
            where = "a heading's text" if heading else "attributes outside a heading"
            message = (
                f"'{token}' in {where} is not applied; a marking is set in the front matter "
                'or in the attribute block that ends a heading: ## Title {#id marking="..."}'
            )
            errors.append((match.start(), message))
            return


def _block(inner: str, offset: int) -> HeadingAttrs:
    """The attributes in `inner` (the text between the braces, at `offset` in the heading)."""
    found = HeadingAttrs(0)
    pos = 0
    while pos < len(inner) and len(found.errors) < MAX_ERRORS:
        if inner[pos].isspace():
            pos += 1
            continue
        pos = _item(inner, pos, offset, found)
    return found


def _item(inner: str, pos: int, offset: int, found: HeadingAttrs) -> int:
    """Read the item at `pos` into `found`; the position after it."""
    char = inner[pos]
    if char in "#.":
        name = _NAME.match(inner, pos + 1)
        if name is None:
            return _error(found, offset + pos, f"'{char}' with no name after it", pos + 1)
        if char == "#":
            _set(found, "id", name.group(0), offset + pos)
        else:
            _class(found, name.group(0), offset + pos)
        return name.end()
    if char == "-" and (pos + 1 == len(inner) or inner[pos + 1].isspace()):
        _class(found, "unnumbered", offset + pos)
        return pos + 1
    key = _KEY.match(inner, pos)
    if key is None:
        return _unreadable(inner, pos, offset, found)
    after = key.end()
    if inner[after : after + 1] != "=":
        if inner[after:].lstrip().startswith("="):
            message = f"write '{key.group(0)}=' with no space before '='"
            return _error(found, offset + pos, message, len(inner))
        return _unreadable(inner, pos, offset, found)
    value, end = _value(inner, after + 1, key.group(0), offset, found)
    if value is not None:
        _key(found, key.group(0), value, offset + pos)
    return end


def _value(
    inner: str, pos: int, key: str, offset: int, found: HeadingAttrs
) -> tuple[str | None, int]:
    quote = inner[pos : pos + 1]
    if quote in ("'", '"'):
        close = inner.find(quote, pos + 1)
        if close < 0:
            message = f"attribute '{key}': the quote {quote} opened here is never closed"
            return None, _error(found, offset + pos, message, len(inner))
        return inner[pos + 1 : close], close + 1
    bare = _BARE_VALUE.match(inner, pos)
    if bare is None:
        return None, _error(found, offset + pos, f"attribute '{key}=' has no value", pos)
    return bare.group(0), bare.end()


def _key(found: HeadingAttrs, key: str, value: str, at: int) -> None:
    if key in KEYS:
        _set(found, key, value, at)
        return
    if key == "class":
        for name in value.split():
            _class(found, name, at)
        return
    named = [k for k in KEYS if k.casefold() == key.casefold()]
    hint = f"did you mean '{named[0]}'? (names are case-sensitive)" if named else ""
    hint = hint or suggestion(key.casefold(), KEYS) or f"a heading's attributes are {DOCUMENTED}"
    found.errors.append((at, f"unknown heading attribute '{key}'; {hint}"))


def _set(found: HeadingAttrs, key: str, value: str, at: int) -> None:
    if key in found.attrs:
        found.errors.append((at, f"attribute '{key}' is given twice"))
    found.attrs[key] = value


def _class(found: HeadingAttrs, name: str, at: int) -> None:
    if name in CLASSES:
        found.attrs["class"] = "unnumbered"
        return
    named = [c for c in CLASSES if c.casefold() == name.casefold()]
    if named or suggestion(name, CLASSES) or "marking" in name.casefold():
        hint = suggestion(name.casefold(), CLASSES) or f"a heading's attributes are {DOCUMENTED}"
        found.errors.append((at, f"unknown heading class '.{name}'; {hint}"))
        return
    found.warnings.append((at, f"heading class '.{name}' is not used by briefwright; ignored"))


def _unreadable(inner: str, pos: int, offset: int, found: HeadingAttrs) -> int:
    match = _WORD.match(inner, pos)
    assert match is not None, "called on a non-space character"
    word = match.group(0)
    message = f"cannot read '{word}' in a heading's attribute block; it may hold {DOCUMENTED}"
    return _error(found, offset + pos, message, pos + len(word))


def _error(found: HeadingAttrs, at: int, message: str, resume: int) -> int:
    found.errors.append((at, message))
    return resume


_BRACKETED = re.compile(r"[(\[{]\s*([^()\[\]{}]+?)\s*[)\]}]")


def marking_in_title(title: str, scheme: Scheme | None) -> str | None:
    """A bracketed marking of `scheme` written in a heading's title, `(NR)` or `[TLP:RED]`: a
    hand-made portion mark, which marks nothing (portion marks are computed). None if none."""
    if scheme is None:
        return None
    for match in _BRACKETED.finditer(title):
        if scheme.find(match.group(1).split("//")[0]) is not None:
            return match.group(0)
    return None
