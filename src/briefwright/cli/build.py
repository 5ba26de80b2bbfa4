"""`brief build`: build briefings into output/, incrementally, in parallel."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefwright.cli import Options, cli, warn
from briefwright.errors import Problem
from briefwright.writers import FORMATS

if TYPE_CHECKING:
    from briefwright.project import Project


@cli.command()
@click.argument("briefings", nargs=-1)
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Output format(s) to build instead of each briefing's own list. Repeatable.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="number of CPUs",
    help="Worker processes for building several briefings.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Seconds one briefing may take in a batch before it is stopped.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=0),
    default=2048,
    show_default=True,
    help="MiB of memory a batch worker may take beyond its loaded renderers (0: no limit).",
)
@click.option(
    "--keep-going/--fail-fast",
    default=True,
    help="After a failed briefing, build the others (default) or start no more.",
)
@click.option("--force", is_flag=True, help="Rebuild every output, up to date or not.")
@click.option(
    "--shard",
    callback=lambda ctx, param, value: _shard(value),
    metavar="K/N",
    help="Build only the K-th of N balanced parts of the briefings (CI matrix jobs).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report: one record per output (see README).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
@click.pass_obj
def build(
    options: Options,
    briefings: tuple[str, ...],
    formats: tuple[str, ...],
    strict: bool,
    jobs: int,
    timeout: float,
    memory_limit: int,
    keep_going: bool,
    force: bool,
    shard: tuple[int, int] | None,
    report_path: Path | None,
    quiet: bool,
) -> None:
    """Build BRIEFINGS (names or paths; default: all in briefings/) into output/.

    Only outputs whose inputs changed are rebuilt; the others are reported as up to date."""
    from briefwright.build import fast as quick
    from briefwright.project import find_root

    root = find_root(Path.cwd(), options.project_dir)
    arguments = {"briefings": briefings, "formats": formats, "strict": strict, "shard": shard}
    key = quick.build_key(root, arguments)  # before reading: a file edited meanwhile misses
    if not force and report_path is None and _answered_unchanged(root, key, quiet):
        return

    from briefwright.build.run import Limits, run_build

    project = options.project()
    progress = _Progress(project, quiet)
    result = run_build(
        project,
        briefings,
        formats or None,
        jobs=jobs,
        strict=strict,
        limits=Limits(timeout, memory_limit),
        fail_fast=not keep_going,
        force=force,
        shard=shard,
        on_warning=progress.warn,
        on_outcome=progress.outcome,
    )
    progress.close()
    if report_path is not None:
        from briefwright.build.report import write_report

        write_report(report_path, project, result)
    outcomes = result.outcomes
    failed = sum(1 for o in outcomes if not o.ok)
    skipped = sum(1 for o in outcomes if o.skipped)
    outputs = [b for o in outcomes for b in o.built]
    fresh = sum(1 for b in outputs if b.cached)
    not_started = f"; {skipped} not started (--fail-fast)" if skipped else ""
    click.echo(
        f"{len(outputs) - fresh} output(s) built, {fresh} up to date; {failed} briefing(s) failed"
        f"{not_started}; {progress.warnings} warning(s)"
    )
    if failed:
        raise click.exceptions.Exit(1)
    if not progress.warnings:
        quick.record_build(root, key, [(b.key, b.sha256) for b in outputs], result.images())


def _answered_unchanged(root: Path, key: str, quiet: bool) -> bool:
    """Report a build in which no file changed from its record (quick.py), if there is one."""
    from briefwright.build import fast as quick
    from briefwright.build.output import remove_stale_temporaries

    unchanged = quick.fresh_outputs(root, key)
    if unchanged is None:
        return False
    remove_stale_temporaries(root / "output")  # left by a killed build, as the full path does
    if not quiet:
        for path in unchanged:
            click.echo(f"up to date {path.relative_to(root)}")
    count = len(unchanged)
    click.echo(f"0 output(s) built, {count} up to date; 0 briefing(s) failed; 0 warning(s)")
    return True


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(f"'{value}' is not K/N with 1 <= K <= N, e.g. 2/4")
    return int(k), int(n)


class _Progress:
    """Reports as briefings finish: a progress bar on a terminal; in CI (no TTY, or CI set)
    one plain line per output with its time; with --quiet only errors."""

    def __init__(self, project: Project, quiet: bool):
        self.project = project
        self.quiet = quiet
        self.warnings = 0
        self.bar: Any = None
        if not quiet and sys.stdout.isatty() and not os.environ.get("CI"):
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("building", total=None)
            self.bar.start()

    def warn(self, problem: Problem) -> None:
        self.warnings += 1
        if not self.quiet:
            warn(problem)

    def outcome(self, outcome: Any) -> None:
        for problem in outcome.warnings:
            self.warn(problem)
        for built in outcome.built:
            if self.bar is not None:
                self.bar.advance(self.task)
            if not self.quiet:
                path = self.project.relative(built.path)
                done = (
                    f"up to date {path}"
                    if built.cached
                    else f"wrote {path} ({built.seconds:.2f} s)"
                )
                click.echo(done)
        for problem in outcome.errors:
            click.echo(f"error: {problem}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
