"""Issue 16, reuse: sources in subfolders, globs and tags, includes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import assert_no_crash, output_files, run

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
