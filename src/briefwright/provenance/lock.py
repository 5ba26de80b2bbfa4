"""Approval locks: `briefings/NAME.lock`, committed beside the briefing it approves.

A lock holds, for each unit of the briefing that was approved (the briefing, or each of its
variants, NAME.VARIANT), who approved it, when, and the manifest of what they approved: the
content hash and the text of every section (the text gives the word diff of a later change).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefwright.build.records import LOCK_SUFFIX
from briefwright.errors import BriefwrightError
from briefwright.provenance.manifest import Manifest, ManifestError, as_data, from_data

LOCK_SCHEMA = "briefwright-lock"
LOCK_VERSION = 1
MAX_LOCK_BYTES = 16 * 1024 * 1024


class LockError(BriefwrightError):
    """A lock file cannot be read: not JSON, not a lock, or of another version."""


@dataclass(frozen=True, kw_only=True)
class Approval:
    unit: str  # NAME or NAME.VARIANT
    by: str
    at: str  # ISO 8601 UTC, to the second
    manifest: Manifest


@dataclass(frozen=True, kw_only=True)
class Lock:
    briefing: str  # the briefing file, as the project names it
    approvals: tuple[Approval, ...] = ()

    def approval(self, unit: str) -> Approval | None:
        return next((a for a in self.approvals if a.unit == unit), None)

    def only(self, units: tuple[str, ...]) -> Lock:
        """This lock without the approvals of units not in `units` (made no more)."""
        return replace(self, approvals=tuple(a for a in self.approvals if a.unit in units))

    def approved(self, approval: Approval) -> Lock:
        """This lock with `approval` in place of the unit's earlier one, units in name order."""
        others = [a for a in self.approvals if a.unit != approval.unit]
        found = sorted([*others, approval], key=lambda a: a.unit)
        return replace(self, approvals=tuple(found))


def lock_path(briefing_file: Path) -> Path:
    """Where a briefing's lock is: beside it, named after it."""
    return briefing_file.with_suffix(LOCK_SUFFIX)


def read_lock_file(path: Path, shown: Path) -> Lock | None:
    """The lock at `path` (`shown` in messages); None when there is none; LockError when it
    cannot be read."""
    from briefwright.readers.files import UnreadableFileError, present, read_regular

    if not present(path):
        return None
    try:
        data = read_regular(path, MAX_LOCK_BYTES, follow_links=False)
    except UnreadableFileError as exc:
        message = f"{shown}: cannot read the lock file ({exc}); delete it or approve again"
        raise LockError(message) from None
    return lock_from_json(data, str(shown))


def lock_json(lock: Lock) -> bytes:
    data = {
        "schema": LOCK_SCHEMA,
        "version": LOCK_VERSION,
        "briefing": lock.briefing,
        "approvals": [
            {"unit": a.unit, "by": a.by, "at": a.at, "manifest": as_data(a.manifest)}
            for a in lock.approvals
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def lock_from_json(data: bytes, where: str) -> Lock:
    """A lock from its bytes; `where` names its file in errors."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LockError(
            f"{where}: not valid JSON ({exc}); `brief approve` writes it anew"
        ) from None
    if not isinstance(raw, dict) or raw.get("schema") != LOCK_SCHEMA:
        raise LockError(f"{where}: not a briefwright lock file")
    if raw.get("version") != LOCK_VERSION:
        found = raw.get("version")
        message = f"lock version {found}; this briefwright reads version {LOCK_VERSION}"
        raise LockError(f"{where}: {message}: approve the briefing again")
    try:
        return Lock(
            briefing=str(raw["briefing"]),
            approvals=tuple(_approval(a, where) for a in raw["approvals"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LockError(f"{where}: lock file is incomplete ({exc!r})") from None
    except ManifestError as exc:
        raise LockError(str(exc)) from None


def _approval(raw: dict[str, Any], where: str) -> Approval:
    manifest = from_data(raw["manifest"], where)
    return Approval(unit=str(raw["unit"]), by=str(raw["by"]), at=str(raw["at"]), manifest=manifest)
