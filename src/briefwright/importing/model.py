"""What a reader makes of one input: the contract between the readers and the rest of import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removed:
    """A line taken out of the input, and the rule (or reader step) that took it: import never
    drops text without saying so."""

    text: str
    rule: str
    line: int | None = None  # 1-based line in the reader's Markdown or the input, where known


@dataclass(frozen=True)
class ImportedImage:
    """An image to write beside the source; `name` is the relative path the Markdown uses
    (e.g. `img/report-1.png`), never absolute and never with `..`."""

    name: str
    data: bytes


@dataclass
class Imported:
    """One input read: its body as Markdown (no front matter) and its metadata where found."""

    markdown: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    removed: list[Removed] = field(default_factory=list)
    images: list[ImportedImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what the input says of its own marking (a Markdown source's front matter), if anything
    marking: str | None = None
    # other front matter the input carries (Markdown), kept in the imported source
    meta: dict[str, Any] = field(default_factory=dict)
