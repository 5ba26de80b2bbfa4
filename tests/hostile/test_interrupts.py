"""Killed and concurrent builds leave only complete outputs; the next build cleans up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefwright.build.output import TEMP_PREFIX, remove_stale_temporaries
from tests.helpers import REPO, copy_project, run
from tests.hostile.inspect_outputs import assert_complete

BRIEF = [sys.executable, "-m", "briefwright"]


@pytest.fixture
def batch_project(tmp_path: Path) -> Path:
    """The example project with six briefings, enough to kill a batch in the middle."""
    project = copy_project(REPO, tmp_path / "project")
    for n in range(4):
        shutil.copy(
            project / "briefings" / "background-brief.yaml",
            project / "briefings" / f"copy-{n}.yaml",
        )
    return project


def _outputs(project: Path) -> list[Path]:
    return sorted(p for p in (project / "output").iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("when", ["early", "after-first-output", "late"])
def test_kill_minus_nine_leaves_only_complete_files(batch_project: Path, when: str) -> None:
    process = subprocess.Popen(
        [*BRIEF, "--project", str(batch_project), "build", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    wanted = {"early": 0, "after-first-output": 1, "late": 5}[when]
    while len(_outputs(batch_project)) < wanted and time.monotonic() < deadline:
        time.sleep(0.02)
    if when == "early":
        time.sleep(1.0)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its workers, all at once
    process.wait()
    for path in _outputs(batch_project):
        assert_complete(path)

    result = run(batch_project, "build", "--jobs", "2")
    assert result.exit_code == 0, result.output
    names = [p.name for p in (batch_project / "output").iterdir()]
    assert not [n for n in names if n.startswith(TEMP_PREFIX)]
    for path in _outputs(batch_project):
        assert_complete(path)


def test_two_builds_of_one_target_at_once_never_mix(scratch_project: Path) -> None:
    command = [*BRIEF, "--project", str(scratch_project), "build", "features", "-f", "pdf"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert first.wait() == 0 and second.wait() == 0
    output = scratch_project / "output" / "features.pdf"
    assert_complete(output)
    assert run(scratch_project, "build", "features", "-f", "pdf").exit_code == 0
    assert output.read_bytes() == (scratch_project / "output" / "features.pdf").read_bytes()


def test_a_live_builds_temporary_file_is_kept(tmp_path: Path) -> None:
    live = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abc.pdf"
    dead = tmp_path / f"{TEMP_PREFIX}999999999-abc.pdf"
    live.write_bytes(b"in progress")
    dead.write_bytes(b"left behind")
    assert remove_stale_temporaries(tmp_path) == [dead]
    assert live.exists() and not dead.exists()
