"""Shell completion of names: briefings for `brief build`, `brief check` and `brief preview`,
templates for `--template` and `brief template copy`. Light: it runs on every Tab press, and a
project that cannot be found completes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # click.shell_completion is imported only when completing
    from click.shell_completion import CompletionItem


def _root(ctx: click.Context) -> Path | None:
    from briefwright.errors import BriefwrightError
    from briefwright.project import find_root

    explicit = ctx.find_root().params.get("project_dir")
    try:
        return find_root(Path.cwd(), explicit)
    except BriefwrightError:
        return None


def _items(names: list[str], incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


def briefing_names(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from briefwright.build.select import briefing_files

    root = _root(ctx)
    names = [path.stem for path in briefing_files(root)] if root else []
    return _items(names, incomplete)


def builtin_template_names(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from briefwright.template_chain import builtin_names

    return _items(builtin_names(), incomplete)


def template_names(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from briefwright.template_chain import builtin_names

    root = _root(ctx)
    folder = root / "templates" if root else None
    own = (
        sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder and folder.is_dir() else []
    )
    return _items(sorted({*builtin_names(), *own}), incomplete)
