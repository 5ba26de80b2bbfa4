"""`brief diff BRIEFING --since REF`: the sections changed since a git ref or the approval lock,
printed with their word changes, and the redline DOCX and PDF written. A diff is not a failure:
it exits 0 whatever changed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefwright.cli import Options, cli
from briefwright.cli.complete import briefing_names


@cli.command()
@click.argument("briefing", shell_complete=briefing_names)
@click.option(
    "--since",
    required=True,
    metavar="REF",
    help=(
        "The old version: a git commit, tag or branch (HEAD~1), 'lock' (the briefing's "
        "approval, briefings/NAME.lock) or the path of a .lock file."
    ),
)
@click.option("--variant", metavar="VARIANT", help="The variant to compare (one of its variants).")
@click.option("--author", help="Author of the tracked changes (default: git user.name).")
@click.option(
    "--no-redline", is_flag=True, help="Print the changes only: write no redline DOCX or PDF."
)
@click.pass_obj
def diff(
    options: Options,
    briefing: str,
    since: str,
    variant: str | None,
    author: str | None,
    no_redline: bool,
) -> None:
    """Show what changed in BRIEFING since REF: sections added, removed, moved and edited, with
    word changes; write output/NAME.redline.docx (Word tracked changes) and
    output/NAME.redline.pdf. Exit 0 whether or not anything changed."""
    from briefwright.cli.diff_text import diff_lines
    from briefwright.provenance.diff import REDLINE_FORMATS, diff_briefing

    formats = () if no_redline else REDLINE_FORMATS
    found = diff_briefing(options.project(), briefing, variant, since, author, formats)
    colour = sys.stdout.isatty()
    for line in diff_lines(found.red, found.note, colour):
        click.echo(line, color=colour)
    for path in found.written:
        click.echo(f"wrote {Path(path)}")
