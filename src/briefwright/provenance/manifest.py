"""The provenance manifest: one record of what an output was made from, and its JSON.

The JSON is the contract read back from a PDF, a DOCX or an HTML file that has travelled, so
it is versioned (`schema`, `version`) and documented in docs/provenance.md. Writing it is
deterministic (fixed key order, no clock): two builds of the same inputs embed the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from briefwright.errors import BriefwrightError

SCHEMA = "briefwright-manifest"
VERSION = 1
FILE_NAME = "briefwright-manifest.json"  # its name where it is embedded as a file
# where each output format keeps it (docs/provenance.md): the namespace of a DOCX's custom XML
# part and of a PDF's XMP summary, the DOCX custom property of its hash, the HTML script's ID
XML_NAMESPACE = "urn:briefwright:provenance:1"
SHA256_PROPERTY = "briefwright-manifest-sha256"
SCRIPT_ID = "briefwright-manifest"


class ManifestError(BriefwrightError):
    """A manifest is absent from a file or cannot be read."""


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """A block of a section as text, for word diffs and redlines. `style`: h1-h6, p, li (a
    bullet list's item), ol (a numbered list's, its number first: "2. ..."), quote, code, row
    (a table row, cells joined by " | "), term or note."""

    style: str
    text: str
    # character formatting: (start, end, kind) over `text`, kind "strong", "emphasis",
    # "strike" or "code"; nested spans overlap (version 1 readers of older manifests: none)
    marks: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class FileHash:
    file: str
    sha256: str


@dataclass(frozen=True, kw_only=True)
class Section:
    """One item of the briefing as the output has it."""

    key: str  # stable across builds: "source#section", "source" (whole), "text:slug"
    kind: str  # "source" or "text" (the briefing's own lines)
    title: str
    file: str  # the source, or the briefing file for a text item
    lines: tuple[int, int]  # first and last line in `file`
    sha256: str  # of its content as kept: blocks, markings, footnotes, images
    marking: str | None  # the highest marking of what it keeps (None: no scheme)
    source: str | None = None
    section: str | None = None  # None: the whole source
    origin: str | None = None  # the source's front matter `origin` (where it was imported from)
    source_sha256: str | None = None  # the source's front matter `sha256` (of that original)
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Git:
    commit: str
    dirty: bool  # uncommitted changes outside output/ when the output was made


@dataclass(frozen=True, kw_only=True)
class Manifest:
    tool: str  # briefwright's version
    briefing: str  # the unit's name: NAME or NAME.VARIANT
    briefing_file: FileHash
    variant: str | None
    date: str  # the resolved date, ISO
    date_from: str  # "briefing", "SOURCE_DATE_EPOCH" or "today"
    template: str
    template_files: tuple[FileHash, ...]
    config: FileHash | None
    included: tuple[FileHash, ...] = ()  # files its `include:` items read
    marking: str | None = None  # the banner
    git: Git | None = None
    sections: tuple[Section, ...] = field(default=())

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def template_sha256(self) -> str:
        """One hash of every file of the template."""
        from briefwright.build.records import sha256_hex

        listing = "\n".join(f"{f.file} {f.sha256}" for f in self.template_files)
        return sha256_hex(listing.encode())


def to_json(manifest: Manifest) -> bytes:
    """The manifest as UTF-8 JSON, keys in a fixed order, ending in a newline."""
    return (json.dumps(as_data(manifest), ensure_ascii=False, indent=1) + "\n").encode()


def manifest_sha256(text: str) -> str:
    """The SHA-256 of a manifest's JSON as embedded (UTF-8): the hash outputs show beside it."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def as_data(manifest: Manifest) -> dict[str, Any]:
    return {"schema": SCHEMA, "version": VERSION, **asdict(manifest)}


def from_json(data: bytes, where: str) -> Manifest:
    """A manifest from its JSON; `where` names the file it came from in errors."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{where}: its provenance manifest is not valid JSON ({exc})") from None
    return from_data(raw, where)


def from_data(raw: object, where: str) -> Manifest:
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise ManifestError(f"{where}: not a briefwright provenance manifest")
    if raw.get("version") != VERSION:
        found = raw.get("version")
        raise ManifestError(
            f"{where}: provenance manifest version {found}; this briefwright reads version "
            f"{VERSION}: use the briefwright that made it, or rebuild the output"
        )
    try:
        return _manifest(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"{where}: provenance manifest is incomplete ({exc!r})") from None


def _manifest(raw: dict[str, Any]) -> Manifest:
    git = raw["git"]
    config = raw["config"]
    return Manifest(
        tool=str(raw["tool"]),
        briefing=str(raw["briefing"]),
        briefing_file=FileHash(**raw["briefing_file"]),
        variant=raw["variant"],
        date=str(raw["date"]),
        date_from=str(raw["date_from"]),
        template=str(raw["template"]),
        template_files=tuple(FileHash(**f) for f in raw["template_files"]),
        config=FileHash(**config) if config is not None else None,
        included=tuple(FileHash(**f) for f in raw["included"]),
        marking=raw["marking"],
        git=Git(**git) if git is not None else None,
        sections=tuple(_section(s) for s in raw["sections"]),
    )


def _section(raw: dict[str, Any]) -> Section:
    first, last = raw["lines"]
    paragraphs = tuple(
        Paragraph(
            style=str(p["style"]),
            text=str(p["text"]),
            marks=tuple((int(a), int(b), str(kind)) for a, b, kind in p.get("marks", ())),
        )
        for p in raw["paragraphs"]
    )
    fields = {k: v for k, v in raw.items() if k not in ("lines", "paragraphs")}
    return Section(**fields, lines=(int(first), int(last)), paragraphs=paragraphs)
