"""What Pandoc's simple, multiline and grid tables share: reading a line of a table inside its
container (a list item, a quote), dash lines and the alignment they give, memoised searches
that keep the readers linear, and the markdown-it tokens of a table, the same as a pipe table's
(`table_open` ... `th_open` `inline` ...), so the Markdown reader turns them into the same
model Table. Cells of simple and multiline tables hold inline Markdown; grid cells hold blocks,
parsed with the same parser as the rest of the source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.rules_block import StateBlock

DASH_GROUP = re.compile(r"-+[ \t]*")
DASH_LINE = re.compile(r"(?:-+[ \t]*)+")
_MEMO = "pandoc_table_scans"  # in the parser's env: the searches already made
# Columns are counted as Pandoc counts them, on screen: a wide character (CJK) takes two. It is
# followed by this filler in a table's lines, taken out again from the cells' text.
WIDE_FILLER = "\x00"


@dataclass
class ParsedTable:
    """A table read from its lines: cell texts, not yet parsed."""

    header: list[str] | None
    rows: list[list[str]]
    aligns: list[str]
    lines: list[int]  # the first line of the header (if any) and of each row
    end: int  # the line after the table
    blocks: bool = False  # cells hold blocks (grid tables), not inline text


def line_text(state: StateBlock, line: int) -> str:
    """The line as the table sees it: inside its container (the list item's indentation or the
    quote's `>` taken off), tabs expanded to 4 columns as Pandoc does."""
    indent = max(0, state.sCount[line] - state.blkIndent)
    start = state.bMarks[line] + state.tShift[line]
    text = (" " * indent + state.src[start : state.eMarks[line]]).expandtabs(4).rstrip()
    return text if text.isascii() else "".join(map(_on_screen, text))


def _on_screen(char: str) -> str:
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    return char + WIDE_FILLER if wide else char


def cell_text(text: str) -> str:
    """A cell's text without the fillers of its wide characters."""
    return text.replace(WIDE_FILLER, "")


def is_blank(state: StateBlock, line: int) -> bool:
    """Blank, or outside the container (less indented than the list item it would be in)."""
    return state.isEmpty(line) or state.sCount[line] < state.blkIndent


def dash_groups(text: str) -> list[tuple[int, int, int]] | None:
    """(start, dashes, start of the next group) for each group of a dash line (up to 3 spaces of
    indentation), or None if `text` is not one."""
    body = text.lstrip(" ")
    indent = len(text) - len(body)
    if indent > 3 or not DASH_LINE.fullmatch(body):
        return None
    groups = []
    for match in DASH_GROUP.finditer(text, indent):
        dashes = len(match.group(0).rstrip())
        groups.append((match.start(), dashes, match.end()))
    return groups


def split_cells(text: str, groups: list[tuple[int, int, int]]) -> list[str]:
    """The line cut at the columns' starts; the last column runs to the end of the line. Text
    left of the first column goes into it (Pandoc drops it; nothing is dropped here)."""
    starts = [0] + [start for start, _, _ in groups[1:]]
    ends = [*starts[1:], len(text)]
    return [text[a:b] for a, b in zip(starts, ends, strict=True)]


def chunks(text: str, groups: list[tuple[int, int, int]]) -> list[str]:
    """The line's text over each column, as Pandoc cuts it to find the alignment."""
    starts = [start for start, _, _ in groups]
    ends = [*starts[1:], max(len(text), starts[-1])]
    return [text[a:b] for a, b in zip(starts, ends, strict=True)]


def align_type(chunks: list[str], dashes: int) -> str:
    """Pandoc's rule: the shortest non-empty text over a column's dashes is flush left (left),
    flush right (right), neither (center) or both (default)."""
    texts = [chunk.rstrip() for chunk in chunks if chunk.rstrip()]
    if not texts:
        return ""
    shortest = min(texts, key=len)
    left_space, right_space = shortest[0] in " \t", len(shortest) < dashes
    return {(True, False): "right", (False, True): "left", (True, True): "center"}.get(
        (left_space, right_space), ""
    )


def find_line(
    state: StateBlock, line: int, end: int, kind: str, test: Callable[[int], bool]
) -> int:
    """The first line from `line` up to `end` where `test` holds, else `end`. Answers are kept
    per container, so a search is never repeated over the same lines: a document of many dash
    lines stays linear."""
    key = (kind, state.src, end, state.blkIndent, state.parentType)
    memo: dict[int, int] = state.env.setdefault(_MEMO, {}).setdefault(key, {})
    seen = []
    current = line
    while current < end and current not in memo and not test(current):
        seen.append(current)
        current += 1
    found = memo.get(current, current)
    memo[current] = found
    for passed in seen:
        memo[passed] = found
    return found


def is_footer(state: StateBlock, line: int) -> bool:
    """A dash line: how simple and multiline tables end (Pandoc's `tableFooter`: the line's own
    newline is the blank line it asks for)."""
    return not is_blank(state, line) and dash_groups(line_text(state, line)) is not None


def next_footer(state: StateBlock, line: int, end: int) -> int:
    return find_line(state, line, end, "footer", lambda n: is_footer(state, n))


def next_row_end(state: StateBlock, line: int, end: int) -> int:
    """The first blank or dash line from `line`: where a simple table's rows end."""

    def stop(n: int) -> bool:
        return is_blank(state, n) or is_footer(state, n)

    return find_line(state, line, end, "row end", stop)


# --- tokens -------------------------------------------------------------------------------------


def push_table(state: StateBlock, table: ParsedTable, start: int) -> None:
    """The tokens of a pipe table for `table`; the header row only when it has one."""
    token = state.push("table_open", "table", 1)
    token.map = [start, table.end]
    sections: list[tuple[str, str, list[list[str]], list[int]]] = []
    lines = list(table.lines)
    if table.header is not None:
        sections.append(("thead", "th", [table.header], [lines.pop(0)]))
    sections.append(("tbody", "td", table.rows, lines))
    for section, tag, rows, row_lines in sections:
        state.push(f"{section}_open", section, 1)
        for row, line in zip(rows, row_lines, strict=True):
            _push_row(state, table, tag, row, line)
        state.push(f"{section}_close", section, -1)
    state.push("table_close", "table", -1)
    state.line = table.end


def _push_row(state: StateBlock, table: ParsedTable, tag: str, row: list[str], line: int) -> None:
    token = state.push("tr_open", "tr", 1)
    token.map = [line, line + 1]
    for text, align in zip(row, table.aligns, strict=True):
        cell = state.push(f"{tag}_open", tag, 1)
        if align:
            cell.attrs = {"style": f"text-align:{align}"}
        text = cell_text(text)
        if table.blocks:
            _push_blocks(state, text, line)
        else:
            inline = state.push("inline", "", 0)
            inline.content, inline.map, inline.children = text, [line, line + 1], []
        state.push(f"{tag}_close", tag, -1)
    state.push("tr_close", "tr", -1)


def _push_blocks(state: StateBlock, text: str, line: int) -> None:
    """A grid cell's Markdown, parsed as a document of its own (with the same references and
    footnotes), its tokens moved to the cell's depth and its lines to the cell's lines."""
    before = len(state.tokens)
    state.md.block.parse(text, state.md, state.env, state.tokens)
    for token in state.tokens[before:]:
        token.level += state.level
        if token.map is not None:
            token.map = [token.map[0] + line, token.map[1] + line]
