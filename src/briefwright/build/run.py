"""A build: validate, remove what no briefing makes any more, then bring every output up to
date, in worker processes when there are several briefings to build.

Each worker imports the renderers once, builds many documents, and runs under a memory limit; a
document past its time limit is stopped (its worker killed and replaced) and reported, and the
others finish. Workers are forked, so they inherit the validated plan instead of receiving it
pickled, and talk to the parent over a pipe each: killing one never leaves a shared lock held.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from briefwright.build.inputs import InputHasher
from briefwright.build.output import remove_stale_temporaries
from briefwright.build.plan import Plan, plan_build
from briefwright.build.records import (
    LEGACY_NAMES,
    Inputs,
    OutputKey,
    OutputRecord,
    Records,
    output_lock,
    output_unchanged,
    remove_recorded,
)
from briefwright.build.render import Built, Outcome, build_one, strict_failure
from briefwright.errors import Problem
from briefwright.project import Project
from briefwright.writers import FORMATS, get_writer

DEFAULT_TIMEOUT = 600.0
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds per briefing
    memory_mb: int = DEFAULT_MEMORY_MB  # writable private memory a worker may add (RLIMIT_DATA)


@dataclass(frozen=True)
class BuildResult:
    outcomes: list[Outcome]
    inputs: dict[OutputKey, Inputs]  # what each output asked for depends on
    removed: list[OutputKey]  # outputs no briefing makes any more, deleted
    kept: list[OutputKey]  # such outputs left in place: changed since the builder wrote them
    project_warnings: list[Problem]


Job = tuple[int, tuple[str, ...]]  # a briefing (index in the plan) and the formats to build


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
    on_outcome: Callable[[Outcome], None],
) -> BuildResult:
    """Validate the briefing `files`, then build the outputs whose inputs changed. Raises only
    for problems of the project itself; a briefing's problems fail that briefing alone."""
    with output_lock(project.output_dir):
        plan = plan_build(project, files, formats)
        remove_stale_temporaries(project.output_dir)
        records, problem = Records.load(project.output_dir)
        warnings = [problem] if problem is not None else []
        _remove_legacy_records(project.output_dir)
        removed, kept = remove_recorded(records, _orphans(project, plan, records, formats))
        outcomes = [Outcome(r.name, r.file, errors=list(r.problems)) for r in plan.rejected]
        for outcome in outcomes:
            on_outcome(outcome)
        hasher = InputHasher(project, plan.templates)
        work, fresh, inputs = _stale_outputs(plan, hasher, records, formats, strict, force)
        for outcome in fresh:
            on_outcome(outcome)
        outcomes += fresh
        if fail_fast and plan.rejected:  # a failed briefing: start no more
            for index, _ in work:
                skipped = plan.briefings[index]
                outcomes.append(Outcome(skipped.name, skipped.file, skipped=True))
            work = []
        outcomes += _run(project, plan, work, strict, limits, jobs, fail_fast, on_outcome)
        for outcome in outcomes:
            _record(records, plan, outcome, inputs)
        if records.outputs or records.path.exists():
            records.save()  # also when nothing was built: sources' new bytes, removed outputs
    return BuildResult(outcomes, inputs, removed, kept, warnings)


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
    if len(work) == 1:
        index, todo = work[0]
        outcome = build_one(project, plan, index, todo, strict)
        on_outcome(outcome)
        return [outcome]
    if not work:
        return []
    pool = _Pool(project, plan, strict, limits, max(1, min(jobs, len(work))))
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
            tuple(briefing.spec.formats),
            built.sha256,
            built.pages,
            inputs[built.key],
            built.warnings,
        )


def _remove_legacy_records(folder: Path) -> None:
    for name in LEGACY_NAMES:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def _orphans(
    project: Project, plan: Plan, records: Records, formats: Sequence[str] | None
) -> list[OutputKey]:
    """Recorded outputs no briefing makes any more: their briefing file is gone, or their
    format was in the briefing's list and no longer is. Outputs asked for with --format stay
    until their briefing goes (or `brief clean`)."""
    current = {b.name: b for b in plan.briefings}
    orphans: list[OutputKey] = []
    for key, record in records.outputs.items():
        if not (project.root / record.briefing_file).is_file():
            orphans.append(key)
            continue
        briefing = current.get(key.briefing)
        if briefing is None or key.format not in record.listed:
            continue
        if key.format not in briefing.spec.formats and key.format not in (formats or ()):
            orphans.append(key)
    return orphans


def _stale_outputs(
    plan: Plan,
    hasher: InputHasher,
    records: Records,
    formats: Sequence[str] | None,
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
        for output_format in formats or briefing.spec.formats:
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
            cached.append(Built(key, path, 0.0, record.sha256, record.pages, record.warnings, True))
        if todo:
            work.append((index, tuple(todo)))
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


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    stderr: Path  # what native libraries print lands here, to be reported with context
    index: int | None = None
    started: float = 0.0

    def death_message(self) -> str:
        code = self.process.exitcode
        how = f"exit code {code}"
        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}"
        last = _last_line(self.stderr)
        return f"worker process died ({how}) while building it" + (f": {last}" if last else "")


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].strip()[:300] if lines else ""


class _Pool:
    def __init__(self, project: Project, plan: Plan, strict: bool, limits: Limits, size: int):
        self.args = (project, plan, strict, limits.memory_mb)
        self.limits = limits
        self.context = multiprocessing.get_context("fork")
        self.logs = Path(tempfile.mkdtemp(prefix="brief-workers-"))
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        stderr = Path(tempfile.mkstemp(dir=self.logs, suffix=".log")[1])
        process = self.context.Process(target=_serve, args=(child, stderr, *self.args), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, stderr)

    def run(
        self, work: list[Job], fail_fast: bool, on_outcome: Callable[[Outcome], None]
    ) -> list[Outcome]:
        plan: Plan = self.args[1]
        pending = deque(work)
        outcomes: list[Outcome] = []
        while pending or any(w.index is not None for w in self.workers):
            for worker in self.workers:
                if worker.index is None and pending:
                    job = pending.popleft()
                    worker.index, worker.started = job[0], time.monotonic()
                    worker.conn.send(job)
            busy = [w for w in self.workers if w.index is not None]
            ready = wait([w.conn for w in busy], timeout=0.2)
            for worker in busy:
                outcome = self._collect(worker, ready, plan)
                if outcome is None:
                    continue
                outcomes.append(outcome)
                on_outcome(outcome)
                if fail_fast and not outcome.ok:
                    while pending:
                        skipped = plan.briefings[pending.popleft()[0]]
                        outcomes.append(Outcome(skipped.name, skipped.file, skipped=True))
        return outcomes

    def _collect(self, worker: _Worker, ready: Sequence[object], plan: Plan) -> Outcome | None:
        """The worker's outcome if its briefing is finished, failed or out of time."""
        assert worker.index is not None
        briefing = plan.briefings[worker.index]
        outcome: Outcome | None = None
        if worker.conn in ready:
            try:
                outcome = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(1)
                message = worker.death_message()
                outcome = Outcome(
                    briefing.name, briefing.file, errors=[Problem(message, briefing.file)]
                )
        elif time.monotonic() - worker.started > self.limits.timeout:
            message = f"stopped after {self.limits.timeout:g} s (the limit is set with --timeout)"
            outcome = Outcome(
                briefing.name, briefing.file, errors=[Problem(message, briefing.file)]
            )
            worker.process.kill()
        if outcome is None:
            return None
        worker.index = None
        if not outcome.ok:
            worker.process.join(1)  # a worker that failed hard is exiting; let it finish
        if not worker.process.is_alive():
            self._replace(worker)
        return outcome

    def _replace(self, worker: _Worker) -> None:
        worker.process.join(5)
        worker.conn.close()
        fresh = self._start()
        worker.process, worker.conn, worker.stderr = fresh.process, fresh.conn, fresh.stderr

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive() and worker.index is None:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        shutil.rmtree(self.logs, ignore_errors=True)


def _data_size() -> int:
    """This process's data segment (writable private memory) in bytes (Linux)."""
    with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[5]) * resource.getpagesize()


def _serve(
    conn: Connection,
    stderr: Path,
    project: Project,
    plan: Plan,
    strict: bool,
    memory_mb: int,
) -> None:
    """A worker: build the briefings the parent sends until it sends None."""
    log = os.open(stderr, os.O_WRONLY | os.O_APPEND)
    os.dup2(log, 2)
    for output_format in FORMATS:  # once per worker, outside any document's clock
        get_writer(output_format)
    if memory_mb > 0:
        # RLIMIT_DATA counts writable private memory, not address space merely reserved (glibc
        # reserves 64 MiB per thread arena, which made RLIMIT_AS kill Pango's thread creation).
        # The limit is growth beyond the loaded worker, whatever process forked it.
        limit = _data_size() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    while True:
        job = conn.recv()
        if job is None:
            return
        index, todo = job
        outcome = build_one(project, plan, index, todo, strict)
        conn.send(outcome)
        if outcome.out_of_memory:
            os._exit(3)  # a heap that hit its limit is not trusted with another document
