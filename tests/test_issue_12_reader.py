"""Issue 12, the reader's part: HTML comments reach no output, other dialects' syntax is named,
front matter from other tools is kept, and a source's `# Title` is its title."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from pypdf.generic import IndirectObject, StreamObject

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.project import Project
from briefwright.readers.sources import read_source
from briefwright.spec.schema import ProjectConfig
from tests.helpers import REPO, assert_no_crash, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "dialects.yaml").read_text(encoding="utf-8")
)
DATA = REPO / "tests" / "data"
SECRET = "reviewer note: source unreliable, do not release"
SECRET_WORDS = ("reviewer", "unreliable", "release", "zanzibar")


def _source(tmp_path: Path, text: str, name: str = "case") -> tuple[m.Source, list[Problem]]:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "img").mkdir(exist_ok=True)
    path = tmp_path / "sources" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    warnings: list[Problem] = []
    project = Project(tmp_path.resolve(), ProjectConfig())
    return read_source(path.resolve(), project, warnings), warnings


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_12_dialect_warnings(case: dict[str, Any], tmp_path: Path) -> None:
    _, warnings = _source(tmp_path, case["text"])
    assert [str(w).removeprefix("sources/case.md:") for w in warnings] == case["warnings"]


# --- comments ---------------------------------------------------------------------------------

COMMENTED_SOURCE = f"""---
title: Commented source
---

<!-- {SECRET} -->

## Findings

The first finding <!-- zanzibar {SECRET} --> stands.

<!--
  A multi-line {SECRET},
  zanzibar.
-->
- An item <!-- zanzibar --> in a list
- Another, with `<!-- code shows markup -->` kept

## Annex <!-- zanzibar -->

Last words.
"""

COMMENTED_BRIEFING = f"""title: Commented brief
date: 2026-01-15
formats: [pdf, docx, html]
sections:
  - title: Summary
    text: |
      Summary text. <!-- {SECRET} -->

      <!-- zanzibar
      second line -->
  - from: commented
"""


def _pdf_streams(path: Path) -> str:
    """Every object of the PDF, streams decompressed, as text."""
    reader = pypdf.PdfReader(path)
    parts: list[str] = []
    numbers = [(num, gen) for gen, nums in reader.xref.items() for num in nums]
    numbers += [(num, 0) for num in reader.xref_objStm]
    for num, gen in numbers:
        obj = reader.get_object(IndirectObject(num, gen, reader))
        data = obj.get_data() if isinstance(obj, StreamObject) else str(obj).encode()
        parts.append(data.decode("latin-1"))
    return "\n".join(parts)


def _docx_parts(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_issue_12_comments_reach_no_output(scratch_project: Path) -> None:
    (scratch_project / "sources" / "commented.md").write_text(COMMENTED_SOURCE, encoding="utf-8")
    (scratch_project / "briefings" / "commented.yaml").write_text(COMMENTED_BRIEFING, "utf-8")
    result = run(scratch_project, "build", "commented")
    assert result.exit_code == 0, result.output
    assert_no_crash(result)
    assert "commented" not in result.stderr  # comments are dropped without a word
    out = scratch_project / "output"
    texts = {
        "pdf text": _pdftotext(out / "commented.pdf"),
        "pdf objects": _pdf_streams(out / "commented.pdf"),
        "docx parts": _docx_parts(out / "commented.docx"),
        "html": (out / "commented.html").read_text(encoding="utf-8"),
    }
    for where, text in texts.items():
        for word in SECRET_WORDS:
            assert word not in text.lower(), (where, word)
    squashed = re.sub(r"\s+", " ", texts["pdf text"])
    assert "The first finding stands." in squashed.replace("finding  stands", "finding stands")
    for kept in ("Summary text.", "An item", "Last words.", "<!-- code shows"):
        assert kept in squashed
        assert kept in texts["html"].replace("&lt;", "<")


def test_issue_12_a_comment_splits_no_words_and_leaves_no_heading_space(tmp_path: Path) -> None:
    source, warnings = _source(tmp_path, "## Annex <!-- x -->\n\nA <!-- y -->b\n")
    assert warnings == []
    heading, paragraph = source.blocks
    assert heading == m.Heading(2, (m.Text("Annex"),), "annex")
    assert paragraph == m.Paragraph((m.Text("A b"),))


# --- other dialects and --strict -----------------------------------------------------------


def test_issue_12_strict_fails_on_a_dialect_warning(scratch_project: Path) -> None:
    (scratch_project / "sources" / "math.md").write_text("## Sums\n\nIt is $x^2$.\n", "utf-8")
    briefing = "title: Math\nformats: [html]\nsections:\n  - from: math\n"
    (scratch_project / "briefings" / "math.yaml").write_text(briefing, encoding="utf-8")
    warned = run(scratch_project, "build", "math")
    assert warned.exit_code == 0, warned.output
    message = "sources/math.md:3: math '$x^2$' is not supported yet; it is shown as written"
    assert f"warning: {message}" in warned.stderr
    strict = run(scratch_project, "build", "--strict", "--force", "math")
    assert strict.exit_code == 1
    assert message in strict.stderr
    assert_no_crash(strict)


def test_issue_12_unnumbered_headings_lose_the_mark(tmp_path: Path) -> None:
    source, warnings = _source(tmp_path, "## Annex {-}\n\n## Glossary {.unnumbered #gloss}\n")
    assert warnings == []
    assert [(s.id, s.title) for s in source.sections] == [("annex", "Annex"), ("gloss", "Glossary")]
    assert all(isinstance(b, m.Heading) and b.unnumbered for b in source.blocks)


def test_issue_12_image_attributes_are_read(tmp_path: Path) -> None:
    source, _ = _source(tmp_path, "![Map](img/map.png){#fig-map height=3cm}\n")
    (image,) = source.blocks
    assert image == m.Image("img/map.png", "Map", "", None, "fig-map", "", "3cm")


# --- front matter -------------------------------------------------------------------------------


def test_issue_12_jekyll_front_matter_is_kept_with_one_warning(tmp_path: Path) -> None:
    text = "---\ntitle: Page\nlayout: post\npermalink: /page/\ntitel: x\n---\n\nText.\n"
    source, warnings = _source(tmp_path, text)
    assert source.title == "Page"
    assert source.meta["layout"] == "post" and source.meta["permalink"] == "/page/"
    assert [str(w) for w in warnings] == [
        "sources/case.md:3: front matter key(s) 'layout', 'permalink', 'titel' (did you mean "
        "'title'?) not used by briefwright; kept in the source's meta"
    ]


def test_issue_12_unknown_briefing_keys_stay_errors(scratch_project: Path) -> None:
    briefing = "title: B\nlayout: post\nsections:\n  - from: other\n"
    (scratch_project / "briefings" / "b.yaml").write_text(briefing, encoding="utf-8")
    result = run(scratch_project, "check", "b")
    assert result.exit_code == 1
    assert "briefings/b.yaml:2: unknown key 'layout'" in result.stderr


# --- titles ---------------------------------------------------------------------------------------


def test_issue_12_a_level_1_heading_is_the_title_and_not_repeated(scratch_project: Path) -> None:
    text = "# Harbour Survey\n\nIntro.\n\n## Findings\n\nSome.\n"
    (scratch_project / "sources" / "harbour.md").write_text(text, encoding="utf-8")
    briefing = (
        "title: Harbour\nformats: [html, docx]\nsections:\n  - from: harbour\n"
        "  - from: harbour#harbour-survey\n    title: Again by its ID\n"
    )
    (scratch_project / "briefings" / "harbour.yaml").write_text(briefing, encoding="utf-8")
    result = run(scratch_project, "build", "harbour")
    assert result.exit_code == 0, result.output
    html = (scratch_project / "output" / "harbour.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h(\d) id=\"([^\"]+)\"[^>]*>(.*?)</h\1>", html)
    assert [(level, text) for level, _, text in headings] == [
        ("1", "Harbour Survey"),
        ("2", "Findings"),
        ("1", "Again by its ID"),
        ("2", "Findings"),
    ]
    assert headings[0][1] == "harbour"  # the whole source's anchor is its ID, as before


def test_issue_12_front_matter_title_wins_and_the_heading_stays(tmp_path: Path) -> None:
    source, _ = _source(tmp_path, "---\ntitle: Given\n---\n# Own\n\nText.\n")
    assert (source.title, source.title_heading) == ("Given", None)
    later, _ = _source(tmp_path, "Lead.\n\n## First\n\n# Later\n", name="later")
    assert (later.title, later.title_heading) == ("later", None)


# --- real material ------------------------------------------------------------------------------


def test_issue_12_real_readme_and_docs_page(scratch_project: Path) -> None:
    """A README full of HTML comments and a docs page with Jekyll-style front matter (see
    tests/data/README.md) build into every format; no comment reaches any output."""
    for name in ("best-readme-template.md", "github-docs-ignoring-files.md"):
        shutil.copy(DATA / name, scratch_project / "sources" / name)
    briefing = (
        "title: Real\nformats: [pdf, docx, html]\nsections:\n"
        "  - from: best-readme-template\n  - from: github-docs-ignoring-files\n"
    )
    (scratch_project / "briefings" / "real.yaml").write_text(briefing, encoding="utf-8")
    result = run(scratch_project, "build", "real")
    assert result.exit_code == 0, result.output
    stderr = result.stderr
    assert (
        "sources/github-docs-ignoring-files.md:3: front matter key(s) 'redirect_from', 'intro', "
        "'versions' not used by briefwright; kept in the source's meta" in stderr
    )
    assert "github-docs-ignoring-files.md:24, 54: template tag '{% data reusables" in stderr
    assert "best-readme-template.md:2: raw HTML '<a id=\"readme-top\">' is shown as text" in stderr
    out = scratch_project / "output"
    pdf = _pdftotext(out / "real.pdf")
    comments = (
        "Thanks for checking out",
        "PROJECT SHIELDS",
        "reference style",
        "Improved compatibility",
    )
    for text in (pdf, _docx_parts(out / "real.docx"), (out / "real.html").read_text("utf-8")):
        for comment in comments:
            assert comment not in text
    assert "Ignoring files" in pdf and "Configuring ignored files" in pdf
    assert "About The Project" in pdf
