"""Issue 13: every write can fail, and each failure is one line naming the path and the
system's reason, exit 1, no traceback; the old outputs are kept and no temporary file is left.

The failures are real, not mocked: a folder where a file goes (or the other way round), an
immutable output/ (chattr +i, which stops root too), a full disk (a tiny tmpfs) and a file size
limit (RLIMIT_FSIZE in a child process)."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from briefwright.build.output import TEMP_PREFIX
from tests.helpers import assert_no_crash, run

STALE = "is named like a temporary file of brief"


def _outputs(project: Path) -> dict[str, bytes]:
    folder = project / "output"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def _temporaries(project: Path) -> list[str]:
    return [p.name for p in (project / "output").iterdir() if p.name.startswith(TEMP_PREFIX)]


def _failed(result: Result, *lines: str) -> None:
    """Exit 1 through the CLI, every expected error line exactly, and no other error line."""
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {line}" for line in lines], result.stderr


@pytest.mark.parametrize("output_format", ["pdf", "docx", "html"])
def test_issue_13_a_folder_where_an_output_goes(scratch_project: Path, output_format: str) -> None:
    formats = [arg for f in ("pdf", "docx", "html") for arg in ("--format", f)]
    assert run(scratch_project, "build", "small", *formats).exit_code == 0
    blocked = scratch_project / "output" / f"small.{output_format}"
    blocked.unlink()
    blocked.mkdir()
    result = run(scratch_project, "build", "small", *formats, "--force")
    _failed(result, f"output/small.{output_format}: cannot write: Is a directory")
    assert blocked.is_dir()
    assert sorted(_outputs(scratch_project)) == sorted(
        [".brief-lock", ".brief-records.json"]
        + [f"small.{f}" for f in ("pdf", "docx", "html") if f != output_format]
    )
    assert _temporaries(scratch_project) == []


@pytest.mark.parametrize("name", [".brief-records.json", ".brief-lock", ".brief-quick.json"])
def test_issue_13_a_folder_where_a_build_record_goes(scratch_project: Path, name: str) -> None:
    """The records, the lock file and a legacy record that a build removes."""
    (scratch_project / "output" / name / "inside").mkdir(parents=True)
    result = run(scratch_project, "build", "small", "--format", "html")
    if name == ".brief-records.json":  # the output is written before the records
        _failed(result, f"output/{name}: cannot write: Is a directory")
        assert (scratch_project / "output" / "small.html").is_file()
    elif name == ".brief-lock":
        _failed(result, f"output/{name}: cannot open the lock file: Is a directory")
    else:
        _failed(result, f"output/{name}: cannot remove: Is a directory")
    assert _temporaries(scratch_project) == []


@pytest.mark.parametrize("command", [["build"], ["build", "--force"], ["clean"]])
@pytest.mark.parametrize("kind", ["folder", "link", "fifo"])
def test_issue_13_something_named_like_a_stale_temporary_file(
    scratch_project: Path, command: list[str], kind: str
) -> None:
    """Only regular files are removed as a dead build's leftovers; anything else under such a
    name is not ours, and is an error (the up-to-date build and `brief clean` say so too)."""
    assert run(scratch_project, "build", "small", "--format", "html").exit_code == 0
    before = _outputs(scratch_project)
    odd = scratch_project / "output" / f"{TEMP_PREFIX}99999999-x.pdf"
    if kind == "folder":
        odd.mkdir()
        what = "a folder"
    elif kind == "link":
        odd.symlink_to(scratch_project / "briefwright.toml")
        what = "not a regular file"
    else:
        os.mkfifo(odd)
        what = "not a regular file"
    args = [*command, "small", "--format", "html"] if command[0] == "build" else command
    result = run(scratch_project, *args)
    _failed(
        result,
        f"output/{odd.name}: named like a temporary file of brief, but {what}; rename or remove it",
    )
    assert odd.exists() or odd.is_symlink()
    assert _outputs(scratch_project) == before


@pytest.mark.parametrize("pid", ["\u00b2", "\u0663\u0663", "99999999999999999999", "0", "00"])
def test_issue_13_a_stale_temporary_file_with_an_odd_process_number(
    scratch_project: Path, pid: str
) -> None:
    """Non-ASCII digits (str.isdigit() says yes, int() says no), a number no process can have,
    and 0 (kill(0) asks about our own process group, which is alive): all are leftovers."""
    stale = scratch_project / "output" / f"{TEMP_PREFIX}{pid}-x.pdf"
    stale.write_bytes(b"%PDF-1.7 half a file")
    result = run(scratch_project, "build", "small", "--format", "html")
    assert_no_crash(result)
    assert result.exit_code == 0, result.output
    assert not stale.exists()


@pytest.mark.parametrize("fast", [False, True], ids=["full build", "up to date"])
@pytest.mark.parametrize("report", ["briefwright.toml/report.json", "briefwright.toml/a/b.json"])
def test_issue_13_a_report_under_a_file_is_refused_before_building(
    scratch_project: Path, monkeypatch: pytest.MonkeyPatch, fast: bool, report: str
) -> None:
    monkeypatch.chdir(scratch_project)  # --report is relative to where brief runs
    if fast:
        assert run(scratch_project, "build", "small", "--format", "html").exit_code == 0
    before = _outputs(scratch_project)
    result = run(
        scratch_project, "build", "small", "--format", "html", "--force", "--report", report
    )
    assert_no_crash(result)
    assert result.exit_code == 2, result.output
    wanted = (
        f"Error: Invalid value for '--report': '{report}': briefwright.toml is a file, not a folder"
    )
    assert wanted in result.stderr.splitlines(), result.stderr
    assert _outputs(scratch_project) == before


def test_issue_13_a_report_under_an_output_the_build_writes(
    scratch_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only writing finds this one: the folder in the way is made by the build itself."""
    monkeypatch.chdir(scratch_project)
    report = "output/small.html/report.json"
    result = run(scratch_project, "build", "small", "--format", "html", "--report", report)
    _failed(result, f"{report}: cannot write: output/small.html is a file, not a folder")
    assert (scratch_project / "output" / "small.html").is_file()


@contextlib.contextmanager
def _immutable(folder: Path) -> Iterator[None]:
    if shutil.which("chattr") is None:
        pytest.skip("no chattr")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i not supported here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_issue_13_an_immutable_output_folder(scratch_project: Path) -> None:
    """A read-only output/ that even root cannot write: the build, and `brief clean`."""
    formats = ["--format", "pdf", "--format", "docx", "--format", "html"]
    assert run(scratch_project, "build", "small", *formats).exit_code == 0
    before = _outputs(scratch_project)
    with _immutable(scratch_project / "output"):
        result = run(scratch_project, "build", "small", *formats, "--force")
        _failed(
            result,
            "output/small.pdf: cannot write: Operation not permitted",
            "output/.brief-records.json: cannot write: Operation not permitted",
        )
        report = scratch_project / "output" / "report.json"
        reported = run(scratch_project, "build", "small", *formats, "--report", str(report))
        _failed(reported, f"{report}: cannot write: Operation not permitted")
        clean = run(scratch_project, "clean")
        _failed(clean, "output/small.docx: cannot remove: Operation not permitted")
        up_to_date = run(scratch_project, "build", "small", *formats)  # writes nothing
        assert up_to_date.exit_code == 0, up_to_date.output
    assert _outputs(scratch_project) == before
    assert _temporaries(scratch_project) == []


@contextlib.contextmanager
def _tiny_disk(folder: Path, size: str) -> Iterator[None]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_issue_13_a_full_disk(scratch_project: Path) -> None:
    output = scratch_project / "output"
    assert run(scratch_project, "build", "small", "--format", "pdf").exit_code == 0
    before = _outputs(scratch_project)
    with _tiny_disk(output, "256k"):
        for name, data in before.items():
            (output / name).write_bytes(data)
        filler = os.open(output / "filler", os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):  # fill what is left, to the last block
            while os.write(filler, b"\0" * 4096):
                pass
        os.close(filler)
        result = run(scratch_project, "build", "small", "--format", "pdf", "--force")
        assert _temporaries(scratch_project) == []
        after = _outputs(scratch_project)
        del after["filler"]
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors[0] == "error: output/small.pdf: cannot write: No space left on device"
    assert errors[1:] in (
        [],
        ["error: output/.brief-records.json: cannot write: No space left on device"],
    )
    assert after == before


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_issue_13_a_file_size_limit(scratch_project: Path) -> None:
    """RLIMIT_FSIZE (ulimit -f) makes write() fail with EFBIG (Python ignores SIGXFSZ)."""
    assert run(scratch_project, "build", "small", "--format", "pdf").exit_code == 0
    before = _outputs(scratch_project)
    command = [sys.executable, "-m", "briefwright", "--project", str(scratch_project), "build"]
    result = subprocess.run(
        [*command, "small", "--format", "pdf", "--force"],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert "error: output/small.pdf: cannot write: File too large\n" in result.stderr
    assert _outputs(scratch_project) == before
    assert _temporaries(scratch_project) == []


def _brief(project: Path, *args: str, stdout: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefwright", "--project", str(project), *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False)


@pytest.mark.parametrize("args", [["build", "small", "--format", "html"], ["--help"]])
def test_issue_13_standard_output_on_a_full_disk(scratch_project: Path, args: list[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        result = _brief(scratch_project, *args, stdout=full.fileno())
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"
    assert result.returncode == 1


def test_issue_13_standard_output_to_a_reader_that_stopped(scratch_project: Path) -> None:
    """As `brief build | head -1`: no traceback and no message (the reader wants no more)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = _brief(scratch_project, "build", "small", "--format", "html", stdout=writer)
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 1
