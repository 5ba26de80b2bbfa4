"""The `brief` command: parse options, call the core, report. Heavy imports happen inside."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from briefwright import __version__
from briefwright.errors import BriefwrightError, Problem
from briefwright.project import Project, find_project
from briefwright.schema import FORMATS

EXIT_CODES_HELP = "Exit codes: 0 success, 1 a build or validation failed, 2 usage error."


@dataclass
class Options:
    project_dir: Path | None
    debug: bool

    def project(self) -> Project:
        return find_project(Path.cwd(), self.project_dir)


class BriefGroup(click.Group):
    """Turns briefwright errors into `error: FILE:LINE: message` and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefwrightError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(exc.exit_code)


def _warn(problem: Problem) -> None:
    click.echo(f"warning: {problem}", err=True)


@click.group(
    cls=BriefGroup, epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="brief")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (default: the nearest folder with briefings/, from here upwards).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, debug: bool) -> None:
    """briefwright: assemble briefing documents from Markdown sources."""
    ctx.obj = Options(project_dir, debug)


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
) -> None:
    """Build BRIEFINGS (names or paths; default: all in briefings/) into output/."""
    from briefwright.batch import Limits, run_build

    project = options.project()
    warned: list[Problem] = []

    def warn(problem: Problem) -> None:
        warned.append(problem)
        _warn(problem)

    outcomes = run_build(
        project,
        briefings,
        formats or None,
        jobs=jobs,
        strict=strict,
        limits=Limits(timeout, memory_limit),
        fail_fast=not keep_going,
        on_warning=warn,
        on_outcome=_report_outcome(project, warn),
    )
    failed = [o for o in outcomes if not o.ok]
    skipped = [o for o in outcomes if o.skipped]
    built = len(outcomes) - len(failed) - len(skipped)
    not_started = f"; {len(skipped)} not started (--fail-fast)" if skipped else ""
    click.echo(
        f"built {built} of {len(outcomes)} briefing(s); {len(failed)} failed"
        f"{not_started}; {len(warned)} warning(s)"
    )
    if failed:
        raise click.exceptions.Exit(1)


def _report_outcome(project: Project, warn: Callable[[Problem], None]) -> Any:
    def report(outcome: Any) -> None:
        for problem in outcome.warnings:
            warn(problem)
        for built in outcome.built:
            click.echo(f"wrote {project.relative(built.path)} ({built.seconds:.2f} s)")
        for problem in outcome.errors:
            click.echo(f"error: {problem}", err=True)

    return report


@cli.command()
@click.argument("briefings", nargs=-1)
@click.pass_obj
def check(options: Options, briefings: tuple[str, ...]) -> None:
    """Validate BRIEFINGS (default: all) and their references without rendering."""
    from briefwright.build import plan_build, select_briefings
    from briefwright.reporter import Reporter

    project = options.project()
    plan = plan_build(project, select_briefings(project, briefings), Reporter(on_warning=_warn))
    click.echo(f"{len(plan.briefings)} briefing(s) OK")


@cli.command()
@click.argument("source", required=False)
@click.pass_obj
def sections(options: Options, source: str | None) -> None:
    """List every source's sections (or SOURCE's): ID, level, words, title."""
    from briefwright.sections_view import section_table

    click.echo(section_table(options.project(), source, _warn), nl=False)


def main() -> None:
    cli(prog_name="brief")


if __name__ == "__main__":  # pragma: no cover
    main()
