"""The old side of `brief diff --since REF`: the manifest a briefing had at a git ref, or the one
its approval lock holds.

A git ref is read by materialising the project as it was there (`git archive`, unpacked into a
temporary folder removed afterwards) and assembling the briefing in it, exactly as a build at
that commit would have: so a section is compared as the output had it, not as lines of a file.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefwright.build.records import LOCK_SUFFIX
from briefwright.errors import BriefwrightError, Problem, UsageError
from briefwright.project import Project, find_project
from briefwright.provenance.git import GIT_SECONDS, run_git
from briefwright.provenance.lock import lock_path, read_lock_file
from briefwright.provenance.manifest import Manifest
from briefwright.spec.briefing import LoadedBriefing

LOCK_WORD = "lock"  # --since lock: the briefing's own lock, briefings/NAME.lock


class SinceError(BriefwrightError):
    """--since names nothing usable: not a git repository, an unknown ref, a lock without an
    approval of the unit."""


@dataclass(frozen=True)
class Old:
    """The old manifest and how to name it: "HEAD (3f2a9c1)", "approval by Ann, 2026-11-20"."""

    manifest: Manifest
    label: str
    note: str | None = None  # said once: the briefing or variant did not exist then


def old_manifest(project: Project, unit: LoadedBriefing, new: Manifest, since: str) -> Old:
    """The manifest of `unit` (a briefing or one variant) at `since`: a lock, or a git ref."""
    if since == LOCK_WORD or since.endswith(LOCK_SUFFIX):
        return _from_lock(project, unit, since)
    return _from_git(project, unit, new, since)


def _from_lock(project: Project, unit: LoadedBriefing, since: str) -> Old:
    path = lock_path(project.root / unit.file) if since == LOCK_WORD else Path(since)
    shown = project.relative(path.resolve()) if project.contains(path.resolve()) else path
    lock = read_lock_file(path, shown)
    if lock is None:
        fix = f"approve it first: brief approve {unit.file.stem}"
        raise SinceError(f"no lock file; {fix}", file=shown)
    approval = lock.approval(unit.name)
    if approval is None:
        units = ", ".join(a.unit for a in lock.approvals) or "none"
        message = f"no approval of {unit.name} in this lock (it approves: {units})"
        raise SinceError(message, file=shown)
    return Old(approval.manifest, f"approval by {approval.by}, {approval.at}")


def _from_git(project: Project, unit: LoadedBriefing, new: Manifest, ref: str) -> Old:
    root = project.root.resolve()
    top = run_git(root, "rev-parse", "--show-toplevel")
    if top is None:
        raise SinceError(
            f"--since {ref}: {root} is not in a git repository; give a lock instead "
            f"(--since {LOCK_WORD})"
        )
    if ref.startswith("-"):  # git would read it as an option
        raise UsageError(f"--since {ref}: a git ref does not start with '-'")
    commit = run_git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit is None:
        raise UsageError(f"--since {ref}: no such commit, tag or branch in {top.strip()}")
    commit = commit.strip()
    label = f"{ref} ({commit[:10]})" if not commit.startswith(ref) else commit[:10]
    prefix = (run_git(root, "rev-parse", "--show-prefix") or "").strip()
    with tempfile.TemporaryDirectory(prefix="brief-diff-") as folder:
        there = Path(folder)
        _unpack(Path(top.strip()), commit, prefix, there)
        old_root = there / prefix
        briefing_file = old_root / unit.file
        if not briefing_file.is_file():
            note = f"{unit.file} did not exist at {label}: every section is new"
            return Old(_empty(new), label, note)
        return _manifest_there(old_root, unit, new, label)


def _manifest_there(root: Path, unit: LoadedBriefing, new: Manifest, label: str) -> Old:
    """The unit's manifest in the project unpacked at `root`."""
    from briefwright.build.plan import plan_build
    from briefwright.provenance.collect import current_manifest

    (root / "output").mkdir(exist_ok=True)  # output/ holds nothing committed
    try:
        project = find_project(root, root)
        variants = [unit.variant.name] if unit.variant is not None else []
        plan = plan_build(project, [root / unit.file], formats=[], variants=variants)
    except UsageError:  # the variant was not declared then
        name = unit.variant.name if unit.variant is not None else unit.name
        return Old(_empty(new), label, f"variant {name} did not exist at {label}: all new")
    except BriefwrightError as exc:
        raise SinceError.from_problems(_at(exc.problems, label)) from None
    found = [b for b in plan.briefings if b.name == unit.name]
    if not found:
        problems = plan.all_problems() or [Problem(f"{unit.name} could not be loaded")]
        raise SinceError.from_problems(_at(problems, label))
    return Old(current_manifest(project, plan, found[0]), label)


def _at(problems: Sequence[Problem], label: str) -> list[Problem]:
    """Problems of the project at a ref, saying so: its files are not the ones on disk."""
    return [p._replace(message=f"at {label}: {p.message}") for p in problems]


def _empty(new: Manifest) -> Manifest:
    """Nothing, as the old side of a briefing that did not exist: every section is added."""
    return dataclasses.replace(new, sections=(), git=None)


def _unpack(top: Path, commit: str, prefix: str, target: Path) -> None:
    """The files under `prefix` (of the repository at `top`) at `commit`, written into
    `target`: regular files and folders only, so nothing leads out of `target`."""
    command = ["git", "-C", str(top), "archive", "--format=tar", commit]
    if prefix:
        command += ["--", prefix]
    try:
        done = subprocess.run(command, capture_output=True, timeout=GIT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SinceError(f"git archive {commit[:10]} failed: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip()
        if "did not match any files" in reason:  # the project folder did not exist then
            (target / prefix).mkdir(parents=True, exist_ok=True)
            return
        raise SinceError(f"git archive {commit[:10]} failed: {reason}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        for member in archive.getmembers():
            _extract(archive, member, target)


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    """One member of a `git archive`, if it is a folder or a regular file inside `target`
    (tarfile's own "data" filter is not in every Python 3.11)."""
    path = (target / member.name).resolve()
    if not path.is_relative_to(target.resolve()) or not (member.isdir() or member.isfile()):
        return  # a link, or a name leading out: a project's files are regular files
    if member.isdir():
        path.mkdir(parents=True, exist_ok=True)
        return
    source = archive.extractfile(member)
    if source is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source.read())
