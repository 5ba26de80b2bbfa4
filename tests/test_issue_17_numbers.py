"""Issue 17, section numbers: "1", "1.1", "1.1.1" in the model, body, contents, bookmarks and
DOCX (Word's own heading numbering); `{-}` headings unnumbered."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from docx.oxml.ns import qn

from briefwright import model as m
from briefwright.numbering import numbered
from tests.helpers import REPO, outline_titles, pdf_pages, run
from tests.parity import assert_parity, docx_inventory

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "section_numbers.yaml").read_text(encoding="utf-8")
)


def _heading(written: str) -> m.Heading:
    level, title = written.split(" ", 1)
    unnumbered = level.endswith("-")
    return m.Heading(int(level.rstrip("-")), (m.Text(title),), title, unnumbered)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_heading_numbers(case: dict[str, Any]) -> None:
    blocks: list[m.Block] = []
    for written in case["headings"]:
        blocks += [_heading(written), m.Paragraph((m.Text("text"),))]
    found = [b.number or "" for b in numbered(blocks) if isinstance(b, m.Heading)]
    assert found == case["numbers"]


SOURCE = """---
title: Source A
---
# Background

Some text.

## History

### Early years

## Current

# Summary {-}

## Inside summary

# Outlook

## Risks
"""
# (heading text, number) in reading order, as every output must show them
EXPECTED = [
    ("Source A", "1"),
    ("Background", "1.1"),
    ("History", "1.1.1"),
    ("Early years", "1.1.1.1"),
    ("Current", "1.1.2"),
    ("Summary", None),
    ("Inside summary", None),
    ("Outlook", "1.2"),
    ("Risks", "1.2.1"),
]
SHOWN = [f"{number} {title}" if number else title for title, number in EXPECTED]


def _project(root: Path, numbers: str = "section_numbers: true\n", toml: str = "") -> Path:
    for folder in ("briefings", "sources", "output"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "briefwright.toml").write_text(toml, encoding="utf-8")
    (root / "sources" / "a.md").write_text(SOURCE, encoding="utf-8")
    briefing = f"title: Numbered\n{numbers}toc_depth: 3\nformats: [pdf, docx, html]\n"
    (root / "briefings" / "num.yaml").write_text(briefing + "sections:\n  - from: a\n")
    return root


def _lines(pdf: Path) -> list[str]:
    """The PDF's lines in visual order, spaces collapsed."""
    return [
        " ".join(line.split()) for page in pdf_pages(pdf, layout=True) for line in page.split("\n")
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project(tmp_path_factory.mktemp("numbers"))
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    return project / "output"


def test_pdf_body_contents_and_bookmarks(built: Path) -> None:
    lines = _lines(built / "num.pdf")
    body = lines[lines.index("1 Source A") :]  # the first line of the body, not the contents
    assert [line for line in body if line in SHOWN] == SHOWN
    assert all(f"{title} 2" in lines for title in ("1 Source A", "1.2.1 Risks"))  # contents
    assert "Early years" not in " ".join(lines[: lines.index("1 Source A")])  # below depth 3
    assert outline_titles(pypdf.PdfReader(built / "num.pdf")) == SHOWN


def test_html_numbers(built: Path) -> None:
    html = (built / "num.html").read_text(encoding="utf-8")
    numbers = re.findall(r'<span class="header-section-number">([\d.]+)</span>', html)
    assert numbers == [n for _, n in EXPECTED if n]
    assert '<span class="toc-number">1.2.1</span> Risks' in html


def _num_pr(paragraph: Any) -> tuple[str, str] | None:
    """A w:p's (numId, ilvl), None when it has no numbering of its own."""
    num_id = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    level = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
    return None if num_id is None else (num_id.get(qn("w:val")), level.get(qn("w:val")))


def _headings(document: Any) -> list[Any]:
    style = f"{qn('w:pPr')}/{qn('w:pStyle')}"
    return [
        p
        for p in document.element.body.iter(qn("w:p"))
        if p.find(style) is not None and p.find(style).get(qn("w:val")).startswith("Heading")
    ]


def test_docx_uses_word_numbering(built: Path) -> None:
    document = docx.Document(str(built / "num.docx"))
    headings = _headings(document)
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in headings]
    assert texts == [title for title, _ in EXPECTED]  # no typed numbers
    found = [_num_pr(p) for p in headings]
    num_ids = {pr[0] for pr in found if pr}
    assert len(num_ids) == 1
    levels = [str(len(n.split(".")) - 1) if n else None for _, n in EXPECTED]
    assert [pr[1] if pr else None for pr in found] == levels
    numbering = document.part.numbering_part.element
    num = numbering.num_having_numId(int(num_ids.pop()))
    abstract = numbering.xpath(
        f"w:abstractNum[@w:abstractNumId='{num.abstractNumId.val}']/w:name/@w:val"
    )
    assert abstract == ["Heading Numbering"]


def test_libreoffice_shows_the_same_numbers(built: Path, tmp_path: Path) -> None:
    """A real client counts Word's numbering: the numbers it shows are ours."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by make test (libreoffice-writer-nogui)"
    command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
    convert = [*command, "--convert-to", "pdf", "--outdir", str(tmp_path), str(built / "num.docx")]
    subprocess.run(convert, capture_output=True, check=True, timeout=300)
    lines = _lines(tmp_path / "num.pdf")
    body = lines[len(lines) - lines[::-1].index("1 Source A") - 1 :]  # after the contents
    assert [line for line in body if line in SHOWN] == SHOWN


def test_off_by_default_and_from_defaults(tmp_path: Path) -> None:
    plain = _project(tmp_path / "plain", numbers="")
    assert run(plain, "build").exit_code == 0
    assert '<span class="header-section-number">' not in (plain / "output" / "num.html").read_text()
    document = docx.Document(str(plain / "output" / "num.docx"))
    assert not any(_num_pr(p) for p in _headings(document))
    project = _project(tmp_path / "toml", numbers="", toml="[defaults]\nsection_numbers = true\n")
    assert run(project, "build").exit_code == 0
    assert '<span class="header-section-number">' in (project / "output" / "num.html").read_text()


def test_template_sets_the_default(tmp_path: Path) -> None:
    project = _project(tmp_path, numbers="template: numbered\n")
    folder = project / "templates" / "numbered"
    folder.mkdir(parents=True)
    info = 'name = "numbered"\nextends = "briefing"\nsection_numbers = true\n'
    (folder / "template.toml").write_text(info, encoding="utf-8")
    assert run(project, "build").exit_code == 0, run(project, "build").output
    assert '<span class="header-section-number">' in (project / "output" / "num.html").read_text()
    briefing = (project / "briefings" / "num.yaml").read_text()
    (project / "briefings" / "num.yaml").write_text(briefing + "section_numbers: false\n")
    assert run(project, "build").exit_code == 0
    assert (
        '<span class="header-section-number">' not in (project / "output" / "num.html").read_text()
    )


def test_parity_covers_numbers(built: Path) -> None:
    assert_parity(built / "num.docx", built / "num.pdf", built / "num.html")
    assert docx_inventory(built / "num.docx").headings == SHOWN
