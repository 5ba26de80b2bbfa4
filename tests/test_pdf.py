"""The PDF read back (text with pdftotext, structure with pypdf): content, page furniture,
outline, metadata, footnotes."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from tests import oracle
from tests.helpers import (
    REPO,
    copy_project,
    first_sentence,
    outline_titles,
    pdf_pages,
    run,
    squash,
)

EXAMPLES = sorted(p.stem for p in (REPO / "briefings").glob("*.yaml"))
WITH_CONTENTS = [  # the examples in the built-in `briefing` template (the memo has no contents)
    name
    for name in EXAMPLES
    if "template: memo" not in (REPO / "briefings" / f"{name}.yaml").read_text()
]
# The banner each example must show: the highest marking it includes, worked out by hand from
# the sources' front matter and heading attributes (the computation is tested in test_markings).
BANNERS = {
    "background-brief": "TLP:AMBER // LIMITED TO STAFF",
    "exec-brief": "TLP:CLEAR",
    "exec-memo": "TLP:CLEAR",
}
PORTION_MARK = re.compile(r"^\([A-Z][A-Z0-9:+/ ,]*\) ")  # caveats too: (NR//REL TO UKR)
NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\s+")  # a section number (section_numbers, issue 17)


def unmarked(project: Path, name: str, lines: list[str]) -> list[str]:
    """Lines read from an output, without their section numbers and portion marks if the
    briefing asks for them."""
    if oracle.section_numbers(project, name):
        lines = [NUMBER.sub("", line) for line in lines]
    if not oracle.portion_marks(project, name):
        return lines
    assert all(PORTION_MARK.match(line) for line in lines if line), lines
    return [PORTION_MARK.sub("", line) for line in lines]


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 2
    assert sorted(BANNERS) == EXAMPLES


def example_pdf(project: Path, name: str) -> Path:
    """The PDF the oracle describes: the briefing's, or its first variant's (issue 16)."""
    return project / "output" / f"{oracle.main_output(project, name)}.pdf"


@pytest.mark.parametrize("name", EXAMPLES)
def test_selected_sections_and_only_those(example_project: Path, name: str) -> None:
    included = oracle.included_sections(example_project, name)
    text = squash("".join(pdf_pages(example_pdf(example_project, name))))
    for heading in oracle.expected_headings(example_project, name):
        assert squash(heading.title) in text
    for path in sorted((example_project / "sources").glob("*.md")):
        source = oracle.read_source(path)
        for section in source.sections:
            paragraph = oracle.first_paragraph(source.own_text(section))
            if paragraph is None:
                continue
            sentence = squash(first_sentence(paragraph))
            # in the PDF exactly when the brief includes the section
            wanted = (source.id, section.id) in included
            assert (sentence in text) == wanted, f"{source.id}#{section.id}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_furniture(example_project: Path, name: str) -> None:
    pages = pdf_pages(example_pdf(example_project, name))
    assert len(pages) > 1
    has_cover = oracle.template(example_project, name) == "briefing"
    for number, page in enumerate(pages, 1):
        assert page.count(BANNERS[name]) >= 2, f"page {number}: marking top and bottom"
        if number > 1 or not has_cover:  # a cover carries no page number
            assert f"Page {number} of {len(pages)}" in page
    assert ("Page 1 of" in pages[0]) is not has_cover


@pytest.mark.parametrize("name", EXAMPLES)
def test_outline_mirrors_headings(example_project: Path, name: str) -> None:
    want = oracle.expected_headings(example_project, name)
    reader = pypdf.PdfReader(example_pdf(example_project, name))
    titles = unmarked(example_project, name, outline_titles(reader))
    assert titles == [h.title for h in want]
    if oracle.section_numbers(example_project, name):
        numbers = [n.group(1) if (n := NUMBER.match(t)) else "" for t in outline_titles(reader)]
        assert numbers == oracle.heading_numbers(example_project, name)


@pytest.mark.parametrize("name", WITH_CONTENTS)
def test_toc_page_numbers_match_heading_pages(example_project: Path, name: str) -> None:
    want = oracle.expected_headings(example_project, name)
    # layout mode keeps each contents line in visual order: title, then its page number
    pages = pdf_pages(example_pdf(example_project, name), layout=True)
    marked = oracle.portion_marks(example_project, name)

    numbered = oracle.section_numbers(example_project, name)

    def lines(page: str) -> list[str]:
        stripped = [ln.strip() for ln in page.splitlines()]
        stripped = [NUMBER.sub("", ln) for ln in stripped] if numbered else stripped
        return [PORTION_MARK.sub("", ln) for ln in stripped] if marked else stripped

    for heading in (h for h in want if h.level <= 2):
        entry = re.compile(rf"^{re.escape(heading.title)}\s+(\d+)$")
        listed = next(int(mt.group(1)) for ln in lines(pages[1]) if (mt := entry.match(ln)))
        actual = next(
            number
            for number, text in enumerate(pages, 1)
            if number > 1 and heading.title in lines(text)
        )
        assert listed == actual, heading.title


def test_metadata(example_project: Path) -> None:
    spec = oracle.briefing_yaml(example_project, "exec-brief")
    meta = pypdf.PdfReader(example_project / "output" / "exec-brief.full.pdf").metadata
    assert meta is not None
    assert meta.title == spec["title"]
    assert meta.author == spec["author"]
    assert meta.subject == spec["subtitle"]
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
    again = copy_project(feature_project, tmp_path / "again")
    assert run(again, "build", "features", "--format", "pdf").exit_code == 0
    first = (feature_project / "output" / "features.pdf").read_bytes()
    assert (again / "output" / "features.pdf").read_bytes() == first


def test_text_beside_a_missing_glyph_reads_back(scratch_project: Path) -> None:
    """A character no font has makes WeasyPrint write the font with a custom encoding, which
    pypdf garbles ("E x a m p t e") on every page: pdf_pages must read it with pdftotext."""
    (scratch_project / "sources" / "tofu.md").write_text(
        "---\ntitle: Tofu\n---\n\n## Glyphs\n\nExample words beside \U000f0041 here.\n",
        encoding="utf-8",
    )
    (scratch_project / "briefings" / "tofu.yaml").write_text(
        "title: Tofu\ndate: 2026-01-15\nmarking: TEST MARKING\nformats: [pdf]\n"
        "sections:\n  - from: tofu\n",
        encoding="utf-8",
    )
    result = run(scratch_project, "build", "tofu")
    assert result.exit_code == 0, result.output
    assert "unsupported by fonts" in result.stderr  # the glyph really is missing
    pages = pdf_pages(scratch_project / "output" / "tofu.pdf")
    assert "Example words beside \U000f0041 here." in pages[-1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
