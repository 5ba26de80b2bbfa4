"""`brief build`: build briefings into output/, incrementally, in parallel."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefwright.build import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from briefwright.cli import Options, cli
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import (
    MAX_JOBS,
    MAX_MEMORY_MB,
    MAX_SHARDS,
    MAX_TIMEOUT,
    Seconds,
    Shard,
    WholeNumber,
    check_environment,
)
from briefwright.cli.set_option import set_option
from briefwright.cli.warnings import WarningGroups
from briefwright.errors import BriefwrightError, Problem
from briefwright.writers import FORMATS

if TYPE_CHECKING:
    from briefwright.build.records import OutputRecord
    from briefwright.build.render import Outcome
    from briefwright.project import Project


@cli.command()
@click.argument("briefings", nargs=-1, shell_complete=briefing_names)
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
    "--locked",
    is_flag=True,
    help=(
        "Fail (exit 1), without rendering it, a briefing changed since it was approved "
        "(`brief approve`); the others are built."
    ),
)
@click.option(
    "--jobs",
    "-j",
    type=WholeNumber(1, MAX_JOBS),
    default=min(os.cpu_count() or 1, MAX_JOBS),
    show_default="number of CPUs",
    help=f"Worker processes for building several briefings (1 to {MAX_JOBS}).",
)
@click.option(
    "--timeout",
    type=Seconds(MAX_TIMEOUT),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help=(
        "Seconds one briefing may take in a batch before it is stopped "
        f"(more than 0, at most {MAX_TIMEOUT:g})."
    ),
)
@click.option(
    "--memory-limit",
    type=WholeNumber(0, MAX_MEMORY_MB),
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    help=(
        "MiB of memory a batch worker may take beyond its loaded renderers "
        f"(0: no limit; at most {MAX_MEMORY_MB})."
    ),
)
@click.option(
    "--keep-going/--fail-fast",
    default=True,
    help="After a failed briefing, build the others (default) or start no more.",
)
@click.option("--force", is_flag=True, help="Rebuild every output, up to date or not.")
@click.option(
    "--thumbnails/--no-thumbnails",
    default=None,
    help=(
        "Also write each page of the PDF as output/NAME/page-001.png ... and all of them on "
        "output/NAME.pages.png (default: the briefing's `thumbnails` key)."
    ),
)
@click.option(
    "--variant",
    "variants",
    multiple=True,
    metavar="VARIANT",
    help="Build only this variant of briefings that declare `variants:`. Repeatable.",
)
@click.option(
    "--shard",
    type=Shard(),
    help=(
        "Build only the K-th of N balanced parts of the briefings "
        f"(CI matrix jobs; 1 <= K <= N <= {MAX_SHARDS})."
    ),
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=lambda ctx, param, value: _writable_place(value),
    help="Write a JSON report: one record per output (see README).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
@set_option
@click.pass_obj
def build(
    options: Options,
    briefings: tuple[str, ...],
    formats: tuple[str, ...],
    strict: bool,
    locked: bool,
    jobs: int,
    timeout: float,
    memory_limit: int,
    keep_going: bool,
    force: bool,
    thumbnails: bool | None,
    variants: tuple[str, ...],
    shard: tuple[int, int] | None,
    report_path: Path | None,
    quiet: bool,
    set_vars: dict[str, str],
) -> None:
    """Build BRIEFINGS (names or paths; default: all in briefings/) into output/.

    Only outputs whose inputs changed are rebuilt; the others are reported as up to date, with
    the warnings recorded when they were built. Outputs that no briefing makes any more are
    removed. A briefing approved with `brief approve` whose content changed since is warned
    about, or with --locked fails."""
    from briefwright.build.fast import unchanged_build
    from briefwright.project import find_root

    check_environment()
    root = find_root(Path.cwd(), options.project_dir)
    if not force:
        fresh = unchanged_build(
            root, briefings, formats, shard, strict, thumbnails, variants, set_vars, locked
        )
        if fresh is not None:
            chosen = (briefings, shard, variants)
            _report_unchanged(options, root, fresh, report_path, quiet, chosen)
            return

    from briefwright.build.plan import selected_files
    from briefwright.build.pool import Limits
    from briefwright.build.run import run_build

    project = options.project()
    project.set_vars = set_vars
    progress = _Progress(project, quiet)
    try:
        result = run_build(
            project,
            selected_files(project, briefings, shard),
            formats or None,
            jobs=jobs,
            strict=strict,
            limits=Limits(timeout, memory_limit),
            fail_fast=not keep_going,
            force=force,
            thumbnails=thumbnails,
            variants=variants,
            locked=locked,
            on_outcome=progress.outcome,
        )
    except BriefwrightError as exc:
        progress.close()
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(
            f"build stopped before any briefing: {len(exc.problems)} problem(s) in the project"
        )
        raise click.exceptions.Exit(exc.exit_code) from None
    progress.close()
    for problem in result.project_warnings:
        progress.warn(problem)
    for problem in result.project_errors:
        click.echo(f"error: {problem}", err=True)
    _show(progress.groups, quiet)
    for key in result.removed:
        why = "no longer asked for" if key.folder_name else "no briefing makes it any more"
        progress.say(f"removed {key.shown} ({why})")
    for key in result.kept:
        click.echo(
            f"warning: {key.shown}: no briefing makes it any more, but it changed since brief "
            "wrote it; kept (delete it by hand)",
            err=True,
        )
    if report_path is not None:
        from briefwright.build.explain import report_variants
        from briefwright.build.report import result_rows, write_report

        explained = []  # a variant's drop report: worked out again, only if one was built
        if any("." in outcome.briefing for outcome in result.outcomes):
            explained = report_variants(project, briefings, shard, variants)
        write_report(report_path, result_rows(result), explained)
    outcomes = result.outcomes
    failed = sum(1 for o in outcomes if not o.ok)
    skipped = sum(1 for o in outcomes if o.skipped)
    outputs = [b for o in outcomes for b in o.built]
    fresh_count = sum(1 for b in outputs if b.cached)
    not_started = f"; {skipped} not started (--fail-fast)" if skipped else ""
    click.echo(
        _summary(len(outputs) - fresh_count, fresh_count, len(result.removed))
        + f"; {failed} briefing(s) failed{not_started}; {progress.warnings} warning(s)"
    )
    if failed or result.project_errors:
        raise click.exceptions.Exit(1)


def _summary(built: int, fresh: int, removed: int) -> str:
    return f"{built} output(s) built, {fresh} up to date, {removed} removed"


def _report_unchanged(
    options: Options,
    root: Path,
    fresh: list[OutputRecord],
    report_path: Path | None,
    quiet: bool,
    chosen: tuple[tuple[str, ...], tuple[int, int] | None, tuple[str, ...]],
) -> None:
    """Report a build in which every output asked for is up to date (build/fast.py)."""
    from briefwright.build.output import remove_stale_temporaries

    remove_stale_temporaries(root / "output")  # left by a killed build, as the full path does
    groups = WarningGroups()
    for record in fresh:
        for warning in record.warnings:
            groups.add(warning, record.key.briefing, recorded=True)
        if not quiet:
            click.echo(f"up to date {record.path}")
    _show(groups, quiet)
    if report_path is not None:
        from briefwright.build.report import record_rows, write_report

        explained = []  # a variant's drop report needs its briefing parsed: only if there is one
        if any("." in record.key.briefing for record in fresh):
            from briefwright.build.explain import report_variants

            explained = report_variants(options.project(), *chosen)
        write_report(report_path, record_rows(fresh), explained)
    click.echo(_summary(0, len(fresh), 0) + f"; 0 briefing(s) failed; {len(groups)} warning(s)")


def _show(groups: WarningGroups, quiet: bool) -> None:
    if not quiet:
        for line in groups.lines():
            click.echo(line, err=True)


def _writable_place(path: Path | None) -> Path | None:
    """A file that could be written: no file where one of its folders must be. Checked before
    building anything; what only writing can find (a full disk) is an error after the build."""
    if path is not None:
        for folder in path.parents:
            if folder.exists() or folder.is_symlink():
                if not folder.is_dir():
                    raise click.BadParameter(f"'{path}': {folder} is a file, not a folder")
                break
    return path


class _Progress:
    """Reports as briefings finish: a progress bar on a terminal; in CI (no TTY, or CI set)
    one plain line per output with its time; with --quiet only errors."""

    def __init__(self, project: Project, quiet: bool):
        self.project = project
        self.quiet = quiet
        self.groups = WarningGroups()
        self.bar: Any = None
        if not quiet and sys.stdout.isatty() and not os.environ.get("CI"):
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("building", total=None)
            self.bar.start()

    @property
    def warnings(self) -> int:
        return len(self.groups)

    def warn(self, problem: Problem, briefing: str | None = None, recorded: bool = False) -> None:
        self.groups.add(problem, briefing, recorded)

    def say(self, line: str) -> None:
        if not self.quiet:
            click.echo(line)

    def outcome(self, outcome: Outcome) -> None:
        for problem in outcome.warnings:
            self.warn(problem, outcome.briefing, recorded=problem in outcome.recorded)
        for built in outcome.built:
            if self.bar is not None:
                self.bar.advance(self.task)
            if not self.quiet:
                path = self.project.relative(built.path)
                pages = ""
                if built.key.folder_name is not None:  # thumbnails: name the page images too
                    pages = f", {built.pages} page image(s) in output/{built.key.folder_name}/"
                done = (
                    f"up to date {path}"
                    if built.cached
                    else f"wrote {path} ({built.seconds:.2f} s{pages})"
                )
                click.echo(done)
        for problem in outcome.errors:
            click.echo(f"error: {problem}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
