"""`brief preview`: serve a live preview of a briefing (or an index of them) on 127.0.0.1."""

from __future__ import annotations

import click

from briefwright.cli import Options, cli
from briefwright.cli.complete import briefing_names
from briefwright.cli.numbers import WholeNumber, check_environment


@cli.command()
@click.argument("briefing", required=False, shell_complete=briefing_names)
@click.option(
    "--port",
    type=WholeNumber(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free one).",
)
@click.pass_obj
def preview(options: Options, briefing: str | None, port: int) -> None:
    """Serve BRIEFING (default: an index of all) as HTML and PDF pages, rebuilt on every save.

    Open the address it prints; the page refreshes by itself. Ctrl-C stops it. It writes only
    under output/.preview/."""
    from briefwright.build.plan import selected_files
    from briefwright.errors import UsageError
    from briefwright.preview.server import serve_preview

    check_environment()
    project = options.project()
    name = selected_files(project, [briefing])[0].stem if briefing else None
    try:
        serve_preview(project.root, name, port, lambda url: click.echo(f"preview: {url}"))
    except OSError as exc:  # the port is taken, or not ours to use
        raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}") from None
    click.echo("preview stopped")
