"""Alt text (issue 12): the logo takes one; a missing one is ONE warning of ours at FILE:LINE
(none of WeasyPrint's, with its kilobytes of base64), and an error under pdf/ua-1."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pypdf
from docx.oxml.ns import qn

from tests.helpers import FEATURE_PROJECT, REPO, copy_project, run

CHART = FEATURE_PROJECT / "sources" / "img" / "chart.png"


def readme_briefing() -> str:
    """The README's example briefing, as printed under "### Briefings"."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Briefings") :]
    found = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_issue_12_the_readme_example_builds_with_strict(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "project")
    (project / "assets").mkdir()
    shutil.copy(CHART, project / "assets" / "logo.png")
    (project / "briefings" / "readme.yaml").write_text(readme_briefing(), encoding="utf-8")
    result = run(project, "build", "readme", "--strict", "--format", "pdf", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
    pdf_text = subprocess.run(
        ["pdftotext", str(project / "output" / "readme.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Bottom line up front" in pdf_text


def pdf_alt_texts(path: Path) -> list[str]:
    """Every /Alt in the PDF's structure tree (tagged figures), in tree order."""
    found: list[str] = []
    root: Any = pypdf.PdfReader(path).trailer["/Root"]
    pending: list[Any] = [root["/StructTreeRoot"]]
    while pending:
        node = pending.pop(0)
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            pending[:0] = list(node)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                pending.insert(0, node["/K"])
    return found


def _picture_project(tmp_path: Path, briefing: str) -> Path:
    project = copy_project(FEATURE_PROJECT, tmp_path / "project")
    (project / "assets").mkdir()
    shutil.copy(CHART, project / "assets" / "logo.png")
    (project / "sources" / "pic.md").write_text("## Pic\n\n![](img/chart.png)\n")
    (project / "briefings" / "p.yaml").write_text(briefing)
    return project


def test_issue_12_missing_alt_text_is_one_located_warning_each(tmp_path: Path) -> None:
    project = _picture_project(
        tmp_path, "title: P\nlogo: assets/logo.png\nformats: [pdf]\nsections:\n  - from: pic\n"
    )
    result = run(project, "build", "p")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: briefings/p.yaml:2: logo 'assets/logo.png' has no alt text, which readers "
        'who cannot see it need; write logo: {path: assets/logo.png, alt: "what it shows"}',
        "warning: sources/pic.md:3: image 'img/chart.png' has no alt text, which readers who "
        "cannot see it need; write ![what it shows](img/chart.png) (in p)",
    ]
    assert "base64" not in result.output and "PDF renderer" not in result.output


def test_issue_12_pdf_ua_requires_alt_text(tmp_path: Path) -> None:
    project = _picture_project(
        tmp_path,
        "title: P\nlogo: {path: assets/logo.png, alt: Crest}\npdf_variant: pdf/ua-1\n"
        "sections:\n  - from: pic\n",
    )
    result = run(project, "check", "p")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: sources/pic.md:3: image 'img/chart.png' has no alt text, which readers who "
        "cannot see it need; write ![what it shows](img/chart.png) (pdf/ua-1 requires it)\n"
    )


def test_issue_12_logo_alt_text_in_every_format(tmp_path: Path) -> None:
    project = _picture_project(
        tmp_path,
        "title: P\nlogo: {path: assets/logo.png, alt: Staff crest}\npdf_variant: pdf/ua-1\n"
        "formats: [pdf, docx, html]\nsections:\n  - text: words\n",
    )
    result = run(project, "build", "p", "--strict")
    assert result.exit_code == 0, result.output
    output = project / "output"
    assert 'alt="Staff crest"' in (output / "p.html").read_text()
    assert pdf_alt_texts(output / "p.pdf") == ["Staff crest"]
    body = docx.Document(str(output / "p.docx")).element.body
    assert [d.get("descr") for d in body.iter(qn("wp:docPr"))] == ["Staff crest"]


def test_issue_12_logo_as_a_mapping_is_checked(tmp_path: Path) -> None:
    project = _picture_project(
        tmp_path, "title: P\nlogo: {path: assets/logo.png, alts: x}\nsections:\n  - text: t\n"
    )
    result = run(project, "check", "p")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: briefings/p.yaml:2: unknown key 'alts' in logo; did you mean 'alt'?\n"
    )
