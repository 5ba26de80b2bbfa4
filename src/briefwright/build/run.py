"""A build: validate, remove what no briefing makes any more, then bring every output up to
date (in worker processes, pool.py, when there are several briefings to build), and record it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from briefwright.build.inputs import InputHasher
from briefwright.build.output import remove_file, remove_stale_temporaries
from briefwright.build.plan import Plan, check_project, plan_build
from briefwright.build.pool import Job, Limits, Pool
from briefwright.build.records import (
    LEGACY_NAMES,
    THUMBNAILS,
    Inputs,
    OutputKey,
    OutputRecord,
    Records,
    output_lock,
    output_unchanged,
    remove_recorded,
)
from briefwright.build.render import Built, Outcome, build_one, strict_failure
from briefwright.errors import Problem, RenderError
from briefwright.project import Project
from briefwright.spec.schema import BriefingSpec


@dataclass(frozen=True)
class BuildResult:
    outcomes: list[Outcome]
    inputs: dict[OutputKey, Inputs]  # what each output asked for depends on
    removed: list[OutputKey]  # outputs no briefing makes any more, deleted
    kept: list[OutputKey]  # such outputs left in place: changed since the builder wrote them
    project_warnings: list[Problem]
    project_errors: list[Problem]  # after building: the records could not be written


def run_build(
    project: Project,
    files: Sequence[Path],
    formats: Sequence[str] | None,
    *,
    jobs: int,
    strict: bool,
    limits: Limits,
    fail_fast: bool,
    force: bool = False,
    thumbnails: bool | None = None,
    variants: Sequence[str] = (),
    locked: bool = False,
    on_outcome: Callable[[Outcome], None],
) -> BuildResult:
    """Validate the briefing `files`, then build the outputs whose inputs changed. Raises only
    for problems of the project itself; a briefing's problems fail that briefing alone.
    `thumbnails`: make page images for every briefing (True), none (False), or those whose
    `thumbnails` key says so (None). `locked`: a unit changed since it was approved fails,
    unrendered, instead of warning (provenance/gate.py)."""
    asked = Asked(formats, thumbnails)
    check_project(project)  # an output/ that links elsewhere gets no lock file either
    with output_lock(project.output_dir):
        plan = plan_build(project, files, formats, thumbnails, variants, locked=locked)
        remove_stale_temporaries(project.output_dir)
        records, problem = Records.load(project.output_dir)
        warnings = [problem] if problem is not None else []
        _remove_legacy_records(project.output_dir)
        removed, kept = remove_recorded(records, _orphans(project, plan, records, asked))
        outcomes = [Outcome(r.name, r.file, errors=list(r.problems)) for r in plan.rejected]
        for outcome in outcomes:
            on_outcome(outcome)
        hasher = InputHasher(project, plan.templates)
        work, fresh, inputs = _stale_outputs(plan, hasher, records, asked, strict, force)
        for outcome in fresh:
            on_outcome(outcome)
        outcomes += fresh
        if fail_fast and plan.rejected:  # a failed briefing: start no more
            for job in work:
                skipped = plan.briefings[job.briefing]
                outcomes.append(Outcome(skipped.name, skipped.file, skipped=True))
            work = []
        outcomes += _run(project, plan, work, strict, limits, jobs, fail_fast, on_outcome)
        for outcome in outcomes:
            _record(records, plan, outcome, inputs)
        errors: list[Problem] = []
        if records.outputs or records.path.exists():
            try:  # also when nothing was built: sources' new bytes, removed outputs
                records.save()
            except RenderError as exc:  # the outputs stand; the next build redoes them all
                errors.extend(exc.problems)
    return BuildResult(outcomes, inputs, removed, kept, warnings, errors)


def _run(
    project: Project,
    plan: Plan,
    work: list[Job],
    strict: bool,
    limits: Limits,
    jobs: int,
    fail_fast: bool,
    on_outcome: Callable[[Outcome], None],
) -> list[Outcome]:
    from briefwright.provenance.git import git_state

    # the manifests' git state: asked afresh for each build (workers forked later inherit
    # it), never kept from an earlier build in the same process
    git_state.cache_clear()
    git_state(project.root.resolve())
    if len(work) == 1:
        job = work[0]
        outcome = build_one(project, plan, job.briefing, job.formats, strict, job.fresh_pdf)
        on_outcome(outcome)
        return [outcome]
    if not work:
        return []
    thumbnails = any(THUMBNAILS in job.formats for job in work)
    pool = Pool(project, plan, strict, limits, max(1, min(jobs, len(work))), thumbnails)
    try:
        return pool.run(work, fail_fast, on_outcome)
    finally:
        pool.close()


def _record(
    records: Records, plan: Plan, outcome: Outcome, inputs: dict[OutputKey, Inputs]
) -> None:
    """Record each output written now (even for a briefing that then failed: it is on disk)."""
    by_name = {b.name: b for b in plan.briefings}
    for built in outcome.built:
        if built.cached:
            continue
        briefing = by_name[built.key.briefing]
        records.outputs[built.key] = OutputRecord(
            built.key,
            str(briefing.file),
            own_outputs(briefing.spec),
            built.sha256,
            built.pages,
            inputs[built.key],
            built.warnings,
            built.manifest_sha256,
        )


def _remove_legacy_records(folder: Path) -> None:
    for name in LEGACY_NAMES:
        remove_file(folder / name, Path(folder.name) / name)


class Asked(NamedTuple):
    """What the command line asks for beyond the briefings' own lists."""

    formats: Sequence[str] | None  # --format: these instead of each briefing's formats
    thumbnails: bool | None  # --thumbnails / --no-thumbnails; None: the briefing's key

    def outputs(self, spec: BriefingSpec) -> tuple[str, ...]:
        """The outputs this build makes of a briefing: formats, then perhaps THUMBNAILS (after
        the PDF, which they are made from)."""
        wanted = self.thumbnails if self.thumbnails is not None else spec.thumbnails
        return (*(self.formats or spec.formats), *((THUMBNAILS,) if wanted else ()))


def own_outputs(spec: BriefingSpec) -> tuple[str, ...]:
    """A briefing's own outputs (recorded as `listed`): its formats, and THUMBNAILS if its
    `thumbnails` key says so."""
    return Asked(None, None).outputs(spec)


def _orphans(project: Project, plan: Plan, records: Records, asked: Asked) -> list[OutputKey]:
    """Recorded outputs no briefing makes any more: their briefing file is gone, their
    variant is no longer declared (or the briefing has variants now, or none any more), or their
    format was in the briefing's list and no longer is. Outputs asked for with --format stay
    until their briefing goes (or `brief clean`). Thumbnails stay only while they are asked
    for: a build of their briefing without --thumbnails or its key removes them."""
    current = {b.name: b for b in plan.briefings}
    orphans: list[OutputKey] = []
    for key, record in records.outputs.items():
        if not (project.root / record.briefing_file).is_file():
            orphans.append(key)
            continue
        units = plan.units.get(record.briefing_file)
        if units is not None and key.briefing not in units:
            orphans.append(key)  # a variant no longer declared, or variants added or removed
            continue
        briefing = current.get(key.briefing)
        if briefing is None:
            continue
        if key.format == THUMBNAILS:
            if THUMBNAILS not in asked.outputs(briefing.spec):
                orphans.append(key)
            continue
        if key.format not in record.listed:
            continue
        if key.format not in briefing.spec.formats and key.format not in (asked.formats or ()):
            orphans.append(key)
    return orphans


def _stale_outputs(
    plan: Plan,
    hasher: InputHasher,
    records: Records,
    asked: Asked,
    strict: bool,
    force: bool,
) -> tuple[list[Job], list[Outcome], dict[OutputKey, Inputs]]:
    """What to build, and the briefings whose every output asked for is up to date."""
    work: list[Job] = []
    fresh: list[Outcome] = []
    inputs: dict[OutputKey, Inputs] = {}
    folder = records.folder
    for index, briefing in enumerate(plan.briefings):
        todo: list[str] = []
        cached: list[Built] = []
        for output_format in asked.outputs(briefing.spec):
            key = OutputKey(briefing.name, output_format)
            inputs[key] = hasher.output_inputs(briefing, key, plan.sources.found)
            record = records.outputs.get(key)
            if (
                force
                or record is None
                or record.inputs.digest != inputs[key].digest
                or not output_unchanged(record, folder)
            ):
                todo.append(output_format)
                continue
            if record.inputs != inputs[key]:  # same parts, other bytes of a source it reads
                records.outputs[key] = record._replace(inputs=inputs[key])
            path = folder / key.file_name
            stamp = record.manifest_sha256
            found = Built(key, path, 0.0, record.sha256, record.pages, record.warnings, True, stamp)
            cached.append(found)
        if todo:
            fresh_pdf = next((b.sha256 for b in cached if b.key.format == "pdf"), None)
            work.append(Job(index, tuple(todo), fresh_pdf if THUMBNAILS in todo else None))
        if cached:
            fresh.append(_fresh_outcome(briefing.name, briefing.file, cached, strict))
    return work, fresh, inputs


def _fresh_outcome(name: str, file: Path, cached: list[Built], strict: bool) -> Outcome:
    """Up-to-date outputs with the warnings recorded when they were built; under --strict
    those fail the briefing (nothing is rendered again: the same inputs say the same)."""
    outcome = Outcome(name, file, built=cached)
    for built in cached:
        outcome.add_warnings(built.warnings, recorded=True)
    if strict and outcome.warnings:
        outcome.errors = [strict_failure(w, recorded=True) for w in outcome.warnings]
        outcome.warnings, outcome.recorded = [], set()
    return outcome
