"""The `brief` command group: options shared by every command, and the one place where errors
become messages and exit codes. Each command lives in a module of its own and imports the core
only when it runs, so that `brief --help` starts fast."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefwright import __version__
from briefwright.errors import BriefwrightError, Problem

if TYPE_CHECKING:  # only commands that run need the project machinery
    from briefwright.project import Project

EXIT_CODES_HELP = "Exit codes: 0 success, 1 a build or validation failed, 2 usage error."


class Options:
    def __init__(self, project_dir: Path | None, debug: bool):
        self.project_dir = project_dir
        self.debug = debug

    def project(self) -> Project:
        from briefwright.project import find_project

        return find_project(Path.cwd(), self.project_dir)


class BriefGroup(click.Group):
    """Turns briefwright errors into `error: FILE:LINE: message` and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefwrightError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(exc.exit_code)


def warn(problem: Problem) -> None:
    click.echo(f"warning: {problem}", err=True)


@click.group(
    cls=BriefGroup, epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="brief")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (default: the nearest folder with briefings/, from here upwards).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, debug: bool) -> None:
    """briefwright: assemble briefing documents from Markdown sources."""
    ctx.obj = Options(project_dir, debug)


# Each command module registers itself on `cli`; imported last, as they import the group.
from briefwright.cli import (  # noqa: E402, F401
    approve,
    build,
    check,
    clean,
    diff,
    import_,
    init,
    new,
    preview,
    provenance,
    sections,
    status,
    template,
)


def main() -> None:
    try:
        cli(prog_name="brief")
    except OSError as exc:
        fd = _failed_stream(exc)
        if fd is None:
            raise
        with contextlib.suppress(OSError):  # so that the interpreter's last flush is quiet
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
        if fd == 1 and exc.errno != errno.EPIPE:  # a reader that stopped wants no message
            click.echo(f"error: cannot write to standard output: {exc.strerror}", err=True)
        sys.exit(1)


def _failed_stream(exc: OSError) -> int | None:
    """1 or 2 when `exc` is standard output or error failing (a full disk, a closed pipe):
    everything brief prints goes through click.echo, whose frame holds the stream."""
    trace = exc.__traceback__
    while trace is not None:
        frame = trace.tb_frame
        if frame.f_code.co_name == "echo" and frame.f_globals.get("__name__") == "click.utils":
            with contextlib.suppress(KeyError, AttributeError, OSError, ValueError):
                fd: int = frame.f_locals["file"].fileno()
                return fd if fd in (1, 2) else None
        trace = trace.tb_next
    return None


if __name__ == "__main__":  # pragma: no cover
    main()
