"""Plain-text documents (web pages saved as text, notes) -> Markdown. Text has no marked
structure, so it is guessed from the layout:

- the title is the first line;
- a heading is a short line without closing punctuation that a paragraph follows (possibly
  after more such lines: a heading and its first sub-heading), a numbered line standing alone
  ("2.3 Scope"), a short all-capitals line, or a line underlined with `===` or `---`;
- "1." lines in a run are an ordered list, "-", "*" and "•" lines a bullet list;
- the lines of a paragraph are joined into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefwright.importing.escape import inline as escape_inline
from briefwright.importing.model import Imported
from briefwright.readers.text import decode_utf8, replace_forbidden

MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 16
_CLOSING = ".,;:!"  # a line ending so is a sentence, not a heading ('?' may end a heading)
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
_ORDERED = re.compile(r"^\s*(\d{1,9})[.)]\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-*+•·‣◦]\s+(\S.*)$")
_NUMBERED_HEADING = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\.?\s+(\S.*)$")
_LEADING = re.compile(r"^([#>+=|~-])")


@dataclass
class Block:
    lines: list[str]
    underline: str | None = None  # '=' or '-' when the block's last line was underlined

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)


def read(data: bytes, origin: str) -> Imported:
    text, problems = replace_forbidden(decode_utf8(data, Path(origin)), Path(origin))
    blocks = _blocks(text.split("\n"))
    title = None
    if blocks and _title_like(blocks[0]):
        title = blocks.pop(0).text
    markdown = "\n\n".join(_render(blocks)) + "\n" if blocks else ""
    return Imported(markdown=markdown, title=title, warnings=[str(p) for p in problems])


def _blocks(lines: list[str]) -> list[Block]:
    """Runs of non-blank lines; an underline ends its block and marks it."""
    blocks: list[Block] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                blocks.append(Block(current))
            current = []
        elif current and _UNDERLINE.match(line) and len(current) == 1:
            blocks.append(Block(current, line.strip()[0]))
            current = []
        elif _ORDERED.match(line) or _BULLET.match(line):
            if current:  # a list item starts its own block even without a blank line before
                blocks.append(Block(current))
            current = [line]
        else:
            current.append(line)
    if current:
        blocks.append(Block(current))
    return blocks


def _title_like(block: Block) -> bool:
    return len(block.lines) == 1 and len(block.text) <= 300


def _render(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    kinds = [_kind(block) for block in blocks]
    for index, block in enumerate(blocks):
        kind = kinds[index]
        if kind == "candidate":
            kind = "heading" if _prose_follows(kinds, index) else "paragraph"
        if kind == "numbered" and _in_run(kinds, index):
            kind = "ordered"
        out.append(_markdown(block, kind))
    return _join_lists(out)


def _kind(block: Block) -> str:
    if block.underline is not None:
        return "underlined"
    line = block.text
    if _BULLET.match(block.lines[0]):
        return "bullet"
    if _ORDERED.match(block.lines[0]):
        return "numbered" if len(block.lines) == 1 and _heading_shaped(line) else "ordered"
    if len(block.lines) == 1 and _NUMBERED_HEADING.match(line) and _heading_shaped(line):
        return "numbered"
    if len(block.lines) == 1 and _heading_shaped(line):
        return "capitals" if _capitals(line) else "candidate"
    return "paragraph"


def _heading_shaped(line: str) -> bool:
    return (
        len(line) <= MAX_HEADING_CHARS
        and len(line.split()) <= MAX_HEADING_WORDS
        and not line.rstrip().endswith(tuple(_CLOSING))
    )


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _prose_follows(kinds: list[str], index: int) -> bool:
    """A paragraph (or list) comes after this line, past any more heading-shaped lines."""
    for kind in kinds[index + 1 :]:
        if kind != "candidate":
            return kind in ("paragraph", "ordered", "bullet")
    return False


def _in_run(kinds: list[str], index: int) -> bool:
    """A numbered line with a numbered neighbour is a list item, not a heading."""
    near = kinds[index - 1 : index] + kinds[index + 1 : index + 2]
    return any(kind in ("numbered", "ordered") for kind in near)


def _markdown(block: Block, kind: str) -> str:
    text = block.text
    if kind == "underlined":
        return ("## " if block.underline == "=" else "### ") + _escape(text)
    if kind in ("candidate", "heading", "capitals"):
        return "## " + _escape(text)
    if kind == "numbered":
        match = _NUMBERED_HEADING.match(text)
        assert match is not None
        depth = match.group(1).count(".") + 1
        return "#" * min(depth + 1, 6) + " " + _escape(text)
    if kind == "ordered":
        match = _ORDERED.match(text)
        assert match is not None
        return f"{match.group(1)}. {_escape(match.group(2))}"
    if kind == "bullet":
        match = _BULLET.match(text)
        assert match is not None
        return "- " + _escape(match.group(1))
    return _paragraph(text)


def _paragraph(text: str) -> str:
    """A paragraph whose first character would start another kind of block, escaped."""
    escaped = _escape(text)
    return "\\" + escaped if _LEADING.match(escaped) else escaped


def _escape(text: str) -> str:
    """Characters Markdown would read as markup, escaped: the text stays the text."""
    escaped = escape_inline(text)
    return re.sub(r"&(?=#?\w+;)", "&amp;", escaped)


def _join_lists(out: list[str]) -> list[str]:
    """Consecutive list items (blank lines between them in the text) as one tight list."""
    joined: list[str] = []
    previous = ""
    for text in out:
        item = text.startswith("- ") or bool(re.match(r"^\d{1,9}\. ", text))
        if item and joined and previous == ("- " if text.startswith("- ") else "1."):
            joined[-1] += "\n" + text
        else:
            joined.append(text)
        previous = ("- " if text.startswith("- ") else "1.") if item else ""
    return joined
