"""Issue 12: internal links resolve against the brief's headings (their IDs, GitHub and Pandoc
slugs, implicit header references), or are warned about once with FILE:LINE; tested on cases
and on Pandoc's own manual (tests/data/pandoc-MANUAL.txt), built to HTML, DOCX and PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefwright import model as m
from briefwright.assemble import assemble
from briefwright.errors import Problem
from briefwright.project import find_project
from briefwright.readers.sources import load_sources
from briefwright.spec.briefing import load_briefing
from tests.helpers import REPO, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "links.yaml").read_text(encoding="utf-8")
)
MANUAL = REPO / "tests" / "data" / "pandoc-MANUAL.txt"
BRIEFING = "title: Case\ndate: 2026-01-15\nformats: [html, docx, pdf]\nsections:\n  - from: {}\n"


def new_project(root: Path, name: str, body: str) -> Path:
    for folder in ("sources", "briefings", "output"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "briefwright.toml").write_text("", encoding="utf-8")
    (root / "sources" / f"{name}.md").write_text(body, encoding="utf-8")
    (root / "briefings" / f"{name}.yaml").write_text(BRIEFING.format(name), encoding="utf-8")
    return root


def assembled(root: Path, name: str) -> tuple[m.Briefing, list[Problem]]:
    project = find_project(root)
    warnings: list[Problem] = []
    sources, errors = load_sources(project, warnings)
    assert errors == []
    briefing = load_briefing(root / "briefings" / f"{name}.yaml", project, warnings)
    return assemble(briefing, sources, project, warnings), warnings


def links_of(brief: m.Briefing) -> list[list[str]]:
    return [
        [m.plain_text(run.children), run.href]
        for block in brief.blocks
        for runs in m.inline_children(block)
        for run in m.iter_inlines(runs)
        if isinstance(run, m.Link)
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_12_internal_links(case: dict[str, Any], tmp_path: Path) -> None:
    root = new_project(tmp_path, "case", "---\ntitle: Case\n---\n" + case["source"])
    brief, warnings = assembled(root, "case")
    assert links_of(brief) == case["links"]
    assert [f"{w.line}: {w.message}" for w in warnings] == case.get("warnings", [])
    assert all(w.file == Path("sources/case.md") for w in warnings)
    if "text" in case:
        paragraphs = [b for b in brief.blocks if isinstance(b, m.Paragraph)]
        assert m.plain_text(paragraphs[-1].children) == case["text"]


# --- Pandoc's manual --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Pandoc's MANUAL.txt as the one source of a briefing, built to HTML, DOCX and PDF."""
    root = new_project(tmp_path_factory.mktemp("manual"), "manual", "")
    shutil.copy(MANUAL, root / "sources" / "manual.md")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    return root, result.output


# one line per link target; the lines of its blocks, comma-separated when it is linked twice
WARNED = re.compile(
    r"^warning: sources/manual\.md:([\d, ]+): link to '#([^']+)' leads nowhere", re.M
)


def test_issue_12_manual_every_internal_link_resolves_or_is_warned(
    manual: tuple[Path, str],
) -> None:
    root, output = manual
    warned = [
        (int(line), anchor)
        for found, anchor in WARNED.findall(output)
        for line in found.split(", ")
    ]
    lines = MANUAL.read_text(encoding="utf-8").splitlines()
    for line, anchor in warned:  # each warning names the line of the block with the link
        block = "\n".join(lines[line - 1 : line + 8])
        assert f"#{anchor}" in block
    assert len(warned) == 2  # `[--reference-doc](#option--reference-doc)`: a span's ID
    assert "No anchor" not in output  # WeasyPrint: no link without its target
    html = (root / "output" / "manual.html").read_text(encoding="utf-8")
    ids = set(re.findall(r' id="([^"]+)"', html))
    hrefs = re.findall(r'href="#([^"]+)"', html[html.index("<main>") :])
    assert len(hrefs) > 100  # was 35, of which 19 led nowhere
    assert [h for h in hrefs if h not in ids and not h.startswith("note-")] == []


def test_issue_12_manual_docx_links_reach_bookmarks(manual: tuple[Path, str]) -> None:
    root, _ = manual
    with zipfile.ZipFile(root / "output" / "manual.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml)
    assert len(anchors) > 100  # the contents' entries and 107 internal links (was 55, 19 dead)
    assert [a for a in anchors if a not in bookmarks] == []


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_issue_12_manual_footnote_keeps_its_code_blocks(manual: tuple[Path, str]) -> None:
    """Footnote 1 (the manual's [^2]) holds four paragraphs and three code blocks."""
    root, _ = manual
    code = ['B. Russell won a Nobel Prize (but not for "On Denoting").', "(C) 2007 Joe Smith"]
    text = pdf_text(root / "output" / "manual.pdf")
    for line in [*code, "(C\\) 2007 Joe Smith", "do not get treated as list items."]:
        assert line in text
    with zipfile.ZipFile(root / "output" / "manual.docx") as docx:
        notes = docx.read("word/footnotes.xml").decode("utf-8")
    first = notes[notes.index('<w:footnote w:id="1">') : notes.index('<w:footnote w:id="2">')]
    styles = re.findall(r'<w:pStyle w:val="([^"]+)"/>', first)
    text, code_ = "FootnoteText", "SourceCode"
    assert styles == [text, code_, text, text, code_, text, code_]
    assert all(line.replace('"', "&quot;") in first or line in first for line in code)
