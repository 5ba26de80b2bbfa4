"""Markings: schemes, roll-up, ceilings, inheritance, portion marks, banners in every format."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import etree

from briefwright.errors import MarkingError
from briefwright.markings import BUILTIN_SCHEMES, parse_marking
from tests.helpers import REPO, copy_project, pdf_pages, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "markings.yaml").read_text(encoding="utf-8")
)


def html_banner(path: Path) -> str:
    """The banner in the HTML's classification metadata; "" when there is none."""
    html = path.read_text()
    found = re.search(r'<meta name="classification" content="([^"]*)">', html)
    if found is None:
        assert '<p class="banner' not in html and '<p class="running-marking' not in html
        return ""
    return found.group(1).replace("&#43;", "+")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_markings(case: dict[str, Any], scratch_project: Path) -> None:
    if "toml" in case:
        (scratch_project / "briefwright.toml").write_text(case["toml"], encoding="utf-8")
    if "only" in case:  # the fixture's own briefings are marked in its custom scheme
        for path in (scratch_project / "briefings").iterdir():
            path.unlink()
    for name, text in case.get("files", {}).items():
        (scratch_project / name).write_text(text, encoding="utf-8")
    result = run(scratch_project, *case["args"])
    assert result.exit_code == case["exit"], result.output
    if "stderr" in case:
        assert result.stderr == case["stderr"]
    if "banner" in case:
        assert html_banner(scratch_project / "output" / "b.html") == case["banner"]


def test_portion_marks_in_every_format(scratch_project: Path) -> None:
    (scratch_project / "sources" / "mixed.md").write_text(
        '## Low\n\nlow text\n\n## High {#high marking="TEST HIGHER"}\n\nhigh text\n'
    )
    (scratch_project / "briefings" / "b.yaml").write_text(
        "title: B\nformats: [pdf, docx, html]\nportion_marks: paragraphs\n"
        "sections:\n  - from: mixed\n"
    )
    assert run(scratch_project, "build", "b").exit_code == 0
    output = scratch_project / "output"
    html = (output / "b.html").read_text()
    assert '<h2 id="high">(TH) High</h2>' in html and "<p>(TH) high text</p>" in html
    assert "<p>(TM) low text</p>" in html
    headings = [p.text for p in docx.Document(str(output / "b.docx")).paragraphs if p.text]
    assert "(TH) High" in headings and "(TM) low text" in headings
    text = "".join(pdf_pages(output / "b.pdf"))
    assert "(TH) High" in text and "(TM) Low" in text


def test_banner_metadata_in_pdf_and_docx(feature_project: Path) -> None:
    output = feature_project / "output"
    info = pypdf.PdfReader(output / "features.pdf").metadata
    assert info is not None and str(info["/classification"]) == "TEST MARKING"
    with zipfile.ZipFile(output / "features.docx") as package:
        custom = package.read("docProps/custom.xml").decode()
    assert 'name="Classification"><vt:lpwstr>TEST MARKING</vt:lpwstr>' in custom


def test_banner_in_the_scheme_colours(feature_project: Path) -> None:
    html = (feature_project / "output" / "features.html").read_text()
    assert "@top-center { color: #ffffff; background-color: #455a64; }" in html
    header = docx.Document(str(feature_project / "output" / "features.docx")).sections[-1].header
    banner = header.part.element.find(qn("w:p"))
    banner_xml = etree.tostring(banner, encoding="unicode")
    assert 'w:fill="455a64"' in banner_xml and 'w:val="FFFFFF"' in banner_xml


def test_example_background_brief_rises_to_amber(example_project: Path) -> None:
    pages = pdf_pages(example_project / "output" / "background-brief.internal.pdf")
    for number, page in enumerate(pages, 1):
        assert page.count("TLP:AMBER // LIMITED TO STAFF") >= 2, f"page {number}"
    assert "(TLP:A) Analyst assessment" in "".join(pages)
    executive = pdf_pages(example_project / "output" / "exec-brief.full.pdf")
    assert all(page.count("TLP:CLEAR") >= 2 for page in executive)


def test_analyst_notes_are_kept_out_of_the_executive_brief(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "project")
    brief = project / "briefings" / "exec-brief.yaml"
    brief.write_text(brief.read_text() + "  - from: analyst-notes#assessment\n")
    result = run(project, "check", "exec-brief")
    assert result.exit_code == 1
    line = len(brief.read_text().splitlines())
    assert result.stderr == (
        f"error: briefings/exec-brief.yaml:{line}: sections[5] includes "
        "analyst-notes#assessment, marked TLP:AMBER (sources/analyst-notes.md front matter), "
        "above the briefing's ceiling TLP:GREEN; remove it or raise 'marking'\n"
    )


def test_sections_shows_effective_markings(scratch_project: Path) -> None:
    (scratch_project / "sources" / "mixed.md").write_text(
        '## Parent {marking="TEST HIGHER"}\n\n### Child\n\n## Other\n'
    )
    result = run(scratch_project, "sections", "mixed")
    lines = result.stdout.splitlines()
    assert "TEST HIGHER" in lines[1] and "TEST HIGHER" in lines[2]
    assert "TEST MARKING" in lines[3]


def test_parse_marking_reads_level_and_caveats() -> None:
    found = parse_marking("nr // releasable to UKR", BUILTIN_SCHEMES["nato"], "here")
    assert (found.level.banner, found.caveats, found.origin) == (
        "NATO RESTRICTED",
        ("RELEASABLE TO UKR",),
        "here",
    )


def test_parse_marking_raises_for_an_unknown_level() -> None:
    with pytest.raises(MarkingError) as caught:
        parse_marking("NATO SECRT // X", BUILTIN_SCHEMES["nato"], "here")
    assert caught.value.problems[0].message.startswith(
        "unknown marking 'NATO SECRT' in the nato scheme; did you mean 'NATO SECRET'? valid: "
    )
    assert caught.value.problems[0].file is None


def test_issue_12_no_scheme_no_marking_in_any_format(scratch_project: Path) -> None:
    """Without [markings] nothing claims a classification: no banner on any page, no portion
    marks, no classification metadata, in PDF, HTML and DOCX alike."""
    (scratch_project / "briefwright.toml").write_text('[defaults]\norganisation = "Staff"\n')
    (scratch_project / "sources" / "plain.md").write_text("## Low\n\nlow text\n")
    for path in (scratch_project / "briefings").iterdir():
        path.unlink()
    (scratch_project / "briefings" / "b.yaml").write_text(
        "title: Plain brief\nformats: [pdf, docx, html]\nsections:\n  - from: plain\n"
    )
    result = run(scratch_project, "build", "b")
    assert result.exit_code == 0, result.output
    output = scratch_project / "output"
    pdf_text = subprocess.run(
        ["pdftotext", str(output / "b.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Plain brief" in pdf_text and "low text" in pdf_text
    assert "UNCLASSIFIED" not in pdf_text and "TEST MARKING" not in pdf_text
    info = pypdf.PdfReader(output / "b.pdf").metadata
    assert info is None or "/classification" not in info
    assert html_banner(output / "b.html") == ""
    document = docx.Document(str(output / "b.docx"))
    furniture = [
        p.text
        for section in document.sections
        for part in (section.header, section.footer)
        for p in part.paragraphs
    ]
    assert "Plain brief" in furniture
    assert not any("MARKING" in text or "UNCLASSIFIED" in text for text in furniture)
    assert document.core_properties.category == ""
    with zipfile.ZipFile(output / "b.docx") as package:
        # the custom properties hold the provenance manifest's hash (issue 18), no marking
        assert "Classification" not in package.read("docProps/custom.xml").decode()


def test_issue_13_releasability_rolls_up_in_every_format(scratch_project: Path) -> None:
    (scratch_project / "briefwright.toml").write_text('[markings]\nscheme = "nato"\n')
    for path in (scratch_project / "briefings").iterdir():
        path.unlink()  # the fixture's own briefings are marked in its custom scheme
    (scratch_project / "sources" / "mixed.md").write_text(
        "---\nmarking: NR\n---\n## Staff\n\nstaff text\n\n"
        '## Partners {#partners marking="NR // RELEASABLE TO UKR"}\n\npartner text\n'
    )
    (scratch_project / "briefings" / "b.yaml").write_text(
        "title: B\nformats: [pdf, docx, html]\nportion_marks: true\nsections:\n  - from: mixed\n"
    )
    assert run(scratch_project, "build", "b").exit_code == 0
    output = scratch_project / "output"
    assert html_banner(output / "b.html") == "NATO RESTRICTED"
    assert '<h2 id="partners">(NR//REL TO UKR) Partners</h2>' in (output / "b.html").read_text()
    info = pypdf.PdfReader(output / "b.pdf").metadata
    assert info is not None and str(info["/classification"]) == "NATO RESTRICTED"
    pages = pdf_pages(output / "b.pdf")
    assert "(NR//REL TO UKR) Partners" in "".join(pages)
    assert all("RELEASABLE" not in page for page in pages)
    with zipfile.ZipFile(output / "b.docx") as package:
        custom = package.read("docProps/custom.xml").decode()
    assert 'name="Classification"><vt:lpwstr>NATO RESTRICTED</vt:lpwstr>' in custom
    document = docx.Document(str(output / "b.docx"))
    assert "(NR//REL TO UKR) Partners" in [p.text for p in document.paragraphs]
