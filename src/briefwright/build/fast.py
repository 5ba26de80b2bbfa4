"""Answers that need no parsing: a build in which nothing changed, and `brief sections`.

Both otherwise read every source (Markdown), briefing (YAML) and template, which means importing
the parsers: most of a no-op build's time. The build's answer re-checks the records of the last
full build (records.py: every file each output read, every value it used); the sections' answer
compares a fingerprint of the sources. Any doubt sends the command down its full path. This
module imports nothing heavier than hashlib and json, on purpose.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefwright.build.records import (
    LEGACY_NAMES,
    MAX_RECORDS_BYTES,
    THUMBNAILS,
    Hashes,
    OutputKey,
    OutputRecord,
    Records,
    declared_variants,
    file_sha256,
    gate_warning,
    output_unchanged,
    sha256_hex,
    stale_part,
    tool_identity,
)
from briefwright.build.select import (
    UnknownBriefingError,
    briefing_files,
    name_problems,
    select_briefings,
    shard_of,
)
from briefwright.errors import RenderError
from briefwright.project import CONFIG_NAME, source_files, source_id
from briefwright.readers.files import MAX_INPUT_BYTES, UnreadableFileError, read_text

SECTIONS_NAME = ".brief-sections.json"
SECTIONS_FORMAT = "briefwright-sections/1"
MAX_SECTION_ANSWERS = 32  # enough for every source a person lists


def unchanged_build(
    root: Path,
    names: Sequence[str],
    formats: Sequence[str],
    shard: tuple[int, int] | None,
    strict: bool,
    thumbnails: bool | None = None,
    variants: Sequence[str] = (),
    set_vars: dict[str, str] | None = None,
    locked: bool = False,
) -> list[OutputRecord] | None:
    """The records of the outputs this build asks for, if every one is up to date and the
    full build would do nothing else (no output to remove, no name to complain about);
    None when the full build must decide. `thumbnails`, `variants` and `locked` as in
    run.run_build."""
    output = root / "output"
    if output.is_symlink() or not output.is_dir():
        return None
    if any((output / name).exists() for name in LEGACY_NAMES):
        return None  # the full build removes them
    records, problem = Records.load(output)
    available = briefing_files(root)
    if problem is not None or not records.outputs or name_problems(available):
        return None
    if _source_ids_clash(root):
        return None  # the full build fails the briefings using them, whatever the records say
    try:
        chosen = shard_of(select_briefings(available, names), shard)
    except UnknownBriefingError:
        return None
    if any(not (root / r.briefing_file).is_file() for r in records.outputs.values()):
        return None  # outputs of a deleted briefing: the full build removes them
    hashes = Hashes(root, set_vars=set_vars)
    answer: list[OutputRecord] = []
    units = [(path, unit) for path in chosen for unit in _units(root, path, records, variants)]
    if not units or (variants and {u.rpartition(".")[2] for _, u in units} != set(variants)):
        return None  # a variant no chosen briefing was built with: the full build decides
    for path, unit in units:
        wanted = _wanted(unit, records, hashes, formats, thumbnails)
        if not wanted:
            return None
        for output_format in wanted:
            record = records.outputs.get(OutputKey(unit, output_format))
            if record is None or not _fresh(record, hashes, output, path.relative_to(root)):
                return None
            if strict and record.warnings:
                return None  # the full build fails them, saying so the same way
            if locked and any(gate_warning(w) for w in record.warnings):
                return None  # changed since approved: the full build refuses to render it
            answer.append(record)
    return answer


def _units(root: Path, path: Path, records: Records, variants: Sequence[str]) -> list[str]:
    """The build units recorded for the briefing file `path`: itself, or its variants
    (NAME.VARIANT), only those named with --variant if any. Whether the file still declares
    them is decided by its hash, which every record of it holds."""
    shown = str(path.relative_to(root))
    own = [record for record in records.outputs.values() if record.briefing_file == shown]
    found = {record.key.briefing for record in own}
    declared = declared_variants(own[0]) if own else None  # a stale record: _fresh says so
    expected = [f"{path.stem}.{name}" for name in declared] if declared else [path.stem]
    if set(found) != set(expected):
        return []  # outputs of variants no longer declared, or not built yet: the full build
    if variants:
        return [unit for unit in expected if unit.rpartition(".")[2] in variants]
    return expected


def _wanted(
    stem: str,
    records: Records,
    hashes: Hashes,
    formats: Sequence[str],
    thumbnails: bool | None,
) -> list[str]:
    """What this build makes of the briefing `stem` (as run.Asked.outputs), from its records;
    empty when the full build must decide (no record of its current file, or thumbnails of it
    to remove)."""
    own = _listed(records.of_briefing(stem), hashes)
    if not own:
        return []
    wanted = list(formats) or [f for f in own if f != THUMBNAILS]
    if thumbnails if thumbnails is not None else THUMBNAILS in own:
        return [*wanted, THUMBNAILS]
    return [] if OutputKey(stem, THUMBNAILS) in records.outputs else wanted


def _listed(records: list[OutputRecord], hashes: Hashes) -> tuple[str, ...]:
    """The briefing's own outputs (formats, perhaps THUMBNAILS), from a record made from its
    current file."""
    for record in records:
        if stale_part(record, hashes) is None:
            return record.listed
    return ()


def _fresh(record: OutputRecord, hashes: Hashes, output: Path, briefing_file: Path) -> bool:
    return (
        record.briefing_file == str(briefing_file)
        and stale_part(record, hashes) is None
        and output_unchanged(record, output)
    )


def _source_ids_clash(root: Path) -> bool:
    """True when two source IDs differ only in case (plan.load_sources makes that an error):
    a source added beside another changes no recorded input, so it is looked for here."""
    folder = root / "sources"
    ids = [source_id(p, folder).casefold() for p in source_files(folder)]
    return len(set(ids)) != len(ids)


# ---------- brief sections ----------


def _source_files(root: Path) -> list[Path]:
    return [p for p in source_files(root / "sources") if p.is_file()]


def sections_key(root: Path, source_id: str | None) -> str:
    """The bytes of every source and the configuration, with the version and the argument."""
    files = [(str(p.relative_to(root)), _sha256(p)) for p in _source_files(root)]
    parts = [tool_identity(), source_id, _sha256(root / CONFIG_NAME), files]
    return sha256_hex(json.dumps(parts).encode())


def _sha256(path: Path) -> str:
    return file_sha256(path, MAX_INPUT_BYTES)  # a file larger than any input is not one


def _load_answers(root: Path) -> dict[str, Any]:
    path = root / "output" / SECTIONS_NAME
    with contextlib.suppress(UnreadableFileError, ValueError, TypeError, AttributeError, KeyError):
        data = json.loads(read_text(path, MAX_RECORDS_BYTES, follow_links=False))
        if data["format"] == SECTIONS_FORMAT:
            return dict(data["answers"])
    return {}


def cached_sections(root: Path, key: str) -> str | None:
    record = _load_answers(root).get(key)
    if not isinstance(record, dict):
        return None
    images = record.get("images")
    if not isinstance(images, dict):
        return None
    if any(_sha256(root / name) != digest for name, digest in images.items()):
        return None
    text = record.get("text")
    return text if isinstance(text, str) else None


def record_sections(root: Path, key: str, text: str, images: Sequence[str]) -> None:
    folder = root / "output"
    if folder.is_symlink() or not folder.is_dir():
        return
    answers = _load_answers(root)
    answers.pop(key, None)
    hashes = {name: _sha256(root / name) for name in sorted(set(images)) if name}
    answers[key] = {"text": text, "images": hashes}
    while len(answers) > MAX_SECTION_ANSWERS:  # oldest first: dicts keep insertion order
        answers.pop(next(iter(answers)))
    from briefwright.build.output import write_atomic  # tempfile: only when something changed

    document = {"format": SECTIONS_FORMAT, "answers": answers}
    with contextlib.suppress(RenderError):  # a read-only output/ only costs speed
        write_atomic(folder / SECTIONS_NAME, json.dumps(document, indent=1).encode("utf-8"))
