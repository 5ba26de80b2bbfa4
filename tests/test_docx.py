"""The DOCX read back with python-docx: styles, lists, tables, fields, properties, bytes.

Expected values come from the projects' Markdown and YAML text (tests/oracle.py), not from
the assembler the writer itself is fed by. XML is read through python-docx's public `element`
of the document and its parts, never a proxy's private attributes."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from tests import oracle
from tests.helpers import FEATURE_PROJECT, REPO, copy_project, run

EXAMPLES = sorted(p.stem for p in (REPO / "briefings").glob("*.yaml"))
PORTION_MARK = re.compile(r"^\([^)]+\) ")


def open_docx(project: Path, name: str) -> Document:
    return docx.Document(str(project / "output" / f"{oracle.main_output(project, name)}.docx"))


def body_paragraphs(document: Document, style_id: str) -> Iterator[Any]:
    """The body's w:p elements in the paragraph style with this ID, in order."""
    for p in document.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) == style_id:
            yield p


def body_headings(document: Document) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]


@pytest.mark.parametrize("name", [*EXAMPLES, "features"])
def test_headings_use_word_heading_styles_in_order(
    example_project: Path, feature_project: Path, name: str
) -> None:
    project, text = (
        (feature_project, FEATURE_PROJECT) if name == "features" else (example_project, REPO)
    )
    found = body_headings(open_docx(project, name))
    if oracle.portion_marks(text, name):
        assert all(PORTION_MARK.match(title) for _, title in found), found
        found = [(level, PORTION_MARK.sub("", title)) for level, title in found]
    assert found == oracle.expected_headings(text, name)


def test_list_items_use_list_styles(feature_project: Path) -> None:
    document = open_docx(feature_project, "features")
    styles = [p.style.name for p in document.paragraphs if p.style is not None]
    listed = [s for s in styles if s.startswith(("List Bullet", "List Number"))]
    assert len(listed) == oracle.list_items(FEATURE_PROJECT, "features") == 11
    assert {"List Number", "List Bullet 2", "List Number 3", "List Bullet"} <= set(listed)


def test_each_numbered_list_restarts(feature_project: Path) -> None:
    document = open_docx(feature_project, "features")
    num_id_path = "/".join(qn(tag) for tag in ("w:pPr", "w:numPr", "w:numId"))
    num_ids = [
        p.find(num_id_path).get(qn("w:val")) for p in body_paragraphs(document, "ListNumber")
    ]
    # features.md: three items in the first top-level numbered list, two in the second
    assert len(num_ids) == 5
    assert num_ids[0] == num_ids[1] == num_ids[2] != num_ids[3] == num_ids[4]
    numbering = document.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[3]}:
        start = numbering.num_having_numId(int(num_id)).find(f".//{qn('w:startOverride')}")
        assert start is not None and start.get(qn("w:val")) == "1"


def test_tables_are_real_tables(feature_project: Path) -> None:
    document = open_docx(feature_project, "features")
    expected = oracle.tables(FEATURE_PROJECT, "features")
    assert len(expected) == 2  # the missions table and the long members table
    assert [[[c.text for c in row.cells] for row in t.rows] for t in document.tables] == expected
    assert all(t.style is not None and t.style.name == "Brief Table" for t in document.tables)
    for table in document.element.body.iter(qn("w:tbl")):
        first_row = table.find(qn("w:tr"))
        assert first_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_image_and_caption(feature_project: Path) -> None:
    document = open_docx(feature_project, "features")
    expected = oracle.image_captions(FEATURE_PROJECT, "features")
    assert len(document.inline_shapes) == len(expected) == 1
    captions = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"
    ]
    assert [c for c in captions if not c.startswith("Table ")] == expected


def test_inline_formatting_and_links(feature_project: Path) -> None:
    lines = oracle.read_source(FEATURE_PROJECT / "sources" / "features.md").lines
    lead_source = next(line for line in lines if line.startswith("A lead paragraph"))
    bold = re.findall(r"\*\*(.+?)\*\*", lead_source)
    italic = re.findall(r"(?<!\*)\*([^*]+)\*(?!\*)", lead_source)
    struck = re.findall(r"~~(.+?)~~", lead_source)
    code = re.findall(r"`(.+?)`", lead_source)
    assert bold and italic and struck and code
    document = open_docx(feature_project, "features")
    lead = next(p for p in document.paragraphs if p.text.startswith("A lead paragraph"))
    runs = {r.text: r for r in lead.runs}
    assert all(runs[text].bold for text in bold)
    assert all(runs[text].italic for text in italic)
    assert all(runs[text].font.strike for text in struck)
    assert all(runs[text].style.name == "Inline Code" for text in code)
    assert not any(runs[text].bold for text in italic + struck + code)
    links = [link.get(qn("r:id")) for link in document.element.body.iter(qn("w:hyperlink"))]
    targets = [document.part.rels[rel_id].target_ref for rel_id in links if rel_id]
    assert targets == oracle.external_links(FEATURE_PROJECT, "features")


@pytest.mark.parametrize("name", EXAMPLES)
def test_marking_and_page_fields_in_headers_and_footers(example_project: Path, name: str) -> None:
    banner = oracle.tlp_banner(REPO, name)
    document = open_docx(example_project, name)
    for section in document.sections:
        for part in (section.header, section.footer):
            assert banner in [p.text.strip() for p in part.paragraphs]
    footer_xml = document.sections[-1].footer.part.element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml


def test_toc_field_is_prefilled(example_project: Path) -> None:
    document = open_docx(example_project, "exec-brief")
    assert 'TOC \\o "1-2"' in document.element.body.xml
    entries = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name in ("TOC 1", "TOC 2", "TOC 3")
    ]
    headings = oracle.expected_headings(REPO, "exec-brief")
    assert entries == [title for level, title in headings if level <= 2]


def test_core_properties_from_the_briefing(example_project: Path) -> None:
    spec = oracle.briefing_yaml(REPO, "exec-brief")
    props = open_docx(example_project, "exec-brief").core_properties
    assert props.title == spec["title"]
    assert props.author == spec["author"]
    assert props.subject == spec["subtitle"]
    midnight = dt.datetime.combine(spec["date"], dt.time(0, 0), dt.UTC)
    assert as_utc(props.created) == as_utc(props.modified) == midnight
    assert props.last_modified_by == "briefwright"


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """python-docx before 1.1.2 reads W3CDTF dates (`...Z`) as naive datetimes in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


def test_docx_is_reproducible(feature_project: Path, tmp_path: Path) -> None:
    again = copy_project(feature_project, tmp_path / "again")
    assert run(again, "build", "features", "--format", "docx").exit_code == 0
    first = (feature_project / "output" / "features.docx").read_bytes()
    assert (again / "output" / "features.docx").read_bytes() == first
    with zipfile.ZipFile(again / "output" / "features.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in package.infolist()} == {0o644}
        assert package.testzip() is None


def test_footnotes_are_real_word_footnotes(feature_project: Path) -> None:
    expected = oracle.footnotes(FEATURE_PROJECT, "features")
    document = open_docx(feature_project, "features")
    calls = document.element.body.findall(f".//{qn('w:footnoteReference')}")
    assert [c.get(qn("w:id")) for c in calls] == [str(n) for n in range(1, len(expected) + 1)]
    notes_part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/footnotes")
    )
    notes = etree.fromstring(notes_part.blob)
    bodies = {
        n.get(qn("w:id")): "".join(n.itertext()).strip() for n in notes.iter(qn("w:footnote"))
    }
    assert [bodies[str(n)] for n in range(1, len(expected) + 1)] == expected
    assert bodies["-1"] == bodies["0"] == ""  # the separators Word expects
    styles = {s.get(qn("w:val")) for s in notes.iter(qn("w:pStyle"))}
    assert styles == {"FootnoteText"}
    assert document.settings.element.find(qn("w:footnotePr")) is not None


def test_toc_entries_link_to_heading_bookmarks(example_project: Path) -> None:
    document = open_docx(example_project, "exec-brief")
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    toc_links = [
        link.get(qn("w:anchor"))
        for style_id in ("TOC1", "TOC2")
        for p in body_paragraphs(document, style_id)
        for link in p.iter(qn("w:hyperlink"))
    ]
    headings = oracle.expected_headings(REPO, "exec-brief")
    assert len(toc_links) == len([h for h in headings if h[0] <= 2])
    assert set(toc_links) <= bookmarks
    assert all(len(name) <= 40 for name in bookmarks)  # Word's limit on bookmark names
