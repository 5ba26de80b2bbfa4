"""`brief new briefing` and `brief new source`: one new file that passes `brief check` as
written, in the project's marking scheme (a source declares the project's default marking; a
briefing's ceiling is the highest marking it includes, unless the project sets one for every
briefing, which it keeps), never over an existing one."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefwright.build.select import NAME_PATTERN
from briefwright.errors import Problem, ProjectError, SourceError, UsageError
from briefwright.markings import Marking
from briefwright.project import Project
from briefwright.scaffold.files import NewFile, write_new
from briefwright.spec.schema import FROM_RULE, NAME_RULE, REFERENCE

if TYPE_CHECKING:
    from briefwright.spec.briefing import LoadedBriefing

FIRST_SECTION = "summary"


def check_name(kind: str, name: str) -> None:
    """A new file's name is its ID: the same rule as every briefing and source name."""
    if not re.fullmatch(NAME_PATTERN, name):
        raise UsageError(f"{kind} name '{name}' {NAME_RULE}, e.g. weekly-update")


def title_of(name: str) -> str:
    """A first title from a file name: "weekly-update" -> "Weekly update"."""
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:]


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def new_source(project: Project, name: str, title: str | None) -> Path:
    """sources/NAME.md with front matter and one section; the path written, as shown."""
    check_name("source", name)
    if title is not None and (not title.strip() or not title.isprintable()):
        raise UsageError(f"--title {quoted(title)} must be one line of printable text")
    _refuse_existing(project, [p for p in project.source_files() if p.stem == name])
    marking = project.default_marking
    lines = [
        "---",
        f"title: {quoted(title or title_of(name))}",
        *([f"marking: {quoted(marking.text())}"] if marking else []),
        "tags: []",
        "---",
        "",
        f"## Summary {{#{FIRST_SECTION}}}",
        "",
        f"Write the source's text here. Every heading starts a section; `brief sections {name}`",
        f"lists their IDs, and a briefing includes this one with `from: {name}#{FIRST_SECTION}`.",
        "",
    ]
    files = [NewFile(Path(f"sources/{name}.md"), "\n".join(lines).encode("utf-8"))]
    return write_new(project.root, files, Path(), "brief new source")[0]


def new_briefing(
    project: Project, name: str, template: str | None, references: Sequence[str]
) -> Path:
    """briefings/NAME.yaml: a bottom line of its own, then each of `references`; the path
    written, as shown. UsageError naming each reference to no source or section."""
    check_name("briefing", name)
    taken = [p for p in project.briefing_files() if p.stem.lower() == name.lower()]
    _refuse_existing(project, taken)
    if template is not None:
        from briefwright.template_chain import resolve_chain

        resolve_chain(project, template)  # TemplateError listing the templates there are
    ceiling = _ceiling(project, references)
    lines = [
        f"# {name}: made by `brief new briefing`. `brief sections` lists the sources' section IDs;",
        f"# `brief check {name}` validates this file, `brief build {name}` builds it.",
        f"title: {quoted(title_of(name))}",
        *([f"template: {template}"] if template else []),
        *(
            [f"marking: {quoted(ceiling)}  # ceiling: nothing marked higher may be included"]
            if ceiling
            else []
        ),
        "sections:",
        "  - title: Bottom line up front",
        "    text: |",
        "      **Bottom line:** the one thing the reader must take away.",
        *(f"  - from: {reference}" for reference in references),
        "",
    ]
    files = [NewFile(Path(f"briefings/{name}.yaml"), "\n".join(lines).encode("utf-8"))]
    return write_new(project.root, files, Path(), "brief new briefing")[0]


def _ceiling(project: Project, references: Sequence[str]) -> str | None:
    """The `marking` to write: the highest level among what `references` include and the
    project's default marking; None without a scheme, or when briefwright.toml sets a ceiling
    for every briefing ([defaults] marking), which the briefing then keeps. Raises UsageError
    naming each reference that names nothing (with `brief check`'s messages and "did you
    mean"), or that includes more than the project's ceiling allows."""
    bad = [r for r in references if not REFERENCE.match(r)]
    if bad:
        raise UsageError.from_problems(Problem(f"--from '{r}' {FROM_RULE}") for r in bad)
    found: list[Marking | None] = [project.default_marking]
    if references:
        found += _included(project, references)
    scheme = project.scheme
    markings = [mk for mk in found if mk is not None]
    if scheme is None or not markings or project.config.defaults.marking is not None:
        return None
    return max(markings, key=lambda mk: scheme.rank(mk.level)).level.banner


def _briefing(project: Project, references: Sequence[str]) -> LoadedBriefing:
    """A briefing of `references` as `brief check` loads it, the project's defaults merged."""
    from briefwright.readers.yamlfile import YamlDocument
    from briefwright.spec.briefing import LoadedBriefing
    from briefwright.spec.schema import BriefingSpec, validate
    from briefwright.spec.validation import without_none

    shown = Path("briefings/new.yaml")
    data = {"title": "new", "sections": [{"from": reference} for reference in references]}
    doc = YamlDocument(data, {}, shown)
    spec = validate(BriefingSpec, doc, defaults=without_none(project.config.defaults))
    return LoadedBriefing("new", shown, spec, doc)


def _included(project: Project, references: Sequence[str]) -> list[Marking | None]:
    """The markings of every portion `references` include, as the ceiling check sees them."""
    from briefwright.build.plan import load_sources
    from briefwright.spec.briefing import reference_problem
    from briefwright.spec.classify import check_ceiling, portions

    loaded = _briefing(project, references)
    items = loaded.spec.sections
    sources = load_sources(project)
    broken = [p for item in items for p in sources.errors.get(item.source_id, ())]
    if broken:  # a source that cannot be read: its own errors say why
        raise SourceError.from_problems(dict.fromkeys(broken))
    problems: list[Problem] = []
    for item in items:
        message = reference_problem(item.source_id, item.section_id, sources.found, sources.errors)
        if message:
            problems.append(Problem(f"--from '{item.from_}': {message}"))
    if not problems and loaded.spec.marking is not None:  # the project's ceiling
        for reference in references:
            for problem in check_ceiling(_briefing(project, [reference]), sources.found, project):
                what = problem.message.replace("sections[0] includes", "it includes", 1)
                above = "is above the ceiling of [defaults] marking in briefwright.toml"
                problems.append(Problem(f"--from '{reference}' {above}: {what}"))
    if problems:
        raise UsageError.from_problems(dict.fromkeys(problems))
    return [portion.marking for portion in portions(loaded, sources.found, None)]


def _refuse_existing(project: Project, existing: Sequence[Path]) -> None:
    if existing:
        problems = [Problem("already exists", project.relative(p)) for p in existing]
        problems.append(Problem("nothing written; choose another name"))
        raise ProjectError.from_problems(problems)
