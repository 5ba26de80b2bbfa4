"""Jinja for templates: a sandbox, a loader that reads only confined files, and errors that
name the template file and line.

A template arrives with a shared repository, so it is not trusted as code: it renders in
Jinja's SandboxedEnvironment (no attributes starting with '_', no unsafe methods, bounded
`range`), with autoescaping and StrictUndefined. Any failure while compiling or rendering
becomes one TemplateError at `templates/NAME/FILE:LINE` (or `builtin:NAME/FILE:LINE`).
Imported only by the HTML and PDF writers and by the plan when it compiles a template.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from briefwright.errors import BriefwrightError, TemplateError
from briefwright.readers.files import MAX_SMALL_FILE_BYTES, UnreadableFileError, read_text
from briefwright.template_paths import BUILTIN_ROOT, OUTSIDE, is_confined, name_problem, shown

if TYPE_CHECKING:
    from briefwright.templates import Template

BUILTIN_NAME = "builtin/"  # `{% extends "builtin/briefing/briefing.html.j2" %}`


class RefusedFileError(jinja2.TemplateError):
    """A file the loader will not read; located at the tag that asked for it."""


class ConfinedLoader(jinja2.BaseLoader):
    """Files of the template's folders (most specific first), and of the built-in templates
    under `builtin/`; each one read only if it resolves inside the project or built in."""

    def __init__(self, folders: tuple[Path, ...], project_root: Path):
        self.folders = folders
        self.project_root = project_root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        problem = name_problem(template)
        if problem:
            raise RefusedFileError(f"template file name {template!r} {problem}")
        folders, rest = self.folders, template
        if template.startswith(BUILTIN_NAME):
            folders, rest = (BUILTIN_ROOT,), template.removeprefix(BUILTIN_NAME)
        for folder in folders:
            path = folder / rest
            try:
                if not path.is_file():
                    continue
            except OSError:  # a name too long for the file system is no file of ours
                continue
            return self._read(path)
        raise jinja2.TemplateNotFound(template)

    def _read(self, path: Path) -> tuple[str, str, Callable[[], bool]]:
        where = shown(path, self.project_root)
        if not is_confined(path, self.project_root):
            raise RefusedFileError(f"{where} {OUTSIDE}")
        try:
            source = read_text(path, MAX_SMALL_FILE_BYTES)
            mtime = path.stat().st_mtime
        except UnreadableFileError as exc:
            raise RefusedFileError(f"{where} {exc.reason}") from None
        except UnicodeDecodeError:
            raise RefusedFileError(f"{where} is not UTF-8 text") from None
        return source, str(path), lambda: path.stat().st_mtime == mtime


def environment(
    folders: tuple[Path, ...],
    project_root: Path,
    kind: type[jinja2.Environment] = SandboxedEnvironment,
) -> jinja2.Environment:
    """The templates' environment; `kind` other than the sandbox only for bench/sandbox_cost.py,
    which measures what the sandbox costs."""
    # Every template is HTML, whatever its suffix, so escaping is always on.
    return kind(
        loader=ConfinedLoader(folders, project_root),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def compile_file(template: Template, name: str) -> None:
    """Load and compile `name` (not what it includes: rendering finds those)."""
    try:
        template.environment.get_template(name)
    except (BriefwrightError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise template_error(exc, template) from None


def render_file(template: Template, name: str, context: Mapping[str, Any]) -> str:
    try:
        return template.environment.get_template(name).render(context)
    except (BriefwrightError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # whatever the template's code raised: name its file and line
        raise template_error(exc, template) from None


def template_error(exc: Exception, template: Template) -> TemplateError:
    """One located error for a failure in Jinja: a syntax error where Jinja found it, any
    other at the innermost template line that was running."""
    root = template.project_root
    if isinstance(exc, jinja2.TemplateSyntaxError):
        at = shown(Path(exc.filename), root) if exc.filename else template.folders[0]
        return TemplateError(f"template syntax error: {exc.message}", file=at, line=exc.lineno)
    file, line = _running_line(exc, template)
    if isinstance(exc, jinja2.TemplateNotFound):  # unplaced: the briefing that names it is
        message = f"template '{template.name}' has no {exc.name}"
        return TemplateError(message, file=file, line=line)
    file = file or shown(template.folders[0], root)
    if isinstance(exc, RefusedFileError):
        message = exc.message or "template file refused"
    elif isinstance(exc, SecurityError):
        message = f"unsafe template code refused by the sandbox: {exc}"
    elif isinstance(exc, jinja2.TemplateError):
        message = f"template error: {exc.message or exc.__class__.__name__}"
    else:
        message = f"template error: {exc.__class__.__name__}: {exc}"
    return TemplateError(message, file=file, line=line)


def _running_line(exc: Exception, template: Template) -> tuple[Path | None, int | None]:
    """The innermost frame of template code in the traceback (Jinja rewrites its frames to
    the template's file and line)."""
    folders = (*template.folders, BUILTIN_ROOT)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix != ".py" and any(path.is_relative_to(f) for f in folders):
            return shown(path, template.project_root), frame.lineno
    return None, None
