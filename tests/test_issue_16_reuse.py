"""Issue 16, reuse: sources in subfolders, globs and tags, includes."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml

from tests.helpers import assert_no_crash, outline_titles, output_files, pdf_pages, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "reuse.yaml").read_text(encoding="utf-8")
)


def _write(project: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(content, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_16_reuse_transcript(case: dict[str, Any], scratch_project: Path) -> None:
    _write(scratch_project, case.get("files", {}))
    result = run(scratch_project, *case["args"])
    assert result.exit_code == case["exit"], result.output
    if "stderr" in case:
        assert result.stderr == case["stderr"]
    if "stderr_contains" in case:
        assert case["stderr_contains"] in result.stderr
    if "stdout_contains" in case:
        assert case["stdout_contains"] in result.stdout
    if "outputs" in case:
        assert output_files(scratch_project) == case["outputs"]
    assert_no_crash(result)
    if case["args"][0] == "check" and len(case["args"]) == 2:
        built = run(scratch_project, "build", *case["args"][1:])  # build agrees with check
        assert built.exit_code == case["exit"], built.output
        errors = [line for line in built.stderr.splitlines() if line.startswith("error: ")]
        assert errors == [line for line in result.stderr.splitlines() if line.startswith("error")]


NORTH = """---
title: The north
tags: [regions]
---

# The north

## Summary {tags="deterrence"}

The northern summary.

## Border relations

Relations across the border.

### Trade relations {tags="deterrence"}

Trade across the border.

## Port relations

Relations with the ports.
"""
SOUTH = '# The south\n\n## Posture {tags="deterrence east"}\n\nThe southern posture.\n'
CLOSING = "# The shared closing.\n- title: Closing\n  text: The closing words.\n"
REUSE = """title: Reuse
formats: [html, docx, pdf]
sections:
  - from: region/north#*-relations
    level: 2
  - tagged: deterrence
  - include: annexes/closing.yaml
"""
PLAIN = "title: Plain\nformats: [html]\nsections:\n  - from: features#data\n"


@pytest.fixture
def reuse_project(scratch_project: Path) -> Path:
    _write(
        scratch_project,
        {
            "sources/region/north.md": NORTH,
            "sources/region/south.md": SOUTH,
            "briefings/annexes/closing.yaml": CLOSING,
            "briefings/reuse.yaml": REUSE,
            "briefings/plain.yaml": PLAIN,
        },
    )
    return scratch_project


# in source order: the glob's sections (Trade relations within Border relations, not again),
# then the tag's in source-ID order (region/north before region/south; each item selects on
# its own, so Trade relations comes again), then the include
EXPECTED = [
    "Border relations",
    "Trade relations",
    "Port relations",
    "Summary",
    "Trade relations",
    "Posture",
    "Closing",
]


def test_issue_16_globs_tags_and_includes_in_every_format(reuse_project: Path) -> None:
    result = run(reuse_project, "build", "reuse")
    assert result.exit_code == 0, result.output
    output = reuse_project / "output"
    html = (output / "reuse.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h[1-6] id="[^"]*">([^<]*)</h', html)
    assert headings == EXPECTED
    document = docx.Document(str(output / "reuse.docx"))
    titles = [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]
    assert titles == EXPECTED
    assert outline_titles(pypdf.PdfReader(output / "reuse.pdf")) == EXPECTED
    text = " ".join(pdf_pages(output / "reuse.pdf"))
    for words in ("Trade across the border.", "The southern posture.", "The closing words."):
        assert words in html and words in text
        assert any(words in p.text for p in document.paragraphs)
    assert "The north" not in headings  # a section's tag, not the source's: not the whole file


def test_issue_16_expansions_say_what_each_pattern_selected(reuse_project: Path) -> None:
    from briefwright.build.plan import plan_build
    from briefwright.project import find_project

    project = find_project(reuse_project)
    plan = plan_build(project, [reuse_project / "briefings" / "reuse.yaml"])
    assert not plan.rejected
    assert [str(e) for e in plan.expansions["reuse"]] == [
        "briefings/reuse.yaml:4: region/north#*-relations -> region/north#border-relations, "
        "region/north#port-relations",
        "briefings/reuse.yaml:6: tagged: deterrence -> region/north#summary, "
        "region/north#trade-relations, region/south#posture",
    ]
    # without subsections, a section inside another selected one is selected too
    (reuse_project / "briefings" / "reuse.yaml").write_text(
        REUSE.replace("    level: 2\n", "    subsections: false\n"), encoding="utf-8"
    )
    plan = plan_build(project, [reuse_project / "briefings" / "reuse.yaml"])
    assert plan.expansions["reuse"][0].selected == (
        "region/north#border-relations",
        "region/north#trade-relations",
        "region/north#port-relations",
    )
    # a tag in the source's front matter selects the whole source
    (reuse_project / "briefings" / "reuse.yaml").write_text(
        "title: R\nsections:\n  - tagged: regions\n", encoding="utf-8"
    )
    plan = plan_build(project, [reuse_project / "briefings" / "reuse.yaml"])
    assert plan.expansions["reuse"][0].selected == ("region/north",)


def test_issue_16_check_explain_names_what_each_pattern_selected(reuse_project: Path) -> None:
    """`brief check --explain NAME` for a briefing without variants: its selections."""
    result = run(reuse_project, "check", "reuse", "--explain", "reuse")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "reuse: no variants, nothing left out",
        "  selected briefings/reuse.yaml:4: region/north#*-relations -> "
        "region/north#border-relations, region/north#port-relations",
        "  selected briefings/reuse.yaml:6: tagged: deterrence -> region/north#summary, "
        "region/north#trade-relations, region/south#posture",
    ]
    wrong = run(reuse_project, "check", "reuse", "--explain", "reuse-x")
    assert wrong.exit_code == 2 and "--explain reuse-x: no briefing chosen" in wrong.output


def _build(project: Path) -> tuple[list[str], list[str]]:
    result = run(project, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    built = sorted(line.split()[1] for line in lines if line.startswith("wrote "))
    fresh = sorted(line.split()[-1] for line in lines if line.startswith("up to date "))
    return built, fresh


def test_issue_16_editing_an_included_file_rebuilds_only_its_briefings(
    reuse_project: Path,
) -> None:
    first, _ = _build(reuse_project)
    assert "output/reuse.html" in first and "output/plain.html" in first
    assert "annexes" not in " ".join(first)  # an included file is no briefing
    built, fresh = _build(reuse_project)
    assert built == [] and "output/reuse.html" in fresh  # the no-op answer
    closing = reuse_project / "briefings" / "annexes" / "closing.yaml"
    closing.write_text(CLOSING.replace("closing words", "final words"), encoding="utf-8")
    built, fresh = _build(reuse_project)
    assert built == ["output/reuse.html"]
    assert "output/plain.html" in fresh
    assert "The final words." in (reuse_project / "output" / "reuse.html").read_text()
    assert _build(reuse_project)[0] == []


def test_issue_16_editing_a_source_in_a_subfolder_rebuilds_its_briefings(
    reuse_project: Path,
) -> None:
    _build(reuse_project)
    north = reuse_project / "sources" / "region" / "north.md"
    north.write_text(NORTH.replace("Trade across", "Goods across"), encoding="utf-8")
    assert _build(reuse_project)[0] == ["output/reuse.html"]
    assert "Goods across" in (reuse_project / "output" / "reuse.html").read_text()
    assert _build(reuse_project)[0] == []


def test_issue_16_a_new_tagged_source_rebuilds_a_briefing_whose_tag_names_no_source(
    reuse_project: Path,
) -> None:
    _build(reuse_project)
    west = '# The west\n\n## Patrols {tags="deterrence"}\n\nWestern patrols.\n'
    _write(reuse_project, {"sources/region/west.md": west})
    assert _build(reuse_project)[0] == ["output/reuse.html"]
    assert "Western patrols." in (reuse_project / "output" / "reuse.html").read_text()
    _write(reuse_project, {"sources/unrelated.md": "# Unrelated\n\nNothing tagged.\n"})
    assert _build(reuse_project)[0] == ["output/reuse.html"]  # any source may hold the tag
    assert _build(reuse_project)[0] == []


def test_issue_16_links_leaving_sources_and_briefings_stay_refused(
    reuse_project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\n## Plans\n\nSecret plans.\n")
    (outside / "list.yaml").write_text("- text: Secret plans.\n")
    (reuse_project / "sources" / "linked").symlink_to(outside, target_is_directory=True)
    (reuse_project / "sources" / "secret.md").symlink_to(outside / "secret.md")
    (reuse_project / "briefings" / "annexes" / "linked.yaml").symlink_to(outside / "list.yaml")
    _write(
        reuse_project,
        {
            "briefings/a.yaml": "title: A\nsections:\n  - from: linked/secret#plans\n",
            "briefings/b.yaml": "title: B\nsections:\n  - from: secret#plans\n",
            "briefings/c.yaml": "title: C\nsections:\n  - include: annexes/linked.yaml\n",
        },
    )
    result = run(reuse_project, "check", "a", "b", "c")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        # a link to a folder is never followed; a link to a file is refused
        "error: briefings/a.yaml:3: no source 'linked/secret' in sources/; did you mean 'secret'?",
        "error: sources/secret.md: not a regular file inside the project",
        "error: briefings/c.yaml:3: include 'annexes/linked.yaml' leads outside briefings/ "
        "(through a link)",
    ]
    assert "Secret plans" not in result.output


def test_issue_16_an_include_bomb_is_refused_quickly(scratch_project: Path) -> None:
    """Twenty includes of a file of twenty includes, five deep: 3.2 million items, refused."""
    files = {"briefings/annexes/l5.yaml": "- text: Leaf.\n"}
    for level in range(1, 5):
        files[f"briefings/annexes/l{level}.yaml"] = f"- include: annexes/l{level + 1}.yaml\n" * 20
    files["briefings/bomb.yaml"] = "title: Bomb\nsections:\n  - include: annexes/l1.yaml\n"
    _write(scratch_project, files)
    started = time.perf_counter()
    result = run(scratch_project, "check", "bomb")
    assert time.perf_counter() - started < 10
    assert result.exit_code == 1
    [error] = result.stderr.splitlines()
    assert error.startswith("error: briefings/annexes/l4.yaml:")
    assert "include 'annexes/l5.yaml' makes more than 5000 section items" in error
    assert error.endswith("from briefings/annexes/l1.yaml:1 from briefings/bomb.yaml:3)")
