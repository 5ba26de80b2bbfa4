"""`brief check`: validate briefings without writing anything: exactly what `brief build`
validates before it renders, the HTML of each briefing rendered in memory (so that template
errors are found too; no PDF or DOCX is made), plus (when checking everything) the sources no
briefing uses."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli, warn
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import check_environment
from briefwright.cli.set_option import set_option


@cli.command()
@click.argument("briefings", nargs=-1, shell_complete=briefing_names)
@set_option
@click.pass_obj
def check(options: Options, briefings: tuple[str, ...], set_vars: dict[str, str]) -> None:
    """Validate BRIEFINGS (default: all) and everything they use, without writing outputs."""
    from briefwright.build.plan import check_plan, plan_build, selected_files
    from briefwright.build.rehearse import rehearse

    check_environment()
    project = options.project()
    project.set_vars = set_vars
    plan = rehearse(project, plan_build(project, selected_files(project, briefings)))
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
