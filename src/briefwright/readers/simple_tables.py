"""Pandoc's simple tables: a header line over dash groups (one per column), one line per row,
ending at a blank line; or, without a header, rows between two dash lines. Each column runs
from the start of its dashes to the start of the next column's; the text's position over the
dashes gives the alignment. A single run of dashes keeps its CommonMark meaning (a setext
heading's underline or a thematic break), so a simple table has two columns at least.
"""

from __future__ import annotations

import re

from markdown_it.rules_block import StateBlock

from briefwright.readers.cell_content import (
    ParsedTable,
    align_type,
    chunks,
    dash_groups,
    is_blank,
    is_footer,
    line_text,
    next_row_end,
    split_cells,
)

# lines that start another block in Pandoc before a table is tried: headings, bullet lists,
# fences, raw HTML, quotes
OTHER_BLOCK = re.compile(r" {0,3}(?:#{1,6}(?:\s|$)|[-*+](?:\s|$)|```|~~~|<|>)")


def simple_table(state: StateBlock, start: int, end: int) -> ParsedTable | None:
    """The simple table at `start`, with or without a header, or None."""
    first = dash_groups(line_text(state, start))
    if first is not None:
        return _headless(state, start, end, first)
    if start + 1 >= end or is_blank(state, start + 1):
        return None
    header = line_text(state, start)
    groups = dash_groups(line_text(state, start + 1))
    if groups is None or len(groups) < 2 or OTHER_BLOCK.match(header):
        return None
    rows = _rows(state, start + 2, end)
    if rows is None:
        return None
    last, table_end = rows
    cells = [cell.strip() for cell in split_cells(header, groups)]
    aligns = _aligns(header, groups)
    body = [_cells(state, line, groups) for line in range(start + 2, last)]
    has_header = any(cells)
    lines = ([start] if has_header else []) + list(range(start + 2, last))
    return ParsedTable(cells if has_header else None, body, aligns, lines, table_end)


def _headless(
    state: StateBlock, start: int, end: int, groups: list[tuple[int, int, int]]
) -> ParsedTable | None:
    if len(groups) < 2:
        return None
    rows = _rows(state, start + 1, end)
    if rows is None or rows[0] == rows[1]:  # a headless table ends with a dash line
        return None
    last, table_end = rows
    aligns = _aligns(line_text(state, start + 1), groups)
    body = [_cells(state, line, groups) for line in range(start + 1, last)]
    return ParsedTable(None, body, aligns, list(range(start + 1, last)), table_end)


def _rows(state: StateBlock, first: int, end: int) -> tuple[int, int] | None:
    """(the line after the last row, the line after the table) for rows from `first` to the
    next blank line or dash line (which closes the table); None without any row."""
    if first >= end or is_footer(state, first) or is_blank(state, first):
        return None
    stop = next_row_end(state, first, end)
    if stop < end and is_footer(state, stop):
        return stop, stop + 1
    return stop, stop


def _aligns(text: str, groups: list[tuple[int, int, int]]) -> list[str]:
    return [align_type([c], n) for c, (_, n, _) in zip(chunks(text, groups), groups, strict=True)]


def _cells(state: StateBlock, line: int, groups: list[tuple[int, int, int]]) -> list[str]:
    return [cell.strip() for cell in split_cells(line_text(state, line), groups)]
