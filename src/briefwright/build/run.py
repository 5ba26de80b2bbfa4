"""Many briefings in worker processes: each worker imports the renderers once, builds many
documents, and runs under a memory limit; a document past its time limit is stopped (its worker
killed and replaced) and reported, and the others finish.

Workers are forked, so they inherit the validated plan instead of receiving it pickled, and talk
to the parent over a pipe each: killing one never leaves a shared lock held.
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
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from briefwright.build.cache import BuildCache, Entry
from briefwright.build.inputs import InputHasher, Inputs
from briefwright.build.output import remove_stale_temporaries
from briefwright.build.plan import (
    Built,
    Plan,
    build_briefing,
    plan_build,
    select_briefings,
    shard_of,
)
from briefwright.errors import BriefwrightError, Problem, Reporter
from briefwright.project import Project
from briefwright.writers import FORMATS, get_writer

DEFAULT_TIMEOUT = 600.0
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds per briefing
    memory_mb: int = DEFAULT_MEMORY_MB  # address space per worker


@dataclass
class Outcome:
    """What happened to one briefing."""

    briefing: str
    built: list[Built] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # not started: an earlier briefing failed under --fail-fast

    @property
    def ok(self) -> bool:
        return not self.errors


def build_one(
    project: Project, plan: Plan, index: int, formats: Sequence[str] | None, strict: bool
) -> Outcome:
    """Build plan.briefings[index], turning every failure into an Outcome error."""
    briefing = plan.briefings[index]
    outcome = Outcome(briefing.name)
    reporter = Reporter(strict=strict, on_warning=outcome.warnings.append)
    started = time.perf_counter()
    try:
        outcome.built = build_briefing(project, plan, briefing, formats, reporter)
    except BriefwrightError as exc:
        outcome.errors.extend(exc.problems)
    except MemoryError:
        message = "ran out of memory (the per-document limit is set with --memory-limit)"
        outcome.errors.append(Problem(message, briefing.file))
    outcome.seconds = time.perf_counter() - started
    return outcome


@dataclass(frozen=True)
class BuildResult:
    outcomes: list[Outcome]
    inputs: dict[str, Inputs]  # by output key (NAME.FORMAT): what each output depends on

    def images(self) -> list[str]:
        """The image files (project paths) the outputs depend on."""
        return [
            name
            for inputs in self.inputs.values()
            for kind, name, _ in inputs.parts
            if kind == "image"
        ]


Job = tuple[int, tuple[str, ...]]  # a briefing (index in the plan) and the formats to build


def run_build(
    project: Project,
    names: Sequence[str],
    formats: Sequence[str] | None,
    *,
    jobs: int,
    strict: bool,
    limits: Limits,
    fail_fast: bool,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    on_warning: Callable[[Problem], None],
    on_outcome: Callable[[Outcome], None],
) -> BuildResult:
    """Validate the briefings named (default all; `shard` takes one part of them), then build
    the outputs whose inputs changed: one briefing in this process, several in workers.
    Raises only for validation problems."""
    reporter = Reporter(strict=strict, on_warning=on_warning)
    files = shard_of(select_briefings(project, names), shard)
    plan = plan_build(project, files, reporter)
    remove_stale_temporaries(project.output_dir)
    cache = BuildCache(project.output_dir)
    problem = cache.load()
    if problem is not None:
        reporter.add(problem)
    work, up_to_date, inputs = _stale_outputs(project, plan, cache, formats, strict, force)
    for outcome in up_to_date:
        on_outcome(outcome)
    outcomes = list(up_to_date)
    if len(work) == 1:
        index, todo = work[0]
        outcome = build_one(project, plan, index, todo, strict)
        on_outcome(outcome)
        outcomes.append(outcome)
    elif work:
        size = max(1, min(jobs, len(work)))
        pool = _Pool(project, plan, formats, strict, limits, size)
        try:
            outcomes.extend(pool.run(work, fail_fast, on_outcome))
        finally:
            pool.close()
    for outcome in outcomes:
        for built in outcome.built:
            if not built.cached:
                cache.record(built.key, Entry(inputs[built.key].digest, built.sha256, built.pages))
    if work:
        cache.save()
    return BuildResult(outcomes, inputs)


def _stale_outputs(
    project: Project,
    plan: Plan,
    cache: BuildCache,
    formats: Sequence[str] | None,
    strict: bool,
    force: bool,
) -> tuple[list[Job], list[Outcome], dict[str, Inputs]]:
    work: list[Job] = []
    up_to_date: list[Outcome] = []
    inputs: dict[str, Inputs] = {}
    hasher = InputHasher(project, plan)
    for index, briefing in enumerate(plan.briefings):
        todo: list[str] = []
        cached: list[Built] = []
        for output_format in formats or briefing.spec.formats:
            key = f"{briefing.name}.{output_format}"
            inputs[key] = hasher.output_inputs(briefing, output_format, strict)
            path = project.output_dir / key
            entry = None if force else cache.fresh(key, inputs[key].digest, path)
            if entry is None:
                todo.append(output_format)
            else:
                built = Built(briefing.name, output_format, path, 0.0, entry.sha256, entry.pages)
                cached.append(replace(built, cached=True))
        if cached:
            up_to_date.append(Outcome(briefing.name, built=cached))
        if todo:
            work.append((index, tuple(todo)))
    return work, up_to_date, inputs


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
    def __init__(
        self,
        project: Project,
        plan: Plan,
        formats: Sequence[str] | None,
        strict: bool,
        limits: Limits,
        size: int,
    ):
        self.args = (project, plan, formats, strict, limits.memory_mb)
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
                        name = plan.briefings[pending.popleft()[0]].name
                        outcomes.append(Outcome(name, skipped=True))
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
                outcome = Outcome(briefing.name, errors=[Problem(message, briefing.file)])
        elif time.monotonic() - worker.started > self.limits.timeout:
            message = f"stopped after {self.limits.timeout:g} s (the limit is set with --timeout)"
            outcome = Outcome(briefing.name, errors=[Problem(message, briefing.file)])
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
    formats: Sequence[str] | None,
    strict: bool,
    memory_mb: int,
) -> None:
    """A worker: build the briefings the parent sends until it sends None."""
    log = os.open(stderr, os.O_WRONLY | os.O_APPEND)
    os.dup2(log, 2)
    for output_format in formats or FORMATS:  # once per worker, outside any document's clock
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
        if any("ran out of memory" in p.message for p in outcome.errors):
            os._exit(3)  # a heap that hit its limit is not trusted with another document
