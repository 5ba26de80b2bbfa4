"""Issue 13: template files are confined and Jinja runs sandboxed, also for what changes after
the template was found (the loader and `Template.file` check again as they read)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefwright.errors import TemplateError
from briefwright.project import find_project
from briefwright.template_paths import name_problem
from briefwright.templates import HTML_TEMPLATE, find_template
from tests.helpers import FEATURE_PROJECT, copy_project, run

SECRET = "CANARY-issue-13"


@pytest.mark.parametrize(
    "name", ["part.html", "parts/a.html", "builtin/briefing/briefing.html.j2", "a..b.html"]
)
def test_issue_13_loader_accepts_names_inside_the_template(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("/etc/hostname", "is an absolute path"),
        ("../x.html", "climbs out with '..'"),
        ("parts/../../x.html", "climbs out with '..'"),
        ("builtin/../../x", "climbs out with '..'"),
        ("..\\x.html", "contains a backslash"),
        ("x\0.html", "contains a NUL character"),
        ("/", "is an absolute path"),
        ("", "is empty"),
    ],
)
def test_issue_13_loader_refuses_paths(name: str, why: str) -> None:
    problem = name_problem(name)
    assert problem is not None and problem.startswith(why)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(FEATURE_PROJECT, tmp_path / "project")
    (tmp_path / "canary.txt").write_text(SECRET, encoding="utf-8")
    folder = root / "templates" / "briefing"
    folder.mkdir(parents=True)
    (folder / "briefing.html.j2").write_text('{% include "part.html" %}\n', encoding="utf-8")
    (folder / "part.html").write_text("<p>part</p>\n", encoding="utf-8")
    return root


def test_issue_13_an_include_linked_outside_after_the_check_is_refused(project: Path) -> None:
    template = find_template(find_project(project), "briefing")
    assert template.render(HTML_TEMPLATE, {}) == "<p>part</p>\n"
    part = project / "templates" / "briefing" / "part.html"
    part.unlink()
    os.symlink(project.parent / "canary.txt", part)
    fresh = type(template)(template.name, template.folders, template.project_root, template.info)
    with pytest.raises(TemplateError) as caught:
        fresh.render(HTML_TEMPLATE, {})
    assert str(caught.value) == (
        "templates/briefing/briefing.html.j2:1: templates/briefing/part.html links outside the "
        "project; template files must be inside the project or built in"
    )
    assert SECRET not in str(caught.value)


def test_issue_13_a_stylesheet_linked_outside_after_the_check_is_refused(project: Path) -> None:
    template = find_template(find_project(project), "briefing")
    os.symlink(project.parent / "canary.txt", project / "templates" / "briefing" / "style.css")
    with pytest.raises(TemplateError) as caught:
        template.stylesheet()
    assert str(caught.value) == (
        "templates/briefing/style.css: links outside the project; template files must be "
        "inside the project or built in"
    )


def test_issue_13_sandbox_error_names_the_template_line(project: Path) -> None:
    part = project / "templates" / "briefing" / "part.html"
    part.write_text("<p>\n{{ cycler.__init__.__globals__.os.getcwd() }}\n", encoding="utf-8")
    template = find_template(find_project(project), "briefing")
    with pytest.raises(TemplateError) as caught:
        template.render(HTML_TEMPLATE, {})
    assert str(caught.value) == (
        "templates/briefing/part.html:2: unsafe template code refused by the sandbox: "
        "access to attribute '__init__' of 'type' object is unsafe."
    )


def test_issue_13_a_project_folder_for_an_extended_name_makes_the_output_stale(
    tmp_path: Path,
) -> None:
    root = copy_project(FEATURE_PROJECT, tmp_path / "project")
    agency = root / "templates" / "agency"
    agency.mkdir(parents=True)
    (agency / "template.toml").write_text('name = "agency"\nextends = "memo"\n', encoding="utf-8")
    briefing = "title: T\nformats: [html]\ntemplate: agency\nsections:\n  - from: features#data\n"
    (root / "briefings" / "chain.yaml").write_text(briefing, encoding="utf-8")
    assert run(root, "build", "chain").exit_code == 0
    assert "1 up to date" in run(root, "build", "chain").stdout
    memo = root / "templates" / "memo"
    memo.mkdir()
    (memo / "style.css").write_text(".memo-rule { color: red; }\n", encoding="utf-8")
    rebuilt = run(root, "build", "chain")
    assert "1 output(s) built" in rebuilt.stdout, rebuilt.stdout
    assert ".memo-rule" in (root / "output" / "chain.html").read_text(encoding="utf-8")
