"""`--set KEY=VALUE` (repeatable) on `brief build` and `brief check`: variables over every
other layer (variables.py), checked here so a bad one is a usage error before anything runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _values(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    from briefwright.variables import set_values

    try:
        return set_values(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def set_option(command: F) -> F:
    """The option, as a decorator; the command receives `set_vars: dict[str, str]`."""
    return click.option(
        "--set",
        "set_vars",
        multiple=True,
        metavar="KEY=VALUE",
        callback=_values,
        help="Set a variable for {{< var KEY >}} over every other value (repeatable).",
    )(command)
