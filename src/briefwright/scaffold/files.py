"""Writing new files, all or none: every target is checked before the first is written, and a
file that exists is never written over (the whole set is refused, naming each one)."""

from __future__ import annotations

import contextlib
import importlib.resources
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefwright.errors import Problem, ProjectError


@dataclass(frozen=True)
class NewFile:
    path: Path  # relative to the folder it is written in
    content: bytes


def data_text(name: str) -> str:
    """A file shipped in scaffold/data/ (package data: found in a wheel as in a clone)."""
    return (importlib.resources.files(__package__) / "data" / name).read_text(encoding="utf-8")


def write_new(base: Path, files: Sequence[NewFile], shown: Path, command: str) -> list[Path]:
    """Write `files` under `base` (shown to the user as `shown`), making folders as needed.
    Raises ProjectError naming every file that exists (or a file in the place of a folder)
    and writes nothing then. Returns the paths written, as shown."""
    taken = [p for f in files if (p := _in_the_way(base, f.path)) is not None]
    if taken:
        problems = [Problem("already exists", shown / path) for path in dict.fromkeys(taken)]
        fix = "move or delete these, or choose another name or folder"
        problems.append(Problem(f"{command} wrote nothing: {len(problems)} file(s) exist; {fix}"))
        raise ProjectError.from_problems(problems)
    written: list[Path] = []
    try:
        for new in files:
            target = base / new.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as stream:  # "x": never over a file that appeared since
                stream.write(new.content)
            written.append(target)
    except OSError as exc:
        for path in reversed(written):  # all or none
            with contextlib.suppress(OSError):
                path.unlink()
        where = shown / target.relative_to(base)
        raise ProjectError(f"cannot write: {exc.strerror}; nothing written", file=where) from None
    return [shown / f.path for f in files]


def _in_the_way(base: Path, relative: Path) -> Path | None:
    """`relative` if something exists there, or the first folder on its way that is a file."""
    for depth in range(1, len(relative.parts)):
        folder = base.joinpath(*relative.parts[:depth])
        if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
            return Path(*relative.parts[:depth])
    target = base / relative
    return relative if target.exists() or target.is_symlink() else None
