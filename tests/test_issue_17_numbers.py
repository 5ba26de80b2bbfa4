"""Issue 17, section numbers: "1", "1.1", "1.1.1" in the model, body, contents, bookmarks and
DOCX (Word's own heading numbering); `{-}` headings unnumbered."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from briefwright import model as m
from briefwright.numbering import numbered
from tests.helpers import REPO

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "section_numbers.yaml").read_text(encoding="utf-8")
)


def _heading(written: str) -> m.Heading:
    level, title = written.split(" ", 1)
    unnumbered = level.endswith("-")
    return m.Heading(int(level.rstrip("-")), (m.Text(title),), title, unnumbered)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_heading_numbers(case: dict[str, Any]) -> None:
    blocks: list[m.Block] = []
    for written in case["headings"]:
        blocks += [_heading(written), m.Paragraph((m.Text("text"),))]
    found = [b.number or "" for b in numbered(blocks) if isinstance(b, m.Heading)]
    assert found == case["numbers"]
