"""Every example briefing and the feature fixture carry the same content in DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import oracle
from tests.helpers import FEATURE_PROJECT, REPO
from tests.parity import assert_parity, docx_inventory

# every variant of every example briefing (issue 16: the parity check runs per variant)
EXAMPLES = [
    unit for p in sorted((REPO / "briefings").glob("*.yaml")) for unit in oracle.units(REPO, p.stem)
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_parity(example_project: Path, name: str) -> None:
    output = example_project / "output"
    assert_parity(output / f"{name}.docx", output / f"{name}.pdf")  # and NAME.html


@pytest.mark.parametrize("name", ["features", "features-memo"])
def test_feature_fixture_parity(feature_project: Path, name: str) -> None:
    output = feature_project / "output"
    assert_parity(output / f"{name}.docx", output / f"{name}.pdf")


def test_the_check_sees_what_it_compares(feature_project: Path) -> None:
    """The DOCX inventory holds what features.md and other.md say, read from their text."""
    found = docx_inventory(feature_project / "output" / "features.docx")
    assert found.list_items == oracle.list_items(FEATURE_PROJECT, "features") == 11
    tables = oracle.tables(FEATURE_PROJECT, "features")
    assert found.tables == [[len(row) for row in table] for table in tables]
    assert found.cells == [cell for table in tables for row in table for cell in row]
    assert found.footnotes == oracle.footnotes(FEATURE_PROJECT, "features")
    assert found.images == len(oracle.image_captions(FEATURE_PROJECT, "features")) == 1
    assert found.links == oracle.external_links(FEATURE_PROJECT, "features")
    assert found.headings == [
        title for _, title in oracle.expected_headings(FEATURE_PROJECT, "features")
    ]


def test_a_difference_is_named(feature_project: Path, tmp_path: Path) -> None:
    output = feature_project / "output"
    with pytest.raises(
        AssertionError, match="heading 1 differs: DOCX 'Summary', PDF 'Bottom line'"
    ):
        assert_parity(output / "features.docx", output / "small.pdf")
