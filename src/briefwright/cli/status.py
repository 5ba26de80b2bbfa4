"""`brief status`: each briefing unit approved and fresh, approved and changed, or never
approved. Always exits 0 when the project can be read: `brief check --locked` is the gate."""

from __future__ import annotations

import json

import click

from briefwright.cli import Options, cli, warn
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import check_environment


@cli.command()
@click.argument("briefings", nargs=-1, shell_complete=briefing_names)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list, one object per unit (documented in docs/ci.md).",
)
@click.pass_obj
def status(options: Options, briefings: tuple[str, ...], as_json: bool) -> None:
    """Show how each of BRIEFINGS (default: all; each variant on its own) stands against its
    approval lock: "approved, fresh", "approved, changed" (which sections and files) or
    "never approved". Exit 0 unless the command line or the project is wrong; use
    `brief check --locked` to fail on a change."""
    from briefwright.build.plan import plan_build, selected_files
    from briefwright.provenance.gate import stale_locks
    from briefwright.provenance.status import status_lines, status_rows

    check_environment()
    project = options.project()
    plan = plan_build(project, selected_files(project, briefings))
    if not briefings:
        for problem in stale_locks(project, plan):
            warn(problem)
    if as_json:
        click.echo(json.dumps(status_rows(plan), indent=1, ensure_ascii=False))
        return
    for line in status_lines(plan):
        click.echo(line)
