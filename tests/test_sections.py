"""Section IDs, slugs, levels and word counts from fixture cases; front matter handling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from briefwright.errors import SourceError
from briefwright.project import Project
from briefwright.readers.sources import read_source
from briefwright.spec.schema import ProjectConfig

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "sections.yaml").read_text(encoding="utf-8")
)


def read(tmp_path: Path, text: str, name: str = "src") -> Any:
    (tmp_path / "sources").mkdir(exist_ok=True)
    path = tmp_path / "sources" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    warnings: list[Any] = []
    return read_source(path, Project(tmp_path.resolve(), ProjectConfig()), warnings)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_sections(case: dict[str, Any], tmp_path: Path) -> None:
    source = read(tmp_path, case["markdown"])
    found = [[s.id, s.level, s.title, s.words] for s in source.sections]
    assert found == case["sections"]


def test_front_matter_fields(tmp_path: Path) -> None:
    source = read(tmp_path, "---\ntitle: Hello\nauthor: A\ndate: 2026-01-02\ntags: [x]\n---\n")
    assert source.title == "Hello"
    assert source.meta["author"] == "A"
    assert str(source.meta["date"]) == "2026-01-02"


def test_title_defaults_to_file_stem(tmp_path: Path) -> None:
    assert read(tmp_path, "## A\n", name="my-notes").title == "my-notes"


def test_unknown_front_matter_key_names_line(tmp_path: Path) -> None:
    """Issue 12: a warning (kept in the meta), no longer an error; the hint stays."""
    warnings: list[Any] = []
    path = tmp_path / "sources" / "src.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: T\nauthr: A\n---\n", encoding="utf-8")
    source = read_source(path, Project(tmp_path.resolve(), ProjectConfig()), warnings)
    assert source.meta["authr"] == "A"
    assert [str(w) for w in warnings] == [
        "sources/src.md:3: front matter key(s) 'authr' (did you mean 'author'?) not used by "
        "briefwright; kept in the source's meta"
    ]


def test_duplicate_explicit_id_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read(tmp_path, "## A {#x}\n\n## B {#x}\n")
    assert str(caught.value) == "sources/src.md:3: section ID 'x' is used twice (first on line 1)"


def test_section_spans_its_subsections(tmp_path: Path) -> None:
    source = read(tmp_path, "## A\np\n### B\nq\n## C\n")
    a = source.section("a")
    assert a is not None
    assert (a.start, a.own_end, a.end) == (0, 2, 4)
