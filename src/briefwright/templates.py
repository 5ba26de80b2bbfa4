"""Finding a template (project first, then built-in) and its Jinja2 environment.

A project template `templates/NAME/` may hold only the files it changes; any file it lacks is
taken from the built-in template of the same name. Its HTML may also extend a built-in one:
`{% extends "builtin/briefing/briefing.html.j2" %}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2

from briefwright.errors import TemplateError
from briefwright.project import Project

BUILTIN_ROOT = Path(__file__).parent / "templates"
HTML_TEMPLATE = "briefing.html.j2"


@dataclass(frozen=True)
class Template:
    name: str
    folders: tuple[Path, ...]  # most specific first
    project_root: Path

    def file(self, filename: str) -> Path:
        for folder in self.folders:
            candidate = folder / filename
            if candidate.is_file():
                return candidate
        raise TemplateError(f"template '{self.name}' has no {filename}", file=self.folders[0])

    @cached_property
    def environment(self) -> jinja2.Environment:
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(f) for f in self.folders]),
                jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILTIN_ROOT))}),
            ]
        )
        # Every template is HTML, whatever its suffix, so escaping is always on.
        return jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )


def builtin_names() -> list[str]:
    return sorted(
        p.name for p in BUILTIN_ROOT.iterdir() if p.is_dir() and not p.name.startswith("_")
    )


def find_template(project: Project, name: str) -> Template:
    folders: list[Path] = []
    own = project.templates_dir / name
    if own.is_dir():
        if not project.contains(own):
            shown = project.relative(own)
            raise TemplateError(f"template folder {shown} points outside the project")
        folders.append(own.resolve())
    builtin = BUILTIN_ROOT / name
    if builtin.is_dir():
        folders.append(builtin)
    if not folders:
        known = sorted({*builtin_names(), *_project_names(project)})
        raise TemplateError(
            f"no template '{name}' in templates/ or built in; available: {', '.join(known)}"
        )
    return Template(name, tuple(folders), project.root)


def _project_names(project: Project) -> list[str]:
    if not project.templates_dir.is_dir():
        return []
    return [p.name for p in project.templates_dir.iterdir() if p.is_dir()]
