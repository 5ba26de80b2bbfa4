"""Hostile and broken input, one case per entry of cases.yaml, with the same checks for all:
exit code and messages, no traceback, the canary's content in no output (PDF streams and
attachments, DOCX parts, HTML), no connection attempted, no partial or temporary file."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from briefwright.build.output import TEMP_PREFIX
from tests.helpers import assert_no_crash, run
from tests.hostile.conftest import Canary, Listener
from tests.hostile.inspect_outputs import assert_complete, contents
from tests.hostile.reference_docx import GENERATORS as REFERENCE_DOCX_GENERATORS

# One file per class of input (cases.yaml, cases_templates.yaml, ...), read in name order.
CASE_FILES = sorted(Path(__file__).parent.glob("cases*.yaml"))
CASES: list[dict[str, Any]] = [
    case for path in CASE_FILES for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


GENERATORS: dict[str, Callable[[], bytes]] = {
    "bomb_png": lambda: _png(20000, 20000),
    "truncated_png": lambda: _png(300, 200)[:-60],
    "fake_png": lambda: b"this is not an image at all\n" * 10,
    "deep_yaml": lambda: b"title: " + b"[" * 1000 + b"x" + b"]" * 1000 + b"\n",
    "big_yaml": lambda: b"title: T\nsections:\n  - from: features\n" + b"# padding\n" * 30000,
    "deep_markdown": lambda: b"fine\n\n" + b"> " * 40 + b"deep\n",
    "big_markdown": lambda: b"## Big\n\n" + b"word " * 900_000,
    "stale_temp": lambda: b"%PDF-1.7 half a file",
    **REFERENCE_DOCX_GENERATORS,
}


def _fill(text: str, project: Path, canary: Canary, listener: Listener) -> str:
    for key, value in {
        "{canary_dir}": str(canary.path.parent),
        "{canary}": str(canary.path),
        "{port}": str(listener.port),
        "{project}": str(project),
    }.items():
        text = text.replace(key, value)
    return text


def _special(path: Path, kind: str) -> None:
    """A file that is not a regular one, or one no reader should take in whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind.startswith("symlink:"):  # made after `before`, unlike `symlinks`
        os.symlink(kind.removeprefix("symlink:"), path)
    elif kind == "sparse_8g":  # 8 GiB of holes: no disk used, and no reader may allocate it
        with path.open("wb") as handle:
            handle.truncate(8 * 1024**3)
    else:
        raise ValueError(f"unknown special file {kind!r}")


class CaseHungError(BaseException):
    """Not an OSError (as TimeoutError is), so no `except OSError` in the code under test
    swallows it and goes on to block again."""


@contextlib.contextmanager
def hang_guard(case: dict[str, Any], seconds: float = 120) -> Iterator[None]:
    """Fail, never hang, a case with special files (a FIFO blocks whoever opens it to read):
    after `seconds`, and every second after that, the command is interrupted."""
    if not case.get("special"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise CaseHungError(f"the command hung for {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _prepare(case: dict[str, Any], project: Path, fill: Callable[[str], str]) -> None:
    for name, text in case.get("files", {}).items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fill(text), encoding="utf-8")
    for name, text in case.get("raw", {}).items():
        (project / name).write_bytes(text.encode("latin-1"))
    for name, kind in case.get("generate", {}).items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(GENERATORS[kind]())
    for name, target in case.get("symlinks", {}).items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            path.rename(path.with_name(path.name + ".moved"))
        os.symlink(fill(target), path)
    if "before" in case:  # a build before the change, so the no-op answer has records to check
        assert run(project, *case["before"]).exit_code == 0
    for name, kind in case.get("special", {}).items():
        _special(project / name, kind)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile(
    case: dict[str, Any], scratch_project: Path, canary: Canary, listener: Listener
) -> None:
    def fill(text: str) -> str:
        return _fill(text, scratch_project, canary, listener)

    with hang_guard(case):
        _prepare(case, scratch_project, fill)
        result = run(scratch_project, *(fill(arg) for arg in case.get("args", ["build"])))

    assert result.exit_code == case["exit"], result.output
    assert_no_crash(result)
    assert canary.secret not in result.stdout + result.stderr  # not even in a message
    stderr_lines = result.stderr.splitlines()
    for line in case.get("stderr", []):
        wanted = fill(line)  # a warning may end with the briefings it came from, in brackets
        found = [ln for ln in stderr_lines if ln == wanted or ln.startswith(wanted + " (")]
        assert found, result.stderr
    output = scratch_project / "output"
    ours = output.is_dir() and not output.is_symlink()
    names = sorted(p.name for p in output.iterdir()) if ours else []
    assert not [name for name in names if name.startswith(TEMP_PREFIX)]
    files = [name for name in names if not name.startswith(".")]  # not the build cache
    if "outputs" in case:
        assert files == sorted(case["outputs"])
    for name in files:
        assert_complete(output / name)
        assert canary.secret.encode() not in contents(output / name), name
    for name, text in case.get("contains", {}).items():
        assert fill(text) in (output / name).read_text(encoding="utf-8")
    for name, text in case.get("absent", {}).items():
        assert fill(text) not in (output / name).read_text(encoding="utf-8")
    assert listener.connections == []
    # nothing is written outside the project, not even a lock file through a linked output/
    assert sorted(p.name for p in canary.path.parent.iterdir()) == [canary.path.name]
