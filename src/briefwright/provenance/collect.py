"""A briefing's provenance manifest, from the document assemble made of it."""

from __future__ import annotations

from pathlib import Path

from briefwright import __version__
from briefwright import model as m
from briefwright.assemble import ItemPart, assemble
from briefwright.build.inputs import InputHasher
from briefwright.build.plan import Plan
from briefwright.dates import build_date
from briefwright.project import CONFIG_NAME, Project
from briefwright.provenance.git import git_state
from briefwright.provenance.manifest import FileHash, Manifest
from briefwright.provenance.sections import sections_of
from briefwright.spec.briefing import LoadedBriefing


def current_manifest(project: Project, plan: Plan, briefing: LoadedBriefing) -> Manifest:
    """The manifest an output of `briefing` made now would carry (assembled, not rendered)."""
    parts: list[ItemPart] = []
    document = assemble(briefing, plan.sources.found, project, [], parts=parts)
    return manifest_of(briefing, document, parts, plan, project)


def manifest_of(
    briefing: LoadedBriefing,
    document: m.Briefing,
    parts: list[ItemPart],
    plan: Plan,
    project: Project,
) -> Manifest:
    """What `document` (assembled from `briefing`, with `parts` filled) is made from."""
    hasher = InputHasher(project, plan.templates)
    sources = plan.sources.found
    date = build_date(briefing.spec.date)
    template = [
        FileHash(file=name, sha256=value)
        for kind, name, value in hasher.template_parts(briefing.spec.template)
        if kind == "template"
    ]
    config = hasher.file("config", CONFIG_NAME)
    sections = sections_of(
        briefing,
        parts,
        sources,
        project.scheme,
        image_hash=lambda path: hasher.file("image", str(project.relative(path)))[2],
        relative=project.relative,
    )
    banner = document.meta.banner
    return Manifest(
        tool=__version__,
        briefing=briefing.name,
        briefing_file=_file(hasher, briefing.file),
        variant=briefing.variant.name if briefing.variant is not None else None,
        date=date.date.isoformat(),
        date_from=date.origin,
        template=briefing.spec.template,
        template_files=tuple(template),
        config=FileHash(file=CONFIG_NAME, sha256=config[2]),
        included=tuple(_file(hasher, path) for path in briefing.included),
        marking=banner.text() if banner is not None else None,
        git=git_state(project.root.resolve()),
        sections=sections,
    )


def _file(hasher: InputHasher, path: Path) -> FileHash:
    return FileHash(file=str(path), sha256=hasher.file("briefing", str(path))[2])
