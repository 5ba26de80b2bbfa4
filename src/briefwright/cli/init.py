"""`brief init`: make a new project that builds with no edits."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from briefwright.cli import cli

SCHEMES = ("nato", "tlp", "corporate", "none")  # scaffold/init.py checks these are the schemes


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--scheme",
    type=click.Choice(SCHEMES),
    default="none",
    show_default=True,
    help="The marking scheme of the project's briefings (none: nothing is marked).",
)
@click.option("--example", is_flag=True, help="Add a small example source and briefing.")
def init(folder: Path, scheme: str, example: bool) -> None:
    """Make a new project in FOLDER (default: here; made if missing): briefings/, sources/,
    templates/, output/, briefwright.toml, .gitignore, a CI workflow and a pre-commit
    configuration. Nothing that exists is written over."""
    from briefwright.scaffold.init import init_project

    written = init_project(folder, folder, scheme, example)
    for path in written:
        click.echo(f"created {path}")
    click.echo("\nNext:")
    if folder != Path("."):
        click.echo(f"  cd {shlex.quote(str(folder))}")
    if example:
        click.echo("  brief build              # output/example-brief.pdf, .docx and .html")
    else:
        click.echo('  brief new source my-notes --title "My notes"')
        click.echo("  brief new briefing my-brief --from my-notes#summary")
        click.echo("  brief build")
    click.echo("  git init && pre-commit install   # optional: `brief check` before each commit")
