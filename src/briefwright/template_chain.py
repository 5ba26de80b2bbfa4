"""A template's folders, most specific first: the project's templates/NAME, the templates its
`extends` names in turn (project ones first, as for a briefing's `template:`), and the built-in
template that ends the chain.

`extends = "NAME"` in templates/NAME/template.toml names the built-in template of that name
(the usual way to restyle one). A name that is no template gets "did you mean"; a chain that
comes back to a template already in it is a cycle, named whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefwright.errors import TemplateError
from briefwright.project import Project
from briefwright.suggest import did_you_mean
from briefwright.template_info import INFO_NAME, ReadInfo, TemplateInfo, read_info
from briefwright.template_paths import BUILTIN_ROOT, folder_problems, shown


@dataclass(frozen=True)
class Chain:
    folders: tuple[Path, ...]  # most specific first, without the shared folder
    info: TemplateInfo | None  # the most specific template.toml
    # every name looked up in templates/: a project folder of one of them appearing later
    # changes the chain, so the build records list them all
    names: tuple[str, ...]


def builtin_names() -> list[str]:
    return sorted(p.name for p in BUILTIN_ROOT.iterdir() if p.is_dir() and p.name[0] != "_")


def project_names(project: Project) -> list[str]:
    if not project.templates_dir.is_dir():
        return []
    return sorted(p.name for p in project.templates_dir.iterdir() if p.is_dir())


def resolve_chain(project: Project, name: str) -> Chain:
    folders: list[Path] = []
    info: TemplateInfo | None = None
    seen: list[str] = []  # the project templates in the chain, in order
    current = name
    named_at: ReadInfo | None = None  # the template.toml whose `extends` named `current`
    while (project.templates_dir / current).is_dir():
        read = _project_template(project, current, folders)
        seen.append(current)
        info = info or (read.info if read else None)
        target = read.info.extends if read else None
        if target is None or target == current:  # the built-in template of the same name
            break
        if target in seen:
            cycle = " -> ".join([*seen[seen.index(target) :], target])
            message = f"extends '{target}' makes a cycle: {cycle}"
            raise TemplateError(message, file=read.shown if read else None, line=_line(read))
        current, named_at = target, read
    base = BUILTIN_ROOT / current
    if base.is_dir() and not current.startswith("_"):
        folders.append(base)
        builtin = read_info(base / INFO_NAME, shown(base / INFO_NAME, project.root))
        info = info or (builtin.info if builtin else None)
    elif named_at is not None:
        known = sorted({*builtin_names(), *project_names(project)})
        hint = did_you_mean(current, known)
        message = f"extends '{current}': no such template{hint} (available: {', '.join(known)})"
        raise TemplateError(message, file=named_at.shown, line=named_at.extends_line)
    elif not folders:
        known = sorted({*builtin_names(), *project_names(project)})
        raise TemplateError(
            f"no template '{name}' in templates/ or built in; available: {', '.join(known)}"
        )
    return Chain(tuple(folders), info, (*seen, current) if current not in seen else tuple(seen))


def _project_template(project: Project, name: str, folders: list[Path]) -> ReadInfo | None:
    """Check templates/NAME (confined, every file in it too), add it to `folders` and read
    its template.toml."""
    own = project.templates_dir / name
    if not project.contains(own):
        shown_folder = project.relative(own)
        raise TemplateError(f"template folder {shown_folder} points outside the project")
    problems = folder_problems(own, project.root)
    if problems:
        raise TemplateError.from_problems(problems)
    folders.append(own.resolve())
    return read_info(own / INFO_NAME, project.relative(own / INFO_NAME))


def _line(read: ReadInfo | None) -> int | None:
    return read.extends_line if read else None
