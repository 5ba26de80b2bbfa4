"""WeasyPrint's warnings about a template's CSS name the stylesheet file and line (issue 12:
"Warnings worth reading"), once each, on one line, and survive an up-to-date rebuild.

The stylesheet is one of the kind people paste from a web project (tests/data/screen-stylesheet.css,
written for these tests: fetched stylesheets may not be committed), full of properties, values
and selectors a paged-media renderer does not know; where GitHub's Markdown CSS is kept beside
the project (../shared/import-data/css/, see tests/data/README.md) it is tried too."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import FEATURE_PROJECT, REPO, SHARED_DATA, copy_project, run

SCREEN_CSS = REPO / "tests" / "data" / "screen-stylesheet.css"
GITHUB_CSS = SHARED_DATA / "css" / "github-markdown-light.css"
STYLESHEETS = [SCREEN_CSS, *([GITHUB_CSS] if GITHUB_CSS.is_file() else [])]
STYLE = "templates/briefing/style.css"
WARNING = re.compile(r"^warning: (\S+?)(?::([\d, ]+))?: PDF renderer: (.*) \(in [^()]*\)$", re.M)


def project_with_style(tmp_path: Path, css: str) -> Path:
    project = copy_project(FEATURE_PROJECT, tmp_path / "project")
    (project / "templates" / "briefing").mkdir(parents=True)
    (project / STYLE).write_text(css, encoding="utf-8")
    (project / "briefings" / "css.yaml").write_text(
        "title: CSS\ndate: 2026-01-15\nformats: [pdf]\nsections:\n  - from: other#overview\n",
        encoding="utf-8",
    )
    return project


def renderer_warnings(output: str) -> list[tuple[str, list[int], str]]:
    found = []
    for file, lines, message in WARNING.findall(output):
        numbers = [int(n) for n in lines.split(",")] if lines else []
        found.append((file, numbers, message))
    return found


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda p: p.name)
def test_issue_12_a_web_stylesheet_is_reported_at_its_own_lines(
    tmp_path: Path, stylesheet: Path
) -> None:
    css = stylesheet.read_text(encoding="utf-8")
    css_lines = css.splitlines()
    project = project_with_style(tmp_path, css)
    result = run(project, "build", "css")
    assert result.exit_code == 0, result.output
    warnings = renderer_warnings(result.output)
    assert len(warnings) >= 10, result.output
    for file, lines, message in warnings:
        assert file == STYLE, message  # every one at the file, none bare
        assert lines, message  # and at a line
        quoted = re.search(r"[`'](.{1,30}?)[ :`']", message)
        assert quoted is not None, message
        for line in lines:  # the line named holds what the message quotes
            assert quoted.group(1).strip() in css_lines[line - 1], (line, message)
        assert " at " not in message.split(",")[0], message  # the joined sheet's position
    assert all(len(line) < 400 for line in result.output.splitlines())  # data: URL cut
    assert "\u2026" in result.output
    said = [message for _, _, message in warnings]
    assert len(said) == len(set(said)), "a warning reported twice"

    again = run(project, "build", "css")
    assert "up to date" in again.output
    assert renderer_warnings(again.output) == warnings  # recorded, not lost


def test_issue_12_strict_fails_at_the_stylesheet_line(tmp_path: Path) -> None:
    project = project_with_style(tmp_path, "h2 {\n  color: #123;\n  colr: red;\n}\n")
    result = run(project, "build", "css", "--strict")
    assert result.exit_code == 1, result.output
    assert f"{STYLE}:3: PDF renderer: Ignored `colr: red`, unknown property." in result.output
    assert not (project / "output" / "css.pdf").exists()


def test_issue_12_built_in_stylesheets_give_no_renderer_warning(tmp_path: Path) -> None:
    project = project_with_style(tmp_path, "h2 { color: #123; }\n")
    shutil.rmtree(project / "templates")
    result = run(project, "build", "css", "--strict")
    assert result.exit_code == 0, result.output
    assert "PDF renderer" not in result.output
