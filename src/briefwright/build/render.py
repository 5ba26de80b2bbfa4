"""Build one validated briefing: assemble its document once, write each output atomically."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefwright.assemble import assemble
from briefwright.build.output import write_atomic
from briefwright.build.plan import Plan
from briefwright.build.records import OutputKey, sha256_hex
from briefwright.errors import BriefwrightError, Problem, RenderError, Reporter, StrictError
from briefwright.fonts import missing_font_problems
from briefwright.project import Project
from briefwright.spec.briefing import LoadedBriefing


@dataclass(frozen=True)
class Built:
    """An output that is on disk and right: written now, or up to date (`cached`)."""

    key: OutputKey
    path: Path
    seconds: float
    sha256: str
    pages: int | None
    warnings: tuple[Problem, ...] = ()  # everything said while making it
    cached: bool = False


@dataclass
class Outcome:
    """What happened to one briefing."""

    briefing: str
    file: Path
    built: list[Built] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # to show: live and recorded
    recorded: set[Problem] = field(default_factory=set)  # those of `warnings` said earlier
    errors: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # not started: an earlier briefing failed under --fail-fast
    out_of_memory: bool = False  # the worker's heap hit its limit: not trusted any more

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_warnings(self, problems: Sequence[Problem], recorded: bool = False) -> None:
        for problem in problems:
            if problem not in self.warnings:
                self.warnings.append(problem)
                if recorded:
                    self.recorded.add(problem)


def strict_failure(problem: Problem, recorded: bool = False) -> Problem:
    note = "--strict; recorded when last built" if recorded else "--strict"
    return Problem(f"{problem.message} ({note})", problem.file, problem.line)


def build_one(
    project: Project, plan: Plan, index: int, formats: Sequence[str], strict: bool
) -> Outcome:
    """Build plan.briefings[index]'s `formats`, turning every failure into an Outcome error."""
    briefing = plan.briefings[index]
    outcome = Outcome(briefing.name, briefing.file)
    started = time.perf_counter()
    try:
        outcome.built = _build(project, plan, briefing, formats, strict)
        for built in outcome.built:
            outcome.add_warnings(built.warnings)
    except BriefwrightError as exc:
        outcome.errors.extend(exc.problems)
    except MemoryError:
        message = "ran out of memory (the per-document limit is set with --memory-limit)"
        outcome.errors.append(Problem(message, briefing.file))
        outcome.out_of_memory = True
    except RecursionError:
        message = "nested too deeply to render; flatten the deepest lists or quotes"
        outcome.errors.append(Problem(message, briefing.file))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _build(
    project: Project,
    plan: Plan,
    briefing: LoadedBriefing,
    formats: Sequence[str],
    strict: bool,
) -> list[Built]:
    from briefwright.writers import get_writer  # writers import WeasyPrint / python-docx

    known = plan.warnings.get(briefing.name, ())
    if strict and known:
        raise StrictError.from_problems(strict_failure(p) for p in known)
    problems: list[Problem] = []
    document = assemble(briefing, plan.sources.found, project, problems)
    for problem in missing_font_problems(document, _text_files(project.root, plan, briefing)):
        where = project.relative(problem.file) if problem.file else None
        problems.append(problem._replace(file=where))
    shared = [*known, *problems]
    if strict and problems:
        raise StrictError.from_problems(strict_failure(p) for p in problems)
    template = plan.templates[briefing.spec.template]
    results: list[Built] = []
    for output_format in formats:
        reporter = Reporter(strict=strict)
        started = time.perf_counter()
        try:
            rendered = get_writer(output_format)(document, template, reporter)
        except (BriefwrightError, MemoryError, RecursionError):
            raise
        except Exception as exc:  # a bug or a library failure: name the briefing, not a traceback
            message = f"{output_format} writer failed: {exc.__class__.__name__}: {exc}"
            raise RenderError(message, file=briefing.file) from exc
        key = OutputKey(briefing.name, output_format)
        path = project.output_dir / key.file_name
        write_atomic(path, rendered.data, shown=project.relative(path))
        seconds = time.perf_counter() - started
        warnings = tuple(dict.fromkeys([*shared, *reporter.warnings]))
        digest = sha256_hex(rendered.data)
        results.append(Built(key, path, seconds, digest, rendered.pages, warnings))
    return results


def _text_files(plan_root: Path, plan: Plan, briefing: LoadedBriefing) -> list[Path]:
    """Where the briefing's text comes from: its sources in the order it uses them, then the
    briefing itself (titles, text items)."""
    found = plan.sources.found
    used = [item.source_id for item in briefing.spec.sections if item.text is None]
    paths = [*(found[s].path for s in used if s in found), briefing.file]
    return [p if p.is_absolute() else plan_root / p for p in paths]
