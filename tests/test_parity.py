"""Every example briefing and the feature fixture carry the same content in DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import REPO
from tests.parity import assert_parity, docx_inventory

EXAMPLES = sorted(p.stem for p in (REPO / "briefings").glob("*.yaml"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_parity(example_project: Path, name: str) -> None:
    output = example_project / "output"
    assert_parity(output / f"{name}.docx", output / f"{name}.pdf")


@pytest.mark.parametrize("name", ["features", "features-memo"])
def test_feature_fixture_parity(feature_project: Path, name: str) -> None:
    output = feature_project / "output"
    assert_parity(output / f"{name}.docx", output / f"{name}.pdf")


def test_the_check_sees_what_it_compares(feature_project: Path) -> None:
    found = docx_inventory(feature_project / "output" / "features.docx")
    assert found.list_items == 11
    assert found.tables == [[3] * 5, [3] * 33]
    assert found.footnotes == [
        "The feature fixture's own footnote.",
        "A second footnote, in a definition.",
        "The other source's footnote, which must not clash with the features footnote.",
    ]
    assert found.images == 1
    assert found.links == ["https://www.nato.int/"]


def test_a_difference_is_named(feature_project: Path, tmp_path: Path) -> None:
    output = feature_project / "output"
    with pytest.raises(
        AssertionError, match="heading 1 differs: DOCX 'Summary', PDF 'Bottom line'"
    ):
        assert_parity(output / "features.docx", output / "small.pdf")
