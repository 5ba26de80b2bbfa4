"""The JSON build report (`brief build --report FILE.json`), one record per output.

Schema `briefwright-report/1`:
  format, tool, summary {outputs, built, up_to_date, failed, not_started},
  outputs: [{briefing, format, status (built | up-to-date | failed | not-started), error,
             path, sha256, pages, warnings, seconds, cached, inputs}]
`inputs` groups what the output depends on by kind (tool, options, briefing, config, template,
section, image), each entry {name, value}: a SHA-256 for files and content, else the value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefwright import __version__
from briefwright.build.output import write_atomic
from briefwright.build.run import BuildResult, Outcome
from briefwright.project import Project

FORMAT = "briefwright-report/1"


def report_data(project: Project, result: BuildResult) -> dict[str, Any]:
    records = [
        record for outcome in result.outcomes for record in _records(project, outcome, result)
    ]
    statuses = [r["status"] for r in records]
    return {
        "format": FORMAT,
        "tool": __version__,
        "summary": {
            "outputs": len(records),
            "built": statuses.count("built"),
            "up_to_date": statuses.count("up-to-date"),
            "failed": statuses.count("failed"),
            "not_started": statuses.count("not-started"),
        },
        "outputs": sorted(records, key=lambda r: (r["briefing"], r["format"])),
    }


def _records(project: Project, outcome: Outcome, result: BuildResult) -> list[dict[str, Any]]:
    warnings = [str(w) for w in outcome.warnings]
    records = []
    done = set()
    for built in outcome.built:
        done.add(built.key)
        records.append(
            {
                "briefing": built.briefing,
                "format": built.output_format,
                "status": "up-to-date" if built.cached else "built",
                "error": None,
                "path": str(project.relative(built.path)),
                "sha256": built.sha256,
                "pages": built.pages,
                "warnings": warnings,
                "seconds": round(built.seconds, 3),
                "cached": built.cached,
                "inputs": result.inputs[built.key].as_report(),
            }
        )
    if outcome.ok and not outcome.skipped:
        return records
    error = "; ".join(str(p) for p in outcome.errors) or None
    for key, inputs in result.inputs.items():
        name, _, output_format = key.rpartition(".")
        if name != outcome.briefing or key in done:
            continue
        records.append(
            {
                "briefing": name,
                "format": output_format,
                "status": "not-started" if outcome.skipped else "failed",
                "error": error,
                "path": None,
                "sha256": None,
                "pages": None,
                "warnings": warnings,
                "seconds": round(outcome.seconds, 3),
                "cached": False,
                "inputs": inputs.as_report(),
            }
        )
    return records


def write_report(path: Path, project: Project, result: BuildResult) -> None:
    data = json.dumps(report_data(project, result), indent=2, sort_keys=False)
    write_atomic(path, (data + "\n").encode("utf-8"))
