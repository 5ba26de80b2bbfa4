"""Issue 12, DOCX layout read back with python-docx: table column widths from their content,
quotes and code blocks spaced like paragraphs, and docProps/app.xml."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.styles.style import ParagraphStyle
from lxml import etree

from briefwright import __version__
from briefwright import model as m
from briefwright.writers.docx.blocks import CELL_PADDING, CHAR_WIDTH, MIN_COLUMN, column_widths
from briefwright.writers.docx.package import app_version


def open_docx(project: Path, name: str) -> Document:
    return docx.Document(str(project / "output" / f"{name}.docx"))


def text_width(document: Document) -> int:
    section = document.sections[-1]
    return (
        int(section.page_width or 0)
        - int(section.left_margin or 0)
        - int(section.right_margin or 0)
    )


def tables(document: Document) -> list[Any]:
    """The body's w:tbl elements, in order."""
    return list(document.element.body.iter(qn("w:tbl")))


def grid(tbl: Any) -> list[int]:
    """The table's column widths in EMU, from its w:tblGrid (twips, 635 EMU each)."""
    return [int(col.get(qn("w:w"))) * 635 for col in tbl.tblGrid]


def row(*texts: str) -> tuple[m.TableCell, ...]:
    return tuple(m.TableCell((m.Text(text),)) for text in texts)


TOTAL = int(Mm(160))
UNKNOWN = int(CELL_PADDING + 7 * CHAR_WIDTH)  # "Unknown": 7 characters
WIDE_AND_MIN = [TOTAL - UNKNOWN - int(MIN_COLUMN), int(MIN_COLUMN)]
WIDTH_CASES = [
    pytest.param([row("one")], [TOTAL], id="one column: the whole width"),
    pytest.param([row("abcd", "efgh")], [TOTAL // 2] * 2, id="equal text: equal columns"),
    pytest.param([row("a" * 30, "b" * 10)], [TOTAL * 3 // 4, TOTAL // 4], id="3:1"),
    pytest.param(
        [row("Name", "Note"), row("x", "a long note " * 20)],
        [int(MIN_COLUMN), TOTAL - int(MIN_COLUMN)],
        id="a short column keeps the minimum",
    ),
    pytest.param(
        [row(*("x" for _ in range(20)))], [TOTAL // 20] * 20, id="many columns: equal shares"
    ),
    pytest.param(
        [row("Unknown", "a long description " * 20, "No")],
        [UNKNOWN, *WIDE_AND_MIN],
        id="a column is never narrower than its longest word",
    ),
]


@pytest.mark.parametrize(("rows", "want"), WIDTH_CASES)
def test_issue_12_column_widths(rows: list[tuple[m.TableCell, ...]], want: list[int]) -> None:
    widths = column_widths(tuple(rows), max(len(r) for r in rows), TOTAL)
    assert sum(widths) == TOTAL
    assert [int(w) for w in widths] == pytest.approx(want, abs=len(want))


def test_issue_12_docx_table_columns_follow_their_content(feature_project: Path) -> None:
    document = open_docx(feature_project, "features")
    data, members = tables(document)[:2]
    for tbl in (data, members):
        widths = grid(tbl)
        assert sum(widths) == pytest.approx(text_width(document), abs=635 * len(widths))
        assert min(widths) >= int(MIN_COLUMN) - 635
        layout = tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        for tr in tbl.tr_lst:  # every cell carries its column's width
            assert [int(tc.width or 0) for tc in tr.tc_lst] == pytest.approx(widths, abs=635)
    mission, years, troops = grid(data)  # "Resolute Support", "1995-1996", "Troops"
    assert mission > years > troops
    member, joined, enlargement = grid(members)  # "United Kingdom", "Joined", "founding member"
    assert joined < member < enlargement


def normal_space_after(document: Document) -> int:
    style = document.styles["Normal"]
    assert isinstance(style, ParagraphStyle)
    return int(style.paragraph_format.space_after or 0)


def test_issue_12_quotes_and_code_are_spaced_like_paragraphs(feature_project: Path) -> None:
    document = open_docx(feature_project, "features")
    gap = normal_space_after(document)
    assert gap > 0
    styled = {
        name: [p for p in document.paragraphs if p.style is not None and p.style.name == name]
        for name in ("Quote", "Source Code")
    }
    assert len(styled["Quote"]) == 2 and len(styled["Source Code"]) == 1
    for paragraph in styled["Quote"]:
        assert int(paragraph.paragraph_format.space_before or 0) == 0
        assert paragraph.paragraph_format.space_after == gap
    code = styled["Source Code"][0].paragraph_format
    assert code.space_after == gap  # the style's own is 0: code touched what followed


def app_properties(project: Path, name: str) -> dict[str, str]:
    with zipfile.ZipFile(project / "output" / f"{name}.docx") as package:
        root = etree.fromstring(package.read("docProps/app.xml"))
    return {etree.QName(child).localname: child.text or "" for child in root}


def test_issue_12_app_xml_names_briefwright_and_counts_words(feature_project: Path) -> None:
    props = app_properties(feature_project, "features")
    assert props["Application"] == "briefwright"
    assert re.fullmatch(r"\d{2}\.\d{4}", props["AppVersion"])  # ECMA-376's XX.YYYY
    assert props["AppVersion"] == app_version(__version__)
    assert "Pages" not in props  # only a layout knows; Word counts them on opening
    document = open_docx(feature_project, "features")
    cells = [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    words = sum(len(p.text.split()) for p in [*document.paragraphs, *cells])
    assert int(props["Words"]) == words
    assert int(props["CharactersWithSpaces"]) > int(props["Characters"]) > words


@pytest.mark.parametrize(
    ("version", "want"), [("0.1.0", "00.0100"), ("1.12.3", "01.1203"), ("2.0", "02.0000")]
)
def test_issue_12_app_version_format(version: str, want: str) -> None:
    assert app_version(version) == want
