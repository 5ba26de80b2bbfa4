"""Issue 13: work that grows with the input grows linearly. 30,000 headings of the same title
took `brief check` 150 s (the `-2`, `-3` ID loop counted up from 2 for every heading), and a
briefing taking the same section 8,000 times 45 s (the brief's anchors, the same way).

Operations are counted, not timed: every line of briefwright's own code run for an input of n
and of 4n headings. Linear work does about 4 times as much for 4n; quadratic work 16 times."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from briefwright.assemble import assemble
from briefwright.project import Project, find_project
from briefwright.readers.sources import load_sources, read_source
from briefwright.spec.briefing import load_briefing
from tests.helpers import FEATURE_PROJECT, copy_project

PACKAGE = str(Path(sys.modules["briefwright"].__file__ or "").parent)
N = 300
GROWTH = 6  # 4n against n: linear gives about 4, quadratic about 16


def lines_run(work: Callable[[], object]) -> int:
    """How many lines of briefwright's own code `work` runs (libraries are not traced)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _project(tmp_path: Path) -> Project:
    return find_project(copy_project(FEATURE_PROJECT, tmp_path / "project"))


def test_issue_13_heading_ids_are_linear(tmp_path: Path) -> None:
    project = _project(tmp_path)

    def read(n: int) -> int:
        path = project.sources_dir / f"same{n}.md"
        path.write_text("## Same\n" * n, encoding="utf-8")
        source = read_source(path, project, [])
        assert source.sections[-1].id == f"same-{n}"
        return lines_run(lambda: read_source(path, project, []))

    small, large = read(N), read(4 * N)
    assert large < GROWTH * small, (small, large)


def test_issue_13_brief_anchors_are_linear(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project.sources_dir / "one.md").write_text("## One\n\nText.\n", encoding="utf-8")
    sources, errors = load_sources(project, [])
    assert errors == []

    def build(n: int) -> int:
        path = project.briefings_dir / f"same{n}.yaml"
        items = "".join("  - from: one#one\n" for _ in range(n))
        path.write_text(f"title: Same\ndate: 2026-01-01\nsections:\n{items}", encoding="utf-8")
        briefing = load_briefing(path, project, [])
        brief = assemble(briefing, sources, project, [])
        assert brief.headings[-1].id == f"one-{n}"
        return lines_run(lambda: assemble(briefing, sources, project, []))

    small, large = build(N), build(4 * N)
    assert large < GROWTH * small, (small, large)
