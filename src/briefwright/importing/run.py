"""`brief import`, the whole of it: read every input, remove clutter, decide each source's ID,
marking and front matter, then (unless a dry run) write them. Every input is read and checked
before anything is written, so a failing input leaves the project as it was."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefwright.dates import environment_date
from briefwright.errors import BriefwrightError, ImportFailed, MarkingError, Problem, UsageError
from briefwright.importing import clutter, frontmatter, marking_floor, write
from briefwright.importing.load import Input, is_url, load_input, reader_module
from briefwright.importing.model import Imported, ImportedImage, Removed
from briefwright.importing.sniff import KIND_NAMES, READERS, sniff
from briefwright.markings import parse_marking
from briefwright.project import Project
from briefwright.readers.sources import MAX_SOURCE_BYTES, slugify

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # as build/select.py's NAME_PATTERN
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_WORD = re.compile(r"\w[\w'\u2019-]*")


@dataclass(frozen=True)
class ImportOptions:
    inputs: tuple[str, ...]
    id: str | None = None
    title: str | None = None
    marking: str | None = None
    origin: str | None = None
    into: str | None = None
    force: bool = False
    dry_run: bool = False
    fetch_images: bool = False


@dataclass
class Result:
    """One input imported (or, in a dry run, that would be)."""

    input: str
    output: Path  # relative to the project
    kind: str
    sections: int
    words: int
    text: str  # the source file's whole text
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    images: list[tuple[Path, bytes]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "input": self.input,
            "output": self.output.as_posix(),
            "kind": self.kind,
            "sections": self.sections,
            "words": self.words,
            "unchanged": self.unchanged,
            "removed": [{"text": r.text, "rule": r.rule, "line": r.line} for r in self.removed],
            "warnings": self.warnings,
        }


def run_import(project: Project, options: ImportOptions) -> list[Result]:
    _check_options(options)
    folder = write.target_folder(project.sources_dir, options.into)
    rules = clutter.compile_rules(project.config.import_.remove)
    taken: set[Path] = set()
    results: list[Result] = []
    problems: list[Problem] = []
    for name in options.inputs:
        try:
            results.append(_prepare(project, options, folder, rules, name, taken))
        except UsageError:
            raise
        except BriefwrightError as exc:
            problems.extend(_located(exc.problems, name))
    if problems:
        raise ImportFailed.from_problems(problems)
    if not options.dry_run:
        for result in results:
            _write(project, result)
    return results


def _located(problems: tuple[Problem, ...], name: str) -> list[Problem]:
    """A URL as given: as a Path (the type of `Problem.file`) it would read `https:/host`."""
    if not is_url(name):
        return list(problems)
    return [
        Problem(f"{name}: {p.message}") if p.file == Path(name) and p.line is None else p
        for p in problems
    ]


def _check_options(options: ImportOptions) -> None:
    if options.id is not None and not ID_PATTERN.match(options.id):
        raise UsageError(
            f"--id {options.id!r} must be letters, digits, '-' and '_', starting with a letter "
            "or digit (no '/' or '.')"
        )
    several = len(options.inputs) > 1
    for flag, value in (
        ("--id", options.id),
        ("--title", options.title),
        ("--origin", options.origin),
    ):
        if several and value is not None:
            raise UsageError(f"{flag} applies to one input; import the files one at a time")


def _prepare(
    project: Project,
    options: ImportOptions,
    folder: Path,
    rules: list[clutter.CompiledRule],
    name: str,
    taken: set[Path],
) -> Result:
    given = load_input(name)
    shown = Path(name)
    try:
        kind = sniff(given.data, given.origin)
    except ImportFailed as exc:
        raise ImportFailed(exc.problems[0].message, file=shown) from None
    reader = reader_module(READERS[kind], f"{KIND_NAMES.get(kind, kind.upper())} files", shown)
    imported: Imported = reader.read(given.data, name)
    body, removed = clutter.remove_clutter(imported.markdown, rules)
    if kind in ("text", "markdown"):
        removed = _input_lines(removed, given.data)
    title = options.title or imported.title or _first_heading(body) or Path(given.origin).stem
    path = _target(project, options, folder, title, taken, given, shown)
    marking = _marking(project, options, imported, shown)
    if kind == "markdown":
        _check_floor(project, options, imported, body, given.data, shown)
    if options.fetch_images:
        imported, body = _fetched_images(imported, body, given, kind, path.stem)
    sha = hashlib.sha256(given.data).hexdigest()
    origin = options.origin or given.origin
    existing = write.existing_text(path, project.relative(path))
    date = environment_date().date
    recorded_sha, recorded_date = frontmatter.recorded(existing or "")
    if existing is not None and recorded_sha == sha and recorded_date is not None:
        date = recorded_date  # same bytes again: the same file, dated as first imported
    keys = frontmatter.front_matter(
        imported, title=title, origin=origin, date=date, sha256=sha, marking=marking
    )
    text = frontmatter.source_text(keys, body)
    rel = project.relative(path)
    _check_size(text, shown)
    unchanged = existing == text
    if existing is not None and not unchanged and not options.force:
        raise ImportFailed(
            f"{rel.as_posix()} exists and differs; pass --force to replace it, or --id to "
            "import under another name",
            file=shown,
        )
    return Result(
        input=name,
        output=rel,
        kind=kind,
        sections=sum(1 for line in body.split("\n") if _HEADING.match(line)),
        words=len(_WORD.findall(body)),
        text=text,
        removed=[*imported.removed, *removed],
        warnings=list(imported.warnings),
        unchanged=unchanged,
        images=_images(project, path.parent, imported.images),
    )


def _fetched_images(
    imported: Imported, body: str, given: Input, kind: str, stem: str
) -> tuple[Imported, str]:
    """A web page's images fetched beside the source (`--fetch-images`), through the same
    limits as the page; any other input keeps its images as they are, with a warning."""
    name = given.name
    if not is_url(name) or kind != "html":
        warning = f"{name}: --fetch-images applies to web pages given by URL; nothing fetched"
        return replace(imported, warnings=[*imported.warnings, warning]), body
    web_images = reader_module("web_images", "web page images", Path(name))
    fetched: Imported = web_images.fetch_images(
        replace(imported, markdown=body), given.origin, f"img/{stem}"
    )
    return fetched, fetched.markdown


def _target(
    project: Project,
    options: ImportOptions,
    folder: Path,
    title: str,
    taken: set[Path],
    given: Input,
    shown: Path,
) -> Path:
    """sources/ID.md: the --id, else the slug of the title, numbered past any source that
    another document (another input's bytes) was imported to."""
    if options.id is not None:
        path = folder / f"{options.id}.md"
        taken.add(path)
        return path
    base = slugify(title)[:80].strip("-") or "source"
    sha = hashlib.sha256(given.data).hexdigest()
    number = 1
    while True:
        path = folder / (f"{base}.md" if number == 1 else f"{base}-{number}.md")
        number += 1
        if path in taken:
            continue
        existing = write.existing_text(path, project.relative(path))
        ours = existing is not None and frontmatter.recorded(existing)[0] == sha
        if existing is None or ours or options.force:
            taken.add(path)
            return path


def _marking(
    project: Project, options: ImportOptions, imported: Imported, shown: Path
) -> str | None:
    """--marking, else what the input says, else the project's configured default; an error
    when the project marks sources and none of them says anything."""
    text = options.marking or imported.marking
    if text is None and project.scheme is not None:
        text = project.config.markings.default
        if text is None:
            raise UsageError(
                f"the project marks its sources ({project.scheme.name} scheme) and this input "
                "says nothing of its marking; pass --marking LEVEL or set [markings] default "
                "in briefwright.toml",
                file=shown,
            )
    if text is None:
        return None
    try:
        parse_marking(text, project.scheme, "--marking" if options.marking else str(shown))
    except MarkingError as exc:
        raise UsageError(exc.problems[0].message, file=None if options.marking else shown) from None
    return text


def _check_floor(
    project: Project,
    options: ImportOptions,
    imported: Imported,
    body: str,
    data: bytes,
    shown: Path,
) -> None:
    """A Markdown input may say its own marking, and mark its sections: --marking may not
    lower either (the other readers write no marking of the input's)."""
    scheme = project.scheme
    if options.marking is None or scheme is None:
        return
    floor = parse_marking(options.marking, scheme, "--marking")
    original = data.decode("utf-8", "replace")
    problems = marking_floor.below_floor(body, floor, scheme, shown, original)
    if imported.marking is not None:
        try:
            own = parse_marking(imported.marking, scheme, str(shown))
        except MarkingError as exc:
            raise ImportFailed(exc.problems[0].message, file=shown) from None
        if scheme.rank(own.level) > scheme.rank(floor.level):
            problems.insert(
                0,
                Problem(
                    f"the input's front matter marks it {own.text()}, higher than --marking "
                    f"{floor.text()}; an import may not lower a document's marking: pass "
                    f"--marking {own.text()} or leave --marking out",
                    shown,
                    marking_floor.key_line(original, "marking"),
                ),
            )
    if problems:
        raise ImportFailed.from_problems(problems)


def _first_heading(body: str) -> str | None:
    for line in body.split("\n"):
        if _HEADING.match(line):
            return line.lstrip().lstrip("#").strip() or None
    return None


def _check_size(text: str, shown: Path) -> None:
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        limit = MAX_SOURCE_BYTES // 1024 // 1024
        raise ImportFailed(
            f"the imported source would be larger than the {limit} MiB a source may be; "
            "split the input",
            file=shown,
        )


def _images(
    project: Project, folder: Path, images: list[ImportedImage]
) -> list[tuple[Path, bytes]]:
    return [(write.image_path(folder, image, project.sources_dir), image.data) for image in images]


def _input_lines(removed: list[Removed], data: bytes) -> list[Removed]:
    """Removed lines numbered as in the input (the Markdown's numbers mean nothing to a person
    holding the text file), where the line is found there."""
    originals = data.decode("utf-8-sig", "replace").splitlines()
    lines = [_letters(line) for line in originals]
    start = 0
    located: list[Removed] = []
    for item in removed:
        key = _letters(item.text)
        found = next((i for i in range(start, len(lines)) if key and lines[i] == key), None)
        if found is None:
            located.append(replace(item, line=None))
            continue
        located.append(replace(item, text=originals[found].strip(), line=found + 1))
        start = found + 1
    return located


def _letters(text: str) -> str:
    return "".join(c for c in clutter.plain(text).casefold() if c.isalnum())


def _write(project: Project, result: Result) -> None:
    if result.unchanged:
        return
    write.write_images(result.images, project.root)
    write.write_source(project.root / result.output, result.text, result.output)
