"""The JSON build report (`brief build --report FILE.json`), one record per output.

Schema `briefwright-report/2`:
  format, tool, summary {outputs, built, up_to_date, failed, not_started, removed, warnings},
  outputs: [{briefing, format, status (built | up-to-date | failed | not-started | removed |
             kept), error, path, sha256, pages, warnings, seconds, cached, inputs,
             manifest_sha256}]
`manifest_sha256` is the SHA-256 of the provenance manifest the output carries (issue 18:
docs/provenance.md; null for thumbnails and outputs not written). `warnings` are every warning
of that output, also those recorded when an up-to-date output was
built. Thumbnails are a row of `format` "thumbnails" (path: the contact sheet; sha256 over
the sheet and each page file). `removed` outputs are those no briefing makes any more; `kept`
ones were not removed because their bytes changed since the builder wrote them. `inputs` groups
what the output depends on by kind (tool, format, briefing, date, config, template, folder,
section, image, variant), each entry {name, value}: a SHA-256 for files and content, else the
value. A variant of a briefing is reported as a briefing named NAME.VARIANT; `variants` lists
each variant asked for with its drop report: [{unit, briefing, variant, profile,
releasable_to, dropped: [{what, file, line, condition}]}] (empty without variants).

Light on purpose: the no-op build writes its report from the records alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefwright import __version__
from briefwright.build.output import write_atomic
from briefwright.build.records import Inputs, OutputKey, OutputRecord

if TYPE_CHECKING:
    from briefwright.build.render import Outcome
    from briefwright.build.run import BuildResult

FORMAT = "briefwright-report/2"
Row = dict[str, Any]


def report_data(rows: list[Row], variants: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    statuses = [row["status"] for row in rows]
    return {
        "format": FORMAT,
        "tool": __version__,
        "summary": {
            "outputs": len(rows),
            "built": statuses.count("built"),
            "up_to_date": statuses.count("up-to-date"),
            "failed": statuses.count("failed"),
            "not_started": statuses.count("not-started"),
            "removed": statuses.count("removed"),
            "warnings": len({w for row in rows for w in row["warnings"]}),
        },
        "outputs": sorted(rows, key=lambda row: (row["briefing"], row["format"] or "")),
        "variants": variants or [],
    }


def write_report(path: Path, rows: list[Row], variants: list[dict[str, Any]] | None = None) -> None:
    data = json.dumps(report_data(rows, variants), indent=2)
    write_atomic(path, (data + "\n").encode("utf-8"))


def _row(briefing: str, output_format: str | None, status: str, **values: Any) -> Row:
    row: Row = {
        "briefing": briefing,
        "format": output_format,
        "status": status,
        "error": None,
        "path": None,
        "sha256": None,
        "pages": None,
        "warnings": [],
        "seconds": 0.0,
        "cached": False,
        "inputs": {},
        "manifest_sha256": None,
    }
    row.update(values)
    return row


def record_rows(records: Iterable[OutputRecord]) -> list[Row]:
    """Rows for up-to-date outputs, from their records alone."""
    return [
        _row(
            r.key.briefing,
            r.key.format,
            "up-to-date",
            path=r.path,
            sha256=r.sha256,
            pages=r.pages,
            warnings=[str(w) for w in r.warnings],
            cached=True,
            inputs=r.inputs.as_report(),
            manifest_sha256=r.manifest_sha256,
        )
        for r in records
    ]


def removed_rows(keys: Iterable[OutputKey], status: str) -> list[Row]:
    return [_row(key.briefing, key.format, status, path=key.path) for key in keys]


def result_rows(result: BuildResult) -> list[Row]:
    rows = [row for outcome in result.outcomes for row in _outcome_rows(outcome, result)]
    return rows + removed_rows(result.removed, "removed") + removed_rows(result.kept, "kept")


def _outcome_rows(outcome: Outcome, result: BuildResult) -> list[Row]:
    rows = []
    done = set()
    for built in outcome.built:
        done.add(built.key)
        inputs = result.inputs.get(built.key, Inputs(()))
        rows.append(
            _row(
                built.key.briefing,
                built.key.format,
                "failed" if outcome.errors else "up-to-date" if built.cached else "built",
                path=built.key.path,
                sha256=built.sha256,
                pages=built.pages,
                warnings=[str(w) for w in built.warnings],
                seconds=round(built.seconds, 3),
                cached=built.cached,
                inputs=inputs.as_report(),
                manifest_sha256=built.manifest_sha256,
                error="; ".join(str(p) for p in outcome.errors) or None,
            )
        )
    if outcome.ok and not outcome.skipped:
        return rows
    error = "; ".join(str(p) for p in outcome.errors) or None
    status = "not-started" if outcome.skipped else "failed"
    warnings = [str(w) for w in outcome.warnings]
    asked = [key for key in result.inputs if key.briefing == outcome.briefing]
    for key in asked or []:
        if key in done:
            continue
        rows.append(
            _row(
                key.briefing,
                key.format,
                status,
                error=error,
                warnings=warnings,
                seconds=round(outcome.seconds, 3),
                inputs=result.inputs[key].as_report(),
            )
        )
    if not asked:  # rejected before its outputs were known: one row for the briefing
        rows.append(_row(outcome.briefing, None, status, error=error, warnings=warnings))
    return rows
