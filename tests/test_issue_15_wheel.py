"""Issue 15: `brief init` works from an installed wheel, not only from a clone: the files it
writes, the example and the built-in templates are package data.

The wheel is built from a clean copy of this checkout and installed with its dependencies into
a fresh virtual environment that cannot see the checkout (no system site packages, no
PYTHONPATH, run from a folder outside it); that environment's `brief` then makes, builds and
checks a project. About 30 s on the 2-core machine, most of it installing the dependencies.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_repositorys_pre_commit_hook_installs_and_runs(tmp_path: Path) -> None:
    """`brief-check` as another project uses it: pre-commit installs this repository (with
    any uncommitted changes) into an environment of its own and runs its `brief check`."""
    project = tmp_path / "project"
    brief = Path(sys.executable).parent / "brief"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.org",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PATH=os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if Path(p) != brief.parent),
    )
    _run([brief, "init", project, "--example"], tmp_path, env)
    _run(["git", "init", "-q"], project, env)
    briefing = project / "briefings" / "example-brief.yaml"
    briefing.write_text(briefing.read_text("utf-8").replace("#notable-", "#notable-x"), "utf-8")
    _run(["git", "add", "-A"], project, env)
    pre_commit: list[str | Path] = [brief.parent / "pre-commit", "try-repo", REPO, "brief-check"]
    pre_commit.append("--all-files")
    result = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no section 'notable-xnato-peacekeeping-missions-and-cases'" in result.stdout
    briefing.write_text(briefing.read_text("utf-8").replace("#notable-x", "#notable-"), "utf-8")
    _run(["git", "add", "-A"], project, env)
    passed = _run(pre_commit, project, env)
    assert re.search(r"^brief check\.+Passed$", passed, re.M), passed
