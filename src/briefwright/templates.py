"""Finding a template (project first, then built-in) and its Jinja2 environment.

A template is a folder with `template.toml`, `briefing.html.j2`, `style.css` and
`reference.docx`. A project template `templates/NAME/` holds only the files it changes; the rest
come from the built-in template it extends (`extends = "briefing"` in its template.toml, or the
built-in of the same name), then from the shared `_shared/` folder (`base.css`). Its HTML may
also extend a built-in one: `{% extends "builtin/briefing/briefing.html.j2" %}`.

Stylesheets are the exception: a project's `base.css` or `style.css` follows the built-in file
of that name, so a one-rule file changes one thing; `replace = true` in its template.toml makes
it replace the built-in one instead.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from briefwright.errors import TemplateError
from briefwright.project import Project
from briefwright.readers.tomlfile import toml_lines
from briefwright.spec import validation as v

if TYPE_CHECKING:
    import jinja2

BUILTIN_ROOT = Path(__file__).parent / "templates"
SHARED = BUILTIN_ROOT / "_shared"
HTML_TEMPLATE = "briefing.html.j2"
STYLESHEETS = ("base.css", "style.css")
# what may come before a stylesheet's first rule: space, comments, @charset and @import
_LEADING_IMPORTS = re.compile(r"(?:\s+|/\*.*?\*/|@charset[^;]*;|@import[^;]*;)*", re.DOTALL)
_IMPORT = re.compile(r"@import[^;]*;")


@dataclass(frozen=True, kw_only=True)
class TemplateInfo:
    """template.toml: what the template is and which parts of a brief it lays out."""

    name: Annotated[str, v.text()]
    description: Annotated[str, v.text(min_length=0)] = ""
    extends: Annotated[str | None, v.optional(v.text())] = None
    # a cover page (DOCX: a first section of its own)
    cover: Annotated[bool, v.boolean] = True
    # a table of contents when the briefing's toc_depth > 0
    toc: Annotated[bool, v.boolean] = True
    # its base.css and style.css replace the built-in ones rather than follow them
    replace: Annotated[bool, v.boolean] = False
    # briefing keys it honours, described
    options: Annotated[dict[str, str], v.dict_of(v.text(min_length=0))] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class Template:
    name: str
    folders: tuple[Path, ...]  # most specific first
    project_root: Path
    info: TemplateInfo

    def file(self, filename: str) -> Path:
        for folder in self.folders:
            candidate = folder / filename
            if candidate.is_file():
                return candidate
        raise TemplateError(f"template '{self.name}' has no {filename}", file=self.folders[0])

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
            text = path.read_text(encoding="utf-8")
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
            found = [folder / name for folder in self.folders if (folder / name).is_file()]
            if not found:
                self.file(name)  # raises the error that names the missing file
            paths.extend(found[:1] if self.info.replace else reversed(found))
        return paths

    @cached_property
    def environment(self) -> jinja2.Environment:
        import jinja2  # only the HTML and PDF writers need it

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
    return sorted(p.name for p in BUILTIN_ROOT.iterdir() if p.is_dir() and p.name[0] != "_")


def find_template(project: Project, name: str) -> Template:
    own = project.templates_dir / name
    folders: list[Path] = []
    info: TemplateInfo | None = None
    if own.is_dir():
        if not project.contains(own):
            shown = project.relative(own)
            raise TemplateError(f"template folder {shown} points outside the project")
        folders.append(own.resolve())
        info = _read_info(own / "template.toml", project)
    base = BUILTIN_ROOT / ((info.extends if info else None) or name)
    if base.is_dir() and not base.name.startswith("_"):
        folders.append(base)
        info = info or _read_info(base / "template.toml", project)
    if not folders:
        known = sorted({*builtin_names(), *_project_names(project)})
        raise TemplateError(
            f"no template '{name}' in templates/ or built in; available: {', '.join(known)}"
        )
    folders.append(SHARED)
    return Template(name, tuple(folders), project.root, info or TemplateInfo(name=name))


def _read_info(path: Path, project: Project) -> TemplateInfo | None:
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"invalid template.toml: {exc}", file=project.relative(path)) from None
    errors: list[v.Error] = []
    info = v.build(TemplateInfo, data, (), errors)
    if info is None:
        error = errors[0]
        where = "" if error.about_key or not error.loc else f"{v.dotted(error.loc)}: "
        message = f"invalid template.toml: {where}{error.message}"
        line = toml_lines(text).get(tuple(error.loc)) if error.loc else None
        raise TemplateError(message, file=project.relative(path), line=line)
    return info


def _project_names(project: Project) -> list[str]:
    if not project.templates_dir.is_dir():
        return []
    return [p.name for p in project.templates_dir.iterdir() if p.is_dir()]
