"""Which briefing files a build is about: named on the command line, or all, or one shard.

Light on purpose (pathlib only): the no-op build (fast.py) and the full plan (plan.py) both
choose briefings here, so they cannot choose differently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"  # briefing, source and section file names


def name_problems(files: Sequence[Path]) -> list[tuple[Path, str]]:
    """Briefing files whose names cannot be outputs, and those that would write the same
    output files as another (names that differ only in case)."""
    found: list[tuple[Path, str]] = []
    by_name: dict[str, Path] = {}
    for path in files:
        if not re.fullmatch(NAME_PATTERN, path.stem):
            rule = "briefing file names may hold only letters, digits, '-' and '_'; rename it"
            found.append((path, rule))
            continue
        other = by_name.setdefault(path.stem.lower(), path)
        if other != path:
            shown = f"{other.parent.name}/{other.name}"
            message = f"writes the same outputs as {shown} (names differ only in case or suffix)"
            found.append((path, message + "; rename one"))
    return found


def briefing_files(root: Path) -> list[Path]:
    folder = root / "briefings"
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def shard_of(files: Sequence[Path], shard: tuple[int, int] | None) -> list[Path]:
    """The K-th of N parts of the briefings: by sorted name, every N-th from the K-th, so the
    parts are balanced, disjoint, cover everything, and do not depend on disk order."""
    ordered = sorted(files, key=lambda path: path.stem)
    if shard is None:
        return ordered
    k, n = shard
    return [path for index, path in enumerate(ordered) if index % n == k - 1]


class UnknownBriefingError(Exception):
    """A name on the command line that is no briefing; `choices` are the names there are."""

    def __init__(self, name: str, choices: list[str]):
        super().__init__(name)
        self.name = name
        self.choices = choices


def select_briefings(available: Sequence[Path], names: Sequence[str]) -> list[Path]:
    """Briefing files named on the command line (paths or names), or all of them."""
    if not names:
        return list(available)
    by_stem = {p.stem: p for p in available}
    resolved = {p.resolve(): p for p in available}
    chosen: list[Path] = []
    for name in names:
        path = Path(name)
        candidate = path.resolve() if path.suffix in (".yaml", ".yml") else None
        if candidate is not None and candidate in resolved:
            chosen.append(resolved[candidate])
        elif name in by_stem:
            chosen.append(by_stem[name])
        else:
            raise UnknownBriefingError(name, list(by_stem))
    return list(dict.fromkeys(chosen))
