"""Issue 12: a real README with many tables (public-apis, tests/data/README.md) in DOCX. Its
tables must come out with the rows and columns the Markdown has, counted here from the text
with a splitter of our own, not with the reader that fed the writer."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from tests.helpers import REPO, run

README = REPO / "tests" / "data" / "public-apis-README.md"
DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def cells(line: str) -> list[str]:
    """A pipe-table row's cells: split on pipes not escaped and not inside a code span."""
    line = line.strip().removeprefix("|")
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    parts, current, in_code = [], "", False
    for n, char in enumerate(line):
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code and (n == 0 or line[n - 1] != "\\"):
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def markdown_tables(text: str) -> list[tuple[int, int]]:
    """(rows including the header, columns) of each pipe table in `text`."""
    lines = text.splitlines()
    found = []
    for n in range(1, len(lines)):
        if DELIMITER.match(lines[n]) and "|" in lines[n - 1]:  # a header row, pipes optional
            columns = len(cells(lines[n]))
            end = n + 1
            while end < len(lines) and lines[end].strip() and "|" in lines[end]:
                end += 1
            found.append((end - n, columns))  # the header plus the body rows
    return found


def docx_tables(path: Path) -> list[tuple[int, list[int]]]:
    """(rows, cells per row) of each table in the DOCX body."""
    import docx

    body: Any = docx.Document(str(path)).element.body
    return [
        (len(tbl.tr_lst), [len(tr.tc_lst) for tr in tbl.tr_lst]) for tbl in body.iter(qn("w:tbl"))
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("public-apis")
    (project / "sources").mkdir()
    (project / "briefings").mkdir()
    (project / "briefwright.toml").write_text("", encoding="utf-8")
    shutil.copy(README, project / "sources" / "public-apis.md")
    (project / "briefings" / "apis.yaml").write_text(
        "title: Public APIs\ndate: 2026-01-15\nformats: [docx]\nsections:\n  - from: public-apis\n",
        encoding="utf-8",
    )
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    return project / "output" / "apis.docx"


def test_issue_12_a_readme_with_many_tables_keeps_every_row_and_column(built: Path) -> None:
    want = markdown_tables(README.read_text(encoding="utf-8"))
    assert len(want) >= 50 and sum(rows for rows, _ in want) > 1500
    got = docx_tables(built)
    assert len(got) == len(want)
    for number, ((rows, columns), (got_rows, per_row)) in enumerate(zip(want, got, strict=True), 1):
        assert got_rows == rows, f"table {number}: {got_rows} rows, the Markdown has {rows}"
        assert set(per_row) == {columns}, f"table {number}: cells per row {set(per_row)}"


def test_issue_12_readme_table_widths_sum_to_the_text_width(built: Path) -> None:
    import docx

    document = docx.Document(str(built))
    section = document.sections[-1]
    width = int(section.page_width or 0) - int(section.left_margin or 0)
    width -= int(section.right_margin or 0)
    for tbl in document.element.body.iter(qn("w:tbl")):
        twips = sum(int(col.get(qn("w:w"))) for col in tbl.tblGrid)
        assert abs(twips * 635 - width) <= 635 * len(tbl.tblGrid)
