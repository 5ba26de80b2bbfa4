"""Issue 11: `brief check` fails on everything `brief build` rejects before rendering, with the
same messages. Every case of the project's case files (cases.yaml here, ../cases/cli.yaml) is
set up and given to both commands, for the briefings the case names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import run
from tests.hostile.conftest import Canary, Listener
from tests.hostile.test_hostile import CASES as HOSTILE_CASES
from tests.hostile.test_hostile import _fill, _prepare, hang_guard

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = [
    *HOSTILE_CASES,
    *yaml.safe_load((HERE.parent / "cases" / "cli.yaml").read_text(encoding="utf-8")),
]
BUILDS = [c for c in CASES if c.get("args", ["build"])[0] in ("build", "check")]
VALUED = {"--format", "-f", "--jobs", "-j", "--timeout", "--memory-limit", "--shard", "--report"}


def _briefings(args: list[str]) -> list[str]:
    """The briefing names among a build's or check's arguments."""
    names: list[str] = []
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = True
        elif not arg.startswith("-"):
            names.append(arg)
    return names


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize("case", BUILDS, ids=[c["name"] for c in BUILDS])
def test_issue_11_check_rejects_what_build_rejects_before_rendering(
    case: dict[str, Any], scratch_project: Path, canary: Canary, listener: Listener
) -> None:
    def fill(text: str) -> str:
        return _fill(text, scratch_project, canary, listener)

    with hang_guard(case):
        _prepare(case, scratch_project, fill)
        names = _briefings([fill(a) for a in case.get("args", ["build"])])
        build = run(scratch_project, "build", "--format", "html", *names)
        check = run(scratch_project, "check", *names)
    assert build.exception is None or isinstance(build.exception, SystemExit), build.exception
    assert check.exception is None or isinstance(check.exception, SystemExit), check.exception
    # errors that only rendering can find: a time or memory limit, a writer's failure
    render_time = ("stopped after", "ran out of memory", "writer failed", "(--strict")
    before = [e for e in _errors(build.stderr) if not any(w in e for w in render_time)]
    if before:
        assert check.exit_code != 0, (build.stderr, check.stderr)
        assert set(before) <= set(_errors(check.stderr)), (build.stderr, check.stderr)
