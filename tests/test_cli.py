"""CLI transcripts from cases/cli.yaml, plus the commands every user types first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefwright import __version__
from tests.helpers import assert_no_crash, output_files, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "cli.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_cli_transcript(case: dict[str, Any], scratch_project: Path) -> None:
    for name, content in case.get("files", {}).items():
        (scratch_project / name).parent.mkdir(parents=True, exist_ok=True)
        (scratch_project / name).write_text(content, encoding="utf-8")
    result = run(scratch_project, *(arg.format(project=scratch_project) for arg in case["args"]))
    assert result.exit_code == case["exit"], result.output
    if "stderr" in case:
        assert result.stderr == case["stderr"].format(project=scratch_project)
    if "stderr_contains" in case:
        assert case["stderr_contains"] in result.stderr
    if "stdout_contains" in case:
        assert case["stdout_contains"] in result.stdout
    assert_no_crash(result)
    if case.get("no_outputs"):
        assert output_files(scratch_project) == []
    if "outputs" in case:
        assert output_files(scratch_project) == case["outputs"]


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefwright", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"brief, version {__version__}"


def test_help_lists_commands_and_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefwright", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    for command in ("build", "check", "preview", "sections"):
        assert command in result.stdout
    assert "Exit codes: 0 success, 1 a build or validation failed, 2 usage error." in result.stdout


def test_help_does_not_import_renderers() -> None:
    code = (
        "import sys; from briefwright.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('weasyprint', 'docx', 'watchfiles') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("[]")


def test_project_is_found_from_a_subfolder(scratch_project: Path) -> None:
    code = "from briefwright.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "check"],
        cwd=scratch_project / "sources",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "3 briefing(s) OK" in result.stdout


def test_outside_a_project_is_an_error(tmp_path: Path) -> None:
    code = "from briefwright.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "check"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: no briefings/ folder in")
