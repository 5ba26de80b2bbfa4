"""The project: finding its folder, its configuration, and keeping every path it names inside it.

Light at import on purpose: the no-op build (build/fast.py) finds the root and the config file
from here without loading YAML, the schema or the marking schemes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefwright.errors import MarkingError, ProjectError, SpecError

if TYPE_CHECKING:
    from briefwright.markings import Marking, Scheme
    from briefwright.readers.yamlfile import YamlDocument
    from briefwright.spec.schema import ProjectConfig
    from briefwright.variables import Layer

CONFIG_NAME = "briefwright.toml"


class Project:
    """A loaded project: its folder, its validated configuration and its marking scheme."""

    def __init__(
        self,
        root: Path,
        config: ProjectConfig,
        scheme: Scheme | None = None,
        default_marking: Marking | None = None,
    ):
        from briefwright.markings import Marking

        self.root = root
        self.config = config
        # None: the project has no marking scheme, so nothing in it is marked
        self.scheme = scheme
        if scheme is not None and default_marking is None:
            lowest = f"the lowest level of the {scheme.name} scheme"
            default_marking = Marking(scheme.levels[0], origin=lowest)
        # the marking of unmarked sources; None exactly when there is no scheme
        self.default_marking = default_marking
        # variables: briefwright.toml's [vars], and `--set KEY=VALUE` (the last layer)
        self.vars_layer: Layer | None = None
        self.set_vars: dict[str, str] = {}

    def set_layer(self) -> Layer | None:
        """`--set KEY=VALUE`: the layer of variables over every other (None: none given)."""
        from briefwright.variables import Layer, nested

        return Layer("set", nested(self.set_vars)) if self.set_vars else None

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
        return source_files(self.sources_dir)


SOURCE_ID_PART = r"[A-Za-z0-9][A-Za-z0-9_.-]*"  # each folder and file name in a source's ID


def source_id(path: Path, folder: Path) -> str:
    """A source's ID: its path inside sources/ without `.md`, folders joined with `/`
    (`sources/region/north.md` is `region/north`), the same on every system."""
    return "/".join(path.relative_to(folder).with_suffix("").parts)


def source_files(folder: Path) -> list[Path]:
    """`*.md` in `folder` and its subfolders (`brief import --into`), hidden folders skipped
    (and links to folders never followed); a source's ID is its path there (`source_id`)."""
    if not folder.is_dir():
        return []
    found = (
        p
        for p in folder.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    return sorted(found, key=lambda p: (len(p.relative_to(folder).parts), str(p)))


def find_root(start: Path, explicit: Path | None = None) -> Path:
    """The project folder `explicit`, or the nearest folder holding `briefings/` from `start` up."""
    if explicit is not None:
        root = explicit.resolve()
        if not (root / "briefings").is_dir():
            raise ProjectError(f"{explicit} is not a briefwright project (no briefings/ folder)")
        return root
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "briefings").is_dir():
            return folder
    raise ProjectError(
        f"no briefings/ folder in {start} or above; run inside a project or pass --project DIR"
    )


def find_project(start: Path, explicit: Path | None = None) -> Project:
    """The project at `explicit`, or the nearest folder holding `briefings/` from `start` up."""
    return _project(find_root(start, explicit))


def _project(root: Path) -> Project:
    from briefwright.readers.files import forget_reads

    forget_reads()  # a command records what it read itself (build records), from here on
    config, doc = load_config(root)
    from briefwright.schemes import marking_scheme

    scheme = marking_scheme(config, doc)
    default = _config_marking(config.markings.default, ("markings", "default"), scheme, doc)
    # checked here, where its line is known: a briefing that inherits it does not show it
    _config_marking(config.defaults.marking, ("defaults", "marking"), scheme, doc)
    project = Project(root, config, scheme, default)
    project.vars_layer = _vars_layer(config, doc)
    return project


def _vars_layer(config: ProjectConfig, doc: YamlDocument) -> Layer:
    from briefwright.variables import Layer, flatten

    lines = {key: doc.line_of(("vars", *key.split("."))) for key in flatten(config.vars)}
    return Layer("toml", config.vars, doc.file, lines)


def _config_marking(
    text: str | None, key: tuple[str, str], scheme: Scheme | None, doc: YamlDocument
) -> Marking | None:
    """A marking set in briefwright.toml at `key`; SpecError at its line if it names none."""
    from briefwright.markings import parse_marking

    if text is None:
        return None
    try:
        return parse_marking(text, scheme, f"{CONFIG_NAME} [{key[0]}] {key[1]}")
    except MarkingError as exc:
        line = doc.line_of(key)
        raise SpecError(exc.problems[0].message, file=doc.file, line=line) from None


def load_config(root: Path) -> tuple[ProjectConfig, YamlDocument]:
    """The validated configuration, and its document (which knows the line of every key)."""
    from briefwright.readers.files import MAX_SMALL_FILE_BYTES, UnreadableFileError, read_text
    from briefwright.readers.tomlfile import load_toml
    from briefwright.readers.yamlfile import YamlDocument
    from briefwright.spec.schema import ProjectConfig, validate

    path = root / CONFIG_NAME
    if not path.exists() and not path.is_symlink():
        return ProjectConfig(), YamlDocument({}, {}, Path(CONFIG_NAME))
    try:
        text = read_text(path, MAX_SMALL_FILE_BYTES)
    except UnreadableFileError as exc:
        raise ProjectError(exc.reason, file=Path(CONFIG_NAME)) from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"invalid TOML: {exc}", file=Path(CONFIG_NAME)) from None
    doc = load_toml(text, Path(CONFIG_NAME))
    return validate(ProjectConfig, doc), doc
