"""The freshness gate: is what a briefing would be made of now what was approved in its lock?

The plan (build/plan.py) runs it after validating, for every unit whose lock holds an approval:
a changed unit gets one warning naming every change (`brief build`, `brief check`), or, with
--locked, is rejected with it as an error, so it is not rendered. The warning is recorded with
the unit's outputs like any other, and the lock file is an input of them (build/inputs.py):
the no-op build repeats it from the records, and approving again or editing is noticed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path

from briefwright.build.plan import Plan, Rejected
from briefwright.errors import BriefwrightError, Problem
from briefwright.project import Project
from briefwright.provenance.compare import Comparison, SectionChange, compare
from briefwright.provenance.lock import Approval, Lock, LockError, read_lock_file
from briefwright.provenance.lock import lock_path as lock_file

FRESH = "approved, fresh"
CHANGED = "approved, changed"
NEVER = "never approved"
AGAIN = "review it and `brief approve` it again, or undo the change"


@dataclass(frozen=True)
class Freshness:
    """One unit against its lock: `approval` None when it was never approved; `comparison`
    None when it was not compared (never approved, or it could not be assembled)."""

    unit: str
    briefing_file: Path  # project paths
    lock: Path  # whether it exists or not
    approval: Approval | None
    comparison: Comparison | None

    @property
    def state(self) -> str:
        if self.approval is None:
            return NEVER
        return CHANGED if self.comparison is not None and self.comparison.changed else FRESH


def read_lock(project: Project, briefing_file: Path) -> Lock | None:
    """The lock of the briefing file (a project path), None when there is none; LockError
    naming the file when it cannot be read."""
    shown = lock_file(briefing_file)
    return read_lock_file(project.root / shown, shown)


def gate_plan(project: Project, plan: Plan, *, locked: bool) -> Plan:
    """`plan` with each approved unit compared with its lock: a changed unit warns (`locked`:
    is rejected), a unit whose lock cannot be read is rejected, and `freshness` says all."""
    from briefwright.provenance.collect import current_manifest

    locks: dict[Path, Lock | LockError | None] = {}
    kept = []
    rejected = list(plan.rejected)
    warnings = dict(plan.warnings)
    freshness: dict[str, Freshness] = {}
    for briefing in plan.briefings:
        if briefing.file not in locks:
            try:
                locks[briefing.file] = read_lock(project, briefing.file)
            except LockError as exc:
                locks[briefing.file] = exc
        lock = locks[briefing.file]
        if isinstance(lock, LockError):
            rejected.append(Rejected(briefing.name, briefing.file, lock.problems))
            continue
        approval = lock.approval(briefing.name) if lock is not None else None
        where = lock_file(briefing.file)
        comparison = None
        if approval is not None:
            # one that cannot be assembled is not compared: the build (or check) says why
            with contextlib.suppress(BriefwrightError):
                comparison = compare(approval.manifest, current_manifest(project, plan, briefing))
        found = Freshness(briefing.name, briefing.file, where, approval, comparison)
        freshness[briefing.name] = found
        if found.state == CHANGED:
            problem = Problem(changed_message(found), where)
            if locked:
                rejected.append(Rejected(briefing.name, briefing.file, (locked_failure(problem),)))
                continue
            warnings[briefing.name] = (*warnings.get(briefing.name, ()), problem)
        kept.append(briefing)
    return replace(
        plan,
        briefings=tuple(kept),
        rejected=tuple(rejected),
        warnings=warnings,
        freshness=freshness,
    )


def stale_locks(project: Project, plan: Plan) -> list[Problem]:
    """Warnings for locks that approve nothing the project makes: a lock beside no briefing (it
    was deleted or renamed), and approvals of units a briefing no longer makes (a variant
    renamed or removed). `plan` must hold every briefing (`brief check`, `brief status`)."""
    from briefwright.build.records import LOCK_SUFFIX
    from briefwright.build.select import briefing_files

    problems: list[Problem] = []
    stems = {path.stem for path in briefing_files(project.root)}
    for path in sorted(project.briefings_dir.glob(f"*{LOCK_SUFFIX}")):
        shown = project.relative(path)
        if path.stem not in stems:
            fix = "delete it, or rename it with its briefing"
            problems.append(Problem(f"no briefing {path.stem}.yaml for this lock; {fix}", shown))
            continue
        units = next((u for f, u in plan.units.items() if Path(f).stem == path.stem), None)
        try:
            lock = read_lock_file(path, shown)
        except LockError:
            continue  # the plan rejects the briefing with that error
        if lock is None or units is None:
            continue
        gone = [a.unit for a in lock.approvals if a.unit not in units]
        if gone:
            message = (
                f"approves {', '.join(gone)}, which {path.stem} no longer makes; "
                f"`brief approve {path.stem}` writes the lock without them"
            )
            problems.append(Problem(message, shown))
    return problems


def locked_failure(problem: Problem) -> Problem:
    return Problem(f"{problem.message} (--locked)", problem.file, problem.line)


def changed_message(found: Freshness) -> str:
    """One message for a changed unit: each changed section (key, FILE:LINE, word diff) and
    each changed file, one a line under the first."""
    assert found.approval is not None and found.comparison is not None
    approval = found.approval
    lines = [f"{found.unit} changed since approved by {approval.by} at {approval.at}; {AGAIN}:"]
    lines += [f"  {change_line(change)}" for change in found.comparison.sections]
    lines += [f"  {name} changed" for name in found.comparison.files]
    return "\n".join(lines)


def change_line(change: SectionChange, diff: bool = True) -> str:
    section = change.section
    first, last = section.lines
    where = f"{section.file}:{first}" if first == last else f"{section.file}:{first}-{last}"
    line = f"{change.kind} {section.key} ({where})"
    if diff and change.kind == "edited":
        line += f": {change.word_diff()}"
    return line
