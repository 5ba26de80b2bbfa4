"""Pandoc's fenced divs and bracketed spans, as markdown-it rules.

    ::: {#id .class key="value"}        ::: note          [text]{.smallcaps}
    content                             content
    :::                                 :::

A div opens with a fence of three or more colons and attributes (or one word, a class), which
more colons may follow; it closes with a line of three or more colons only. Divs nest: a
closing fence closes the innermost open div, so longer fences for outer divs are a matter of
taste, as in Pandoc. Fences inside code blocks do not count. A div never closed is not a div:
its fences stay text, and the reader warns (see `dialects`). Unlike Pandoc, an opening fence may
directly follow a paragraph's last line.

Tokens: `div_open` (meta: classes, attributes, identifier) ... `div_close`, and `span_open`
... `span_close` likewise.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from briefwright.readers.dialects import parse_attributes

_OPEN = re.compile(r":{3,}[ \t]*(\{.*\}|[^\s{}:][^\s{}]*)[ \t]*:*[ \t]*$")
_CLOSE = re.compile(r":{3,}[ \t]*$")
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})")
# `{...}` right after a span's `]`: quoted values may hold braces; it may break over lines, as
# in Pandoc
_SPAN_ATTRS = re.compile(r"""\{(?:[^{}"']|"[^"\n]*"|'[^'\n]*')*\}""")


def use_div_rules(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence",
        "fenced_div",
        _fenced_div,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.before("link", "bracketed_span", _bracketed_span)


def read_attributes(text: str) -> dict[str, Any] | None:
    """A fence's or span's attributes (`{#id .a key="v"}`, or a bare word: a class) as token
    meta: classes, attributes (key, value) in order, identifier; None if unreadable."""
    if not text.startswith("{"):
        return {"classes": (text,), "attributes": (), "identifier": None}
    attrs = parse_attributes(text)
    if attrs is None:
        return None
    return {
        "classes": tuple(attrs.pop("class", "").split()),
        "identifier": attrs.pop("id", None),
        "attributes": tuple(attrs.items()),
    }


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _opening(state: StateBlock, line: int) -> dict[str, Any] | None:
    if state.is_code_block(line):
        return None
    found = _OPEN.match(_line(state, line))
    return read_attributes(found.group(1)) if found else None


_FENCES = "briefwright_div_fences"  # state.env: opening line's key -> its closing line or None


def _key(state: StateBlock, line: int) -> tuple[int, ...]:
    """An opening fence as the block parser sees it now (inside a quote or list item its line
    starts elsewhere): its matches found in one container are not used in another."""
    return (line, state.bMarks[line], state.tShift[line], state.sCount[line], state.blkIndent)


def _closing_line(state: StateBlock, start: int, end: int) -> int | None:
    """The line of the fence closing the div opened on `start - 1`, before `end`, or None.

    One scan matches every fence from there on (a closing fence closes the innermost open
    div), and the matches are kept: a div never closed is not scanned to the end of the
    document again for each fence after it, nor each time a paragraph asks whether a fence
    interrupts it, which made a document of many such fences quadratic."""
    fences: dict[tuple[int, ...], int | None] = state.env.setdefault(_FENCES, {})
    key = _key(state, start - 1)
    if key not in fences:
        fences.update(_match_fences(state, start - 1, state.lineMax))
    found = fences.get(key)
    return found if found is not None and found < end else None


def _match_fences(state: StateBlock, opening: int, end: int) -> dict[tuple[int, ...], int | None]:
    """Every opening fence from `opening` on matched to its closing line (None: never closed in
    this container), fences inside code blocks ignored."""
    matched: dict[tuple[int, ...], int | None] = {}
    stack = [_key(state, opening)]
    code_fence = ""
    for line in range(opening + 1, end):
        text = _line(state, line)
        if text and state.sCount[line] < state.blkIndent:
            break  # the container (list item, quote) ended first
        if code_fence:
            if text.startswith(code_fence) and not text.lstrip(code_fence[0]).strip():
                code_fence = ""
            continue
        if state.is_code_block(line):
            continue
        fence = _CODE_FENCE.match(text)
        if fence:
            code_fence = fence.group(1)
        elif _CLOSE.match(text):
            if stack:
                matched[stack.pop()] = line
            if not stack:
                return matched
        elif _opening(state, line) is not None:
            stack.append(_key(state, line))
    matched.update(dict.fromkeys(stack))
    return matched


def _fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    meta = _opening(state, start)
    if meta is None:
        return False
    close = _closing_line(state, start + 1, end)
    if close is None:
        return False
    if silent:
        return True
    line_max = state.lineMax
    token = state.push("div_open", "div", 1)
    token.map = [start, close + 1]
    token.markup = _line(state, start)
    token.meta = meta
    state.lineMax = close
    state.md.block.tokenize(state, start + 1, close)
    state.lineMax = line_max
    token = state.push("div_close", "div", -1)
    token.markup = _line(state, close)
    state.line = close + 1
    return True


def _bracketed_span(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or state.src.startswith("[^", state.pos):
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0:
        return False
    found = _SPAN_ATTRS.match(state.src, label_end + 1, state.posMax)
    if found is None:
        return False
    meta = read_attributes(found.group(0))
    if meta is None:
        return False
    if not silent:
        maximum = state.posMax
        state.pos, state.posMax = state.pos + 1, label_end
        token = state.push("span_open", "span", 1)
        token.meta = meta
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
        state.posMax = maximum
    state.pos = found.end()
    return True
