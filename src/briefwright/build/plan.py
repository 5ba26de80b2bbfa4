"""Validate everything a build will need before anything is rendered.

Problems belong to what has them: a briefing that cannot be built is rejected with its own
problems (and those of the sources it uses), and the others go on. Only problems of the project
itself (the output folder, briefing file names) stop everything. `brief check` runs exactly
this, so it fails on whatever `brief build` would reject before rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefwright import model as m
from briefwright.build.select import (
    UnknownBriefingError,
    briefing_files,
    name_problems,
    select_briefings,
    shard_of,
)
from briefwright.errors import BriefwrightError, Problem, SpecError, UsageError
from briefwright.markings import no_scheme_message
from briefwright.project import Project, source_id
from briefwright.readers.images import UA_VARIANT, is_missing_alt
from briefwright.readers.sources import read_source, twice
from briefwright.spec.briefing import (
    LoadedBriefing,
    check_references,
    load_briefing,
    variants_of,
)
from briefwright.spec.classify import check_ceiling
from briefwright.spec.expand import Expansion, expand_patterns
from briefwright.spec.variables import variable_problems
from briefwright.suggest import did_you_mean
from briefwright.templates import HTML_TEMPLATE, Template, find_template

if TYPE_CHECKING:
    from briefwright.provenance.gate import Freshness


@dataclass(frozen=True)
class Rejected:
    """A briefing that fails validation, with every problem found in it."""

    name: str
    file: Path
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Sources:
    """Every source in the project: the readable ones, and the problems of each by ID."""

    found: dict[str, m.Source] = field(default_factory=dict)
    errors: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    warnings: dict[str, tuple[Problem, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What a build will do, known to be valid before anything is rendered."""

    briefings: tuple[LoadedBriefing, ...]
    rejected: tuple[Rejected, ...]
    sources: Sources
    templates: dict[str, Template]
    warnings: dict[str, tuple[Problem, ...]]  # by briefing: its own and its sources' warnings
    # every build unit of each loaded briefing file (its variants, or itself), chosen or not
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # by briefing: what each of its glob and tag items selected (`brief check --explain`)
    expansions: dict[str, tuple[Expansion, ...]] = field(default_factory=dict)
    # by unit, for those that passed validation: how it stands against its approval lock
    freshness: dict[str, Freshness] = field(default_factory=dict)

    def all_problems(self) -> list[Problem]:
        return [p for rejected in self.rejected for p in rejected.problems]


def selected_files(
    project: Project, names: Sequence[str], shard: tuple[int, int] | None = None
) -> list[Path]:
    try:
        chosen = select_briefings(briefing_files(project.root), names)
    except UnknownBriefingError as exc:
        hint = did_you_mean(Path(exc.name).stem, exc.choices)
        briefing, _, variant = exc.name.partition(".")
        if variant and briefing in exc.choices and not exc.name.endswith((".yaml", ".yml")):
            hint = f"; to build one variant: brief build {briefing} --variant {variant}"
        raise UsageError(f"no briefing '{exc.name}' in {project.briefings_dir}{hint}") from None
    return shard_of(chosen, shard)


def plan_build(
    project: Project,
    files: Sequence[Path],
    formats: Sequence[str] | None = None,
    thumbnails: bool | None = None,
    variants: Sequence[str] = (),
    *,
    locked: bool = False,
    gate: bool = True,
) -> Plan:
    """Load sources and the briefings in `files` and check every reference. Raises only for
    problems of the project itself; a briefing's problems reject that briefing alone.
    `thumbnails` (--thumbnails; None: each briefing's key) matters as the PDF they need does.
    Each variant of a briefing is a unit of its own (NAME.VARIANT); `variants` (--variant)
    keeps only those, raising UsageError for a name no chosen briefing declares. With `gate`,
    each unit approved in its lock is compared with it (provenance/gate.py): a changed one
    warns, or with `locked` is rejected."""
    check_project(project)
    sources = load_sources(project)
    briefings: list[LoadedBriefing] = []
    rejected: list[Rejected] = []
    templates: dict[str, Template] = {}
    compiled: set[str] = set()  # templates whose HTML compiled
    references: dict[str, list[Problem]] = {}  # the problems of each template's reference.docx
    warnings: dict[str, tuple[Problem, ...]] = {}
    units: dict[str, tuple[str, ...]] = {}
    loaded: list[Rejected | Unit] = []  # in the order of the files
    expansions: dict[str, tuple[Expansion, ...]] = {}
    for file in files:
        own: list[Problem] = []
        try:
            whole = load_briefing(file, project, own)
        except BriefwrightError as exc:
            loaded.append(Rejected(file.stem, project.relative(file), exc.problems))
            continue
        found_units = variants_of(whole, project)
        units[str(whole.file)] = tuple(u.name for u in found_units)
        loaded += [(unit, own) for unit in found_units]
    for entry in _chosen_variants(loaded, variants):
        if isinstance(entry, Rejected):
            rejected.append(entry)
            continue
        briefing, own = entry
        used = list(dict.fromkeys(i.source_id for i in briefing.spec.sections if i.from_))
        briefing, selected, unmatched = expand_patterns(
            briefing, sources.found, set(sources.errors)
        )
        expansions[briefing.name] = tuple(selected)
        thumbs = briefing.spec.thumbnails if thumbnails is None else thumbnails
        html = thumbs or bool({"html", "pdf"} & set(formats or briefing.spec.formats))
        found = unmatched + _briefing_problems(
            project, briefing, sources, used, templates, compiled, html
        )
        found += _variant_problems(project, briefing)
        if not found and "docx" in (formats or briefing.spec.formats):
            found = _reference_problems(briefing, templates[briefing.spec.template], references)
        if found:
            rejected.append(Rejected(briefing.name, briefing.file, tuple(found)))
            continue
        used_warnings = _used_warnings(briefing, sources)
        found_warnings = list(dict.fromkeys([*own, *used_warnings]))
        required = _required_alt_text(briefing, found_warnings, formats)
        if required:
            rejected.append(Rejected(briefing.name, briefing.file, tuple(required)))
            continue
        warnings[briefing.name] = tuple(found_warnings)
        briefings.append(briefing)
    plan = Plan(tuple(briefings), tuple(rejected), sources, templates, warnings, units, expansions)
    if not gate:
        return plan
    from briefwright.provenance.gate import gate_plan  # it imports this module

    return gate_plan(project, plan, locked=locked)


Unit = tuple[LoadedBriefing, list[Problem]]  # a briefing or variant, and its warnings


def _chosen_variants(loaded: list[Rejected | Unit], names: Sequence[str]) -> list[Rejected | Unit]:
    """The units of the variants named with --variant (all when none is named); raises
    UsageError for a name no loaded briefing declares."""
    if not names:
        return loaded
    declared = [e[0].variant.name for e in loaded if isinstance(e, tuple) and e[0].variant]
    for name in names:
        if name not in declared:
            hint = did_you_mean(name, declared) if declared else ""
            why = "declares it" if declared else "declares variants"
            raise UsageError(f"--variant {name}: no briefing chosen {why}{hint}")
    return [
        e
        for e in loaded
        if isinstance(e, Rejected) or (e[0].variant is not None and e[0].variant.name in names)
    ]


def _variant_problems(project: Project, briefing: LoadedBriefing) -> list[Problem]:
    """A variant's releasability needs markings to judge content by."""
    variant = briefing.variant
    if variant is None or not variant.releasable_to or project.scheme is not None:
        return []
    line = briefing.doc.line_of(("variants", variant.name, "releasable_to"))
    message = no_scheme_message(f"variants.{variant.name}.releasable_to")
    return [Problem(message, briefing.file, line)]


def _used_warnings(briefing: LoadedBriefing, sources: Sources) -> list[Problem]:
    """The warnings of the parts of sources the briefing includes: a whole source's, or those
    on the lines of its sections, and those about the source itself (no line, or its front
    matter). A warning in a section no briefing takes is for `brief check`, not for this build."""
    found: list[Problem] = []
    for item in briefing.spec.sections:
        if item.from_ is None:
            continue
        source = sources.found[item.source_id]
        warnings = sources.warnings.get(item.source_id, ())
        span = _section_lines(source, item.section_id, item.subsections)
        if span is None:
            found += warnings
            continue
        first_block = source.block_lines[0] if source.block_lines else 0
        found += [
            w
            for w in warnings
            if w.line is None or w.line < first_block or span[0] <= w.line < span[1]
        ]
    return found


def _section_lines(
    source: m.Source, section_id: str | None, subsections: bool
) -> tuple[int, float] | None:
    """The lines a section spans, from its heading to the next block after it; None for a whole
    source (or one whose block lines are unknown)."""
    section = source.section(section_id) if section_id else None
    if section is None or len(source.block_lines) != len(source.blocks):
        return None
    end = section.end if subsections else section.own_end
    stop = source.block_lines[end] if end < len(source.block_lines) else float("inf")
    return section.line, stop


def _required_alt_text(
    briefing: LoadedBriefing, warnings: list[Problem], formats: Sequence[str] | None
) -> list[Problem]:
    """Missing alt text is a warning, but an error in a PDF/UA-1 briefing that makes a PDF."""
    if briefing.spec.pdf_variant != UA_VARIANT or "pdf" not in (formats or briefing.spec.formats):
        return []
    return [
        w._replace(message=f"{w.message} ({UA_VARIANT} requires it)")
        for w in warnings
        if is_missing_alt(w.message)
    ]


def load_sources(project: Project) -> Sources:
    result = Sources()
    folded: dict[str, m.Source] = {}  # by ID in lower case: IDs differing in case only clash
    for path in project.source_files():
        warnings: list[Problem] = []
        found_id = source_id(path, project.sources_dir)
        try:
            source = read_source(path, project, warnings)
            first = folded.setdefault(source.id.casefold(), source)
            if first is not source:
                result.errors[source.id] = (twice(source, first, project),)
                continue
            result.found[source.id] = source
        except BriefwrightError as exc:
            result.errors[found_id] = exc.problems
        result.warnings[found_id] = tuple(warnings)
    return result


def _briefing_problems(
    project: Project,
    briefing: LoadedBriefing,
    sources: Sources,
    used: list[str],
    templates: dict[str, Template],
    compiled: set[str],
    html: bool,
) -> list[Problem]:
    """The causes of a briefing's failure: a broken source it uses is reported as itself, not
    as a missing source, and a ceiling is checked only when every reference resolves."""
    problems = [p for s in used for p in sources.errors.get(s, ())]
    references = check_references(briefing, sources.found, broken=set(sources.errors))
    problems += references
    if not problems:
        problems += check_ceiling(briefing, sources.found, project)
        problems += variable_problems(briefing, sources.found)
    problems += _template_problems(project, briefing, templates, compiled, html)
    return list(dict.fromkeys(problems))


def _template_problems(
    project: Project,
    briefing: LoadedBriefing,
    templates: dict[str, Template],
    compiled: set[str],
    html: bool,
) -> list[Problem]:
    """Find the briefing's template and, when it will render HTML or PDF, compile its Jinja
    (each once per build). A DOCX-only template may have no HTML at all."""
    name = briefing.spec.template
    if name in templates and (not html or name in compiled):
        return []
    try:
        template = templates.get(name) or find_template(project, name)
        if html:
            compile_template(template)
            template.stylesheet()  # read now, so `brief check` finds one that cannot be read
    except BriefwrightError as exc:
        line = briefing.doc.line_of(("template",))
        return [
            p if p.file is not None else Problem(p.message, briefing.file, line)
            for p in exc.problems
        ]
    templates[name] = template
    if html:
        compiled.add(name)
    return []


def _reference_problems(
    briefing: LoadedBriefing, template: Template, checked: dict[str, list[Problem]]
) -> list[Problem]:
    """A DOCX briefing's template must have a reference.docx the writer accepts (issue 13: it
    is untrusted input), checked once per template and build, so `brief check` finds it."""
    if template.name not in checked:
        try:
            _ = template.reference_docx  # made here once, and kept for the writer
            checked[template.name] = []
        except BriefwrightError as exc:
            line = briefing.doc.line_of(("template",))
            checked[template.name] = [
                p if p.file is not None else Problem(p.message, briefing.file, line)
                for p in exc.problems
            ]
    return checked[template.name]


def compile_template(template: Template) -> None:
    """Compile the template's HTML so that a syntax error is found by `brief check`, with its
    file and line (what it includes or extends is compiled when `check_plan` renders it)."""
    template.compile(HTML_TEMPLATE)


def check_project(project: Project) -> None:
    """Raise for problems of the project itself, before anything reads or writes output/."""
    problems = _output_problems(project)
    if problems:
        raise SpecError.from_problems(problems)


def _output_problems(project: Project) -> list[Problem]:
    """An output folder that is not a folder of the project, and briefing file names that
    cannot be outputs."""
    problems: list[Problem] = []
    output = project.output_dir
    if output.exists() and (not output.is_dir() or not project.contains(output)):
        message = "must be a folder inside the project (not a file or a link to elsewhere)"
        problems.append(Problem(message, project.relative(output)))
    for path, message in name_problems(briefing_files(project.root)):
        problems.append(Problem(message, project.relative(path)))
    return problems


def check_plan(
    project: Project, plan: Plan, *, whole_library: bool
) -> tuple[list[Problem], list[Problem]]:
    """What `brief check` reports: (warnings, errors). Each valid briefing is also assembled,
    as a build would before rendering, for the warnings that only assembling finds. Checking
    the whole library adds the problems of sources no briefing uses."""
    from briefwright.assemble import assemble
    from briefwright.citations import cite_briefing

    warnings: list[Problem] = []
    assembled: list[Problem] = []  # what only assembling finds (cross-references, citations)
    for briefing in plan.briefings:
        warnings += plan.warnings.get(briefing.name, ())
        try:  # unknown labels and keys, a bibliography that cannot be read: as a build would
            document = assemble(briefing, plan.sources.found, project, warnings)
            cite_briefing(document, briefing, project, warnings)
        except BriefwrightError as exc:
            assembled += exc.problems
    errors = [*plan.all_problems(), *assembled]
    if whole_library:
        from briefwright.provenance.gate import stale_locks

        warnings += [w for found in plan.sources.warnings.values() for w in found]
        warnings += stale_locks(project, plan)
        errors += [e for found in plan.sources.errors.values() for e in found]
    return list(dict.fromkeys(warnings)), list(dict.fromkeys(errors))
