"""Issue 14: brief import reads back what brief build wrote. The fetched Word and PDF files of
tests/test_import_docx.py and tests/test_import_pdf.py are kept outside the repository, so
these round trips are what a clean clone always runs: the feature brief (every construct) built
to DOCX and PDF, then imported."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tests.helpers import FEATURE_PROJECT, copy_project, run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(FEATURE_PROJECT, tmp_path_factory.mktemp("roundtrip"))
    result = run(project, "build", "features", "--format", "docx", "--format", "pdf")
    assert result.exit_code == 0, result.output
    for kind in ("docx", "pdf"):
        imported = run(
            project, "import", str(project / "output" / f"features.{kind}"), "--id", f"back-{kind}",
            "--marking", "TEST MARKING",
        )  # fmt: skip
        assert imported.exit_code == 0, imported.output
    return project


def source(project: Path, name: str) -> str:
    return (project / "sources" / f"{name}.md").read_text(encoding="utf-8")


def test_issue_14_docx_headings_come_back_in_order(built: Path) -> None:
    written = docx.Document(str(built / "output" / "features.docx"))
    headings = [
        p.text
        for p in written.paragraphs
        if p.style is not None and (p.style.name or "").startswith("Heading") and p.text
    ]
    back = re.findall(r"^#{2,6} (.*)$", source(built, "back-docx"), flags=re.M)
    assert back == headings


def test_issue_14_docx_blocks_come_back(built: Path) -> None:
    text = source(built, "back-docx")
    assert "   - nested bullet A\n" in text  # nesting by Word's "List Bullet 2" style
    assert re.search(r"^ +1\. third level one$", text, flags=re.M)
    assert "| KFOR | 1999- | 4,500 |" in text
    assert "> Peace support works best with a clear mandate." in text
    assert "```\ndef assess(mandate: str) -> bool:\n    return bool(mandate)\n```" in text
    assert "[the alliance's site](<https://www.nato.int/>)" in text
    assert re.search(r"^\[\^1\]: The feature fixture's own footnote\.$", text, flags=re.M)


def test_issue_14_pdf_comes_back_without_its_page_furniture(built: Path) -> None:
    text = source(built, "back-pdf")
    assert re.search(r"^#+ Summary$", text, flags=re.M)
    assert re.search(r"^#+ Other overview$", text, flags=re.M)
    assert "Page 1 of" not in text and "Page 2 of" not in text
    assert "Peace support works best with a clear mandate." in text


def test_issue_14_imported_docx_builds_again(built: Path) -> None:
    (built / "briefings" / "again.yaml").write_text(
        "title: Again\nformats: [pdf, docx]\nsections:\n  - from: back-docx\n", encoding="utf-8"
    )
    result = run(built, "build", "again")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
