"""`brief approve`: record in briefings/NAME.lock that a briefing's content is approved."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli, warn
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import check_environment


@cli.command()
@click.argument("briefing", shell_complete=briefing_names)
@click.option(
    "--variant",
    metavar="VARIANT",
    help="Approve only this variant (default: every variant of a briefing that has them).",
)
@click.option(
    "--by",
    metavar="NAME",
    help="Who approves (default: git's user.name, else $USER).",
)
@click.pass_obj
def approve(options: Options, briefing: str, variant: str | None, by: str | None) -> None:
    """Approve BRIEFING as it is now: write briefings/NAME.lock (commit it) with who, when and
    the content hash of every section, the briefing file and template. `brief build` then warns
    when that content changes, and `brief check --locked` fails. A briefing with errors cannot
    be approved."""
    from briefwright.provenance.approve import approve as approve_briefing
    from briefwright.provenance.approve import approver, now

    check_environment()
    project = options.project()
    who = by.strip() if by is not None and by.strip() else approver(project.root)
    done = approve_briefing(project, briefing, variant, who, now())
    if done.replaced is not None:
        warn(done.replaced._replace(message=f"{done.replaced.message} (replaced)"))
    for unit, sections in done.units:
        click.echo(f"approved {unit}: {sections} section(s), by {who}")
    click.echo(f"wrote {done.lock}")
