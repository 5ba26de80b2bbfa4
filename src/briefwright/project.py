"""Finding the project folder and keeping every path a project names inside it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefwright.errors import SpecError
from briefwright.markings import BUILTIN_SCHEMES, Level, Marking, Scheme, parse_marking
from briefwright.root import find_root
from briefwright.schema import ProjectConfig, validate
from briefwright.yamlfile import YamlDocument

CONFIG_NAME = "briefwright.toml"


_NATO = BUILTIN_SCHEMES["nato"]
_NATO_LOWEST = Marking(_NATO.levels[0], (), "the lowest level of the nato scheme")


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig
    scheme: Scheme = _NATO
    default_marking: Marking = _NATO_LOWEST

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
    return _project(find_root(start, explicit))


def _project(root: Path) -> Project:
    config = load_config(root)
    scheme = marking_scheme(config)
    default = Marking(scheme.levels[0], (), f"the lowest level of the {scheme.name} scheme")
    if config.markings.default is not None:
        found = parse_marking(config.markings.default, scheme, f"{CONFIG_NAME} [markings] default")
        if isinstance(found, str):
            raise SpecError(found, file=Path(CONFIG_NAME))
        default = found
    return Project(root, config, scheme, default)


def marking_scheme(config: ProjectConfig) -> Scheme:
    """The project's scheme: one of its own, or a built-in one."""
    name = config.markings.scheme
    own = config.markings.schemes.get(name)
    if own is not None:
        levels = tuple(Level(lv.banner, lv.portion, lv.colour, lv.background) for lv in own.levels)
        return Scheme(name, levels)
    if name in BUILTIN_SCHEMES:
        return BUILTIN_SCHEMES[name]
    known = sorted({*BUILTIN_SCHEMES, *config.markings.schemes})
    raise SpecError(
        f"[markings] scheme '{name}' is not defined; known schemes: {', '.join(known)}",
        file=Path(CONFIG_NAME),
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
