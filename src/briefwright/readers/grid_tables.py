"""Pandoc's grid tables: `+---+---+` borders, `|` between cells, a `+===+` border under the
header (none: no header), colons in that border (or in the top one) for the alignment. A cell
holds blocks (paragraphs, lists, code), parsed with the same Markdown parser. Only regular grids
are read: a border or a row whose `+` and `|` do not line up with the top border's, or merged
cells, leave the lines to the paragraph they make, which the reader then warns about at its
line ("grid table ... could not be read"), so no text is lost.
"""

from __future__ import annotations

import re
import textwrap
from itertools import pairwise

from markdown_it.rules_block import StateBlock

from briefwright.readers.cell_content import ParsedTable, find_line, is_blank, line_text

BORDER = re.compile(r"\+(?::?[-=]+:?\+)+")


def grid_table(state: StateBlock, start: int, end: int) -> ParsedTable | None:
    top = line_text(state, start)
    body = top.lstrip(" ")
    indent = len(top) - len(body)
    if indent > 3 or not BORDER.fullmatch(body):
        return None

    def outside(line: int) -> bool:
        text = line_text(state, line)
        return is_blank(state, line) or text[indent : indent + 1] not in ("+", "|")

    stop = find_line(state, start + 1, end, f"grid {indent}", outside)
    texts = [line_text(state, line)[indent:] for line in range(start, stop)]
    columns = [i for i, c in enumerate(body) if c == "+"]
    if not _regular(texts, columns):
        return None
    return _table(texts, columns, start, stop)


def _regular(texts: list[str], columns: list[int]) -> bool:
    """Every border has its `+` where the top one does, every other line its `|` there, and
    the last line is a border."""
    width = columns[-1] + 1
    for text in texts:
        if len(text) != width:
            return False
        mark = "+" if BORDER.fullmatch(text) else "|"
        if any(text[c] != mark for c in columns):
            return False
        if mark == "+" and text.count("+") != len(columns):
            return False  # a border with more `+`: cells split below are not read
    return len(texts) > 1 and BORDER.fullmatch(texts[-1]) is not None


def _table(texts: list[str], columns: list[int], start: int, stop: int) -> ParsedTable | None:
    borders = [i for i, text in enumerate(texts) if BORDER.fullmatch(text)]
    inner = [i for i in borders[1:-1] if "=" in texts[i]]
    head_end = inner[0] if inner else None
    aligns = _aligns(texts[head_end if head_end is not None else 0], columns)
    rows: list[list[str]] = []
    lines: list[int] = []
    header_rows = 0
    for above, below in pairwise(borders):
        if below == above + 1:
            return None  # two borders with no row between them
        rows.append([_cell(texts[above + 1 : below], a, b) for a, b in pairwise(columns)])
        lines.append(start + above + 1)
        if head_end is not None and below <= head_end:
            header_rows += 1
    # one header row in the model: further header rows (rare) lead the body
    header = rows.pop(0) if header_rows else None
    return ParsedTable(header, rows, aligns, lines, stop, blocks=True)


def _aligns(border: str, columns: list[int]) -> list[str]:
    aligns = []
    for a, b in pairwise(columns):
        left, right = border[a + 1] == ":", border[b - 1] == ":"
        aligns.append(
            {(True, True): "center", (True, False): "left", (False, True): "right"}.get(
                (left, right), ""
            )
        )
    return aligns


def _cell(lines: list[str], left: int, right: int) -> str:
    """The cell's Markdown: its column of text, without the common indentation."""
    text = "\n".join(line[left + 1 : right].rstrip() for line in lines)
    return textwrap.dedent(text).strip("\n")
