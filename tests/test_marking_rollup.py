"""Issue 13: the roll-up of markings into a banner, case by case (tests/cases/marking_rollup.yaml):
restrictive caveats by union, releasability by intersection and only when every portion has one,
and portion marks with their caveats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from briefwright.errors import MarkingError
from briefwright.markings import BUILTIN_SCHEMES, parse_marking, roll_up

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "marking_rollup.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_13_marking_rollup(case: dict[str, Any]) -> None:
    scheme = BUILTIN_SCHEMES[case.get("scheme", "nato")]
    if "error" in case:
        with pytest.raises(MarkingError) as caught:
            for text in case["portions"]:
                parse_marking(text, scheme, "test")
        assert caught.value.problems[0].message == case["error"]
        return
    portions = [parse_marking(text, scheme, "test") for text in case["portions"]]
    banner = roll_up(portions, scheme)
    assert (banner.text() if banner else "") == case["banner"]
    if "marks" in case:
        assert [p.portion_mark() for p in portions] == case["marks"]
