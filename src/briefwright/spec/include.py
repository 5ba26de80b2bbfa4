"""`include:` items: another file's section list inserted where the item stands.

An included file lives in briefings/ (a path relative to it; outside it is refused) and is a
YAML list of section items, or a mapping whose `sections` is one. Files in subfolders of
briefings/ (briefings/annexes/) are never built as briefings, so shared lists go there; a
briefing (briefings/NAME.yaml) may be included too, its `sections` taken and its other keys
left to it. Includes nest; a cycle is an error naming the chain of FILE:LINE that makes it.
Every item keeps where it was written (`Origin`), for messages and for the build's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from briefwright.errors import Problem, SourceError, SpecError
from briefwright.project import Project
from briefwright.readers.files import UnreadableFileError, read_regular, size_text
from briefwright.readers.text import decode_utf8, replace_forbidden
from briefwright.readers.yamlfile import MAX_YAML_BYTES, YamlDocument, load_yaml
from briefwright.spec.schema import SectionItem, SectionList, validate

MAX_DEPTH = 16  # includes within includes: deeper is a mistake, and stays cheap to refuse
# section items after expansion: one file included many times at many depths could otherwise
# multiply into billions (as a YAML alias bomb); no briefing a person reads has more
MAX_ITEMS = 5000
Step = tuple[Path, int]  # an include item: the file it is in and its line


@dataclass(frozen=True)
class Origin:
    """Where a section item was written: its document and key path there, and the include
    items (outermost first) that brought it into the briefing."""

    doc: YamlDocument
    path: tuple[str | int, ...]
    chain: tuple[Step, ...] = ()

    @property
    def file(self) -> Path:
        return self.doc.file

    def line(self, key: str | None = None) -> int:
        return self.doc.line_of(self.path if key is None else (*self.path, key))

    def via(self) -> str:
        """' (included from briefings/a.yaml:12)' for an included item; '' for the briefing's."""
        if not self.chain:
            return ""
        steps = " from ".join(f"{file}:{line}" for file, line in reversed(self.chain))
        return f" (included from {steps})"


@dataclass(frozen=True)
class _Included:
    items: list[SectionItem]
    origins: list[Origin]
    files: list[Path]  # every file read, in order, for the build's inputs


@dataclass
class _Reads:
    """One briefing's expansion: each file read once, and the items made so far."""

    loaded: dict[Path, tuple[list[SectionItem], YamlDocument] | None]
    items: int = 0
    over: bool = False  # MAX_ITEMS passed: stop, and say so once


def expand_includes(
    items: list[SectionItem], doc: YamlDocument, project: Project, problems: list[Problem]
) -> tuple[list[SectionItem], list[Origin], list[Path]]:
    """The briefing's items with every `include` replaced by the items it names, each with
    its origin, and the included files; raises SpecError naming every problem found."""
    errors: list[Problem] = []
    found = _expand(items, doc, (), project, problems, errors, _Reads({}))
    if errors:
        raise SpecError.from_problems(list(dict.fromkeys(errors)))
    return found.items, found.origins, list(dict.fromkeys(found.files))


def _expand(
    items: list[SectionItem],
    doc: YamlDocument,
    chain: tuple[Step, ...],
    project: Project,
    warnings: list[Problem],
    errors: list[Problem],
    reads: _Reads,
) -> _Included:
    result = _Included([], [], [])
    for index, item in enumerate(items):
        origin = Origin(doc, ("sections", index), chain)
        if item.include is None:
            reads.items += 1
            result.items.append(item)
            result.origins.append(origin)
            continue
        step = (doc.file, origin.line("include"))
        if reads.items > MAX_ITEMS:  # said once, where it happened; the includes around stop
            if not reads.over:
                message = f"include '{item.include}' makes more than {MAX_ITEMS} section items"
                errors.append(Problem(message + origin.via(), *step))
            reads.over = True
            break
        loaded = _load_included(item.include, (*chain, step), project, warnings, errors, reads)
        if loaded is None:
            continue
        inner_items, inner_doc = loaded
        inner = _expand(inner_items, inner_doc, (*chain, step), project, warnings, errors, reads)
        result.items.extend(inner.items)
        result.origins.extend(inner.origins)
        result.files.extend([inner_doc.file, *inner.files])
    return result


def _load_included(
    name: str,
    chain: tuple[Step, ...],
    project: Project,
    warnings: list[Problem],
    errors: list[Problem],
    reads: _Reads,
) -> tuple[list[SectionItem], YamlDocument] | None:
    """The items of the file `name` (relative to briefings/), or None with the reason added
    to `errors` at the include item's line (a file's own problems: the first time it is read)."""
    file, line = chain[-1]
    where = "".join(f" (included from {f}:{n})" for f, n in reversed(chain[:-1]))

    def refuse(message: str) -> None:
        errors.append(Problem(f"include '{name}' {message}{where}", file, line))

    path, reason = _included_path(name, project)
    if path is None:
        refuse(reason)
        return None
    shown = project.relative(path)
    if shown in [f for f, _ in chain]:
        errors.append(Problem(_cycle(chain, shown), *chain[0]))
        return None
    if len(chain) > MAX_DEPTH:
        refuse(f"is more than {MAX_DEPTH} includes deep; flatten the chain")
        return None
    if path not in reads.loaded:
        reads.loaded[path] = _read(path, shown, chain, project, warnings, errors)
    return reads.loaded[path]


def _read(
    path: Path,
    shown: Path,
    chain: tuple[Step, ...],
    project: Project,
    warnings: list[Problem],
    errors: list[Problem],
) -> tuple[list[SectionItem], YamlDocument] | None:
    def refuse(message: str) -> None:
        errors.append(Problem(f"include '{shown}' {message}{_via(chain[:-1])}", *chain[-1]))

    try:
        text = decode_utf8(read_regular(path, 2 * MAX_YAML_BYTES + 3), shown)
        text, replaced = replace_forbidden(text, shown)
        warnings.extend(replaced)
        doc = load_yaml(text, shown)
        warnings.extend(doc.warnings)
        return _items(doc, project)
    except UnreadableFileError as exc:
        large = f"is larger than {size_text(MAX_YAML_BYTES)}; split it"
        refuse(large if exc.too_large else exc.reason)
    except (SpecError, SourceError) as exc:
        errors.extend(p._replace(message=p.message + _via(chain)) for p in exc.problems)
    return None


def _cycle(chain: tuple[Step, ...], again: Path) -> str:
    """'includes briefings/annexes/x.yaml:3 includes briefings/a.yaml: ...', said at the
    first include item of the chain (the briefing's own line)."""
    listed = " includes ".join([*(f"{file}:{line}" for file, line in chain[1:]), str(again)])
    return f"includes {listed}: an include cycle; remove one of these includes"


def _via(chain: tuple[Step, ...]) -> str:
    """' (included from briefings/b.yaml:4 from briefings/a.yaml:3)'; '' for no chain."""
    if not chain:
        return ""
    return " (included from " + " from ".join(f"{f}:{n}" for f, n in reversed(chain)) + ")"


def _included_path(name: str, project: Project) -> tuple[Path | None, str]:
    """The included file inside briefings/, or why `name` cannot be one."""
    posix = PurePosixPath(name)
    if "\\" in name or "\x00" in name or posix.is_absolute() or ".." in posix.parts:
        return None, "must be a path relative to briefings/, without '..'"
    if posix.suffix not in (".yaml", ".yml"):
        return None, "must name a .yaml or .yml file"
    path = project.briefings_dir / posix
    if not path.resolve().is_relative_to(project.briefings_dir.resolve()):
        return None, "leads outside briefings/ (through a link)"
    if not path.is_file():
        return None, "does not exist in briefings/ (or is not a regular file)"
    return path, ""


def _items(doc: YamlDocument, project: Project) -> tuple[list[SectionItem], YamlDocument]:
    """The items of an included file: a list of section items, or a mapping with `sections`
    (only that key, unless the file is a briefing, whose other keys are its own)."""
    value = doc.value
    if isinstance(value, list):
        lines = {("sections", *key): line for key, line in doc.lines.items()}
        doc = replace(doc, value={"sections": value}, lines={(): 1, **lines})
    elif isinstance(value, dict) and doc.file.parent == project.relative(project.briefings_dir):
        doc = replace(doc, value={"sections": value.get("sections")})
    if not isinstance(doc.value, dict):
        message = "an included file must be a list of section items, or a mapping with 'sections'"
        raise SpecError(message, file=doc.file, line=1)
    return validate(SectionList, doc).sections, doc  # its lines under `sections` either way
