"""`brief import`: documents people have (web pages, text exports, Word, PDF, Markdown) turned
into sources in sources/, with the clutter removed and listed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from briefwright.cli import Options, cli, warn
from briefwright.errors import Problem


@cli.command("import")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--id", "source_id", help="The source's ID (default: the slug of its title).")
@click.option("--title", help="The source's title (default: the one the input has).")
@click.option("--marking", help="The source's marking (default: the input's, else the project's).")
@click.option("--origin", help="Where the input came from (default: its file name or URL).")
@click.option("--into", metavar="SUBFOLDER", help="Write into this folder of sources/.")
@click.option("--force", is_flag=True, help="Replace a source the input would overwrite.")
@click.option("--dry-run", is_flag=True, help="Print the sources and removed lines; write nothing.")
@click.option(
    "--fetch-images",
    is_flag=True,
    help="Fetch a web page's images (http(s) only, size-limited) and write them beside it.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write what was imported and removed, per input, as JSON to this file.",
)
@click.pass_obj
def import_command(
    options: Options,
    inputs: tuple[str, ...],
    source_id: str | None,
    title: str | None,
    marking: str | None,
    origin: str | None,
    into: str | None,
    force: bool,
    dry_run: bool,
    fetch_images: bool,
    report: Path | None,
) -> None:
    """Import files (.html, .txt, .md, .docx, .pdf) or http(s) URLs as sources/ID.md.

    Boilerplate (AI disclaimers, "See also" lines, share and subscribe blocks, cookie notices,
    and the project's [import] remove rules) is removed, and every removed line is listed by
    --dry-run and --report. Re-importing the same bytes leaves the source unchanged."""
    from briefwright.importing.run import ImportOptions, run_import

    project = options.project()
    wanted = ImportOptions(
        inputs, source_id, title, marking, origin, into, force, dry_run, fetch_images
    )
    results = run_import(project, wanted)
    for result in results:
        for text in result.warnings:
            warn(Problem(text))
        if dry_run:
            click.echo(f"--- {result.input} -> {result.output.as_posix()} (dry run)")
            click.echo(result.text, nl=False)
            for item in result.removed:
                where = f"{result.input}:{item.line}" if item.line else result.input
                click.echo(f"{where}: would remove ({item.rule}): {item.text}")
            continue
        verb = "unchanged" if result.unchanged else "imported"
        click.echo(
            f"{verb} {result.input} -> {result.output.as_posix()} ({result.sections} sections, "
            f"{result.words} words; {len(result.removed)} lines removed)"
        )
    if report is not None:
        from briefwright.build.output import write_atomic

        data = json.dumps([r.as_json() for r in results], indent=2, ensure_ascii=False)
        write_atomic(report, (data + "\n").encode("utf-8"))
