"""The DOCX read back with python-docx: styles, lists, tables, fields, properties, bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefwright import model as m
from tests.helpers import REPO, copy_project, run
from tests.test_pdf import load

EXAMPLES = sorted(p.stem for p in (REPO / "briefings").glob("*.yaml"))


def body_headings(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]


def count_items(blocks: tuple[m.Block, ...]) -> int:
    total = 0
    for block in blocks:
        if isinstance(block, m.BulletList | m.OrderedList):
            total += len(block.items)
            total += sum(count_items(item.blocks) for item in block.items)
    return total


@pytest.mark.parametrize("name", [*EXAMPLES, "features"])
def test_headings_use_word_heading_styles_in_order(
    example_project: Path, feature_project: Path, name: str
) -> None:
    project = feature_project if name == "features" else example_project
    _, brief, _ = load(project, name)
    expected = [(f"Heading {h.level}", m.plain_text(h.children)) for h in brief.headings]
    assert body_headings(project / "output" / f"{name}.docx") == expected


def test_list_items_use_list_styles(feature_project: Path) -> None:
    _, brief, _ = load(feature_project, "features")
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    styles = [p.style.name for p in document.paragraphs if p.style is not None]
    listed = [s for s in styles if s.startswith(("List Bullet", "List Number"))]
    assert len(listed) == count_items(brief.blocks)
    assert {"List Number", "List Bullet 2", "List Number 3", "List Bullet"} <= set(listed)


def test_each_numbered_list_restarts(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    numbered = [
        p for p in document.paragraphs if p.style is not None and p.style.name == "List Number"
    ]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]  # type: ignore[union-attr]
    # three items of the first list, two of the second: two numbering instances
    assert num_ids[0] == num_ids[1] == num_ids[2] != num_ids[3] == num_ids[4]
    numbering = document.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[3]}:
        start = numbering.num_having_numId(num_id).find(f".//{qn('w:startOverride')}")
        assert start is not None and start.get(qn("w:val")) == "1"


def test_tables_are_real_tables(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    assert len(document.tables) == 2  # the missions table and the long members table
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Mission", "Years", "Troops"]
    assert [c.text for c in table.rows[4].cells] == ["Resolute Support", "2015-2021", "13,000"]
    assert table.style is not None and table.style.name == "Brief Table"
    assert table.rows[0]._tr.get_or_add_trPr().find(qn("w:tblHeader")) is not None


def test_image_and_caption(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    assert len(document.inline_shapes) == 1
    captions = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"
    ]
    assert captions == ["Figure 1: Troop contributions"]


def test_inline_formatting_and_links(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    lead = next(p for p in document.paragraphs if p.text.startswith("A lead paragraph"))
    runs = {r.text: r for r in lead.runs}
    assert runs["bold"].bold and runs["italic"].italic and runs["struck"].font.strike
    assert runs["inline code"].style.name == "Inline Code"
    overview = next(p for p in document.paragraphs if p.text.startswith("This overview"))
    links = overview._p.findall(qn("w:hyperlink"))
    assert len(links) == 1
    target = document.part.rels[links[0].get(qn("r:id"))].target_ref
    assert target == "https://www.nato.int/"


@pytest.mark.parametrize("name", EXAMPLES)
def test_marking_and_page_fields_in_headers_and_footers(example_project: Path, name: str) -> None:
    _, brief, _ = load(example_project, name)
    document = docx.Document(str(example_project / "output" / f"{name}.docx"))
    for section in document.sections:
        for part in (section.header, section.footer):
            assert brief.meta.marking in [p.text.strip() for p in part.paragraphs]
    footer_xml = document.sections[-1].footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml


def test_toc_field_is_prefilled(example_project: Path) -> None:
    _, brief, _ = load(example_project, "exec-brief")
    document = docx.Document(str(example_project / "output" / "exec-brief.docx"))
    assert 'TOC \\o "1-2"' in document.element.body.xml
    entries = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name in ("TOC 1", "TOC 2", "TOC 3")
    ]
    assert entries == [m.plain_text(h.children) for h in brief.headings if h.level <= 2]


def test_core_properties_from_the_briefing(example_project: Path) -> None:
    _, brief, _ = load(example_project, "exec-brief")
    props = docx.Document(str(example_project / "output" / "exec-brief.docx")).core_properties
    assert props.title == brief.meta.title
    assert props.author == brief.meta.author
    assert props.subject == brief.meta.subtitle
    assert props.created == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    assert props.modified == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    assert props.last_modified_by == "briefwright"


def test_docx_is_reproducible(feature_project: Path, tmp_path: Path) -> None:
    again = copy_project(feature_project, tmp_path / "again")
    assert run(again, "build", "features", "--format", "docx").exit_code == 0
    first = (feature_project / "output" / "features.docx").read_bytes()
    assert (again / "output" / "features.docx").read_bytes() == first
    with zipfile.ZipFile(again / "output" / "features.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_footnotes_are_real_word_footnotes(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    calls = document.element.body.findall(f".//{qn('w:footnoteReference')}")
    assert [c.get(qn("w:id")) for c in calls] == ["1", "2", "3"]
    notes_part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/footnotes")
    )
    notes = etree.fromstring(notes_part.blob)
    bodies = {
        n.get(qn("w:id")): "".join(n.itertext()).strip() for n in notes.iter(qn("w:footnote"))
    }
    assert bodies["1"] == "The feature fixture's own footnote."
    assert bodies["-1"] == bodies["0"] == ""  # the separators Word expects
    styles = {s.get(qn("w:val")) for s in notes.iter(qn("w:pStyle"))}
    assert styles == {"FootnoteText"}
    assert document.settings.element.find(qn("w:footnotePr")) is not None


def test_toc_entries_link_to_heading_bookmarks(example_project: Path) -> None:
    document = docx.Document(str(example_project / "output" / "exec-brief.docx"))
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    toc_links = [
        link.get(qn("w:anchor"))
        for p in document.paragraphs
        if p.style is not None and p.style.name in ("TOC 1", "TOC 2")
        for link in p._p.iter(qn("w:hyperlink"))
    ]
    assert toc_links and set(toc_links) <= bookmarks
    assert all(len(name) <= 40 for name in bookmarks)  # Word's limit on bookmark names
