"""The PDF read back with pypdf: content, page furniture, outline, metadata, footnotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pypdf
import pytest

from briefwright import model as m
from briefwright.assemble import assemble
from briefwright.errors import Problem
from briefwright.project import Project, find_project
from briefwright.readers.sources import load_sources
from briefwright.spec.briefing import load_briefing
from tests.helpers import REPO, first_sentence, pdf_pages, squash

EXAMPLES = sorted(p.stem for p in (REPO / "briefings").glob("*.yaml"))
WITH_CONTENTS = [  # the examples in the built-in `briefing` template (the memo has no contents)
    name
    for name in EXAMPLES
    if "template: memo" not in (REPO / "briefings" / f"{name}.yaml").read_text()
]


def load(project_dir: Path, name: str) -> tuple[Project, m.Briefing, dict[str, m.Source]]:
    project = find_project(project_dir)
    warnings: list[Problem] = []
    sources, _ = load_sources(project, warnings)
    briefing = load_briefing(project.briefings_dir / f"{name}.yaml", project, warnings)
    return project, assemble(briefing, sources, project, warnings), sources


def first_paragraph(blocks: tuple[m.Block, ...]) -> str:
    return next(m.plain_text(b.children) for b in blocks if isinstance(b, m.Paragraph))


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("name", EXAMPLES)
def test_selected_sections_and_only_those(example_project: Path, name: str) -> None:
    _, brief, sources = load(example_project, name)
    text = squash("".join(pdf_pages(example_project / "output" / f"{name}.pdf")))
    for heading in brief.headings:
        assert squash(m.plain_text(heading.children)) in text
    included = squash(" ".join(m.block_text(b) for b in brief.blocks))
    for source in sources.values():
        for section in source.sections:
            own = source.blocks[section.start + 1 : section.own_end]
            if not any(isinstance(b, m.Paragraph) for b in own):
                continue
            sentence = squash(first_sentence(first_paragraph(own)))
            # in the PDF exactly when the brief includes it
            assert (sentence in text) == (sentence in included), section.id


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_furniture(example_project: Path, name: str) -> None:
    _, brief, _ = load(example_project, name)
    pages = pdf_pages(example_project / "output" / f"{name}.pdf")
    assert len(pages) > 1
    has_cover = brief.meta.template == "briefing"
    for number, page in enumerate(pages, 1):
        assert page.count(brief.meta.marking) >= 2, f"page {number}: marking top and bottom"
        if number > 1 or not has_cover:  # a cover carries no page number
            assert f"Page {number} of {len(pages)}" in page
    assert ("Page 1 of" in pages[0]) is not has_cover


@pytest.mark.parametrize("name", EXAMPLES)
def test_outline_mirrors_headings(example_project: Path, name: str) -> None:
    _, brief, _ = load(example_project, name)
    reader = pypdf.PdfReader(example_project / "output" / f"{name}.pdf")

    def walk(items: Sequence[object], depth: int) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for item in items:
            if isinstance(item, list):
                found.extend(walk(item, depth + 1))
            else:
                found.append((depth, item.title))  # type: ignore[attr-defined]
        return found

    outline = walk(reader.outline, 1)
    assert [title for _, title in outline] == [m.plain_text(h.children) for h in brief.headings]


@pytest.mark.parametrize("name", WITH_CONTENTS)
def test_toc_page_numbers_match_heading_pages(example_project: Path, name: str) -> None:
    _, brief, _ = load(example_project, name)
    reader = pypdf.PdfReader(example_project / "output" / f"{name}.pdf")
    # layout mode keeps each contents line in visual order: title, then its page number
    pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    for heading in (h for h in brief.headings if h.level <= 2):
        title = m.plain_text(heading.children)
        entry = re.compile(rf"^{re.escape(title)}\s+(\d+)$")
        lines = [ln.strip() for ln in pages[1].splitlines()]
        listed = next(int(mt.group(1)) for ln in lines if (mt := entry.match(ln)))
        actual = next(
            number
            for number, text in enumerate(pages, 1)
            if number > 1 and title in [ln.strip() for ln in text.splitlines()]
        )
        assert listed == actual, title


def test_metadata(example_project: Path) -> None:
    _, brief, _ = load(example_project, "exec-brief")
    meta = pypdf.PdfReader(example_project / "output" / "exec-brief.pdf").metadata
    assert meta is not None
    assert meta.title == brief.meta.title
    assert meta.author == brief.meta.author
    assert meta.subject == brief.meta.subtitle
    assert str(meta["/CreationDate"]).startswith("D:20261121")


def test_footnotes_sit_on_the_page_of_their_call(feature_project: Path) -> None:
    pages = pdf_pages(feature_project / "output" / "features.pdf")
    calls = {
        "This overview cites a source.": "The feature fixture's own footnote.",
        "Equal treatment of all parties.": "A second footnote, in a definition.",
        "The other source also has an overview.": "The other source's footnote",
    }
    for call, note in calls.items():
        page_of_call = next(i for i, p in enumerate(pages) if squash(call) in squash(p))
        assert squash(note) in squash(pages[page_of_call]), note


def test_raw_html_is_text(feature_project: Path) -> None:
    text = "".join(pdf_pages(feature_project / "output" / "features.pdf"))
    assert "<b>not bold</b>" in text


def test_pdf_is_reproducible(feature_project: Path, tmp_path: Path) -> None:
    from tests.helpers import copy_project, run

    again = copy_project(feature_project, tmp_path / "again")
    assert run(again, "build", "features", "--format", "pdf").exit_code == 0
    first = (feature_project / "output" / "features.pdf").read_bytes()
    assert (again / "output" / "features.pdf").read_bytes() == first
