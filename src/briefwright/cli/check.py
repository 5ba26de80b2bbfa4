"""`brief check`: validate briefings without writing anything: exactly what `brief build`
validates before it renders, the HTML of each briefing rendered in memory (so that template
errors are found too; no PDF or DOCX is made), plus (when checking everything) the sources no
briefing uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from briefwright.cli import Options, cli, warn
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import check_environment
from briefwright.cli.set_option import set_option

if TYPE_CHECKING:
    from briefwright.build.plan import Plan
    from briefwright.project import Project


@cli.command()
@click.argument("briefings", nargs=-1, shell_complete=briefing_names)
@click.option(
    "--explain",
    "explain",
    multiple=True,
    metavar="VARIANT",
    help=(
        "Also list what this variant of each briefing leaves out, and why: the section, "
        "where it is written (FILE:LINE) and the condition; and what each glob or tagged "
        "item selected (a briefing without variants: give its name). Repeatable."
    ),
)
@click.option(
    "--locked",
    is_flag=True,
    help="Fail (exit 1) when a briefing changed since it was approved (`brief approve`).",
)
@set_option
@click.pass_obj
def check(
    options: Options,
    briefings: tuple[str, ...],
    explain: tuple[str, ...],
    locked: bool,
    set_vars: dict[str, str],
) -> None:
    """Validate BRIEFINGS (default: all) and everything they use, without writing outputs.
    A briefing changed since it was approved is a warning, as in `brief build`; with --locked
    an error (the freshness gate for CI)."""
    from briefwright.build.plan import check_plan, plan_build, selected_files
    from briefwright.build.rehearse import rehearse

    check_environment()
    project = options.project()
    project.set_vars = set_vars
    files = selected_files(project, briefings)
    plan = rehearse(project, plan_build(project, files, locked=locked))
    if explain:
        _explain(project, plan, explain)
    warnings, errors = check_plan(project, plan, whole_library=not briefings)
    for problem in warnings:
        warn(problem)
    for problem in errors:
        click.echo(f"error: {problem}", err=True)
    good = len({briefing.file for briefing in plan.briefings})
    variants = sum(1 for briefing in plan.briefings if briefing.variant is not None)
    counted = f" ({variants} variant(s) among them)" if variants else ""
    bad = len({rejected.file for rejected in plan.rejected})
    if errors:
        click.echo(f"{good} briefing(s) OK{counted}, {bad} with errors")
        raise click.exceptions.Exit(1)
    click.echo(f"{good} briefing(s) OK{counted}")


def _explain(project: Project, plan: Plan, names: tuple[str, ...]) -> None:
    """The drop report of each variant named, for every briefing that declares it; for a
    briefing without variants named instead, what its glob and `tagged` items selected."""
    from briefwright.build.explain import declared_check, variant_reports

    plain = {b.name: b for b in plan.briefings if b.variant is None}
    variants = tuple(name for name in names if name not in plain)
    if variants:
        declared_check(plan, variants, "--explain")
        for report in variant_reports(project, plan, variants):
            for line in report.lines():
                click.echo(line)
    for name in names:
        if name in plain:
            click.echo(f"{name}: no variants, nothing left out")
            for expansion in plan.expansions.get(name, ()):
                click.echo(f"  selected {expansion}")
