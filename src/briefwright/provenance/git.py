"""The git commit a project is at, and whether its tree has uncommitted changes."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from briefwright.provenance.manifest import Git

GIT_SECONDS = 60  # `git archive` of a large repository (brief diff --since REF)


@functools.cache  # once a build: workers forked after the first call inherit it
def git_state(root: Path) -> Git | None:
    """HEAD's commit and whether anything but output/ differs from it; None when the project is
    not in a git work tree (or git is not installed, or has no commit yet)."""
    commit = run_git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return None
    status = run_git(
        root, "status", "--porcelain", "--untracked-files=normal", "--", ".", ":!output"
    )
    return Git(commit=commit.strip(), dirty=bool(status and status.strip()))


def git_user(root: Path) -> str | None:
    """git's user.name for the project: the author its commits would have."""
    name = (run_git(root, "config", "user.name") or "").strip()
    return name or None


def run_git(root: Path, *args: str) -> str | None:
    """git's output, run in `root`; None when it fails or git is not there."""
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
