"""The record of what was built from which inputs, kept in output/.brief-cache.json.

Safe to share between CI runs: an entry counts only when its inputs digest matches and the
output file on disk still has the recorded SHA-256. A corrupt or foreign cache is ignored with
a warning, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from briefwright import __version__
from briefwright.build.output import write_atomic
from briefwright.errors import Problem

CACHE_NAME = ".brief-cache.json"
FORMAT = "briefwright-cache/1"


@dataclass(frozen=True)
class Entry:
    inputs: str
    sha256: str
    pages: int | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BuildCache:
    def __init__(self, folder: Path):
        self.path = folder / CACHE_NAME
        self.entries: dict[str, Entry] = {}

    def load(self) -> Problem | None:
        """Read the cache; a problem (to be reported as a warning) when it cannot be trusted."""
        if not self.path.is_file():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
            self.entries = {key: Entry(**value) for key, value in data["entries"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            self.entries = {}
            return Problem(f"build cache ignored and rebuilt ({exc})", self.path)
        return None

    def fresh(self, key: str, inputs: str, output: Path) -> Entry | None:
        """The entry if `output` is what these inputs built, unchanged since."""
        entry = self.entries.get(key)
        if entry is None or entry.inputs != inputs or not output.is_file():
            return None
        return entry if file_sha256(output) == entry.sha256 else None

    def record(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "tool": __version__,
            "entries": {key: asdict(self.entries[key]) for key in sorted(self.entries)},
        }
        write_atomic(self.path, json.dumps(data, indent=1).encode("utf-8"))
