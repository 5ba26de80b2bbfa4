"""Briefing YAML -> validated BriefingSpec, and the checks of what it refers to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefwright import model as m
from briefwright.errors import Problem, SourceError, SpecError
from briefwright.project import Project
from briefwright.readers.text import decode_utf8, replace_forbidden
from briefwright.readers.yamlfile import YamlDocument, load_yaml
from briefwright.spec.schema import BriefingSpec, validate
from briefwright.spec.validation import without_none
from briefwright.suggest import did_you_mean as did_you_mean  # build/plan.py imports it here


@dataclass(frozen=True)
class LoadedBriefing:
    name: str
    file: Path
    spec: BriefingSpec
    doc: YamlDocument

    def item_line(self, index: int) -> int:
        return self.doc.line_of(("sections", index))


def load_briefing(path: Path, project: Project, problems: list[Problem]) -> LoadedBriefing:
    """Load and validate one briefing file; raises SpecError naming every problem in it."""
    shown = project.relative(path)
    if not project.contains(path) or not path.is_file():
        raise SpecError("not a regular file inside the project", file=shown)
    try:
        text = decode_utf8(path.read_bytes(), shown)
    except SourceError as exc:
        raise SpecError.from_problems(exc.problems) from None
    text, replaced = replace_forbidden(text, shown)
    problems.extend(replaced)
    doc = load_yaml(text, shown)
    problems.extend(doc.warnings)
    defaults = without_none(project.config.defaults)
    spec = validate(BriefingSpec, doc, defaults=defaults)
    return LoadedBriefing(path.stem, shown, spec, doc)


def check_references(briefing: LoadedBriefing, sources: Mapping[str, m.Source]) -> list[Problem]:
    """Every `from` that names a missing source or section, with the closest existing IDs."""
    problems: list[Problem] = []
    for index, item in enumerate(briefing.spec.sections):
        if item.from_ is None:
            continue
        line = briefing.doc.line_of(("sections", index, "from"))
        source = sources.get(item.source_id)
        if source is None:
            hint = did_you_mean(item.source_id, list(sources))
            message = f"no source '{item.source_id}' in sources/{hint}"
            problems.append(Problem(message, briefing.file, line))
        elif item.section_id is not None and source.section(item.section_id) is None:
            hint = did_you_mean(item.section_id, [s.id for s in source.sections])
            message = f"no section '{item.section_id}' in {source.path}{hint}"
            problems.append(Problem(message, briefing.file, line))
    return problems
