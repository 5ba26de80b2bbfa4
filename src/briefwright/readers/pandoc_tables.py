"""Pandoc's own table syntaxes as a markdown-it block rule, tried in Pandoc's order: multiline
with a header, simple (without, then with a header), multiline without a header, grid. Like a
Pandoc table, none of them interrupts a paragraph. Captions (`Table: ...`, `: ...`) are not
read yet: they stay the paragraph they are."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from briefwright.readers.cell_content import ParsedTable, push_table
from briefwright.readers.grid_tables import grid_table
from briefwright.readers.multiline_tables import multiline_table
from briefwright.readers.simple_tables import simple_table


def use_pandoc_tables(md: MarkdownIt) -> None:
    md.block.ruler.before("table", "pandoc_table", _pandoc_table)


def _pandoc_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    first = state.src[state.bMarks[start] + state.tShift[start]]
    if first not in "-+" and (start + 1 >= end or state.isEmpty(start + 1)):
        return False  # a simple table's header line needs its dashes under it
    table = _read(state, start, end, first)
    if table is None:
        return False
    if not silent:
        push_table(state, table, start)
    return True


def _read(state: StateBlock, start: int, end: int, first: str) -> ParsedTable | None:
    if first == "+":
        return grid_table(state, start, end)
    return (
        multiline_table(state, start, end, headless=False)
        or simple_table(state, start, end)
        or multiline_table(state, start, end, headless=True)
    )
