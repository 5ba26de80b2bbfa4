"""The worker pool: each worker imports the renderers once, builds many documents, and runs
under a memory limit; a document past its time limit is stopped (its worker killed and replaced)
and reported, and the others finish.

Workers are forked, so they inherit the validated plan instead of receiving it pickled, and
talk to the parent over a pipe each: killing one never leaves a shared lock held.
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
from typing import NamedTuple

from briefwright.build import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from briefwright.build.output import write_error
from briefwright.build.plan import Plan
from briefwright.build.render import Outcome, build_one
from briefwright.errors import Problem
from briefwright.project import Project
from briefwright.writers import FORMATS, get_writer


class Job(NamedTuple):
    briefing: int  # its index in the plan
    formats: tuple[str, ...]  # what to build: output formats and perhaps THUMBNAILS
    fresh_pdf: str | None = None  # SHA-256 of its up-to-date PDF in output/, for thumbnails


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds per briefing
    memory_mb: int = DEFAULT_MEMORY_MB  # writable private memory a worker may add (RLIMIT_DATA)


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


class Pool:
    def __init__(
        self,
        project: Project,
        plan: Plan,
        strict: bool,
        limits: Limits,
        size: int,
        thumbnails: bool = False,  # some job makes thumbnails: load their renderer too
    ):
        self.args = (project, plan, strict, limits.memory_mb, thumbnails)
        self.limits = limits
        self.context = multiprocessing.get_context("fork")
        try:
            self.logs = Path(tempfile.mkdtemp(prefix="brief-workers-"))
        except OSError as exc:
            folder = Path(tempfile.gettempdir())
            raise write_error("create a folder for worker logs", folder, exc) from None
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        try:
            fd, name = tempfile.mkstemp(dir=self.logs, suffix=".log")
        except OSError as exc:
            raise write_error("create a worker log", self.logs, exc) from None
        os.close(fd)
        stderr = Path(name)
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
    thumbnails: bool,
) -> None:
    """A worker: build the briefings the parent sends until it sends None."""
    log = os.open(stderr, os.O_WRONLY | os.O_APPEND)
    os.dup2(log, 2)
    for output_format in FORMATS:  # once per worker, outside any document's clock
        get_writer(output_format)
    if thumbnails:
        from briefwright.writers.thumbnails import load_renderer

        load_renderer()
    if memory_mb > 0:
        # RLIMIT_DATA counts writable private memory, not address space merely reserved (glibc
        # reserves 64 MiB per thread arena, which made RLIMIT_AS kill Pango's thread creation).
        # The limit is growth beyond the loaded worker, whatever process forked it.
        limit = _data_size() + memory_mb * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)  # an unprivileged process cannot raise its hard limit
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard if limit <= hard else limit))
    while True:
        job = conn.recv()
        if job is None:
            return
        outcome = build_one(project, plan, job.briefing, job.formats, strict, job.fresh_pdf)
        conn.send(outcome)
        if outcome.out_of_memory:
            os._exit(3)  # a heap that hit its limit is not trusted with another document
