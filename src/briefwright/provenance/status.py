"""`brief status`: where each briefing unit stands against its approval lock, as lines of text
and as the JSON list documented in docs/ci.md (stable: fields are only ever added)."""

from __future__ import annotations

from typing import Any

from briefwright.build.plan import Plan
from briefwright.provenance.gate import CHANGED, FRESH, NEVER, Freshness, change_line

# the `state` of a unit in the JSON, by the words of the text
STATES = {FRESH: "fresh", CHANGED: "changed", NEVER: "never-approved"}
ERROR = "error"


def status_rows(plan: Plan) -> list[dict[str, Any]]:
    """One object per unit, in the order of the briefing files, units in name order."""
    rows = [_row(found) for found in plan.freshness.values()]
    for rejected in plan.rejected:
        rows.append(
            {
                "unit": rejected.name,
                "briefing_file": str(rejected.file),
                "state": ERROR,
                "errors": [str(p) for p in rejected.problems],
            }
        )
    return sorted(rows, key=lambda row: (row["briefing_file"], row["unit"]))


def _row(found: Freshness) -> dict[str, Any]:
    row: dict[str, Any] = {
        "unit": found.unit,
        "briefing_file": str(found.briefing_file),
        "state": STATES[found.state],
        "lock": str(found.lock),
        "approved_by": found.approval.by if found.approval is not None else None,
        "approved_at": found.approval.at if found.approval is not None else None,
        "changed_sections": [],
        "changed_files": [],
    }
    if found.comparison is not None and found.state == CHANGED:
        row["changed_sections"] = [
            {
                "key": change.section.key,
                "change": change.kind,
                "file": change.section.file,
                "lines": list(change.section.lines),
                "word_diff": change.word_diff() if change.kind == "edited" else None,
            }
            for change in found.comparison.sections
        ]
        row["changed_files"] = list(found.comparison.files)
    return row


def status_lines(plan: Plan) -> list[str]:
    lines: list[str] = []
    for row in status_rows(plan):
        state = row["state"]
        if state == ERROR:
            lines.append(f"{row['unit']}: has errors (`brief check {row['unit']}` says which)")
            continue
        found = plan.freshness[row["unit"]]
        if found.approval is None:
            lines.append(f"{found.unit}: {NEVER}")
            continue
        who = f"by {found.approval.by} at {found.approval.at}"
        lines.append(f"{found.unit}: {found.state} ({who})")
        if found.comparison is not None and state == "changed":
            lines += [f"  {change_line(c, diff=False)}" for c in found.comparison.sections]
            lines += [f"  {name} changed" for name in found.comparison.files]
    return lines
