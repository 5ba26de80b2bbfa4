"""Assembly: picking, ordering, retitling and re-levelling sections; footnotes across sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefwright import model as m
from briefwright.assemble import assemble
from briefwright.dates import build_date
from briefwright.errors import Problem
from briefwright.project import Project, find_project
from briefwright.readers.sources import load_sources
from briefwright.spec.briefing import LoadedBriefing, load_briefing
from tests.helpers import FEATURE_PROJECT, copy_project

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "assemble.yaml").read_text(encoding="utf-8")
)


def brief_from(project: Project, path: Path) -> tuple[m.Briefing, list[Problem]]:
    warnings: list[Problem] = []
    sources, errors = load_sources(project, warnings)
    assert errors == []
    briefing: LoadedBriefing = load_briefing(path, project, warnings)
    return assemble(briefing, sources, project, warnings), warnings


def write_briefing(tmp_path: Path, sections: list[dict[str, Any]]) -> Path:
    path = tmp_path / "case.yaml"
    data = {"title": "Case", "date": dt.date(2026, 1, 1), "sections": sections}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return find_project(copy_project(FEATURE_PROJECT, tmp_path_factory.mktemp("assemble")))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_assembly(case: dict[str, Any], project: Project, tmp_path: Path) -> None:
    brief, warnings = brief_from(project, write_briefing(project.briefings_dir, case["sections"]))
    assert [[h.level, m.plain_text(h.children)] for h in brief.headings] == case["headings"]
    messages = [w.message.split(": ", 1)[1] for w in warnings]
    assert messages == case.get("warnings", [])


def test_footnotes_from_two_sources_do_not_clash(project: Project) -> None:
    brief, _ = brief_from(project, project.briefings_dir / "features.yaml")
    notes = [(n.number, m.plain_text(n.blocks[0].children)) for n in brief.footnotes]  # type: ignore[union-attr]
    assert notes == [
        (1, "The feature fixture's own footnote."),
        (2, "A second footnote, in a definition."),
        (3, "The other source's footnote, which must not clash with the features footnote."),
    ]


def test_heading_anchors_are_unique(project: Project) -> None:
    brief, _ = brief_from(project, project.briefings_dir / "features.yaml")
    anchors = [h.id for h in brief.headings]
    assert len(anchors) == len(set(anchors))
    assert "overview" in anchors and "overview-2" in anchors


def test_page_break_before_adds_a_break(project: Project) -> None:
    brief, _ = brief_from(project, project.briefings_dir / "features.yaml")
    index = next(i for i, b in enumerate(brief.blocks) if isinstance(b, m.PageBreak))
    following = brief.blocks[index + 1]
    assert isinstance(following, m.Heading)
    assert m.plain_text(following.children) == "Other overview"


def test_date_defaults_to_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date(None) == (dt.date(2023, 11, 14), "SOURCE_DATE_EPOCH")
    assert build_date(dt.date(2026, 1, 1)) == (dt.date(2026, 1, 1), "briefing")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date(None) == (dt.date.today(), "today")


def test_keywords_come_from_source_tags(project: Project) -> None:
    brief, _ = brief_from(project, project.briefings_dir / "features.yaml")
    assert brief.meta.keywords == ("fixture", "features")
