"""`brief template copy NAME [AS]`: a built-in template copied into templates/AS for full
edits, self-contained: the shared files it uses (_shared/base.css, layout.html.j2) copied into
it, and its template.toml saying `replace = true`, so its stylesheets replace the built-in ones
rather than follow them. It builds the same as the built-in template until it is edited."""

from __future__ import annotations

import re
from pathlib import Path

from briefwright import __version__
from briefwright.errors import UsageError
from briefwright.project import Project
from briefwright.scaffold.files import NewFile, write_new
from briefwright.scaffold.new import check_name
from briefwright.suggest import did_you_mean
from briefwright.template_chain import builtin_names
from briefwright.template_info import INFO_NAME
from briefwright.template_paths import BUILTIN_ROOT

SHARED = BUILTIN_ROOT / "_shared"
_NAME_LINE = re.compile(r'^name = "[^"\n]*"\n', re.MULTILINE)


def template_files(name: str, as_name: str) -> list[NewFile]:
    """The files of templates/AS: the built-in template's, then the shared ones it lacks."""
    own = BUILTIN_ROOT / name
    files = {p.name: p for p in sorted(SHARED.iterdir()) if p.is_file()}
    files.update({p.name: p for p in sorted(own.iterdir()) if p.is_file()})
    folder = Path("templates", as_name)
    made = [
        NewFile(folder / filename, path.read_bytes())
        for filename, path in sorted(files.items())
        if filename != INFO_NAME
    ]
    info = _info(name, as_name, (own / INFO_NAME).read_text(encoding="utf-8"))
    return [NewFile(folder / INFO_NAME, info.encode("utf-8")), *made]


def copy_template(project: Project, name: str, as_name: str | None) -> list[Path]:
    """Copy the built-in template `name` to templates/AS (default: the same name); the paths
    written, as shown. UsageError for a name that is no built-in template."""
    known = builtin_names()
    if name not in known:
        hint = did_you_mean(name, known)
        raise UsageError(f"no built-in template '{name}'{hint} (built in: {', '.join(known)})")
    target = as_name or name
    check_name("template", target)
    return write_new(project.root, template_files(name, target), Path(), "brief template copy")


def _info(name: str, as_name: str, text: str) -> str:
    if not _NAME_LINE.search(text):
        raise AssertionError(f"built-in {name}/{INFO_NAME} has no name line")
    header = (
        f"# Copied from briefwright {__version__}'s built-in '{name}' template by\n"
        f"# `brief template copy`, with the shared base.css and layout.html.j2: every file\n"
        "# here is used as it is, so edit any of them.\n"
    )
    own = (
        f'name = "{as_name}"\n'
        "# its base.css and style.css replace the built-in ones (rather than follow them)\n"
        "replace = true\n"
    )
    return header + _NAME_LINE.sub(lambda _: own, text, count=1)
