"""Finding a template (project first, then built-in) and its Jinja2 environment.

A template is a folder with `template.toml`, `briefing.html.j2`, `style.css` and
`reference.docx`. A project template `templates/NAME/` holds only the files it changes; the rest
come from the templates it extends (`extends = "briefing"` in its template.toml, or the
built-in of the same name; see template_chain.py), then from the shared `_shared/` folder
(`base.css`). Its HTML may also extend a built-in one:
`{% extends "builtin/briefing/briefing.html.j2" %}`. Every file is read only if it resolves
inside the project or the built-in templates (template_paths.py), and Jinja runs sandboxed
(template_jinja.py).

Stylesheets are the exception: a project's `base.css` or `style.css` follows the built-in file
of that name, so a one-rule file changes one thing; `replace = true` in its template.toml makes
it replace the built-in one instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefwright.errors import TemplateError
from briefwright.project import Project
from briefwright.readers.files import MAX_SMALL_FILE_BYTES, UnreadableFileError, present, read_text
from briefwright.template_chain import builtin_names, resolve_chain
from briefwright.template_info import TemplateInfo
from briefwright.template_paths import BUILTIN_ROOT, OUTSIDE, is_confined, shown

if TYPE_CHECKING:
    from collections.abc import Mapping

    import jinja2

__all__ = ["BUILTIN_ROOT", "HTML_TEMPLATE", "Template", "TemplateInfo", "builtin_names"]

SHARED = BUILTIN_ROOT / "_shared"
HTML_TEMPLATE = "briefing.html.j2"
STYLESHEETS = ("base.css", "style.css")
# what may come before a stylesheet's first rule: space, comments, @charset and @import
_LEADING_IMPORTS = re.compile(r"(?:\s+|/\*.*?\*/|@charset[^;]*;|@import[^;]*;)*", re.DOTALL)
_IMPORT = re.compile(r"@import[^;]*;")


@dataclass(frozen=True)
class Template:
    name: str
    folders: tuple[Path, ...]  # most specific first
    project_root: Path
    info: TemplateInfo
    # the names its chain looked up in templates/ (its own first): see template_chain.Chain
    chain: tuple[str, ...] = ()

    def file(self, filename: str) -> Path:
        for folder in self.folders:
            candidate = folder / filename
            if candidate.is_file():
                return self._confined(candidate)
        where = shown(self.folders[0], self.project_root)
        raise TemplateError(f"template '{self.name}' has no {filename}", file=where)

    @cached_property
    def reference_docx(self) -> bytes:
        """The reference.docx as the DOCX writer may use it: checked as the untrusted archive
        it is and cut down to the parts an output needs (readers/reference.py). Made once: the
        plan checks it, and the workers forked after it inherit the result."""
        from briefwright.readers.reference import reference_docx

        return reference_docx(self.file("reference.docx"), self.project_root)

    def stylesheet(self) -> str:
        """The stylesheets as one: each file's leading @import rules go first, since CSS
        ignores an @import after any other rule (a project base.css that imports a file
        would otherwise lose its import behind the built-in rules)."""
        imports: list[str] = []
        bodies: list[str] = []
        for path in self.stylesheets():
            try:
                text = read_text(path, MAX_SMALL_FILE_BYTES)
            except UnreadableFileError as exc:
                raise TemplateError(exc.reason, file=shown(path, self.project_root)) from None
            except UnicodeDecodeError:
                where = shown(path, self.project_root)
                raise TemplateError("not UTF-8 text", file=where) from None
            head = _LEADING_IMPORTS.match(text)
            own = _IMPORT.findall(head.group()) if head else []
            imports += own
            bodies.append(text[head.end() :] if head and own else text)
        return "\n".join([*imports, *bodies])

    def stylesheets(self) -> list[Path]:
        """The CSS files in cascade order: for base.css, then style.css, the built-in file and
        after it the project's, which adds to it, or only the most specific one when the
        template says `replace = true`."""
        paths: list[Path] = []
        for name in STYLESHEETS:
            here = [folder / name for folder in self.folders]
            # a FIFO or a folder of this name is refused when read, not skipped
            found = [self._confined(path) for path in here if present(path)]
            if not found:
                self.file(name)  # raises the error that names the missing file
            paths.extend(found[:1] if self.info.replace else reversed(found))
        return paths

    def _confined(self, path: Path) -> Path:
        """`path`, if it resolves inside the project or the built-in templates (checked again
        here, as it is read, not only when the template was found)."""
        if not is_confined(path, self.project_root):
            raise TemplateError(OUTSIDE, file=shown(path, self.project_root))
        return path

    @cached_property
    def environment(self) -> jinja2.Environment:
        from briefwright.template_jinja import environment  # only HTML and PDF need Jinja

        return environment(self.folders, self.project_root)

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template file `name` rendered in the sandbox; TemplateError at its FILE:LINE."""
        from briefwright.template_jinja import render_file

        return render_file(self, name, context)

    def compile(self, name: str) -> None:
        """Compile `name` so that its syntax errors are found before rendering."""
        from briefwright.template_jinja import compile_file

        compile_file(self, name)


def find_template(project: Project, name: str) -> Template:
    chain = resolve_chain(project, name)
    folders = (*chain.folders, SHARED)
    info = chain.info or TemplateInfo(name=name)
    return Template(name, folders, project.root, info, chain.names)
