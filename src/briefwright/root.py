"""Where the project is: the folder holding `briefings/`. Light on purpose (see quick.py)."""

from __future__ import annotations

from pathlib import Path

from briefwright.errors import ProjectError


def find_root(start: Path, explicit: Path | None = None) -> Path:
    """The project folder `explicit`, or the nearest folder holding `briefings/` from `start` up."""
    if explicit is not None:
        root = explicit.resolve()
        if not (root / "briefings").is_dir():
            raise ProjectError(f"{explicit} is not a briefwright project (no briefings/ folder)")
        return root
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "briefings").is_dir():
            return folder
    raise ProjectError(
        f"no briefings/ folder in {start} or above; run inside a project or pass --project DIR"
    )
