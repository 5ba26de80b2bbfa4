"""Issue 17: numbered figures and tables, captions, and cross-references (`@fig-`, `@tbl-`,
`@sec-`): read into the model (cases in tests/cases/xref.yaml), resolved by assemble, and
drawn in PDF (text and link targets), HTML and DOCX (SEQ and REF fields, bookmarks, Caption
style), which LibreOffice, updating the fields, numbers as we do."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pypdf
import pytest
import yaml
from docx.oxml.ns import qn

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.project import Project
from briefwright.readers.sources import read_source
from briefwright.spec.schema import ProjectConfig
from tests.helpers import REPO, pdf_pages, run, squash
from tests.parity import docx_fields

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "xref.yaml").read_text("utf-8")
)

# What the feature fixture's references and captions read, in reading order.
REFERENCES = [
    "Long table",  # @sec-members from the briefing's own text (sections are unnumbered)
    "Table 2",
    "Table 1",
    "Figure 1",
    "Table 1",
    "Figure 1",
    "Long table",
]
CAPTIONS = [
    "Table 1: Missions and troop numbers",
    "Figure 1: Troop contributions by mission",
    "Table 2: NATO's members by year joined",
]


# --- the reader ---------------------------------------------------------------------------------


def _inline(run: m.Inline) -> str:
    if isinstance(run, m.Link) and run.xref:
        return f"<@{run.xref}>"
    if isinstance(run, m.Strong | m.Emphasis | m.Strikethrough | m.Link):
        return "".join(_inline(r) for r in run.children)
    return m.plain_text((run,))


def sketch(block: m.Block) -> str:
    match block:
        case m.Table():
            cells = [c for row in block.rows for c in row]
            refs = "".join(_inline(r) for c in cells for r in c.children if isinstance(r, m.Link))
            caption = "".join(_inline(r) for r in block.caption)
            return f'table#{block.id} "{caption}"' + (f" {refs}" if refs else "")
        case m.Image():
            return f'figure#{block.id} "{block.alt}"'
        case m.Paragraph():
            return "p " + "".join(_inline(r) for r in block.children)
        case _:
            return type(block).__name__


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_17_reader(case: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    path = tmp_path / "sources" / "case.md"
    path.write_text(case["text"], encoding="utf-8")
    (tmp_path / "sources" / "img.png").write_bytes(
        (
            REPO / "tests" / "fixtures" / "feature-project" / "sources" / "img" / "chart.png"
        ).read_bytes()
    )
    warnings: list[Problem] = []
    project = Project(tmp_path.resolve(), ProjectConfig())
    source = read_source(path.resolve(), project, warnings)
    assert [sketch(b) for b in source.blocks] == case["blocks"]
    shown = [str(w).removeprefix("sources/case.md:") for w in warnings]
    assert shown == case.get("warnings", [])


# --- the outputs of the feature fixture ---------------------------------------------------------


def test_issue_17_pdf_captions_and_linked_references(feature_project: Path) -> None:
    pdf = feature_project / "output" / "features.pdf"
    text = squash("".join(pdf_pages(pdf)))
    at = 0
    for caption in CAPTIONS:
        at = text.find(squash(caption), at)
        assert at >= 0, f"caption {caption!r} not in the PDF (in order)"
    assert "Figure 1: Troop contributions" not in text.replace(
        "Figure 1: Troop contributions by", ""
    )
    # every reference is a link to a named destination on the page of what it names
    reader = pypdf.PdfReader(pdf)
    named = reader.named_destinations
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            dest = annotation.get_object().get("/Dest")
            if dest is not None:
                links.append(str(dest))
    for label in ("fig-chart", "tbl-missions", "tbl-members", "sec-members"):
        assert label in named, f"no destination {label!r}"
        assert label in links, f"no link to {label!r}"
    target = reader.get_destination_page_number(named["tbl-members"])
    assert target is not None
    assert "NATO's members by year joined" in pdf_pages(pdf)[target]


def test_issue_17_html(feature_project: Path) -> None:
    tree = lxml.html.parse(str(feature_project / "output" / "features.html"))
    refs = [(a.get("href"), a.text_content()) for a in tree.xpath('//a[@class="xref"]')]
    assert [text for _, text in refs] == REFERENCES
    assert refs[1] == ("#tbl-members", "Table 2")
    for href, _ in refs:
        assert tree.xpath(f'//*[@id="{href[1:]}"]'), f"{href} leads nowhere"
    captions = tree.xpath("//figcaption|//table/caption")
    numbered = [
        c.text_content() for c in captions if re.match(r"(Figure|Table) \d", c.text_content())
    ]
    assert sorted(numbered) == sorted(CAPTIONS)


def test_issue_17_docx_fields(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    body = document.element.body
    fields = docx_fields(body)
    refs = [(instr, shown) for instr, shown in fields if instr.startswith("REF ")]
    assert [shown for _, shown in refs] == REFERENCES
    seqs = [(instr, shown) for instr, shown in fields if instr.startswith("SEQ ")]
    assert seqs == [
        ("SEQ Table \\* ARABIC", "1"),
        ("SEQ Figure \\* ARABIC", "1"),
        ("SEQ Table \\* ARABIC", "2"),
    ]
    captions = [p for p in document.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert [p.text for p in captions if re.match(r"(Figure|Table) \d", p.text)] == CAPTIONS
    # each REF names a bookmark that exists: on a caption's label, or on a heading
    marks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    for instr, shown in refs:
        name = instr.split()[1]
        assert name in marks, f"{instr} names no bookmark"
        paragraph = marks[name].getparent()
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        assert text.startswith(shown), f"{instr}: {shown!r} is not where it points ({text!r})"


def test_issue_17_libreoffice_numbers_as_we_do(feature_project: Path, tmp_path: Path) -> None:
    """LibreOffice updates the SEQ and REF fields on opening: the numbers it shows are ours.
    Our pre-filled results are first made wrong in a copy, so only updating brings them back."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by make test (libreoffice-writer-nogui)"
    source = feature_project / "output" / "features.docx"
    document = docx.Document(str(source))
    replaced = 0
    for instr in document.element.body.iter(qn("w:instrText")):
        if instr.text and instr.text.strip().startswith(("SEQ", "REF")):
            run = instr.getparent()
            while run is not None and not _is_result(run):
                run = run.getnext()
            assert run is not None
            for t in run.iter(qn("w:t")):
                t.text = "Q7Z"
            replaced += 1
    assert replaced == len(REFERENCES) + len(CAPTIONS)
    wrong = tmp_path / "features.docx"
    document.save(str(wrong))
    command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(tmp_path), str(wrong)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    text = squash("".join(pdf_pages(tmp_path / "features.pdf")))
    assert "Q7Z" not in text
    for caption in CAPTIONS:
        assert squash(caption) in text
    assert squash("construct (members: Long table, Table 2)") in text
    assert squash("Missions are listed in Table 1 and charted in Figure 1.") in text


def _is_result(run: Any) -> bool:
    """A run after a field's `separate` holding text: the field's shown result."""
    return run.tag == qn("w:r") and run.find(qn("w:t")) is not None


# --- errors -------------------------------------------------------------------------------------

ERRORS = [
    (
        "see @fig-chrt",
        "sources/features.md:{line}: cross-reference '@fig-chrt' names no figure in the"
        " briefing; did you mean 'fig-chart'?",
    ),
    (
        "see @sec-later",
        "sources/features.md:{line}: cross-reference '@sec-later' names section 'sec-later' of"
        " source 'other' (sources/other.md:{other}), which this briefing does not include; add"
        " `- from: other#sec-later` to its sections (briefings/features.yaml:10)",
    ),
    (
        "see @tbl-nothing",
        "sources/features.md:{line}: cross-reference '@tbl-nothing' names no table in the briefing",
    ),
]


@pytest.mark.parametrize(("written", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_issue_17_reference_errors(scratch_project: Path, written: str, expected: str) -> None:
    source = scratch_project / "sources" / "features.md"
    text = source.read_text("utf-8")
    source.write_text(text + f"\nSomething, {written}.\n", "utf-8")
    line = text.count("\n") + 2
    other = scratch_project / "sources" / "other.md"
    other_text = other.read_text("utf-8")
    other.write_text(other_text + "\n## Later {#sec-later}\n\nMore.\n", "utf-8")
    result = run(scratch_project, "build", "features", "--format", "html")
    assert result.exit_code == 1, result.output
    message = expected.format(line=line, other=other_text.count("\n") + 2)
    assert message in result.output
    checked = run(scratch_project, "check")
    assert checked.exit_code == 1 and message in checked.output
    everything = run(scratch_project, "build", "--format", "html")  # the others still build
    assert everything.exit_code == 1
    assert (scratch_project / "output" / "small.html").is_file(), everything.output


def test_issue_17_label_defined_twice(scratch_project: Path) -> None:
    source = scratch_project / "sources" / "features.md"
    text = source.read_text("utf-8")
    first = text[: text.index("{#fig-chart}")].count("\n") + 1
    source.write_text(text + "\n![Again](img/chart.png){#fig-chart}\n", "utf-8")
    result = run(scratch_project, "build", "features", "--format", "html")
    assert result.exit_code == 1
    line = text.count("\n") + 2
    assert (
        f"sources/features.md:{line}: label 'fig-chart' is defined twice: here and at"
        f" sources/features.md:{first}; rename one of them"
    ) in result.output


# --- lists of figures and tables (`lists: [figures, tables]` in features.yaml) ------------------


def test_issue_17_lists_of_figures_and_tables(feature_project: Path) -> None:
    output = feature_project / "output"
    tree = lxml.html.parse(str(output / "features.html"))
    navs = tree.xpath('//nav[contains(@class, "caption-list")]')
    shown = {
        nav.xpath("./h2")[0].text: [(a.get("href"), a.text_content()) for a in nav.xpath(".//a")]
        for nav in navs
    }
    assert shown == {
        "List of figures": [("#fig-chart", CAPTIONS[1])],
        "List of tables": [("#tbl-missions", CAPTIONS[0]), ("#tbl-members", CAPTIONS[2])],
    }
    pages = pdf_pages(output / "features.pdf")
    front = squash(pages[1])  # after the contents, before the body
    expected = ["Listoffigures", squash(CAPTIONS[1]), "Listoftables", squash(CAPTIONS[0])]
    at = front.find(squash("Contents"))
    for text in expected:
        at = front.find(text, at)
        assert at >= 0, f"{text!r} not on the contents page (in order)"
    assert front.find("Listoftables") < front.find(squash("Summary"), front.find("Listoftables"))
    document = docx.Document(str(output / "features.docx"))
    fields = docx_fields(document.element.body)
    lists = [(i, s) for i, s in fields if i.startswith("TOC \\h \\z \\c")]
    assert lists == [
        ('TOC \\h \\z \\c "Figure"', CAPTIONS[1]),
        ('TOC \\h \\z \\c "Table"', CAPTIONS[0] + CAPTIONS[2]),
    ]
    settings = document.settings.element
    assert len(settings.findall(qn("w:updateFields"))) == 1


def test_issue_17_lists_left_out_when_not_asked(feature_project: Path) -> None:
    html = (feature_project / "output" / "features-memo.html").read_text("utf-8")
    assert "caption-list" not in html and "List of figures" not in html


# --- with numbered sections (issue 17's section_numbers) ----------------------------------------


def test_issue_17_section_references_with_numbers(scratch_project: Path, tmp_path: Path) -> None:
    """`@sec-members` reads "Section 2.3" once headings are numbered: in HTML and PDF as text,
    in DOCX as "Section " and a REF \\r field that LibreOffice fills with Word's number."""
    briefing = scratch_project / "briefings" / "features.yaml"
    briefing.write_text(
        briefing.read_text("utf-8").replace("lists:", "section_numbers: true\nlists:"), "utf-8"
    )
    result = run(scratch_project, "build", "features", "--format", "html", "--format", "docx")
    assert result.exit_code == 0, result.output
    output = scratch_project / "output"
    tree = lxml.html.parse(str(output / "features.html"))
    heading = tree.xpath('//*[@id="sec-members"]')[0].text_content()
    number = heading.split()[0]
    assert re.fullmatch(r"\d+\.\d+", number), heading
    refs = [a.text_content() for a in tree.xpath('//a[@class="xref"]')]
    assert refs == [f"Section {number}" if r == "Long table" else r for r in REFERENCES]
    fields = docx_fields(docx.Document(str(output / "features.docx")).element.body)
    sections = [(i, s) for i, s in fields if i.startswith("REF _Toc")]
    assert sections == [(sections[0][0], number)] * 2 and "\\r \\h" in sections[0][0]
    soffice = shutil.which("soffice")
    assert soffice
    command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(tmp_path), str(output / "features.docx")],
        capture_output=True,
        check=True,
        timeout=300,
    )
    text = squash("".join(pdf_pages(tmp_path / "features.pdf")))
    assert squash(f"(members: Section {number}, Table 2)") in text
    assert squash(f"this is Section {number}.") in text
