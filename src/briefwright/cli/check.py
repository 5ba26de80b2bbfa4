"""`brief check`: validate briefings without rendering."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli, warn


@cli.command()
@click.argument("briefings", nargs=-1)
@click.pass_obj
def check(options: Options, briefings: tuple[str, ...]) -> None:
    """Validate BRIEFINGS (default: all) and their references without rendering."""
    from briefwright.build.plan import plan_build, select_briefings
    from briefwright.errors import Reporter

    project = options.project()
    plan = plan_build(project, select_briefings(project, briefings), Reporter(on_warning=warn))
    click.echo(f"{len(plan.briefings)} briefing(s) OK")
