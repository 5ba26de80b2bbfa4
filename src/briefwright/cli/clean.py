"""`brief clean`: remove every output the builder recorded writing, and the records."""

from __future__ import annotations

from pathlib import Path

import click

from briefwright.cli import Options, cli, warn
from briefwright.errors import Problem


@cli.command()
@click.pass_obj
def clean(options: Options) -> None:
    """Remove every output brief recorded writing in output/, its build records, and the
    redlines `brief diff` wrote (NAME.redline.docx and .pdf).

    Files brief did not write, and outputs changed since it wrote them, are left in place."""
    from briefwright.build.fast import SECTIONS_NAME
    from briefwright.build.output import remove_file, remove_stale_temporaries
    from briefwright.build.records import (
        LEGACY_NAMES,
        REDLINE,
        Records,
        output_lock,
        remove_recorded,
    )
    from briefwright.project import find_root

    root = find_root(Path.cwd(), options.project_dir)
    output = root / "output"
    if output.is_symlink() or not output.is_dir():
        click.echo("0 output(s) removed (no output/ folder)")
        return
    with output_lock(output):
        remove_stale_temporaries(output)  # first: an error there must leave everything as is
        records, problem = Records.load(output)
        if problem is not None:
            warn(problem._replace(message="build records unreadable; only they are removed"))
        removed, kept = remove_recorded(records, list(records.outputs))
        for name in (records.path.name, SECTIONS_NAME, *LEGACY_NAMES):
            remove_file(output / name, Path(output.name) / name)
        redlines = sorted(
            path.name
            for suffix in ("docx", "pdf")
            for path in output.glob(f"*.{REDLINE}.{suffix}")
            if path.is_file() and not path.is_symlink()
        )
        redlines = [n for n in redlines if remove_file(output / n, Path(output.name) / n)]
    for key in removed:
        click.echo(f"removed {key.shown}")
    for name in redlines:
        click.echo(f"removed output/{name}")
    for key in kept:
        warn(Problem("changed since brief wrote it; kept (delete it by hand)", Path(key.path)))
    click.echo(f"{len(removed) + len(redlines)} output(s) removed, {len(kept)} kept")
