"""Issue 12: Pandoc's simple, multiline and grid tables are read as tables, the same as pandoc
reads them (tests/cases/pandoc_tables.yaml), reach every output format (headerless tables
without an empty header row), keep every word when a grid table cannot be read, and are
parsed in linear time."""

from __future__ import annotations

import gc
import json
import re
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefwright import model as m
from briefwright.readers.markdown import parser
from tests.helpers import REPO, pdf_pages, read_case_source, run

pypandoc = pytest.importorskip("pypandoc")

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "pandoc_tables.yaml").read_text(encoding="utf-8")
)
QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")
ALIGNS = {"AlignDefault": "", "AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center"}


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- ours -------------------------------------------------------------------------------------


def _cell_text(cell: m.TableCell) -> str:
    if cell.blocks:
        return _squash(" ".join(m.block_text(block) for block in cell.blocks))
    return _squash(m.plain_text(cell.children))


def our_tables(blocks: tuple[m.Block, ...]) -> list[dict[str, Any]]:
    return [
        {
            "header": [_cell_text(c) for c in table.header] if table.header else None,
            "rows": [[_cell_text(c) for c in row] for row in table.rows],
            "aligns": list(table.aligns),
        }
        for table in m.walk(blocks)
        if isinstance(table, m.Table)
    ]


# --- pandoc's ---------------------------------------------------------------------------------


def _stringify(node: Any) -> str:
    """The text of a piece of pandoc's JSON AST (typographic quotes made plain again)."""
    if isinstance(node, list):
        return "".join(_stringify(child) for child in node)
    if not isinstance(node, dict):
        return ""
    kind: Any = node.get("t")
    content: Any = node.get("c")
    if kind == "Str":
        return str(content).translate(QUOTES)
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "CodeBlock", "Math", "RawInline"):
        return str(content[1]) + (" " if kind == "CodeBlock" else "")
    if kind in ("Link", "Image", "Span", "Quoted", "OrderedList"):
        return _stringify(content[1])
    if kind in ("Para", "Plain", "Header"):
        return _stringify(content) + " "
    if kind == "Note":
        return ""
    return _stringify(content) if isinstance(content, list) else ""


def _pandoc_rows(rows: list[Any]) -> list[list[str]]:
    return [[_squash(_stringify(cell[4])) for cell in row[1]] for row in rows]


def pandoc_tables(text: str) -> list[dict[str, Any]]:
    command = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"]
    tree = json.loads(subprocess.run(command, input=text, capture_output=True, text=True).stdout)
    found: list[dict[str, Any]] = []
    _walk(tree["blocks"], found)
    return found


def _walk(node: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(node, list):
        for child in node:
            _walk(child, found)
        return
    if not isinstance(node, dict) or "t" not in node:
        return
    if node["t"] == "Table":
        _, _, specs, head, bodies, foot = node["c"]
        body = [row for b in bodies for row in b[2] + b[3]] + foot[1]
        header = _pandoc_rows(head[1])
        found.append(
            {
                "header": header[0] if header else None,
                "rows": _pandoc_rows(header[1:] + body),
                "aligns": [ALIGNS[spec[0]["t"]] for spec in specs],
            }
        )
    _walk(node.get("c", []), found)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_12_pandoc_tables_read_as_pandoc_reads_them(
    case: dict[str, Any], tmp_path: Path
) -> None:
    source, warnings = read_case_source(tmp_path, case["text"])
    want = case["tables"] if "tables" in case else pandoc_tables(case["text"])
    assert our_tables(source.blocks) == want
    assert [str(w).removeprefix("sources/case.md:") for w in warnings] == case.get("warnings", [])


WORD = re.compile(r"\w+")
# an ordered list's numbers, link targets, and the "Table:" that starts a caption (issue 17)
NOT_TEXT = re.compile(r"\b\d+\.\s|\]\([^)]*\)|^Table:", re.M)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_12_pandoc_tables_lose_no_word(case: dict[str, Any], tmp_path: Path) -> None:
    source, _ = read_case_source(tmp_path, case["text"])
    text = " ".join(m.block_text(block) for block in m.walk(source.blocks))
    missing = set(WORD.findall(NOT_TEXT.sub(" ", case["text"]))) - set(WORD.findall(text))
    assert not missing


# --- outputs ----------------------------------------------------------------------------------

OUTPUT_SOURCE = """---
title: Tables
---

Headerless simple table:

-------   --------
alpha     bravo
charlie   delta
-------   --------

Grid table:

+------------+------------------+
| Fruit      | Advantages       |
+============+==================+
| Bananas    | - wrapper        |
|            | - colour         |
+------------+------------------+
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("ptables")
    (project / "sources").mkdir()
    (project / "briefings").mkdir()
    (project / "briefwright.toml").write_text("", encoding="utf-8")
    (project / "sources" / "tables.md").write_text(OUTPUT_SOURCE, encoding="utf-8")
    (project / "briefings" / "tables.yaml").write_text(
        "title: Tables\ndate: 2026-01-15\nformats: [pdf, docx, html]\n"
        "sections:\n  - from: tables\n",
        encoding="utf-8",
    )
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    return project / "output"


def test_issue_12_headerless_table_has_no_header_row_in_html(built: Path) -> None:
    html = (built / "tables.html").read_text(encoding="utf-8")
    tables = [part.split("</table>")[0] for part in html.split("<table>")[1:]]
    assert len(tables) == 2
    assert "<thead>" not in tables[0]
    assert re.search(r"<td[^>]*>alpha</td>", tables[0])
    assert "<thead>" in tables[1]
    assert re.search(r"<td[^>]*>\s*<ul>\s*<li>wrapper</li>", tables[1])


def test_issue_12_pandoc_tables_in_the_docx(built: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(built / "tables.docx"))
    headerless, grid = document.tables
    assert headerless.rows[0].cells[0].text == "alpha"
    first_row = headerless._tbl.tr_lst[0]
    assert first_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    assert grid._tbl.tr_lst[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    cell = grid.rows[1].cells[1]
    styles = [(p.style.name if p.style else "", p.text) for p in cell.paragraphs]
    assert styles[:2] == [("List Bullet", "wrapper"), ("List Bullet", "colour")]
    with zipfile.ZipFile(built / "tables.docx") as package:
        assert b"Bananas" in package.read("word/document.xml")


def test_issue_12_pandoc_tables_in_the_pdf(built: Path) -> None:
    text = " ".join(" ".join(pdf_pages(built / "tables.pdf")).split())
    for word in ("alpha", "bravo", "charlie", "delta", "Bananas", "wrapper", "colour"):
        assert word in text
    assert "+---" not in text and "-------" not in text


# --- time -------------------------------------------------------------------------------------


def _grid(rows: int) -> str:
    lines = ["+--------+--------+", "| Name   | Value  |", "+========+========+"]
    for n in range(rows):
        lines += [f"| row{n:<4}| *{n:<5}*|", "+--------+--------+"]
    return "\n".join(lines) + "\n"


def _ragged_grid(rows: int) -> str:
    """A grid table whose last row does not line up: one paragraph, with a warning."""
    return _grid(rows) + "| ragged | row |\n+--------+--------+\n"


def _dash_lines(count: int) -> str:
    """Dash lines everywhere: each one starts the search for a table."""
    return "".join(f"----- -----\nline {n} of text\n\n-----\ntext\n\n" for n in range(count))


def _parse_time(text: str) -> float:
    """The best of three parses in CPU time, the garbage collector held off: on a shared
    machine wall-clock time (the other processes) and the collector's runs move a single figure
    by more than the n-vs-4n ratio does."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            start = time.process_time()
            parser().parse(text)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


MAKERS = [_grid, _ragged_grid, _dash_lines]
IDS = ["grid table", "ragged grid", "dash lines"]


@pytest.mark.parametrize("make", MAKERS, ids=IDS)
def test_issue_12_pandoc_tables_parse_in_linear_time(make: Any) -> None:
    small, large = _parse_time(make(2000)), _parse_time(make(8000))
    print(f"{make.__name__}: n {small:.3f} s, 4n {large:.3f} s, ratio {large / small:.1f}")
    assert large / small < 7, f"n {small:.3f} s, 4n {large:.3f} s: not linear"


@pytest.mark.parametrize("make", MAKERS, ids=IDS)
def test_issue_12_pandoc_tables_read_each_line_a_bounded_number_of_times(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same in a figure no other process moves: how many lines the table readers read."""
    from briefwright.readers import cell_content, grid_tables, multiline_tables, simple_tables

    reads = [0]
    original = cell_content.line_text

    def counted(state: Any, line: int) -> str:
        reads[0] += 1
        return original(state, line)

    for module in (cell_content, grid_tables, multiline_tables, simple_tables):
        monkeypatch.setattr(module, "line_text", counted)
    counts = []
    for rows in (2000, 8000):
        reads[0] = 0
        parser().parse(make(rows))
        counts.append(reads[0])
    assert counts[1] <= 4.2 * counts[0], counts
