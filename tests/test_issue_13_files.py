"""Issue 13: project files are read one careful way (readers/files.py), and the build records
describe the bytes it parsed, not a second read of the file."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

from briefwright.build import run as build_run
from briefwright.readers import files
from briefwright.readers.files import UnreadableFileError, read_regular, regular_sha256
from tests.helpers import run


def _reason(path: Path, limit: int = 1024) -> str:
    with pytest.raises(UnreadableFileError) as caught:
        read_regular(path, limit)
    return caught.value.reason


def test_issue_13_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opened without O_NONBLOCK, this would wait for a writer for ever
    assert _reason(fifo) == "is a named pipe (FIFO), not a regular file"
    assert _reason(tmp_path) == "is a folder, not a regular file"
    assert _reason(Path("/dev/zero")) == "is a character device, not a regular file"
    assert _reason(tmp_path / "absent") == "does not exist"
    assert regular_sha256(fifo) is None
    assert regular_sha256(Path("/dev/zero")) is None


def test_issue_13_size_is_checked_before_reading(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.md"
    with sparse.open("wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GiB of holes: reading it whole is a MemoryError
    assert _reason(sparse, 4 * 1024 * 1024) == "is larger than 4 MiB"
    assert regular_sha256(sparse, 1024) is None
    # /proc files say they are empty and are not: at most limit + 1 bytes are read
    with pytest.raises(UnreadableFileError):
        read_regular(Path("/proc/self/pagemap"), 4096)
    assert regular_sha256(Path("/proc/self/pagemap"), 4096) is None
    exact = tmp_path / "exact"
    exact.write_bytes(b"x" * 1024)
    assert read_regular(exact, 1024) == b"x" * 1024
    assert _reason(exact, 1023) == "is larger than 1023 bytes"


def test_issue_13_a_link_is_refused_where_links_are_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(target)
    assert read_regular(tmp_path / "link", 10) == b"x"
    with pytest.raises(UnreadableFileError, match="is a symbolic link"):
        read_regular(tmp_path / "link", 10, follow_links=False)


def test_issue_13_a_file_read_twice_with_other_bytes_matches_no_hash(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    files.forget_reads()
    path.write_bytes(b"first")
    read_regular(path, 100)
    assert files.parsed_digest(path) == hashlib.sha256(b"first").hexdigest()
    path.write_bytes(b"second")
    read_regular(path, 100)
    assert files.parsed_digest(path) == files.CHANGED_WHILE_READ
    files.forget_reads()
    assert files.parsed_digest(path) is None


UNREADABLE = """
import os, sys
from click.testing import CliRunner
from briefwright.cli import cli
# as root first (which reads a mode-000 file): every module is imported while Python's own,
# under root's home, can still be read
assert CliRunner().invoke(cli, ["--project", sys.argv[1], "check", "evil"]).exit_code == 0
os.setgid(65534); os.setuid(65534)  # the user nobody cannot read it
result = CliRunner().invoke(cli, ["--project", sys.argv[1], "check", "evil"])
print(result.exit_code, repr(result.exception))
print(result.stderr)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop to the user nobody")
def test_issue_13_an_unreadable_source_is_an_error_naming_it() -> None:
    # pytest's own temporary folders are closed to other users: one in /tmp that is not
    with tempfile.TemporaryDirectory(prefix="brief-unreadable-") as folder:
        Path(folder).chmod(0o755)
        _unreadable_source(Path(folder))


def _unreadable_source(tmp_path: Path) -> None:
    project = tmp_path / "open"
    for folder in ("briefings", "sources", "output"):
        (project / folder).mkdir(parents=True)
    (project / "briefings" / "evil.yaml").write_text(
        "title: Evil\nformats: [html]\nsections:\n  - from: evil\n", encoding="utf-8"
    )
    source = project / "sources" / "evil.md"
    source.write_text("## Evil\n\nText.\n", encoding="utf-8")
    source.chmod(0)
    for path in (tmp_path, *tmp_path.parents):  # nobody must reach the project
        if path.stat().st_mode & 0o005 != 0o005:
            pytest.skip(f"{path} cannot be entered by the user nobody")
    for path in project.rglob("*"):
        if path != source:
            path.chmod(0o755 if path.is_dir() else 0o644)
    command = [sys.executable, "-c", textwrap.dedent(UNREADABLE), str(project)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.startswith("1 SystemExit(1)"), done.stdout + done.stderr
    assert "error: sources/evil.md: cannot be read (permission denied)" in done.stdout


def test_issue_13_records_describe_the_bytes_parsed(
    scratch_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source replaced after the build parsed it (before it recorded its inputs): the next
    build must not call the output made from the old text up to date."""
    source = scratch_project / "sources" / "evil.md"
    source.write_text("## Evil\n\nOLD TEXT\n", encoding="utf-8")
    (scratch_project / "briefings" / "evil.yaml").write_text(
        "title: Evil\nformats: [html]\nsections:\n  - from: evil\n", encoding="utf-8"
    )
    plan_build = build_run.plan_build  # type: ignore[attr-defined]

    def plan_then_replace(*args: Any, **kwargs: Any) -> Any:
        plan = plan_build(*args, **kwargs)
        source.write_text("## Evil\n\nNEW TEXT\n", encoding="utf-8")  # after parsing
        return plan

    monkeypatch.setattr(build_run, "plan_build", plan_then_replace)
    first = run(scratch_project, "build", "evil")
    assert first.exit_code == 0, first.output
    output = scratch_project / "output" / "evil.html"
    assert "OLD TEXT" in output.read_text(encoding="utf-8")
    monkeypatch.undo()

    second = run(scratch_project, "build", "evil")
    assert second.exit_code == 0, second.output
    assert "wrote output/evil.html" in second.stdout, second.stdout
    assert "NEW TEXT" in output.read_text(encoding="utf-8")
