"""Issue 16, variables: `{{< var key >}}` from [vars], a briefing's `vars:` and --set, in
text, sources and titles; errors at their line; each value an input of the outputs using it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import REPO, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "variables.yaml").read_text(encoding="utf-8")
)
TOML = """[vars]
org = { name = "Staff & Co", short = "SC" }
cutoff = 2026-11-20
n = 3
ratio = 0.5
final = true
lit = "**not bold** [no link](x) {{< var n >}}"
list = [1, 2]
bell = "a\\u0007b"
"""


def _project(root: Path, text: str = "x") -> Path:
    for folder in ("briefings", "sources", "output"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "briefwright.toml").write_text(TOML, encoding="utf-8")
    item = "\n".join("      " + line for line in text.split("\n"))
    (root / "briefings" / "case.yaml").write_text(
        f"title: Case\nformats: [html]\nsections:\n  - text: |\n{item}\n", encoding="utf-8"
    )
    return root


def _paragraph(html: str) -> str:
    main = html.split("<main", 1)[1]
    found = re.search(r"<p>(.*?)</p>", main, re.S)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_variables_in_text(tmp_path: Path, case: dict[str, Any]) -> None:
    project = _project(tmp_path, case["text"])
    result = run(project, "build")
    if "error" in case:
        assert result.exit_code == 1
        assert f"briefings/case.yaml:{case['error']}" in result.output
        checked = run(project, "check")  # check finds what build would
        assert checked.exit_code == 1 and case["error"] in checked.output
        return
    assert result.exit_code == 0, result.output
    html = (project / "output" / "case.html").read_text(encoding="utf-8")
    assert _paragraph(html) == case["html"]
    assert " 0 warning(s)" in result.output  # a var shortcode is no other dialect's syntax


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Two sources and three briefings: `a` uses org.name (in a source), `b` uses cutoff
    (in its title) and `c` uses no variable."""
    root = tmp_path / "p"
    _write(root / "briefwright.toml", '[vars]\norg = {name = "Alpha"}\ncutoff = "May"\n')
    _write(
        root / "sources" / "s.md", "## About {{< var org.name >}}\n\nRun by {{< var org.name >}}.\n"
    )
    _write(root / "sources" / "t.md", "## Plain\n\nNo variables here.\n")
    _write(root / "briefings" / "a.yaml", "title: A\nformats: [html]\nsections:\n  - from: s\n")
    _write(
        root / "briefings" / "b.yaml",
        'title: "B to {{< var cutoff >}}"\nformats: [html]\nsections:\n  - from: t\n',
    )
    _write(root / "briefings" / "c.yaml", "title: C\nformats: [html]\nsections:\n  - from: t\n")
    (root / "output").mkdir()
    return root


def _build(root: Path, *args: str) -> tuple[list[str], list[str]]:
    result = run(root, "build", *args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    built = sorted(ln.split()[1] for ln in lines if ln.startswith("wrote "))
    fresh = sorted(ln.split()[-1] for ln in lines if ln.startswith("up to date "))
    return built, fresh


def _out(root: Path, name: str) -> str:
    return (root / "output" / f"{name}.html").read_text(encoding="utf-8")


def test_a_changed_value_rebuilds_exactly_the_outputs_that_use_it(library: Path) -> None:
    assert len(_build(library)[0]) == 3
    assert "Run by Alpha." in _out(library, "a") and "B to May" in _out(library, "b")
    assert _build(library) == ([], ["output/a.html", "output/b.html", "output/c.html"])
    toml = library / "briefwright.toml"
    toml.write_text(toml.read_text().replace("Alpha", "Beta"), encoding="utf-8")
    assert _build(library) == (["output/a.html"], ["output/b.html", "output/c.html"])
    assert "Run by Beta." in _out(library, "a")
    # a heading's ID is made from the title as written: it does not move with the value
    assert 'id="about-var-orgname"' in _out(library, "a")
    assert _build(library)[0] == []  # twice: up to date


def test_set_overrides_and_is_seen_by_the_no_op_build(library: Path) -> None:
    _build(library)
    assert _build(library, "--set", "cutoff=June") == (
        ["output/b.html"],
        ["output/a.html", "output/c.html"],
    )
    assert "B to June" in _out(library, "b")
    assert _build(library, "--set", "cutoff=June")[0] == []  # same --set: up to date
    assert _build(library, "--set", "unused=1")[0] == ["output/b.html"]  # June no more
    assert "B to May" in _out(library, "b")
    assert _build(library, "--set", "org.name=Gamma")[0] == ["output/a.html"]
    assert "Run by Gamma." in _out(library, "a")


def test_briefing_vars_win_over_the_project_and_set_over_both(library: Path) -> None:
    a = library / "briefings" / "a.yaml"
    a.write_text(a.read_text() + "vars:\n  org:\n    name: Delta\n", encoding="utf-8")
    _build(library)
    assert "Run by Delta." in _out(library, "a")
    _build(library, "--set", "org.name=Epsilon")
    assert "Run by Epsilon." in _out(library, "a")


def test_an_undefined_variable_in_a_source_names_its_line(library: Path) -> None:
    _write(library / "sources" / "s.md", "## About\n\nOne\ntwo {{< var org.nam >}}.\n")
    result = run(library, "check")
    assert result.exit_code == 1
    assert "sources/s.md:4: undefined variable 'org.nam'" in result.output
    assert "did you mean 'org.name'?" in result.output


def test_a_bad_set_is_a_usage_error(library: Path) -> None:
    result = run(library, "build", "--set", "no equals sign")
    assert result.exit_code == 2 and "expected KEY=VALUE" in result.output


def test_the_report_lists_the_variables_an_output_used(library: Path) -> None:
    result = run(library, "build", "--report", str(library / "report.json"))
    assert result.exit_code == 0, result.output
    text = (library / "report.json").read_text()
    assert '"var"' in text and "org.name" in text and "cutoff" in text
    json.loads(text)


def test_check_and_build_agree_on_the_no_op(library: Path) -> None:
    """`brief check --set` sees the same values as `brief build --set`."""
    b = library / "briefings" / "b.yaml"
    b.write_text(b.read_text().replace("cutoff", "cut_off"), encoding="utf-8")
    assert run(library, "check", "b").exit_code == 1
    assert run(library, "check", "b", "--set", "cut_off=x").exit_code == 0
    assert run(library, "build", "b", "--set", "cut_off=x").exit_code == 0


def test_the_example_project_uses_a_variable() -> None:
    toml = (REPO / "briefwright.toml").read_text()
    assert "[vars]" in toml
    assert any("{{< var " in p.read_text() for p in (REPO / "briefings").glob("*.yaml"))


def test_a_variant_sets_its_own_values(library: Path) -> None:
    """[vars] < the briefing's vars: < its variant's vars: < --set, per variant."""
    _write(
        library / "briefings" / "a.yaml",
        "title: A\nformats: [html]\nvars: {org: {name: Own}}\n"
        "variants:\n  internal: {}\n  partner: {vars: {org: {name: Partner}}}\n"
        "sections:\n  - from: s\n",
    )
    built, _ = _build(library)
    assert "output/a.internal.html" in built and "output/a.partner.html" in built
    assert "Run by Own." in _out(library, "a.internal")
    assert "Run by Partner." in _out(library, "a.partner")
    _build(library, "--set", "org.name=Set")
    assert "Run by Set." in _out(library, "a.partner")
    _write(
        library / "briefings" / "a.yaml",
        (library / "briefings" / "a.yaml").read_text().replace("{name: Partner}", "{nmae: P}"),
    )
    result = run(library, "check")
    assert result.exit_code == 0  # org.name still comes from the briefing's own vars
    _write(library / "sources" / "s.md", "## About\n\nRun by {{< var org.nmae >}}.\n")
    result = run(library, "check")
    assert "sources/s.md:3: undefined variable 'org.nmae'" in result.output  # internal
    assert result.exit_code == 1


def test_values_in_pdf_docx_and_html_alike(library: Path) -> None:
    """Read back: the value, not the shortcode, in every format; the escape and the code span
    keep theirs."""
    import docx

    _write(
        library / "sources" / "s.md",
        "## About {{< var org.name >}} {#about}\n\n"
        "Run by **{{< var org.name >}}**. Escaped {{{< var cutoff >}}}; code `{{< var x >}}`.\n",
    )
    a = library / "briefings" / "a.yaml"
    a.write_text(a.read_text().replace("[html]", "[pdf, docx, html]"), encoding="utf-8")
    assert run(library, "build", "a").exit_code == 0
    pdf = subprocess.run(
        ["pdftotext", str(library / "output" / "a.pdf"), "-"], capture_output=True, text=True
    ).stdout
    word = "\n".join(p.text for p in docx.Document(str(library / "output" / "a.docx")).paragraphs)
    html = re.sub(r"<[^>]+>", "", _out(library, "a")).replace("&lt;", "<").replace("&gt;", ">")
    for text in (pdf, word, html):
        flat = " ".join(text.split())
        assert "About Alpha" in flat and "Run by Alpha." in flat
        assert "Escaped {{< var cutoff >}}; code {{< var x >}}." in flat
        assert "var org.name" not in flat
