"""`brief init`: a new project that builds and checks with no edits.

briefings/, sources/, templates/ and output/ (each kept in git by a .gitkeep; output/ is
ignored), briefwright.toml with every default, .gitignore, a GitHub Actions workflow and a
pre-commit configuration; with `example`, a small source and a briefing that uses it, made from
the repository's own example material.
"""

from __future__ import annotations

from pathlib import Path

from briefwright import __version__
from briefwright.markings import BUILTIN_SCHEMES, NO_SCHEME
from briefwright.scaffold.config import config_text
from briefwright.scaffold.files import NewFile, data_text, write_new

SCHEMES = (*BUILTIN_SCHEMES, NO_SCHEME)
FOLDERS = ("briefings", "sources", "templates", "output")
WORKFLOW = Path(".github/workflows/briefs.yml")
PRE_COMMIT = Path(".pre-commit-config.yaml")
EXAMPLE_SOURCE = "nato-peacekeeping"
EXAMPLE_BRIEFING = "example-brief"
MARKING_LINE = "MARKING_LINE\n"  # where the example files take their marking, if any


def project_files(scheme: str, example: bool) -> list[NewFile]:
    files = [NewFile(Path(folder, ".gitkeep"), b"") for folder in FOLDERS]
    files += [
        _text("briefwright.toml", config_text(scheme)),
        _text(".gitignore", data_text("gitignore")),
        _text(str(WORKFLOW), data_text("briefs.yml").replace("BRIEFWRIGHT_VERSION", __version__)),
        _text(str(PRE_COMMIT), data_text("pre-commit-config.yaml")),
    ]
    if example:
        lowest = BUILTIN_SCHEMES[scheme].levels[0].banner if scheme != NO_SCHEME else None
        source = data_text(f"example/{EXAMPLE_SOURCE}.md")
        briefing = data_text(f"example/{EXAMPLE_BRIEFING}.yaml")
        ceiling = "  # ceiling: nothing marked higher may be included"
        files += [
            _text(f"sources/{EXAMPLE_SOURCE}.md", _marked(source, lowest, "")),
            _text(f"briefings/{EXAMPLE_BRIEFING}.yaml", _marked(briefing, lowest, ceiling)),
        ]
    return files


def init_project(folder: Path, shown: Path, scheme: str, example: bool) -> list[Path]:
    """Write the new project into `folder` (made if missing); the paths written, as shown.
    ProjectError, and nothing written, if any of its files exists."""
    return write_new(folder, project_files(scheme, example), shown, "brief init")


def _marked(text: str, marking: str | None, comment: str) -> str:
    line = f'marking: "{marking}"{comment}\n' if marking else ""
    return text.replace(MARKING_LINE, line)


def _text(path: str, text: str) -> NewFile:
    return NewFile(Path(path), text.encode("utf-8"))
