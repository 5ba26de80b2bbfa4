"""`brief provenance --verify`: an output's manifest against the project as it is now.

The output may have travelled (renamed, mailed, with no output/ folder or build records): the
briefing is found from the manifest alone (its file, else its name), assembled again without
rendering, and the two manifests compared section by section.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefwright.errors import BriefwrightError
from briefwright.project import Project
from briefwright.provenance.compare import Comparison, compare
from briefwright.provenance.manifest import Manifest


class VerifyError(BriefwrightError):
    """The briefing an output names cannot be assembled now (it has errors)."""


@dataclass(frozen=True)
class Verification:
    made: Manifest  # what the output carries
    comparison: Comparison | None  # None: the briefing is gone (see `gone`)
    gone: str = ""  # why the briefing could not be found, when it could not

    @property
    def changed(self) -> bool:
        return self.comparison is None or self.comparison.changed


def verify(project: Project, made: Manifest) -> Verification:
    """What changed in the project since the output carrying `made` was built."""
    from briefwright.build.plan import plan_build
    from briefwright.provenance.collect import current_manifest

    file = _briefing_file(project, made)
    if file is None:
        stem = made.briefing.partition(".")[0]
        why = f"{made.briefing_file.file}: no longer in the project (no briefing '{stem}')"
        return Verification(made, None, why)
    plan = plan_build(project, [file])
    rejected = next((r for r in plan.rejected if r.name == made.briefing), None)
    if rejected is not None:
        raise VerifyError.from_problems(rejected.problems)
    briefing = next((b for b in plan.briefings if b.name == made.briefing), None)
    if briefing is None:
        units = ", ".join(plan.units.get(str(project.relative(file)), ())) or "none"
        why = f"{project.relative(file)}: makes no '{made.briefing}' any more (it makes {units})"
        return Verification(made, None, why)
    return Verification(made, compare(made, current_manifest(project, plan, briefing)))


def _briefing_file(project: Project, made: Manifest) -> Path | None:
    """The briefing file the manifest names, or one of the same name moved elsewhere."""
    from briefwright.build.select import briefing_files

    named = project.root / made.briefing_file.file
    files = briefing_files(project.root)
    if named.is_file() and named.resolve() in {f.resolve() for f in files}:
        return named
    stem = made.briefing.partition(".")[0]
    return next((f for f in files if f.stem == stem), None)
