"""What one output depends on, as content hashes: the key of incremental builds.

Only the sections a briefing includes count (editing an unused section of a source rebuilds
nothing), with the images they show; plus the briefing file, its resolved date, the project
configuration, every template file, the tool's version and the options that change outputs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from briefwright import __version__
from briefwright import model as m
from briefwright.assemble import build_date, text_item_blocks
from briefwright.build.plan import Plan
from briefwright.project import CONFIG_NAME, Project
from briefwright.spec.briefing import LoadedBriefing
from briefwright.templates import BUILTIN_ROOT


@dataclass(frozen=True)
class Inputs:
    """What an output depends on, and their digest: a SHA-256 for files and content, the value
    itself for the tool's version, the options and the date."""

    parts: tuple[tuple[str, str, str], ...]  # (kind, name, value)

    @property
    def digest(self) -> str:
        return _sha(json.dumps(self.parts).encode())

    def as_report(self) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = {}
        for kind, name, digest in self.parts:
            grouped.setdefault(kind, []).append({"name": name, "value": digest})
        return grouped


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file(path: Path) -> str:
    return _sha(path.read_bytes())


class InputHasher:
    """Hashes the inputs of many outputs, each shared file and section only once per build."""

    def __init__(self, project: Project, plan: Plan):
        self.project = project
        self.plan = plan
        self.templates: dict[str, list[tuple[str, str, str]]] = {}
        self.sections: dict[tuple[str, str | None, bool], list[tuple[str, str, str]]] = {}

    def output_inputs(self, briefing: LoadedBriefing, output_format: str, strict: bool) -> Inputs:
        parts = _briefing_parts(self.project, briefing, output_format, strict)
        name = briefing.spec.template
        if name not in self.templates:
            self.templates[name] = _template_parts(self.project, self.plan, name)
        parts += self.templates[name]
        for index, item in enumerate(briefing.spec.sections):
            if item.text is not None and "![" in item.text:
                parts += _text_images(self.project, briefing, index)
            if item.from_ is None:
                continue
            key = (item.source_id, item.section_id, item.subsections)
            if key not in self.sections:
                source = self.plan.sources[item.source_id]
                self.sections[key] = _section_parts(
                    self.project, source, item.section_id, item.subsections
                )
            parts += self.sections[key]
        return Inputs(tuple(parts))


def _briefing_parts(
    project: Project, briefing: LoadedBriefing, output_format: str, strict: bool
) -> list[tuple[str, str, str]]:
    parts: list[tuple[str, str, str]] = [
        ("tool", "briefwright", __version__),
        ("options", "format", output_format),
        ("options", "strict", str(strict)),
        ("briefing", str(briefing.file), _file(project.root / briefing.file)),
        ("briefing", "date", build_date(briefing.spec.date).isoformat()),
    ]
    config = project.root / CONFIG_NAME
    if config.is_file():
        parts.append(("config", CONFIG_NAME, _file(config)))
    if briefing.spec.logo:
        logo = (project.root / briefing.spec.logo).resolve()
        if logo.is_file() and project.contains(logo):
            parts.append(("image", str(project.relative(logo)), _file(logo)))
        else:
            parts.append(("image", briefing.spec.logo, "missing"))
    return parts


def _text_images(
    project: Project, briefing: LoadedBriefing, index: int
) -> list[tuple[str, str, str]]:
    """The images the briefing's own text item shows (its text is in the briefing's hash)."""
    blocks, _ = text_item_blocks(briefing.spec.sections[index], briefing, index, project, [])
    return [
        ("image", str(project.relative(image.path)), _file(image.path))
        for image in m.images_in(blocks)
        if image.path is not None
    ]


def _template_parts(project: Project, plan: Plan, name: str) -> list[tuple[str, str, str]]:
    parts = []
    for folder in plan.templates[name].folders:
        files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        parts += [
            ("template", _template_name(path, folder, project), _file(path)) for path in files
        ]
    return parts


def _template_name(path: Path, folder: Path, project: Project) -> str:
    if folder.is_relative_to(BUILTIN_ROOT):
        return f"builtin:{path.relative_to(BUILTIN_ROOT)}"
    return str(path.relative_to(project.root))


def _section_parts(
    project: Project, source: m.Source, section_id: str | None, subsections: bool
) -> list[tuple[str, str, str]]:
    """The hashed content of what a `from` item takes: its blocks, their markings, the source's
    title, tags and footnotes, and the bytes of the images it shows (named by their path in
    the project)."""
    section = source.section(section_id) if section_id else None
    start, end = 0, len(source.blocks)
    if section is not None:
        start, end = section.start, section.end if subsections else section.own_end
    blocks = source.blocks[start:end]
    content = repr((blocks, source.block_markings[start:end], source.title, source.tags))
    content += repr(source.footnotes)  # notes are defined anywhere in the file
    name = f"{source.id}#{section_id}" if section_id else source.id
    parts = [("section", name, _sha(content.encode()))]
    for image in m.images_in(blocks):
        if image.path is not None:
            parts.append(("image", str(project.relative(image.path)), _file(image.path)))
    return parts
