"""`brief template copy`: a built-in template copied into the project for full edits."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli
from briefwright.cli.complete import builtin_template_names


@cli.group()
def template() -> None:
    """Work with templates."""


@template.command("copy")
@click.argument("name", shell_complete=builtin_template_names)
@click.argument("as_name", metavar="[AS]", required=False)
@click.pass_obj
def copy(options: Options, name: str, as_name: str | None) -> None:
    """Copy the built-in template NAME into templates/AS (default: templates/NAME), with the
    shared files it uses, so that every file of it can be edited."""
    from briefwright.scaffold.template_copy import copy_template

    written = copy_template(options.project(), name, as_name)
    for path in written:
        click.echo(f"created {path}")
    target = as_name or name
    hint = f"template: {target}" if target != "briefing" else "nothing: it is the default"
    click.echo(f"next: edit templates/{target}/; a briefing that uses it says {hint}")
