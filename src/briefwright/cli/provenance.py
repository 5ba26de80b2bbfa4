"""`brief provenance OUTPUT`: what an output was made from; `--verify`: what changed since."""

from __future__ import annotations

from pathlib import Path

import click

from briefwright.cli import Options, cli


@cli.command()
@click.argument("output", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--verify",
    is_flag=True,
    help="Compare with the project now: exit 1 when any section, the briefing file, the "
    "template or the configuration changed since the output was made.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the manifest (--verify: the changes) as JSON."
)
@click.pass_obj
def provenance(options: Options, output: Path, verify: bool, as_json: bool) -> None:
    """Show the provenance manifest inside OUTPUT (a PDF, DOCX or HTML that briefwright made,
    renamed or not): briefing, variant, date, git commit, template and every section with its
    FILE:LINES and content hash.

    Exit codes: 0 shown (--verify: nothing changed), 1 no manifest or something changed,
    2 usage error."""
    from briefwright.provenance.read import read_manifest

    made = read_manifest(output)
    if not verify:
        if as_json:
            from briefwright.provenance.manifest import to_json

            click.echo(to_json(made).decode(), nl=False)
        else:
            from briefwright.provenance.report import describe

            click.echo(describe(made), nl=False)
        return
    from briefwright.provenance.report import verification, verification_json
    from briefwright.provenance.verify import verify as verify_now

    result = verify_now(options.project(), made)
    click.echo(verification_json(result) if as_json else verification(result), nl=False)
    if result.changed:
        raise click.exceptions.Exit(1)
