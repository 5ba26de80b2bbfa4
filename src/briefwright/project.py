"""Finding the project folder and keeping every path a project names inside it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefwright.errors import ProjectError, SpecError
from briefwright.schema import ProjectConfig, validate
from briefwright.yamlfile import YamlDocument

CONFIG_NAME = "briefwright.toml"


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig

    @property
    def briefings_dir(self) -> Path:
        return self.root / "briefings"

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def relative(self, path: Path) -> Path:
        """A path as the user knows it: relative to the project root where possible."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    def contains(self, path: Path) -> bool:
        """True when `path`, after resolving symlinks, is inside the project."""
        return path.resolve().is_relative_to(self.root)

    def briefing_files(self) -> list[Path]:
        return sorted(self.briefings_dir.glob("*.yaml")) + sorted(self.briefings_dir.glob("*.yml"))

    def source_files(self) -> list[Path]:
        return sorted(self.sources_dir.glob("*.md"))


def find_project(start: Path, explicit: Path | None = None) -> Project:
    """The project at `explicit`, or the nearest folder holding `briefings/` from `start` up."""
    if explicit is not None:
        root = explicit.resolve()
        if not (root / "briefings").is_dir():
            raise ProjectError(f"{explicit} is not a briefwright project (no briefings/ folder)")
        return Project(root, load_config(root))
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "briefings").is_dir():
            return Project(folder, load_config(folder))
    raise ProjectError(
        f"no briefings/ folder in {start} or above; run inside a project or pass --project DIR"
    )


def load_config(root: Path) -> ProjectConfig:
    path = root / CONFIG_NAME
    if not path.is_file():
        return ProjectConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"invalid TOML: {exc}", file=Path(CONFIG_NAME)) from None
    return validate(ProjectConfig, YamlDocument(data, {}, Path(CONFIG_NAME)))
