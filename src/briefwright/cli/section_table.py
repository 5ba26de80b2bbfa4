"""The text of `brief sections`: each source's section tree."""

from __future__ import annotations

from collections.abc import Callable

from briefwright import model as m
from briefwright.errors import Problem, SourceError, UsageError
from briefwright.project import Project
from briefwright.project import source_id as source_id_of
from briefwright.readers.sources import load_sources, read_source
from briefwright.suggest import did_you_mean


def section_table(
    project: Project, source_id: str | None, warn: Callable[[Problem], None]
) -> tuple[str, list[str]]:
    """The table, and the images the sources show (project paths): the table's other inputs."""
    warnings: list[Problem] = []
    errors: list[Problem] = []
    if source_id is None:
        found, errors = load_sources(project, warnings)
        sources = list(found.values())
    else:
        by_id = {source_id_of(p, project.sources_dir): p for p in project.source_files()}
        path = by_id.get(source_id)
        if path is None or not path.is_file():
            hint = did_you_mean(source_id, list(by_id))
            raise UsageError(f"no source '{source_id}' in sources/{hint}")
        sources = [read_source(path, project, warnings)]
    for problem in warnings:
        warn(problem)
    if errors:
        raise SourceError.from_problems(errors)
    lines: list[str] = []
    for source in sources:
        lines.append(f"{source.id}  ({source.path}: {source.title})")
        width = max((len(s.id) + 2 * s.level for s in source.sections), default=10)
        marking_width = max(
            (len(s.marking.text() if s.marking else "") for s in source.sections), default=0
        )
        for section in source.sections:
            indent = "  " * (section.level - 1)
            marking = section.marking.text() if section.marking else ""
            lines.append(
                f"  {indent}{section.id:<{width - len(indent)}}  h{section.level}"
                f"  {section.words:>5} words  {marking:<{marking_width}}  {section.title}"
            )
        lines.append("")
    images = [
        str(project.relative(image.path))
        for source in sources
        for image in m.images_in(
            [*source.blocks, *(block for _, blocks in source.footnotes for block in blocks)]
        )
        if image.path is not None
    ]
    return "\n".join(lines), images
