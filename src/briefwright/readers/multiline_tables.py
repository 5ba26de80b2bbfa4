"""Pandoc's multiline tables: a dash line, header lines, dash groups (one per column), rows of
one or more lines separated by blank lines, and a closing dash line; without a header, the
table starts at the dash groups. A cell's lines are joined (a soft break between them).
Columns and alignment are found as in simple tables.
"""

from __future__ import annotations

from markdown_it.rules_block import StateBlock

from briefwright.readers.cell_content import (
    ParsedTable,
    align_type,
    chunks,
    dash_groups,
    find_line,
    is_blank,
    is_footer,
    line_text,
    next_footer,
    split_cells,
)


def multiline_table(state: StateBlock, start: int, end: int, headless: bool) -> ParsedTable | None:
    if dash_groups(line_text(state, start)) is None:
        return None
    dashes = start if headless else _header_end(state, start + 1, end)
    if dashes is None:
        return None
    header_lines = list(range(start + 1, dashes))  # none without a header
    groups = dash_groups(line_text(state, dashes))
    if groups is None or (headless and len(groups) < 2):
        return None
    rows = _rows(state, dashes + 1, end)
    if rows is None:
        return None
    body_lines, footer = rows
    first_lines = header_lines or body_lines[0]
    columns = list(zip(*(chunks(line_text(state, n), groups) for n in first_lines), strict=True))
    aligns = [align_type(list(col), n) for col, (_, n, _) in zip(columns, groups, strict=True)]
    header = _cells(state, header_lines, groups) if header_lines else None
    if header is not None and not any(header):
        header = None
    body = [_cells(state, lines, groups) for lines in body_lines]
    lines = ([start + 1] if header is not None else []) + [row[0] for row in body_lines]
    return ParsedTable(header, body, aligns, lines, footer + 1)


def _header_end(state: StateBlock, first: int, end: int) -> int | None:
    """The dash line under the header lines from `first`, or None."""
    if first >= end or is_blank(state, first) or dash_groups(line_text(state, first)):
        return None

    def stop(line: int) -> bool:
        return is_blank(state, line) or dash_groups(line_text(state, line)) is not None

    found = find_line(state, first, end, "header end", stop)
    return found if found < end and not is_blank(state, found) else None


def _rows(state: StateBlock, first: int, end: int) -> tuple[list[list[int]], int] | None:
    """The lines of each row from `first` up to the closing dash line, and that line."""
    if first >= end or is_blank(state, first) or is_footer(state, first):
        return None
    footer = next_footer(state, first, end)
    if footer >= end:
        return None
    rows: list[list[int]] = []
    previous_blank = True
    for line in range(first, footer):
        if is_blank(state, line):
            previous_blank = True
        elif previous_blank:
            rows.append([line])
            previous_blank = False
        else:
            rows[-1].append(line)
    return rows, footer


def _cells(state: StateBlock, lines: list[int], groups: list[tuple[int, int, int]]) -> list[str]:
    columns = zip(*(split_cells(line_text(state, n), groups) for n in lines), strict=True)
    return ["\n".join(part.strip() for part in column).strip() for column in columns]
