"""Validate every briefing asked for, then build each one's outputs."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefwright import model as m
from briefwright.assemble import assemble
from briefwright.build.output import write_atomic
from briefwright.errors import (
    BriefwrightError,
    Problem,
    RenderError,
    Reporter,
    SpecError,
    UsageError,
)
from briefwright.project import Project
from briefwright.readers.sources import load_sources
from briefwright.spec.briefing import LoadedBriefing, check_references, did_you_mean, load_briefing
from briefwright.spec.classify import check_ceiling
from briefwright.spec.schema import NAME_PATTERN
from briefwright.templates import Template, find_template


@dataclass(frozen=True)
class Plan:
    """What a build will do, known to be valid before anything is rendered."""

    briefings: tuple[LoadedBriefing, ...]
    sources: dict[str, m.Source]
    templates: dict[str, Template]


@dataclass(frozen=True)
class Built:
    briefing: str
    output_format: str
    path: Path
    seconds: float
    sha256: str = ""
    pages: int | None = None
    cached: bool = False  # up to date: not rebuilt

    @property
    def key(self) -> str:
        return f"{self.briefing}.{self.output_format}"


def shard_of(files: Sequence[Path], shard: tuple[int, int] | None) -> list[Path]:
    """The K-th of N parts of the briefings: by sorted name, every N-th from the K-th, so the
    parts are balanced, disjoint, cover everything, and do not depend on disk order."""
    ordered = sorted(files, key=lambda path: path.stem)
    if shard is None:
        return ordered
    k, n = shard
    return [path for index, path in enumerate(ordered) if index % n == k - 1]


def select_briefings(project: Project, names: Sequence[str]) -> list[Path]:
    """Briefing files named on the command line (paths or names), or all of them."""
    available = project.briefing_files()
    if not names:
        return available
    by_stem = {p.stem: p for p in available}
    chosen: list[Path] = []
    for name in names:
        path = Path(name)
        candidate = path.resolve() if path.suffix in (".yaml", ".yml") else None
        if candidate is not None and candidate in [p.resolve() for p in available]:
            chosen.append(candidate)
        elif name in by_stem:
            chosen.append(by_stem[name])
        else:
            hint = did_you_mean(path.stem, list(by_stem))
            raise UsageError(f"no briefing '{name}' in {project.briefings_dir}{hint}")
    return list(dict.fromkeys(chosen))


def plan_build(project: Project, files: Sequence[Path], reporter: Reporter) -> Plan:
    """Load sources and briefings and check every reference; raise with all problems at once."""
    warnings: list[Problem] = []
    sources, problems = load_sources(project, warnings)
    problems.extend(_output_problems(project))
    briefings: list[LoadedBriefing] = []
    templates: dict[str, Template] = {}
    for file in files:
        try:
            briefing = load_briefing(file, project, warnings)
        except BriefwrightError as exc:
            problems.extend(exc.problems)
            continue
        references = check_references(briefing, sources)
        problems.extend(references or check_ceiling(briefing, sources, project))
        briefings.append(briefing)
        name = briefing.spec.template
        try:
            templates.setdefault(name, find_template(project, name))
        except BriefwrightError as exc:
            line = briefing.doc.line_of(("template",))
            problems.extend(Problem(p.message, briefing.file, line) for p in exc.problems)
    if problems:
        raise SpecError.from_problems(problems)
    for warning in warnings:
        reporter.add(warning)
    return Plan(tuple(briefings), sources, templates)


def _output_problems(project: Project) -> list[Problem]:
    """Names that cannot be outputs, and briefings that would write the same output file."""
    problems: list[Problem] = []
    output = project.output_dir
    if output.exists() and (not output.is_dir() or not project.contains(output)):
        message = "must be a folder inside the project (not a file or a link to elsewhere)"
        problems.append(Problem(message, project.relative(output)))
    by_name: dict[str, Path] = {}
    for path in project.briefing_files():
        shown = project.relative(path)
        if not re.fullmatch(NAME_PATTERN, path.stem):
            message = "briefing file names may hold only letters, digits, '-' and '_'; rename it"
            problems.append(Problem(message, shown))
            continue
        other = by_name.setdefault(path.stem.lower(), shown)
        if other != shown:
            message = f"writes the same outputs as {other} (names differ only in case or suffix)"
            problems.append(Problem(message + "; rename one", shown))
    return problems


def build_briefing(
    project: Project,
    plan: Plan,
    briefing: LoadedBriefing,
    formats: Sequence[str] | None,
    reporter: Reporter,
) -> list[Built]:
    """Assemble one briefing and write each of its outputs atomically."""
    from briefwright.writers import get_writer  # writers import WeasyPrint / python-docx

    problems: list[Problem] = []
    document = assemble(briefing, plan.sources, project, problems)
    for problem in problems:
        reporter.add(problem)
    template = plan.templates[briefing.spec.template]
    results: list[Built] = []
    for output_format in formats or briefing.spec.formats:
        started = time.perf_counter()
        try:
            rendered = get_writer(output_format)(document, template, reporter)
        except (BriefwrightError, MemoryError):
            raise
        except Exception as exc:  # a bug or a library failure: name the briefing, not a traceback
            message = f"{output_format} writer failed: {exc.__class__.__name__}: {exc}"
            raise RenderError(message, file=briefing.file) from exc
        path = project.output_dir / f"{briefing.name}.{output_format}"
        write_atomic(path, rendered.data)
        seconds = time.perf_counter() - started
        digest = hashlib.sha256(rendered.data).hexdigest()
        built = Built(briefing.name, output_format, path, seconds, digest, rendered.pages)
        results.append(built)
    return results
