"""Outputs are replaced atomically; a failed build keeps the previous good output."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from briefwright.build.output import TEMP_PREFIX, remove_stale_temporaries, write_atomic
from briefwright.errors import RenderError
from tests.helpers import run


def test_write_atomic_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.pdf"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_failed_rename_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"good")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(RenderError, match="cannot write: disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"good"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_failed_build_keeps_previous_output(scratch_project: Path) -> None:
    assert run(scratch_project, "build", "small", "--format", "docx").exit_code == 0
    output = scratch_project / "output" / "small.docx"
    before = output.read_bytes()
    broken = scratch_project / "templates" / "briefing"
    broken.mkdir(parents=True)
    (broken / "reference.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run(scratch_project, "build", "small", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: templates/briefing/reference.docx: reference document refused: "
        "not a valid zip archive (File is not a zip file)\n"
    )
    assert output.read_bytes() == before


def test_temporaries_of_dead_and_zombie_processes_are_removed(tmp_path: Path) -> None:
    """A zombie (killed, not yet reaped) still answers kill(0): its file is stale all the same."""
    zombie = subprocess.Popen(["true"])
    time.sleep(0.3)  # exited, and not reaped until wait() below
    live = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-live.pdf"
    stale = tmp_path / f"{TEMP_PREFIX}{zombie.pid}-stale.pdf"
    for path in (live, stale):
        path.write_bytes(b"%PDF-partial")
    try:
        assert remove_stale_temporaries(tmp_path) == [stale]
    finally:
        zombie.wait()
    assert live.exists()
