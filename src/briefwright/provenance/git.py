"""The git commit a project is at, and whether its tree has uncommitted changes."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from briefwright.provenance.manifest import Git

GIT_SECONDS = 10


@functools.cache  # once a build: workers forked after the first call inherit it
def git_state(root: Path) -> Git | None:
    """HEAD's commit and whether anything but output/ differs from it; None when the project is
    not in a git work tree (or git is not installed, or has no commit yet)."""
    commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".", ":!output")
    return Git(commit=commit.strip(), dirty=bool(status and status.strip()))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
