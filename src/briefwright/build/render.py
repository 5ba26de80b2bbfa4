"""Build one validated briefing: assemble its document once, write each output atomically."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from briefwright.assemble import ItemPart, assemble
from briefwright.build.output import write_atomic, write_folder_atomic
from briefwright.build.plan import Plan
from briefwright.build.records import THUMBNAILS, OutputKey, page_name, set_sha256, sha256_hex
from briefwright.citations import cite_briefing
from briefwright.errors import BriefwrightError, Problem, RenderError, Reporter, StrictError
from briefwright.fonts import missing_font_problems
from briefwright.model import Briefing
from briefwright.project import Project
from briefwright.provenance.manifest import manifest_sha256
from briefwright.readers.files import UnreadableFileError, read_regular
from briefwright.spec.briefing import LoadedBriefing
from briefwright.templates import Template

MAX_OUTPUT_BYTES = 1024 * 1024 * 1024  # a PDF of ours read back for its thumbnails


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
    manifest_sha256: str | None = None  # of the provenance manifest it carries (PDF, DOCX, HTML)


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
    project: Project,
    plan: Plan,
    index: int,
    formats: Sequence[str],
    strict: bool,
    fresh_pdf: str | None = None,
) -> Outcome:
    """Build plan.briefings[index]'s `formats` (THUMBNAILS among them: its page images),
    turning every failure into an Outcome error. `fresh_pdf`: the SHA-256 of an up-to-date
    PDF in output/ that thumbnails may be made from instead of rendering it again."""
    briefing = plan.briefings[index]
    outcome = Outcome(briefing.name, briefing.file)
    started = time.perf_counter()
    try:
        outcome.built = _build(project, plan, briefing, formats, strict, fresh_pdf)
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
    fresh_pdf: str | None = None,
) -> list[Built]:
    known = plan.warnings.get(briefing.name, ())
    if strict and known:
        raise StrictError.from_problems(strict_failure(p) for p in known)
    problems: list[Problem] = []
    parts: list[ItemPart] = []
    document = assemble(briefing, plan.sources.found, project, problems, parts=parts)
    document = cite_briefing(document, briefing, project, problems)
    document = with_manifest(document, briefing, parts, plan, project)
    for problem in missing_font_problems(document, _text_files(project.root, plan, briefing)):
        where = project.relative(problem.file) if problem.file else None
        problems.append(problem._replace(file=where))
    shared = [*known, *problems]
    if strict and problems:
        raise StrictError.from_problems(strict_failure(p) for p in problems)
    template = plan.templates[briefing.spec.template]
    results: list[Built] = []
    pdf: Rendering | None = None
    for output_format in formats:
        if output_format == THUMBNAILS:
            continue
        started = time.perf_counter()
        rendering = _render(document, template, briefing, output_format, strict)
        key = OutputKey(briefing.name, output_format)
        path = project.output_dir / key.file_name
        write_atomic(path, rendering.data, shown=project.relative(path))
        seconds = time.perf_counter() - started
        warnings = tuple(dict.fromkeys([*shared, *rendering.warnings]))
        digest = sha256_hex(rendering.data)
        stamp = manifest_sha256(document.meta.manifest) if document.meta.manifest else None
        results.append(
            Built(key, path, seconds, digest, rendering.pages, warnings, manifest_sha256=stamp)
        )
        if output_format == "pdf":
            pdf = rendering
    if THUMBNAILS in formats:
        started = time.perf_counter()
        if pdf is None:
            pdf = _fresh_pdf(project, briefing, fresh_pdf)
        if pdf is None:  # no PDF asked for, or none up to date: made for the images only
            pdf = _render(document, template, briefing, "pdf", strict)
        warnings = tuple(dict.fromkeys([*shared, *pdf.warnings]))
        results.append(_thumbnails(project, briefing, pdf.data, started, warnings))
    return results


def with_manifest(
    document: Briefing,
    briefing: LoadedBriefing,
    parts: list[ItemPart],
    plan: Plan,
    project: Project,
) -> Briefing:
    """The document carrying its provenance manifest, which every writer embeds."""
    from briefwright.provenance.collect import manifest_of
    from briefwright.provenance.manifest import to_json

    manifest = manifest_of(briefing, document, parts, plan, project)
    meta = replace(document.meta, manifest=to_json(manifest).decode())
    return replace(document, meta=meta)


class Rendering(NamedTuple):
    data: bytes
    pages: int | None
    warnings: tuple[Problem, ...]


def _render(
    document: Briefing,
    template: Template,
    briefing: LoadedBriefing,
    output_format: str,
    strict: bool,
) -> Rendering:
    from briefwright.writers import get_writer  # writers import WeasyPrint / python-docx

    reporter = Reporter(strict=strict)
    try:
        rendered = get_writer(output_format)(document, template, reporter)
    except (BriefwrightError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # a bug or a library failure: name the briefing, not a traceback
        message = f"{output_format} writer failed: {exc.__class__.__name__}: {exc}"
        raise RenderError(message, file=briefing.file) from exc
    return Rendering(rendered.data, rendered.pages, tuple(reporter.warnings))


def _fresh_pdf(project: Project, briefing: LoadedBriefing, sha256: str | None) -> Rendering | None:
    """The briefing's PDF in output/, if it is still the up-to-date one the build found."""
    if sha256 is None:
        return None
    path = project.output_dir / OutputKey(briefing.name, "pdf").file_name
    try:
        data = read_regular(path, MAX_OUTPUT_BYTES, follow_links=False)
    except UnreadableFileError:
        return None
    return Rendering(data, None, ()) if sha256_hex(data) == sha256 else None


def _thumbnails(
    project: Project,
    briefing: LoadedBriefing,
    pdf: bytes,
    started: float,
    warnings: tuple[Problem, ...],
) -> Built:
    """Write the page images of `pdf` to output/NAME/ (swapped in whole) and the contact
    sheet to output/NAME.pages.png."""
    from briefwright.writers.thumbnails import CONTACT_COLUMNS, PAGE_WIDTH_PX, thumbnails

    key = OutputKey(briefing.name, THUMBNAILS)
    assert key.folder_name is not None
    try:
        pages, sheet = thumbnails(pdf, width_px=PAGE_WIDTH_PX, columns=CONTACT_COLUMNS)
    except RenderError as exc:
        raise RenderError(f"thumbnails: {exc.problems[0].message}", file=briefing.file) from None
    files = {page_name(n): data for n, data in enumerate(pages, start=1)}
    folder = project.output_dir / key.folder_name
    write_folder_atomic(folder, files, shown=project.relative(folder))
    path = project.output_dir / key.file_name
    write_atomic(path, sheet, shown=project.relative(path))
    digest = set_sha256(sha256_hex(sheet), [(n, sha256_hex(d)) for n, d in sorted(files.items())])
    seconds = time.perf_counter() - started
    return Built(key, path, seconds, digest, len(pages), warnings)


def _text_files(plan_root: Path, plan: Plan, briefing: LoadedBriefing) -> list[Path]:
    """Where the briefing's text comes from: its sources in the order it uses them, then the
    briefing itself (titles, text items)."""
    found = plan.sources.found
    used = [item.source_id for item in briefing.spec.sections if item.text is None]
    paths = [*(found[s].path for s in used if s in found), briefing.file]
    return [p if p.is_absolute() else plan_root / p for p in paths]
