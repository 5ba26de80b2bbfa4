"""Issue 18 on documents nobody here wrote: GitHub's Terms of Service (front matter, Liquid,
numbered lists written `1.` throughout) and Pandoc's manual (7,900 lines) as sources. Every
section's FILE:LINE range is checked against the file itself; then an upstream-style revision
(a word in a used section, lines added above it, a paragraph in a section no item uses) goes
through the gate, `--verify` and a redline that LibreOffice accepts and rejects."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefwright.provenance.read import read_manifest
from tests.helpers import (
    REPO,
    SOFFICE,
    accepted_and_rejected,
    assert_no_crash,
    run,
)

DATA = REPO / "tests" / "data"
BRIEFING = """\
title: Terms and tools
date: 2026-11-21
formats: [html, docx]
sections:
  - title: Why this brief
    text: Two real documents, picked section by section.
  - from: terms#a-definitions
  - from: terms#c-acceptable-use
  - from: pandoc-manual#using-pandoc
  - from: pandoc-manual#specifying-formats
"""
USED = [
    "text:why-this-brief",
    "terms#a-definitions",
    "terms#c-acceptable-use",
    "pandoc-manual#using-pandoc",
    "pandoc-manual#specifying-formats",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "real"
    for folder in ("sources", "briefings", "output"):
        (root / folder).mkdir(parents=True)
    (root / "briefwright.toml").write_text('[defaults]\norganisation = "Test"\n')
    shutil.copy(DATA / "github-terms-of-service.md", root / "sources" / "terms.md")
    shutil.copy(DATA / "pandoc-MANUAL.txt", root / "sources" / "pandoc-manual.md")
    (root / "briefings" / "real.yaml").write_text(BRIEFING)
    result = run(root, "build", "real")
    assert result.exit_code == 0, result.output
    return root


def test_every_section_spans_its_own_lines_in_the_real_file(project: Path) -> None:
    manifest = read_manifest(project / "output" / "real.docx")
    assert [s.key for s in manifest.sections] == USED
    for section in manifest.sections[1:]:
        lines = (project / section.file).read_text(encoding="utf-8").splitlines()
        first, last = section.lines
        assert lines[first - 1] == f"## {section.paragraphs[0].text}", section.key
        after = lines[last] if last < len(lines) else "## (end of file)"
        assert after.startswith("#"), (section.key, after)  # the next heading follows it
        body = "\n".join(lines[first - 1 : last])
        assert section.paragraphs[1].text.split()[0] in body


def revise(project: Path) -> None:
    """An upstream revision: a word in a used section, lines above it, and a paragraph in a
    section no item uses."""
    terms = project / "sources" / "terms.md"
    text = terms.read_text(encoding="utf-8")
    text = text.replace(
        "represents your legal relationship", "represents your binding relationship"
    )
    text = text.replace("## A. Definitions", "## Changes\n\nRevised today.\n\n## A. Definitions")
    terms.write_text(text, encoding="utf-8")
    manual = project / "sources" / "pandoc-manual.md"
    text = manual.read_text(encoding="utf-8")
    text = text.replace("## Character encoding\n", "## Character encoding\n\nA new note.\n", 1)
    manual.write_text(text, encoding="utf-8")


def test_the_gate_and_verify_name_the_revised_section_only(project: Path) -> None:
    assert run(project, "approve", "real", "--by", "Reviewer").exit_code == 0
    assert run(project, "check", "--locked").exit_code == 0
    shutil.copy(project / "output" / "real.html", project.parent / "sent.html")
    revise(project)
    gated = run(project, "check", "--locked")
    assert_no_crash(gated)
    assert gated.exit_code == 1
    named = re.findall(r"edited (\S+) \((\S+)\)", gated.output)
    assert named == [("terms#a-definitions", "sources/terms.md:48-60")]
    assert "[-legal-] {+binding+}" in gated.output
    verified = run(project, "provenance", str(project.parent / "sent.html"), "--verify")
    assert verified.exit_code == 1
    assert "terms#a-definitions" in verified.output
    assert "pandoc-manual" not in verified.output and "acceptable-use" not in verified.output


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed by make test")
def test_the_redline_of_a_real_revision_accepts_and_rejects(project: Path) -> None:
    assert run(project, "approve", "real", "--by", "Reviewer").exit_code == 0
    revise(project)
    result = run(project, "diff", "real", "--since", "lock", "--author", "Reviewer")
    assert result.exit_code == 0, result.output
    assert "1 section(s) changed: 1 edited" in result.output
    folder = project.parent / "lo"
    folder.mkdir()
    accepted, rejected, changes = accepted_and_rejected(
        project / "output" / "real.redline.docx", folder
    )
    assert changes == 2  # the word out, the word in
    assert "represents your binding relationship" in accepted
    assert "represents your legal relationship" in rejected
    assert "binding" not in rejected and "legal relationship" not in accepted
