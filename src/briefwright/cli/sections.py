"""`brief sections`: list sources' sections."""

from __future__ import annotations

from pathlib import Path

import click

from briefwright.cli import Options, cli, warn
from briefwright.errors import Problem


@cli.command()
@click.argument("source", required=False)
@click.pass_obj
def sections(options: Options, source: str | None) -> None:
    """List every source's sections (or SOURCE's): ID, level, words, title."""
    from briefwright.build import fast as quick
    from briefwright.project import find_root

    root = find_root(Path.cwd(), options.project_dir)
    key = quick.sections_key(root, source)
    text = quick.cached_sections(root, key)
    if text is None:
        from briefwright.cli.section_table import section_table

        warnings: list[Problem] = []
        text, images = section_table(options.project(), source, warnings.append)
        for problem in warnings:
            warn(problem)
        if not warnings:
            quick.record_sections(root, key, text, images)
    click.echo(text, nl=False)
