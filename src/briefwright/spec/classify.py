"""What a briefing includes, marking by marking: the ceiling check and the banner roll-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefwright import model as m
from briefwright.errors import MarkingError, Problem
from briefwright.markings import Marking, Scheme, no_scheme_message, parse_marking, roll_up
from briefwright.project import Project
from briefwright.spec.briefing import LoadedBriefing
from briefwright.spec.schema import SectionItem


@dataclass(frozen=True)
class Portion:
    """One marked piece of a brief, and the briefing item that brings it in."""

    label: str
    marking: Marking | None  # None: the project has no marking scheme
    item: int


def text_marking(briefing: LoadedBriefing, project: Project) -> Marking | None:
    """The marking of the briefing's own text items (default: the scheme's lowest level; None
    without a scheme); raises MarkingError if `text_marking` names no level (check_ceiling
    reports it first)."""
    text = briefing.spec.text_marking
    if text is None:
        if project.scheme is None:
            return None
        return Marking(project.scheme.levels[0], origin="the lowest level (text_marking not set)")
    return parse_marking(text, project.scheme, f"text_marking in {briefing.file}")


def portions(
    briefing: LoadedBriefing, sources: Mapping[str, m.Source], text: Marking | None
) -> list[Portion]:
    found: list[Portion] = []
    for index, item in enumerate(briefing.spec.sections):
        if item.text is not None:
            where = briefing.origin(index).path[-1]  # its index in the file it is written in
            found.append(Portion(f"sections[{where}] (text)", text, index))
        else:
            found.extend(_source_portions(item, index, sources[item.source_id]))
    return found


def _source_portions(item: SectionItem, index: int, source: m.Source) -> list[Portion]:
    section = source.section(item.section_id) if item.section_id else None
    if section is None:
        included = list(source.sections)
        found = [Portion(source.id, source.marking, index)]
    else:
        end = section.end if item.subsections else section.own_end
        included = [s for s in source.sections if section.start <= s.start < end]
        found = []
    for sub in included:
        found.append(Portion(f"{source.id}#{sub.id}", sub.marking, index))
    return found


def check_ceiling(
    briefing: LoadedBriefing, sources: Mapping[str, m.Source], project: Project
) -> list[Problem]:
    """Every included portion marked above the briefing's `marking`, bad marking texts, and
    markings asked for in a project without a scheme (in the order of the file)."""
    problems: list[Problem] = []
    ceiling: Marking | None = None
    if briefing.spec.marking is not None:
        try:
            ceiling = parse_marking(briefing.spec.marking, project.scheme, "the ceiling")
        except MarkingError as exc:
            problems.append(_at_key(exc, briefing, "marking"))
    text: Marking | None = None
    try:
        text = text_marking(briefing, project)
    except MarkingError as exc:
        problems.append(_at_key(exc, briefing, "text_marking"))
    if project.scheme is None and briefing.spec.portion_marks:
        message = no_scheme_message(f"portion_marks: {briefing.spec.portion_marks}")
        problems.append(Problem(message, briefing.file, briefing.doc.line_of(("portion_marks",))))
    if problems or ceiling is None or project.scheme is None:
        return sorted(problems, key=lambda p: p.line or 0)
    return _above_ceiling(briefing, portions(briefing, sources, text), ceiling, project.scheme)


def _above_ceiling(
    briefing: LoadedBriefing, found: list[Portion], ceiling: Marking, scheme: Scheme
) -> list[Problem]:
    problems: list[Problem] = []
    for portion in found:
        marking = portion.marking
        if marking is None:
            continue
        origin = briefing.origin(portion.item)
        where = f"sections[{origin.path[-1]}]"  # its index in the file it is written in
        message = _over_level(portion, marking, ceiling, scheme) or _not_releasable(
            portion, marking, ceiling
        )
        if message:
            message = f"{where} {message}{origin.via()}"
            problems.append(Problem(message, origin.file, origin.line()))
    return problems


def _over_level(portion: Portion, marking: Marking, ceiling: Marking, scheme: Scheme) -> str:
    if scheme.rank(marking.level) <= scheme.rank(ceiling.level):
        return ""
    return (
        f"includes {portion.label}, marked "
        f"{marking.level.banner} ({marking.origin}), above the "
        f"briefing's ceiling {ceiling.level.banner}; remove it or raise 'marking'"
    )


def _not_releasable(portion: Portion, marking: Marking, ceiling: Marking) -> str:
    """A ceiling's releasability is a promise about every portion: without this check it was
    silently dropped from the banner, and a brief meant for partners was not releasable."""
    if ceiling.releasable is None:
        return ""
    allowed = marking.releasable.countries if marking.releasable else ()
    missing = [country for country in ceiling.releasable.countries if country not in allowed]
    if not missing:
        return ""
    fix = (
        "give the briefing's own text a releasable `text_marking`"
        if portion.label.endswith("(text)")
        else "remove it, or drop the releasability from 'marking'"
    )
    return (
        f"includes {portion.label}, marked {marking.text()} "
        f"({marking.origin}), not releasable to {', '.join(missing)} as the briefing's "
        f"ceiling {ceiling.text()} requires; {fix}"
    )


def _at_key(error: MarkingError, briefing: LoadedBriefing, key: str) -> Problem:
    """The error placed at the line of the briefing's top-level `key`."""
    return Problem(error.problems[0].message, briefing.file, briefing.doc.line_of((key,)))


def banner(
    briefing: LoadedBriefing, sources: Mapping[str, m.Source], project: Project
) -> Marking | None:
    """The marking of everything included, rolled up: computed, never typed. None without a
    scheme."""
    text = text_marking(briefing, project)  # check_ceiling has reported a bad one already
    return roll_up([p.marking for p in portions(briefing, sources, text)], project.scheme)
