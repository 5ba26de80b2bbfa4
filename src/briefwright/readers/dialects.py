"""What other Markdown tools accept and briefwright does not render: found, so that nothing an
author typed is printed literally without a word, or reaches a reader when it was hidden.

- HTML comments are dropped (markdown-it rules: a block rule for comments on lines of their own,
  an inline rule for the others); other raw HTML stays text, marked so the reader can warn.
- Pandoc attributes (`{#id .class key=value}`, `{-}`) are parsed here.
- `dialect_findings` scans the text of a block for Pandoc/Quarto syntax that would be shown as
  written: citations, cross-references, math, sub- and superscript, shortcodes; and spans and
  fenced divs that could not be read (see `divs`), such as a div never closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode

COMMENT = "html_comment"  # the token type of a dropped comment
RAW_HTML = "html_inline"  # raw HTML kept as text


def use_comment_rules(md: MarkdownIt) -> None:
    """Drop HTML comments (CommonMark's rules for where they start and end); mark raw HTML."""
    md.block.ruler.before(
        "html_block", "comment_block", _comment_block, {"alt": ["paragraph", "blockquote"]}
    )
    md.inline.ruler.before("html_inline", "comment_or_tag", _comment_or_tag)


def comment_end(src: str, search: int, stop: int) -> int:
    """The index just past the first `-->` in `src[search:stop]`, or -1. Searching from two
    characters into `<!--` makes `<!-->` and `<!--->` complete (empty) comments, as in
    CommonMark."""
    found = src.find("-->", search, stop)
    return -1 if found < 0 else found + 3


def _comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A comment starting a line runs to the line holding `-->` (or, never closed, to the end
    of its container). Text after the `-->` makes the lines a paragraph instead."""
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("<!--", begin):
        return False
    line, closed = start_line, False
    while line < end_line:
        search = begin + 2 if line == start_line else state.bMarks[line]
        end = comment_end(state.src, search, state.eMarks[line])
        if end >= 0:
            if state.src[end : state.eMarks[line]].strip():
                return False
            closed = True
            break
        line += 1
    last = min(line, end_line - 1)
    if silent:
        return True
    token = state.push(COMMENT, "", 0)
    token.map = [start_line, last + 1]
    token.content = state.src[begin : state.eMarks[last]]
    token.meta = {"closed": closed}
    state.line = last + 1
    return True


def _comment_or_tag(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "<":
        return False
    if src.startswith("<!--", pos):
        end = comment_end(src, pos + 2, state.posMax)
        kind, length = (COMMENT, end - pos) if end >= 0 else (RAW_HTML, 4)
    else:
        match = HTML_TAG_RE.match(src, pos, state.posMax)
        if match is None:
            return False
        kind, length = RAW_HTML, len(match.group(0))
    if not silent:
        token = state.push(kind, "", 0)
        token.content = src[pos : pos + length]
    state.pos += length
    return True


# --- Pandoc attributes ------------------------------------------------------------------------

_ATTR = re.compile(
    r"""\s*(?:#([\w:.-]+)|\.([\w-]+)|(-)(?=[\s}])|([\w-]+)=("[^"]*"|'[^']*'|[^\s}]+))"""
)


def parse_attributes(text: str) -> dict[str, str] | None:
    """`{#id .class key=value}` as a mapping ('-' is '.unnumbered', classes joined by spaces);
    None if `text` is not such a list."""
    if not (text.startswith("{") and text.endswith("}")):
        return None
    attrs: dict[str, str] = {}
    pos, inner_end = 1, len(text) - 1
    while pos < inner_end:
        if not text[pos:inner_end].strip():
            break
        match = _ATTR.match(text, pos, inner_end + 1)
        if match is None:
            return None
        ident, cls, dash, key, value = match.groups()
        if ident:
            attrs["id"] = ident
        elif cls or dash:
            name = cls or "unnumbered"
            attrs["class"] = f"{attrs['class']} {name}" if "class" in attrs else name
        else:
            attrs[key] = value.strip("\"'")
        pos = match.end()
    return attrs if attrs else None


# --- other dialects' syntax, shown as written ----------------------------------------------

# Placeholders in the flattened text of a block: none of the patterns below matches them.
_HIDDEN = "\x00"  # code, escaped characters, raw HTML, footnote calls
_LINK_END = "\x02"  # the end of a link's text (attributes may follow it)
_IMAGE = "\x03"
VARIABLE = "variable"
CITATION = "citation"
_QUARTO_PREFIXES = "eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|nte|tip|wrn|imp|cau"
_ATTRS = r"\{\s*(?:[.#][\w-]|-\s*\}|[\w-]+=)[^{}\n]*\}"

# (what it is, pattern), in the order they are looked for; a match hides its text from the
# later patterns, so each construct is named once.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # A grid table the reader could not read (see grid_tables): a paragraph from its border on.
    ("grid table", re.compile(r"^\+(?:[-=:]+\+)+[ \t]*$[\s\S]*", re.M)),
    # `{{< var key >}}` is briefwright's own (variables.py): hidden from the later patterns
    (VARIABLE, re.compile(r"\{?\{\{<\s*var\s[^\n]*?>\}\}\}?")),
    ("shortcode", re.compile(r"\{\{[<%].*?[>%]\}\}")),
    ("template tag", re.compile(r"\{%.*?%\}|\{\{.*?\}\}")),
    ("display math", re.compile(r"\$\$(?!\s*\$).+?\$\$", re.S)),
    ("math", re.compile(r"(?<![\w$\\])\$(?![\s$])[^$\n]*?(?<![\s\\])\$(?![\d$\w])")),
    # Pandoc's citations are read (readers/citations.py): hidden from the later patterns
    (CITATION, re.compile(r"\[[^\[\]\n]*?(?<![\w.])-?@\w[\w:.#$%&+?<>~/-]*[^\[\]\n]*\]")),
    ("span", re.compile(r"\[[^\[\]\n]*\]" + _ATTRS)),
    ("link attribute list", re.compile(_LINK_END + _ATTRS)),
    ("image attribute list", re.compile(_IMAGE + _ATTRS)),
    # `@fig-`, `@tbl-`, `@sec-` are briefwright's own (readers/markdown.py: XREF)
    ("cross-reference", re.compile(rf"(?<![\w.@/+-])@(?:{_QUARTO_PREFIXES})-[\w-]*\w")),
    ("subscript", re.compile(r"(?<!~)~(?![\s~])[^\s~/]+~(?!~)")),
    ("superscript", re.compile(r"\^(?![\s^])[^\s^/\[\]]+\^(?!\^)")),
)
FENCE = re.compile(r"^:{3,}(.*)$", re.M)


def flatten(node: SyntaxTreeNode) -> tuple[str, str]:
    """The text of an inline node as the patterns see it (line breaks kept, code and escapes
    hidden, links and images marked), and as it is shown, of the same length."""
    pieces = list(_flat(node))
    return "".join(p for p, _ in pieces), "".join(s for _, s in pieces)


def _flat(node: SyntaxTreeNode) -> Iterator[tuple[str, str]]:
    for child in node.children:
        kind = child.type
        if kind == "text":
            yield child.content, child.content
        elif kind in ("softbreak", "hardbreak"):
            yield "\n", "\n"
        elif kind == COMMENT:
            lines = "\n" * child.content.count("\n")
            yield lines, lines
        elif kind == "link":
            yield "\x01", "\x01"
            yield from _flat(child)
            yield _LINK_END, _LINK_END
        elif kind == "image":
            yield _IMAGE, _IMAGE
        elif child.children:
            yield from _flat(child)
        else:
            shown = child.content or _HIDDEN
            yield _HIDDEN * len(shown), shown


def dialect_findings(flat: tuple[str, str], open_divs: int) -> tuple[list[tuple[int, str]], int]:
    """(line offset, warning) for each construct of another dialect in a block's text (see
    `flatten`), and how many fenced divs are open after it (`open_divs` before it): a closing
    fence of a div already named is not named again."""
    text, display = flat
    found: list[tuple[int, int, str]] = []
    for what, pattern in PATTERNS:
        for match in pattern.finditer(text):
            text = text[: match.start()] + _blank(match.group(0)) + text[match.end() :]
            if what in (VARIABLE, CITATION):
                continue
            shown = _shorten(
                display[match.start() : match.end()].strip("\x01" + _IMAGE + _LINK_END)
            )
            found.append((match.start(), text.count("\n", 0, match.start()), _say(what, shown)))
    for match in FENCE.finditer(text):
        if not match.group(1).strip() and open_divs > 0:
            open_divs -= 1
            continue
        if match.group(1).strip():
            open_divs += 1
        line = text.count("\n", 0, match.start())
        shown = _shorten(display[match.start() : match.end()])
        message = (
            f"fenced div '{shown}' has no closing fence ':::' (or its attributes cannot be"
            " read); its fences are shown as written"
        )
        found.append((match.start(), line, message))
    return [(line, message) for _, line, message in sorted(found)], open_divs


def _say(what: str, shown: str) -> str:
    if what == "grid table":
        why = "its borders do not line up, or it has merged cells"
        return f"{what} '{shown}' could not be read ({why}); it is shown as written"
    return f"{what} '{shown}' is not supported yet; it is shown as written"


def _blank(text: str) -> str:
    return "".join(c if c == "\n" else _HIDDEN for c in text)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
