"""Answers that need no parsing when nothing changed: a no-op build, and `brief sections`.

Both commands otherwise read every source (Markdown), briefing (YAML) and template, which
means importing the parsers: most of a no-op build's time. Here, a fingerprint of the bytes
of every file an answer depends on (plus the tool's version and the command's arguments) is
compared with the one recorded when the answer was last worked out in full, without
warnings. Any difference, a missing or unreadable record, or an output whose bytes changed
sends the command down its full path, which records a new fingerprint. This module imports
nothing heavier than hashlib and json, on purpose.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from briefwright import __version__

QUICK_NAME = ".brief-quick.json"
FORMAT = "briefwright-quick/1"
CONFIG_NAME = "briefwright.toml"
BUILD_CACHE_NAME = ".brief-cache.json"  # cache.CACHE_NAME, not imported: see the docstring
BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
MAX_RECORDS = 32  # per kind: enough for every CI shard and command line in use


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        return []
    found = (p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def _hashes(root: Path, paths: Iterable[Path]) -> list[tuple[str, str]]:
    return [(str(path.relative_to(root)), _sha(path.read_bytes())) for path in paths]


def _file_hash(path: Path) -> str:
    try:
        return _sha(path.read_bytes())
    except OSError:
        return "missing"


def fingerprint(root: Path, command: str, arguments: Any, *, briefings: bool) -> str:
    """The bytes of everything `command` reads (sources, config, and for builds the briefings
    and templates), with the tool's version and the arguments."""
    parts: list[Any] = [__version__, command, arguments, _file_hash(root / CONFIG_NAME)]
    parts.append(_hashes(root, _files(root / "sources", "*.md")))
    if briefings:
        folder = root / "briefings"
        parts.append(_hashes(root, [*_files(folder, "*.yaml"), *_files(folder, "*.yml")]))
        parts.append(_hashes(root, _files(root / "templates", "**/*")))
        parts.append(_hashes(BUILTIN_TEMPLATES, _files(BUILTIN_TEMPLATES, "**/*")))
    return _sha(json.dumps(parts).encode())


class QuickRecords:
    """output/.brief-quick.json: answers by fingerprint. Unreadable means empty: the full path
    then does the work (and says what is wrong with the real build cache, if anything)."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / "output"
        self.path = self.folder / QUICK_NAME
        self.data: dict[str, dict[str, Any]] = {"builds": {}, "sections": {}}
        if self.folder.is_symlink() or not self.folder.is_dir():
            return
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, KeyError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["format"] == FORMAT:
                self.data = {"builds": dict(data["builds"]), "sections": dict(data["sections"])}

    def get(self, kind: str, key: str) -> Any:
        return self.data[kind].get(key)

    def put(self, kind: str, key: str, value: Any) -> None:
        records = self.data[kind]
        records.pop(key, None)
        records[key] = value
        while len(records) > MAX_RECORDS:  # oldest first: dicts keep insertion order
            records.pop(next(iter(records)))
        if self.folder.is_symlink() or not self.folder.is_dir():
            return
        from briefwright.build.output import write_atomic  # tempfile: only when something changed

        document = {"format": FORMAT, **self.data}
        with contextlib.suppress(OSError):  # a read-only output/ only costs speed
            write_atomic(self.path, json.dumps(document, indent=1).encode("utf-8"))


def _image_hashes(root: Path, images: Sequence[str]) -> dict[str, str]:
    """The images an answer used (project paths) and their bytes' hashes."""
    return {name: _file_hash(root / name) for name in sorted(set(images)) if name}


def _unchanged(root: Path, hashes: dict[str, str]) -> bool:
    return all(_file_hash(root / name) == digest for name, digest in hashes.items())


# ---------- brief build ----------


def build_key(root: Path, arguments: Any) -> str:
    return fingerprint(root, "build", arguments, briefings=True)


def fresh_outputs(root: Path, key: str) -> list[Path] | None:
    """The outputs of the build with this key if every one is exactly what the recorded build
    made from these same files; None when the full build must decide."""
    records = QuickRecords(root)
    record = records.get("builds", key)
    if not isinstance(record, dict):
        return None
    try:
        # a damaged build cache must reach the full path, which warns about it
        if _file_hash(records.folder / BUILD_CACHE_NAME) != record["cache"]:
            return None
        if not _unchanged(root, record["images"]):
            return None
        paths = []
        for name, digest in record["outputs"].items():
            path = records.folder / name
            if _file_hash(path) != digest:
                return None
            paths.append(path)
    except (AttributeError, TypeError, KeyError):
        return None
    return paths


def record_build(
    root: Path, key: str, outputs: Sequence[tuple[str, str]], images: Sequence[str]
) -> None:
    """Remember a build that left every output (name, sha256) up to date without a warning."""
    value = {
        "cache": _file_hash(root / "output" / BUILD_CACHE_NAME),
        "outputs": dict(outputs),
        "images": _image_hashes(root, images),
    }
    QuickRecords(root).put("builds", key, value)


# ---------- brief sections ----------


def sections_key(root: Path, source_id: str | None) -> str:
    return fingerprint(root, "sections", source_id, briefings=False)


def cached_sections(root: Path, key: str) -> str | None:
    record = QuickRecords(root).get("sections", key)
    if not isinstance(record, dict):
        return None
    images = record.get("images")
    if not isinstance(images, dict) or not _unchanged(root, images):
        return None
    text = record.get("text")
    return text if isinstance(text, str) else None


def record_sections(root: Path, key: str, text: str, images: Sequence[str]) -> None:
    value = {"text": text, "images": _image_hashes(root, images)}
    QuickRecords(root).put("sections", key, value)
