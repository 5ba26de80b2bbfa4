"""Issue 15: `brief init` works from an installed wheel, not only from a clone: the files it
writes, the example and the built-in templates are package data.

The wheel is built from a clean copy of this checkout and installed with its dependencies into
a fresh virtual environment that cannot see the checkout (no system site packages, no
PYTHONPATH, run from a folder outside it); that environment's `brief` then makes, builds and
checks a project. About 30 s on the 2-core machine, most of it installing the dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import REPO


def _run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return result.stdout


def _clean_copy(tree: Path) -> Path:
    """The package as a fresh clone has it: without the checkout's egg-info (whose file list
    setuptools would add to the wheel) or its build/ (whose stale files it would ship)."""
    ignore = shutil.ignore_patterns("*.egg-info", "__pycache__")
    shutil.copytree(REPO / "src", tree / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tree / name)
    return tree


def test_init_build_and_check_from_an_installed_wheel(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    started = time.monotonic()
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run(
        [*pip, "wheel", "--no-deps", "-q", "-w", wheels, _clean_copy(tmp_path / "tree")],
        tmp_path,
        env,
    )
    (wheel,) = wheels.glob("briefwright-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path, env)  # without system site packages
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", wheel], tmp_path, env)
    installed = time.monotonic()
    where = _run([python, "-c", "import briefwright; print(briefwright.__file__)"], tmp_path, env)
    assert Path(where.strip()).is_relative_to(venv), where
    brief = venv / "bin" / "brief"
    project = tmp_path / "project"
    _run([brief, "init", project, "--example", "--scheme", "tlp"], tmp_path, env)
    _run([brief, "template", "copy", "memo", "house"], project, env)
    _run([brief, "new", "source", "notes"], project, env)
    _run(
        [brief, "new", "briefing", "weekly", "--template", "house", "--from", "notes"], project, env
    )
    built = _run([brief, "build"], project, env)
    assert "0 briefing(s) failed; 0 warning(s)" in built, built
    assert _run([brief, "check"], project, env) == "2 briefing(s) OK\n"
    outputs = sorted(p.name for p in (project / "output").iterdir() if p.name[0] != ".")
    assert outputs == [
        "example-brief.docx",
        "example-brief.html",
        "example-brief.pdf",
        "weekly.docx",
        "weekly.pdf",
    ]
    done = time.monotonic()
    print(f"wheel and install {installed - started:.1f} s; project {done - installed:.1f} s")
