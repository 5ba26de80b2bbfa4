"""`brief diff BRIEFING --since REF`: what changed in the assembled brief since a git ref or
its approval, compared section by section, with the redline DOCX and PDF written to output/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefwright import model as m
from briefwright.assemble import ItemPart, assemble
from briefwright.build.output import write_atomic
from briefwright.build.plan import Plan, plan_build, selected_files
from briefwright.build.records import REDLINE
from briefwright.errors import BriefwrightError, UsageError
from briefwright.project import Project
from briefwright.provenance.collect import manifest_of
from briefwright.provenance.compare import compare
from briefwright.provenance.git import git_user
from briefwright.provenance.redline import Redline, redline
from briefwright.provenance.since import old_manifest
from briefwright.spec.briefing import LoadedBriefing

DEFAULT_AUTHOR = "briefwright"
REDLINE_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Diff:
    red: Redline
    note: str | None  # the briefing or variant did not exist then
    written: tuple[Path, ...]  # project-relative


def diff_briefing(
    project: Project,
    name: str,
    variant: str | None,
    since: str,
    author: str | None,
    formats: tuple[str, ...] = REDLINE_FORMATS,
) -> Diff:
    plan = plan_build(project, selected_files(project, [name]), formats=list(formats))
    unit = _unit(plan, variant)
    parts: list[ItemPart] = []
    document = assemble(unit, plan.sources.found, project, [], parts=parts)
    new = manifest_of(unit, document, parts, plan, project)
    old = old_manifest(project, unit, new, since)
    red = redline(
        old.manifest,
        new,
        compare(old.manifest, new),
        since=old.label,
        author=author or git_user(project.root) or DEFAULT_AUTHOR,
        date=f"{new.date}T00:00:00Z",
        title=document.meta.title,
    )
    written = tuple(_write(project, plan, unit, red, document.meta, formats))
    return Diff(red, old.note, written)


def _unit(plan: Plan, variant: str | None) -> LoadedBriefing:
    """The one build unit asked for: the briefing, or the variant named."""
    if plan.rejected:
        raise BriefwrightError.from_problems(plan.all_problems())
    units = list(plan.briefings)
    if variant is None:
        if len(units) == 1 and units[0].variant is None:
            return units[0]
        names = ", ".join(u.variant.name for u in units if u.variant is not None)
        stem = units[0].file.stem
        raise UsageError(
            f"{stem} has variants ({names}): choose one, e.g. brief diff {stem} "
            f"--variant {names.split(', ')[0]} --since ..."
        )
    found = [u for u in units if u.variant is not None and u.variant.name == variant]
    if not found:
        from briefwright.suggest import did_you_mean

        declared = [u.variant.name for u in units if u.variant is not None]
        hint = did_you_mean(variant, declared) if declared else ""
        stem = units[0].file.stem if units else "the briefing"
        raise UsageError(f"--variant {variant}: {stem} declares no such variant{hint}")
    return found[0]


def _write(
    project: Project,
    plan: Plan,
    unit: LoadedBriefing,
    red: Redline,
    meta: m.BriefingMeta,
    formats: tuple[str, ...],
) -> list[Path]:
    template = plan.templates[unit.spec.template]
    written: list[Path] = []
    for output_format in formats:
        if output_format == "docx":
            from briefwright.writers.redline_docx import render_redline_docx

            data = render_redline_docx(red, template, meta)
        else:
            from briefwright.writers.redline_pdf import render_redline_pdf

            data = render_redline_pdf(red, template, meta)
        path = project.output_dir / f"{unit.name}.{REDLINE}.{output_format}"
        shown = project.relative(path)
        write_atomic(path, data, shown=shown)
        written.append(shown)
    return written
