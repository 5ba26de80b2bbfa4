"""`brief preview`: serve a live preview of a briefing (or an index of them) on 127.0.0.1."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from briefwright.cli import Options, cli
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import WholeNumber, check_environment

if TYPE_CHECKING:
    from briefwright.project import Project


@cli.command()
@click.argument("briefing", required=False, shell_complete=briefing_names)
@click.option(
    "--port",
    type=WholeNumber(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free one).",
)
@click.option(
    "--variant",
    metavar="VARIANT",
    help="With BRIEFING: show this variant of it (default: its first). The page links to all.",
)
@click.pass_obj
def preview(options: Options, briefing: str | None, port: int, variant: str | None) -> None:
    """Serve BRIEFING (default: an index of all) as HTML and PDF pages, rebuilt on every save.

    Open the address it prints; the page refreshes by itself. Ctrl-C stops it. It writes only
    under output/.preview/."""
    from briefwright.build.plan import selected_files
    from briefwright.errors import UsageError
    from briefwright.preview.server import serve_preview

    check_environment()
    project = options.project()
    name = selected_files(project, [briefing])[0].stem if briefing else None
    if variant is not None:
        if name is None:
            raise UsageError("--variant needs a BRIEFING")
        name = _variant_unit(project, name, variant)
    try:
        serve_preview(project.root, name, port, lambda url: click.echo(f"preview: {url}"))
    except OSError as exc:  # the port is taken, or not ours to use
        raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}") from None
    click.echo("preview stopped")


def _variant_unit(project: Project, name: str, variant: str) -> str:
    """NAME.VARIANT when briefing NAME declares `variant`; raises UsageError otherwise."""
    from briefwright.build.plan import plan_build, selected_files

    plan_build(project, selected_files(project, [name]), variants=[variant])  # raises if not
    return f"{name}.{variant}"
