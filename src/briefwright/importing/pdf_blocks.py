"""Lines of a PDF, in reading order, made into Markdown blocks: headings by font size and weight,
lines joined into paragraphs, words hyphenated at a line's end joined again.

Headings: the body size is the size most characters are set in. A line is a heading when it is
short (at most 15 words, no closing full stop, comma or semicolon) and either larger than the
body (by 1 pt and 12 %) or bold throughout. Heading kinds (size, bold) are ranked, largest first;
the rank gives the level. A wrapped heading (a heading line filling most of its column followed
by one of the same kind) is one heading.

Hyphenation, decided from the document itself where it can be:
- a soft hyphen (U+00AD) at a line's end always joins ("infor\\xadmation" -> "information");
- the document's own spelling decides next: "well-" + "known" keeps its hyphen when the document
  has "well-known" elsewhere, and is joined when it has "wellknown" elsewhere;
- else the hyphen is kept when the next line starts with a capital or a digit ("Franco-" +
  "German", "2023-" + "0379"), when the part before it already holds a hyphen
  ("state-of-the-"), or when it is a prefix that English writes with a hyphen ("non-", "self-",
  "well-", "ex-", "all-", "half-", "cross-", "quasi-");
- otherwise the hyphen is a break and the word is joined ("infor-" + "mation" -> "information").
Dashes (en or em) at a line's end are kept and joined without a space ("737\u2013" + "9").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from briefwright.importing.escape import inline as escape_inline
from briefwright.importing.pdf_layout import Line

MAX_HEADING_WORDS = 15
_CLOSING = (".", ",", ";")
_SENTENCE_END = re.compile("[.!?\u2026]['\"\u2019\u201d)\\]]*$")
_LIST_ITEM = re.compile(r"^(?:[•▪●◦‣∙·*\u2013-]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_HYPHEN_PREFIXES = {"non", "self", "well", "ex", "all", "half", "cross", "quasi"}
_BULLET = re.compile(r"^[•▪●◦‣∙·]\s*")
_WORD = re.compile(r"\w+(?:-\w+)*")
_BLOCK_START = re.compile(r"^(#{1,6}\s|>|=+\s*$|-{3,}\s*$|\|)")


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "table"
    text: str
    level: int = 0
    key: tuple[float, bool] = (0.0, False)


def body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        for piece in line.pieces:
            if piece.table is None:
                sizes[piece.size] += piece.chars
    return sizes.most_common(1)[0][0] if sizes else 10.0


def is_heading(line: Line, body: float) -> bool:
    text = line.text.strip()
    if line.table is not None or not any(c.isalpha() for c in text):
        return False
    if len(text.split()) > MAX_HEADING_WORDS or text.endswith(_CLOSING):
        return False
    larger = line.size >= body + 1 and line.size >= body * 1.12
    return larger or (line.bold and line.size >= body - 0.5)


def heading_lines(lines: list[Line], body: float) -> list[bool]:
    """Which lines are headings. A run of heading-like lines that goes straight on into a line
    of the same font that is not heading-like (it ends with a full stop, or is long) is a
    paragraph set in bold or large type, not a heading."""
    flags = [is_heading(line, body) for line in lines]
    start = 0
    for index, line in enumerate(lines):
        key = (line.size, line.bold)
        previous = lines[index - 1] if index else None
        if (
            previous is None
            or not flags[index - 1]
            or (previous.size, previous.bold) != key
            or line.first
            or line.top - previous.bottom >= 0.7 * line.size
        ):
            start = index
        if not flags[index] and index > start and flags[index - 1] and line.table is None:
            for earlier in range(start, index):
                flags[earlier] = False
    return flags


def blocks_of(lines: list[Line], vocabulary: set[str]) -> list[Block]:
    """Markdown blocks from lines in reading order (`vocabulary`: the document's words, to
    decide a hyphen at a line's end by the document's own spelling)."""
    body = body_size(lines)
    headings = heading_lines(lines, body)
    blocks: list[Block] = []
    previous: Line | None = None
    for line, heading in zip(lines, headings, strict=True):
        if line.table is not None:
            blocks.append(Block("table", line.table))
        elif heading:
            key = (line.size, line.bold)
            last = blocks[-1] if blocks else None
            if (
                last is not None
                and previous is not None
                and not line.first
                and last.kind == "heading"
                and last.key == key
                and previous.x1 - previous.x0 >= 0.6 * (previous.region_x1 - previous.region_x0)
                and line.top - previous.bottom < 0.7 * line.size
            ):
                last.text = join_lines(last.text, line.text.strip(), vocabulary)
            else:
                blocks.append(Block("heading", line.text.strip(), key=key))
        elif previous is not None and blocks and _continues(blocks[-1], previous, line):
            blocks[-1].text = join_lines(blocks[-1].text, line.text.strip(), vocabulary)
        else:
            blocks.append(Block("paragraph", line.text.strip()))
        previous = line
    _number_headings(blocks)
    return blocks


def _continues(last: Block, previous: Line, line: Line) -> bool:
    """Whether `line` goes on with the paragraph `last` that `previous` ended."""
    if last.kind != "paragraph" or _LIST_ITEM.match(line.text):
        return False
    text = line.text.strip()
    ended = bool(_SENTENCE_END.search(last.text))
    if line.first or line.pieces[0].page != previous.pieces[0].page:
        # a new column or page: only a sentence cut in the middle goes on
        return not ended and (text[:1].islower() or last.text.endswith(("-", "\u00ad")))
    if line.top - previous.bottom > 0.7 * line.size:
        return False
    short = previous.x1 < previous.region_x1 - 2 * line.size
    indented = (
        line.x0 > line.region_x0 + 0.8 * line.size and line.x0 > previous.x0 + 0.8 * line.size
    )
    return not (ended and (short or indented))


def join_lines(before: str, after: str, vocabulary: set[str]) -> str:
    """Two lines of one paragraph as one text, by the hyphenation rule in the module's doc."""
    if before.endswith("\u00ad"):
        return before[:-1] + after
    if before.endswith(("\u2013", "\u2014")):
        return before + after
    match = re.search(r"(\S*\w)-$", before)
    if match is None or not after:
        return f"{before} {after}"
    head = match.group(1)
    tail = re.match(r"\w+", after)
    first, second = head.rsplit("-", 1)[-1].casefold(), (tail.group() if tail else "").casefold()
    if f"{first}-{second}" in vocabulary:
        return before + after
    if first + second in vocabulary:
        return before[:-1] + after
    if "-" in head or not after[0].islower() or first in _HYPHEN_PREFIXES:
        return before + after
    return before[:-1] + after


def vocabulary(lines: list[Line]) -> set[str]:
    """The words of the document as printed inside its lines (a word split at a line's end is
    not one of them), lower-cased, hyphenated ones whole."""
    found: set[str] = set()
    for line in lines:
        words = _WORD.findall(line.text.rstrip("-\u00ad"))
        found.update(w.casefold() for w in words[1:-1] if w)
    return found


def _number_headings(blocks: list[Block]) -> None:
    ranks = sorted({b.key for b in blocks if b.kind == "heading"}, key=lambda k: (-k[0], not k[1]))
    for block in blocks:
        if block.kind == "heading":
            block.level = ranks.index(block.key) + 1


def take_title(blocks: list[Block]) -> str | None:
    """The document's title as printed: its first block, when it is a heading of the top rank
    that no other heading shares. It is taken out of the blocks (the title printed on the page
    is preferred to the one in the metadata, which is often stale or a file name)."""
    if not blocks or blocks[0].kind != "heading" or blocks[0].level != 1:
        return None
    if any(b.kind == "heading" and b.level == 1 for b in blocks[1:]):
        return None
    title = blocks.pop(0).text
    for block in blocks:
        block.level -= 1 if block.kind == "heading" else 0
    return title


def markdown_of(blocks: list[Block]) -> str:
    """The blocks as Markdown; heading level 1 is written `##` (a source's title is in its front
    matter, its sections start at `##`)."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            out.append("#" * min(6, block.level + 1) + " " + escape(block.text))
        elif block.kind == "table":
            out.append(block.text)
        elif _BULLET.match(block.text):
            out.append("- " + escape(_BULLET.sub("", block.text)))
        else:
            out.append(escape(block.text))
    return "\n\n".join(out) + "\n" if out else ""


def escape(text: str) -> str:
    """Text that Markdown reads back as the same text (no emphasis, links or raw HTML)."""
    text = escape_inline(text)
    return "\\" + text if _BLOCK_START.match(text) else text
