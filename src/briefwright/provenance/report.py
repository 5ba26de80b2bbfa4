"""`brief provenance` in words: a manifest readably, and what --verify found."""

from __future__ import annotations

import json
from typing import Any

from briefwright.provenance.compare import SectionChange
from briefwright.provenance.manifest import Manifest, Section
from briefwright.provenance.verify import Verification

SHORT_HASH = 12  # hex digits of a hash shown (git shows 7; sections are many fewer than commits)
_HEADERS = ("SECTION", "FILE:LINES", "MARKING", "SHA256", "ORIGIN")


def describe(manifest: Manifest) -> str:
    """The manifest as a person reads it: what it was made from, then a table of sections."""
    git = manifest.git
    lines = [
        f"briefing:  {manifest.briefing} ({manifest.briefing_file.file}, "
        f"sha256 {_short(manifest.briefing_file.sha256)})",
        f"variant:   {manifest.variant or '(none)'}",
        f"date:      {manifest.date} (from {manifest.date_from})",
        f"tool:      briefwright {manifest.tool}",
        "git:       "
        + (f"{git.commit}{' (dirty: uncommitted changes)' if git.dirty else ''}" if git else "-"),
        f"template:  {manifest.template} ({len(manifest.template_files)} files, "
        f"sha256 {_short(manifest.template_sha256)})",
        f"marking:   {manifest.marking or '-'}",
        f"sections:  {len(manifest.sections)}",
        "",
        *_table([_row(section) for section in manifest.sections]),
    ]
    return "\n".join(lines) + "\n"


def _row(section: Section) -> tuple[str, ...]:
    first, last = section.lines
    where = f"{section.file}:{first}" if first == last else f"{section.file}:{first}-{last}"
    return (
        section.key,
        where,
        section.marking or "-",
        _short(section.sha256),
        section.origin or "-",
    )


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in [_HEADERS, *rows]) for i in range(len(_HEADERS))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [_HEADERS, *rows]
    ]


def _short(sha256: str) -> str:
    return sha256[:SHORT_HASH]


def verification(result: Verification) -> str:
    """What changed since the output was made, each section with FILE:LINE and a word diff."""
    made = result.made
    since = f"dated {made.date}" + (
        f", built at commit {made.git.commit[:SHORT_HASH]}" if made.git else ""
    )
    if result.comparison is None:
        return f"{made.briefing}: the briefing this output was made from is gone: {result.gone}\n"
    comparison = result.comparison
    if not comparison.changed:
        return (
            f"{made.briefing}: unchanged since this output was made ({since}): its "
            f"{len(made.sections)} sections, briefing file, template and configuration\n"
        )
    count = len(comparison.sections)
    lines = [f"{made.briefing}: changed since this output was made ({since}):"]
    lines += [f"  {line}" for change in comparison.sections for line in _change(change)]
    lines += [f"  {what} changed" for what in comparison.files]
    if comparison.date is not None:
        lines.append(f"  date: {comparison.date[0]} -> {comparison.date[1]}")
    lines.append(
        f"{count} section(s) changed"
        + (f"; {', '.join(comparison.files)}" * bool(comparison.files))
    )
    return "\n".join(lines) + "\n"


def _change(change: SectionChange) -> list[str]:
    section = change.section
    first, last = section.lines
    where = f"{section.file}:{first}" if first == last else f"{section.file}:{first}-{last}"
    head = f"{change.kind + ':':9}{section.key}  {where}"
    if section.title:
        head += f"  ({section.title})"
    if change.kind != "edited":
        return [head]
    return [head, f"         {change.word_diff()}"]


def verification_json(result: Verification) -> str:
    """What --verify found, for CI: `changed`, and each change with its place and word diff."""
    comparison = result.comparison
    data: dict[str, Any] = {
        "briefing": result.made.briefing,
        "changed": result.changed,
        "gone": result.gone or None,
        "sections": [
            {
                "change": change.kind,
                "key": change.section.key,
                "file": change.section.file,
                "lines": list(change.section.lines),
                "word_diff": change.word_diff() if change.kind == "edited" else None,
            }
            for change in (comparison.sections if comparison else ())
        ],
        "files": list(comparison.files) if comparison else [],
        "date": list(comparison.date) if comparison and comparison.date else None,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
