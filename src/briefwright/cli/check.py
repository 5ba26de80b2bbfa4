"""`brief check`: validate briefings without rendering: exactly what `brief build` validates
before it renders anything, plus (when checking everything) the sources no briefing uses."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli, warn
from briefwright.cli.numbers import check_environment


@cli.command()
@click.argument("briefings", nargs=-1)
@click.pass_obj
def check(options: Options, briefings: tuple[str, ...]) -> None:
    """Validate BRIEFINGS (default: all) and everything they use, without rendering."""
    from briefwright.build.plan import check_plan, plan_build, selected_files

    check_environment()
    project = options.project()
    plan = plan_build(project, selected_files(project, briefings))
    warnings, errors = check_plan(project, plan, whole_library=not briefings)
    for problem in warnings:
        warn(problem)
    for problem in errors:
        click.echo(f"error: {problem}", err=True)
    good = len(plan.briefings)
    bad = len(plan.rejected)
    if errors:
        click.echo(f"{good} briefing(s) OK, {bad} with errors")
        raise click.exceptions.Exit(1)
    click.echo(f"{good} briefing(s) OK")
