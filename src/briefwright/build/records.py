"""The one model of what an output depends on, and the record of every output a build wrote.

A full build records, per output, every input it used as a part `(kind, name, value)`:

- files it read, by project path, with their SHA-256 (`briefing`, `config`, `template`,
  `image`, `source`, `bibliography`: the .bib/CSL file and a project .csl style of an output
  that cites, and `lock`: the briefing's approval lock, whose freshness gate warns with the
  output), or "missing" when absent, so that creating one counts as a change;
- folders whose listing decides which file is used (`folder`: a project template folder that
  would shadow a built-in one), with a hash of the listing, or "missing";
- the content of each section it took (`section`): finer than its source file, so editing a
  section no briefing uses rebuilds nothing;
- values: the `tool` version, the output `format`, and the `date` with where it came from
  (the briefing, SOURCE_DATE_EPOCH, or today); for a variant's output, the `variant`'s
  settings and the names of all the briefing's variants (both written in the briefing file,
  so that file's hash decides them too; the no-op answer reads the names);
- each variable the output uses (`var`: its key, the layer that set it and a digest of its
  value). briefwright.toml counts without its [vars] table, so a changed value rebuilds only
  the outputs that use it. A value from the briefing file is judged by that file; one from
  [vars] by the table; one from --set by this build's --set.

The full build calls an output fresh when the digest of the inputs it computes now (parsing
everything) equals the recorded one. The no-op answer (fast.py) calls it fresh when every
recorded file still has its hash and every recorded value is still what this build would use:
a recorded source file unchanged implies its sections unchanged, so whenever the no-op answer
says "fresh" the full build would too. Any doubt sends the build the full way.

Light on purpose: hashlib, json and os only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from briefwright import __version__
from briefwright.dates import environment_date
from briefwright.errors import Problem
from briefwright.readers.files import (
    MAX_INPUT_BYTES,
    UnreadableFileError,
    parsed_digest,
    read_text,
    regular_sha256,
)

RECORDS_NAME = ".brief-records.json"
LOCK_NAME = ".brief-lock"
FORMAT = "briefwright-records/1"
LEGACY_NAMES = (".brief-cache.json", ".brief-quick.json")  # before the one records file
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BUILTIN_PREFIX = "builtin:"
FILE_KINDS = frozenset(
    {"briefing", "config", "template", "image", "source", "bibliography", "lock"}
)
REDLINE = (
    "redline"  # `brief diff` writes output/NAME.redline.docx and .pdf; `brief clean` removes them
)
LOCK_SUFFIX = ".lock"  # a briefing's approval lock: briefings/NAME.lock (provenance/lock.py)
MISSING = "missing"
MAX_RECORDS_BYTES = 256 * 1024 * 1024  # thousands of outputs with every input they read

Part = tuple[str, str, str]  # (kind, name, value)


_TOOL: list[str] = []  # worked out once per process


def tool_identity() -> str:
    """briefwright's version and a digest of its code: an output made by other code (an upgrade,
    or a change to a writer before the version moves) is never taken as up to date."""
    if not _TOOL:
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for path in sorted(package.rglob("*.py")):
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
        _TOOL.append(f"{__version__}+{digest.hexdigest()[:16]}")
    return _TOOL[0]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path, limit: int | None = None) -> str:
    """The file's SHA-256, or MISSING when it is not a readable regular file of at most `limit`
    bytes (absent, a folder, a FIFO, unreadable, larger than any input may be: all "not the file
    that was read"); a FIFO is never waited on."""
    return regular_sha256(path, limit) or MISSING


def folder_listing(folder: Path) -> str:
    """A hash of the files under `folder` (names only), or MISSING when it is not a folder."""
    if not folder.is_dir():
        return MISSING
    names = sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    return sha256_hex("\n".join(names).encode())


def gate_warning(problem: Problem) -> bool:
    """Whether a (recorded) warning is the freshness gate's: it names the approval lock."""
    return problem.file is not None and problem.file.suffix == LOCK_SUFFIX


def resolve_name(root: Path, name: str) -> Path:
    """A part's name as a path: project paths are relative, built-in ones carry a prefix."""
    if name.startswith(BUILTIN_PREFIX):
        return BUILTIN_TEMPLATES / name[len(BUILTIN_PREFIX) :]
    return root / name


VARIANT_LIST = "declared"  # the name of the part listing every variant of the briefing


def declared_variants(record: OutputRecord) -> list[str] | None:
    """The variants the briefing declared when `record` was made; None: it declared none."""
    for kind, name, value in record.inputs.parts:
        if kind == "variants" and name == VARIANT_LIST:
            return value.split(",")
    return None


THUMBNAILS = "thumbnails"  # not a format: the PDF's pages as images, NAME/ and NAME.pages.png


def page_name(number: int) -> str:
    """The file of page `number` (from 1) in a briefing's thumbnails folder."""
    return f"page-{number:03d}.png"


class OutputKey(NamedTuple):
    briefing: str  # the briefing file's stem
    format: str  # an output format, or THUMBNAILS

    @property
    def file_name(self) -> str:
        """The output file (for thumbnails: the contact sheet)."""
        if self.format == THUMBNAILS:
            return f"{self.briefing}.pages.png"
        return f"{self.briefing}.{self.format}"

    @property
    def folder_name(self) -> str | None:
        """The folder that is part of the output (thumbnails: one image per page), or None."""
        return self.briefing if self.format == THUMBNAILS else None

    @property
    def path(self) -> str:
        """Where the output is, as a project path."""
        return f"output/{self.file_name}"

    @property
    def shown(self) -> str:
        """Every path of the output, for a message."""
        folder = "" if self.folder_name is None else f" and output/{self.folder_name}/"
        return self.path + folder


class Inputs(NamedTuple):
    """What one output depends on. `parts` decide freshness in the full build; `reads` are the
    files the sections came from, checked (with `parts`' files) by the no-op answer."""

    parts: tuple[Part, ...]
    reads: tuple[Part, ...] = ()

    @property
    def digest(self) -> str:
        return sha256_hex(json.dumps(self.parts).encode())

    def date_value(self) -> str | None:
        return next((value for kind, _, value in self.parts if kind == "date"), None)

    def as_report(self) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = {}
        for kind, name, value in self.parts:
            grouped.setdefault(kind, []).append({"name": name, "value": value})
        return grouped


class OutputRecord(NamedTuple):
    """An output a build wrote: where, from what, with which warnings."""

    key: OutputKey
    briefing_file: str  # project path of the briefing file
    listed: tuple[str, ...]  # the briefing's own formats when this was built
    sha256: str
    pages: int | None
    inputs: Inputs
    warnings: tuple[Problem, ...]
    manifest_sha256: str | None = None  # of the provenance manifest in it (issue 18)

    @property
    def path(self) -> str:
        return self.key.path

    def to_json(self) -> dict[str, Any]:
        return {
            "briefing": self.key.briefing,
            "format": self.key.format,
            "file": self.briefing_file,
            "listed": list(self.listed),
            "sha256": self.sha256,
            "pages": self.pages,
            "inputs": [list(p) for p in self.inputs.parts],
            "reads": [list(p) for p in self.inputs.reads],
            "warnings": [[w.message, _text(w.file), w.line] for w in self.warnings],
            "manifest_sha256": self.manifest_sha256,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutputRecord:
        parts = tuple(_part(p) for p in data["inputs"])
        reads = tuple(_part(p) for p in data["reads"])
        warnings = tuple(
            Problem(str(m), None if f is None else Path(f), None if n is None else int(n))
            for m, f, n in data["warnings"]
        )
        pages = data["pages"]
        return cls(
            OutputKey(str(data["briefing"]), str(data["format"])),
            str(data["file"]),
            tuple(str(f) for f in data["listed"]),
            str(data["sha256"]),
            None if pages is None else int(pages),
            Inputs(parts, reads),
            warnings,
            None if data.get("manifest_sha256") is None else str(data["manifest_sha256"]),
        )


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _part(value: Any) -> Part:
    kind, name, digest = value
    return (str(kind), str(name), str(digest))


class Records:
    """output/.brief-records.json: one record per output the builder wrote."""

    def __init__(self, folder: Path, outputs: dict[OutputKey, OutputRecord] | None = None):
        self.folder = folder
        self.outputs: dict[OutputKey, OutputRecord] = outputs or {}

    @property
    def path(self) -> Path:
        return self.folder / RECORDS_NAME

    @classmethod
    def load(cls, folder: Path) -> tuple[Records, Problem | None]:
        """The records, and a problem (to be warned about) when they cannot be trusted."""
        path = folder / RECORDS_NAME
        if folder.is_symlink() or not (path.exists() or path.is_symlink()):
            return cls(folder), None
        try:
            data = json.loads(read_text(path, MAX_RECORDS_BYTES, follow_links=False))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
            found = (OutputRecord.from_json(entry) for entry in data["outputs"])
            return cls(folder, {record.key: record for record in found}), None
        except (UnreadableFileError, ValueError, KeyError, TypeError, AttributeError) as exc:
            message = f"build records ignored; every output is rebuilt ({exc})"
            problem = Problem(message, Path(folder.name) / RECORDS_NAME)
            return cls(folder), problem

    def save(self) -> None:
        from briefwright.build.output import write_atomic  # tempfile: only when writing

        data = {
            "format": FORMAT,
            "tool": __version__,
            "outputs": [self.outputs[key].to_json() for key in sorted(self.outputs)],
        }
        text = json.dumps(data, indent=1) + "\n"
        write_atomic(self.path, text.encode("utf-8"), shown=Path(self.folder.name) / RECORDS_NAME)

    def of_briefing(self, stem: str) -> list[OutputRecord]:
        return [record for key, record in self.outputs.items() if key.briefing == stem]


class Hashes:
    """File hashes memoised for one build: shared templates and sources are read once.

    With `parsed`, a file this process has read (readers/files.py) counts by the bytes that
    were read, not by a second read: a source replaced after it was parsed is then recorded
    with the content the output was made from, so the next build sees the change."""

    def __init__(self, root: Path, *, parsed: bool = False, set_vars: dict[str, str] | None = None):
        self.root = root
        self.parsed = parsed
        self.seen: dict[tuple[str, str], str] = {}
        self.set_vars = set_vars or {}  # this build's --set
        self._toml_vars: list[Any] = []  # [vars] of briefwright.toml, read once if needed

    def value(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self.seen:
            path = resolve_name(self.root, name)
            if kind == "folder":
                self.seen[key] = folder_listing(path)
            elif kind == "config":
                self.seen[key] = config_digest(path)
            else:
                self.seen[key] = self._file(path)
        return self.seen[key]

    def var_fresh(self, name: str, recorded: str) -> bool:
        """Whether the value recorded for variable `name` is still the one this build uses
        (the briefing file's and [vars]'s own parts are checked beside it)."""
        from briefwright.variables import Var, value_part

        layer = recorded.partition(":")[0]
        if name in self.set_vars:
            current = Var(self.set_vars[name], "string", "set", None, None)
            return value_part(current) == recorded
        if layer in ("briefing", "variant"):
            return True  # the briefing file is unchanged: it still sets this value
        if layer != "toml":
            return False
        if not self._toml_vars:
            from briefwright.variables import toml_vars

            self._toml_vars.append(toml_vars(self.root))
        found = self._toml_vars[0]
        return found is not None and name in found and value_part(found[name]) == recorded

    def _file(self, path: Path) -> str:
        read = parsed_digest(path) if self.parsed else None
        return read or file_sha256(path, MAX_INPUT_BYTES)


def config_digest(path: Path) -> str:
    """briefwright.toml as an input: its settings without [vars] (each variable is an input of
    the outputs that use it); MISSING when absent; its bytes when it is not valid TOML."""
    import tomllib

    raw = regular_sha256(path, MAX_INPUT_BYTES)
    if raw is None:
        return MISSING
    try:
        data = tomllib.loads(read_text(path, MAX_INPUT_BYTES))
    except (UnreadableFileError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return raw
    data.pop("vars", None)
    return sha256_hex(json.dumps(data, sort_keys=True, default=str).encode())


def stale_part(record: OutputRecord, hashes: Hashes) -> Part | None:
    """The first recorded input that is no longer what this build would use (None: none is).
    Section parts are judged by their source files, recorded in `reads`."""
    for part in _checked_parts(record.inputs):
        kind, name, value = part
        if kind in FILE_KINDS or kind == "folder":
            if hashes.value(kind, name) != value:
                return part
        elif kind == "tool":
            if value != tool_identity():
                return part
        elif kind == "date":
            if name != "briefing" and _current_date() != (name, value):
                return part
        elif kind == "var":
            if not hashes.var_fresh(name, value):
                return part
        elif kind not in ("section", "format", "variant", "variants"):  # by the briefing file
            return part  # a kind this version does not know: never trust it
    return None


def _checked_parts(inputs: Inputs) -> Iterator[Part]:
    yield from inputs.parts
    yield from inputs.reads


def _current_date() -> tuple[str, str]:
    found = environment_date()
    return found.origin, found.date.isoformat()


def output_unchanged(record: OutputRecord, output_dir: Path) -> bool:
    return output_sha256(output_dir, record.key) == record.sha256


def output_sha256(output_dir: Path, key: OutputKey) -> str:
    """The SHA-256 recorded for an output: its file's, or for thumbnails one over the contact
    sheet and every entry of the pages folder (a file added there, or a link, changes it)."""
    sheet = file_sha256(output_dir / key.file_name)
    if key.folder_name is None:
        return sheet
    folder = output_dir / key.folder_name
    if folder.is_symlink() or not folder.is_dir():
        return set_sha256(sheet, None)
    try:
        entries = sorted((p.name, file_sha256(p)) for p in folder.iterdir())
    except OSError:  # unreadable: not what the builder wrote
        return set_sha256(sheet, None)
    return set_sha256(sheet, entries)


def set_sha256(sheet: str, pages: list[tuple[str, str]] | None) -> str:
    """The digest of a set of thumbnails: the contact sheet's SHA-256 and each page file's
    (name, SHA-256) in name order; None: no pages folder."""
    return sha256_hex(json.dumps([sheet, pages]).encode())


def output_present(output_dir: Path, key: OutputKey) -> bool:
    """Whether any part of the output is on disk (a dangling link counts)."""
    names = [key.file_name] if key.folder_name is None else [key.file_name, key.folder_name]
    return any((output_dir / n).exists() or (output_dir / n).is_symlink() for n in names)


def date_part(origin: str, iso: str) -> Part:
    return ("date", origin, iso)


def remove_recorded(
    records: Records, keys: Iterable[OutputKey]
) -> tuple[list[OutputKey], list[OutputKey]]:
    """Delete the recorded outputs `keys` and their records: (removed, kept). A file whose bytes
    are not what the builder wrote (edited or replaced by a person) is kept."""
    from briefwright.build.output import remove_output  # tempfile: only when removing

    removed: list[OutputKey] = []
    kept: list[OutputKey] = []
    for key in sorted(keys):
        record = records.outputs.pop(key)
        if not output_present(records.folder, key):
            continue
        path = records.folder / key.file_name
        if path.is_symlink() or not output_unchanged(record, records.folder):
            kept.append(key)
            continue
        if remove_output(records.folder, key):
            removed.append(key)
    return removed, kept


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """Hold output/'s lock: builds and `brief clean` change outputs and records one at a time."""
    import fcntl

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        from briefwright.build.output import write_error

        raise write_error("open the lock file", Path(folder.name) / LOCK_NAME, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
