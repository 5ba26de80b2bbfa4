"""Where template files may come from: the project and the built-in templates, nothing else.

Template files are confined like sources: a file's resolved path (symlinks followed) must be
inside the project or the built-in templates folder. Every entry of a project template folder
is checked before anything is read from it, and every name the Jinja loader is given is checked
before it is joined onto a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefwright.errors import Problem

BUILTIN_ROOT = Path(__file__).parent / "templates"
BUILTIN_PREFIX = "builtin:"  # how a built-in file is named in messages and build records
OUTSIDE = "links outside the project; template files must be inside the project or built in"


def shown(path: Path, project_root: Path) -> Path:
    """A template file as the user knows it: templates/NAME/FILE, or builtin:NAME/FILE."""
    if path.is_relative_to(project_root):
        return path.relative_to(project_root)
    if path.is_relative_to(BUILTIN_ROOT):
        return Path(BUILTIN_PREFIX + str(path.relative_to(BUILTIN_ROOT)))
    return path


def is_confined(path: Path, project_root: Path) -> bool:
    """True when `path`, symlinks followed, is inside the project or the built-in templates."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return False
    return resolved.is_relative_to(project_root) or resolved.is_relative_to(BUILTIN_ROOT.resolve())


def folder_problems(folder: Path, project_root: Path) -> list[Problem]:
    """Every entry of a project template folder (at any depth) that resolves outside: a file
    or a folder linked to elsewhere. Linked folders are not entered; the loader and the
    fetcher check what is read through them."""
    problems: list[Problem] = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted([*dirs, *files]):
            path = Path(top, name)
            if not is_confined(path, project_root):
                problems.append(Problem(OUTSIDE, shown(path, project_root)))
    return problems


def name_problem(name: str) -> str | None:
    """Why a name given to the Jinja loader ({% include %}, {% extends %}) is refused, if it
    is: a template file is named relative to the template, with '/' between folders."""
    if "\0" in name:
        return "contains a NUL character"
    if "\\" in name:
        return "contains a backslash; use '/' between folders"
    if name.startswith("/") or os.path.isabs(name):
        return "is an absolute path; name a file of the template"
    if ".." in name.split("/"):
        return "climbs out with '..'; name a file of the template"
    if not name.strip("/"):
        return "is empty"
    return None
