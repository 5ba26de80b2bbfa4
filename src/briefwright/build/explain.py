"""The drop report (issue 16): for each variant built, what it leaves out and why, worked out
as the build does (assemble), for `brief check --explain` and the JSON build report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefwright.assemble import assemble
from briefwright.build.plan import Plan
from briefwright.drops import Drop
from briefwright.errors import Problem, UsageError
from briefwright.project import Project
from briefwright.spec.variants import Variant
from briefwright.suggest import did_you_mean


@dataclass(frozen=True)
class VariantReport:
    unit: str  # NAME.VARIANT, the stem of its outputs
    briefing: str  # the briefing file's name
    variant: Variant
    dropped: tuple[Drop, ...]
    # what each glob or `tagged` item selected: `briefings/a.yaml:12: SRC#*-x -> SRC#a-x, ...`
    selected: tuple[str, ...] = ()

    def heading(self) -> str:
        """`exec-brief.leadership (profile leadership): 2 left out`"""
        settings = []
        if self.variant.profile:
            settings.append(f"profile {self.variant.profile}")
        if self.variant.releasable_to:
            settings.append(f"releasable to {', '.join(self.variant.releasable_to)}")
        shown = f" ({'; '.join(settings)})" if settings else ""
        count = f"{len(self.dropped)} left out" if self.dropped else "nothing left out"
        return f"{self.unit}{shown}: {count}"

    def lines(self) -> list[str]:
        return [
            self.heading(),
            *(f"  {drop}" for drop in self.dropped),
            *(f"  selected {expansion}" for expansion in self.selected),
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "briefing": self.briefing,
            "variant": self.variant.name,
            "profile": self.variant.profile,
            "releasable_to": list(self.variant.releasable_to),
            "dropped": [drop.as_json() for drop in self.dropped],
            "selected": list(self.selected),
        }


def variant_reports(project: Project, plan: Plan, names: Sequence[str] = ()) -> list[VariantReport]:
    """The drop report of every valid variant unit in `plan` (only variants in `names`, when
    given), in the order of the plan."""
    reports: list[VariantReport] = []
    for briefing in plan.briefings:
        variant = briefing.variant
        if variant is None or (names and variant.name not in names):
            continue
        drops: list[Drop] = []
        ignored: list[Problem] = []  # warnings: brief check and the build report them
        assemble(briefing, plan.sources.found, project, ignored, drops)
        selected = tuple(str(e) for e in plan.expansions.get(briefing.name, ()))
        reports.append(VariantReport(briefing.name, briefing.stem, variant, tuple(drops), selected))
    return reports


def declared_check(plan: Plan, names: Sequence[str], option: str) -> None:
    """Raise UsageError for a variant name that no briefing of the plan declares."""
    declared = sorted({u.partition(".")[2] for units in plan.units.values() for u in units} - {""})
    for name in names:
        if name not in declared:
            hint = did_you_mean(name, declared) if declared else ""
            why = "declares it" if declared else "declares variants"
            raise UsageError(f"{option} {name}: no briefing chosen {why}{hint}")


def report_variants(
    project: Project, names: Sequence[str], shard: tuple[int, int] | None, variants: Sequence[str]
) -> list[dict[str, Any]]:
    """The `variants` of the JSON build report: each variant's drop report, from a plan of
    its own (the no-op build has none; the full build's is in its workers)."""
    from briefwright.build.plan import plan_build, selected_files

    plan = plan_build(project, selected_files(project, names, shard), variants=variants)
    return [report.as_json() for report in variant_reports(project, plan, variants)]
