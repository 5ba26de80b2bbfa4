"""`brief new briefing` and `brief new source`: a new file that passes `brief check`."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli
from briefwright.cli.complete import template_names


@cli.group()
def new() -> None:
    """Make a new briefing or source from a starting point that passes `brief check`."""


@new.command()
@click.argument("name")
@click.option(
    "--template",
    metavar="NAME",
    shell_complete=template_names,
    help="The template (default: the project's, else the built-in `briefing`), e.g. memo.",
)
@click.option(
    "--from",
    "references",
    multiple=True,
    metavar="SOURCE#SECTION",
    help="A source or section to include, in order. Repeatable.",
)
@click.pass_obj
def briefing(
    options: Options, name: str, template: str | None, references: tuple[str, ...]
) -> None:
    """Make briefings/NAME.yaml: a bottom line of its own, then each --from."""
    from briefwright.scaffold.new import new_briefing

    path = new_briefing(options.project(), name, template, references)
    click.echo(f"created {path}\nnext: edit it, then `brief check {name}` and `brief build {name}`")


@new.command()
@click.argument("name")
@click.option("--title", help="The source's title (default: from NAME).")
@click.pass_obj
def source(options: Options, name: str, title: str | None) -> None:
    """Make sources/NAME.md: front matter and a first section to write in."""
    from briefwright.scaffold.new import new_source

    path = new_source(options.project(), name, title)
    click.echo(f"created {path}\nnext: write it, then `brief sections {name}`")
