"""`brief approve`: record in a briefing's lock that a person approved what it is made of now.

The briefing is checked as `brief check` would (a briefing with errors cannot be approved),
then each of its units (itself, or every variant, or the one named) is assembled, and its
manifest written into `briefings/NAME.lock` with who approved it and when. Other units'
approvals in the lock are kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefwright.errors import Problem, SpecError, UsageError
from briefwright.project import Project
from briefwright.provenance.git import git_user
from briefwright.provenance.lock import Approval, Lock, LockError, lock_json, lock_path


@dataclass(frozen=True)
class Approved:
    """What `approve` wrote: the lock's project path, each unit with its section count, and
    the problem of an earlier lock that could not be read (replaced)."""

    lock: Path
    units: tuple[tuple[str, int], ...]
    replaced: Problem | None = None


def approve(project: Project, name: str, variant: str | None, by: str, at: str) -> Approved:
    """Approve the briefing `name` (all its units, or its variant `variant`) as `by` at `at`."""
    from briefwright.build.output import write_atomic
    from briefwright.build.plan import check_plan, plan_build, selected_files
    from briefwright.build.rehearse import rehearse
    from briefwright.provenance.collect import current_manifest
    from briefwright.provenance.gate import read_lock

    files = selected_files(project, [name])
    variants = (variant,) if variant is not None else ()
    plan = rehearse(project, plan_build(project, files, variants=variants, gate=False))
    _, errors = check_plan(project, plan, whole_library=False)
    if errors:
        errors.append(Problem(f"{name} not approved: fix the errors above (`brief check {name}`)"))
        raise SpecError.from_problems(errors)
    if not plan.briefings:
        raise UsageError(f"{name}: nothing to approve")
    briefing_file = plan.briefings[0].file
    replaced = None
    try:
        lock = read_lock(project, briefing_file) or Lock(briefing=str(briefing_file))
    except LockError as exc:  # approving writes it anew, as its message says
        lock, replaced = Lock(briefing=str(briefing_file)), exc.problems[0]
    lock = lock.only(plan.units.get(str(briefing_file), ()))  # a variant renamed: its approval goes
    units = []
    for briefing in plan.briefings:
        manifest = current_manifest(project, plan, briefing)
        lock = lock.approved(Approval(unit=briefing.name, by=by, at=at, manifest=manifest))
        units.append((briefing.name, len(manifest.sections)))
    where = lock_path(briefing_file)
    write_atomic(project.root / where, lock_json(lock), shown=where)
    return Approved(where, tuple(units), replaced)


def now() -> str:
    """The time of an approval: now, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def approver(root: Path) -> str:
    """Who approves when --by is not given: git's user.name, else $USER; UsageError when
    neither is set."""
    name = git_user(root) or os.environ.get("USER", "").strip()
    if not name:
        raise UsageError("no approver: give --by NAME (or set git's user.name, or $USER)")
    return name
