"""The inputs of one output as the full build computes them (records.py says what they mean).

Only the sections a briefing includes count, at content level, with the images they show; plus
the variables its document uses (variables.py), the bibliography and CSL style when it cites
(citations.py), the briefing file and its approval lock, its resolved date and where
it came from, the project configuration (without its [vars]), every
file of its template and the template folders' listings, the tool's version and the format.
"""

from __future__ import annotations

from pathlib import Path

from briefwright import model as m
from briefwright.build.records import (
    BUILTIN_PREFIX,
    BUILTIN_TEMPLATES,
    LOCK_SUFFIX,
    VARIANT_LIST,
    Hashes,
    Inputs,
    OutputKey,
    Part,
    date_part,
    sha256_hex,
    tool_identity,
)
from briefwright.citations import cites_in, settings
from briefwright.dates import build_date
from briefwright.errors import BriefwrightError
from briefwright.project import CONFIG_NAME, Project
from briefwright.spec.briefing import LoadedBriefing
from briefwright.spec.variables import variable_uses
from briefwright.templates import Template
from briefwright.variables import value_part


class InputHasher:
    """Works out the inputs of many outputs, each shared file and section only once."""

    def __init__(self, project: Project, templates: dict[str, Template]):
        self.project = project
        self.templates = templates
        # what was parsed, not a second read
        self.hashes = Hashes(project.root, parsed=True, set_vars=project.set_vars)
        self._templates_seen: dict[str, list[Part]] = {}
        self.section_parts: dict[tuple[str, str | None, bool], list[Part]] = {}

    def file(self, kind: str, name: str) -> Part:
        return (kind, name, self.hashes.value(kind, name))

    def output_inputs(
        self, briefing: LoadedBriefing, key: OutputKey, sources: dict[str, m.Source]
    ) -> Inputs:
        parts = self._briefing_parts(briefing, key)
        parts += self.template_parts(briefing.spec.template)
        parts += self._variables(briefing, sources)
        reads: list[Part] = []
        for index, item in enumerate(briefing.spec.sections):
            text = briefing.texts[index] if index < len(briefing.texts) else None
            if text is not None:
                parts += self._images(text.blocks)
            if item.from_ is None:
                continue
            source = sources[item.source_id]
            section = (item.source_id, item.section_id, item.subsections)
            if section not in self.section_parts:
                self.section_parts[section] = self._section(source, *section[1:])
            parts += self.section_parts[section]
            reads.append(self.file("source", str(source.path)))
        if briefing.scans_sources:  # a source added, removed or edited may be selected
            parts.append(self.file("folder", "sources"))
            reads += [self.file("source", str(s.path)) for s in sources.values()]
        if self._cites(briefing, sources):
            parts += self._bibliography(briefing)
        return Inputs(tuple(parts), tuple(dict.fromkeys(reads)))

    def _cites(self, briefing: LoadedBriefing, sources: dict[str, m.Source]) -> bool:
        """Whether the briefing's document cites (`[@key]`): only then are its bibliography
        and style inputs of its outputs."""
        for index, item in enumerate(briefing.spec.sections):
            text = briefing.texts[index] if index < len(briefing.texts) else None
            if text is not None and next(cites_in(tuple(text.blocks)), None) is not None:
                return True
            if item.from_ is None:
                continue
            source = sources[item.source_id]
            section = source.section(item.section_id) if item.section_id else None
            start, end = 0, len(source.blocks)
            if section is not None:
                start, end = section.start, section.end if item.subsections else section.own_end
            notes = tuple(block for _, note in source.footnotes for block in note)
            if next(cites_in((*source.blocks[start:end], *notes)), None) is not None:
                return True
        return False

    def _bibliography(self, briefing: LoadedBriefing) -> list[Part]:
        """The bibliography file and a project CSL style (the shipped one goes with the tool's
        version); nothing when they are not valid: the build says why."""
        try:
            found = settings(briefing, self.project)
        except BriefwrightError:
            return []
        paths = [found.bibliography, found.style]
        root = self.project.root.resolve()
        return [
            self.file("bibliography", str(path.relative_to(root)))
            for path in paths
            if path is not None and path.is_relative_to(root)
        ]

    def _briefing_parts(self, briefing: LoadedBriefing, key: OutputKey) -> list[Part]:
        date = build_date(briefing.spec.date)
        parts: list[Part] = [
            ("tool", "briefwright", tool_identity()),
            ("format", "format", key.format),
            self.file("briefing", str(briefing.file)),
            date_part(date.origin, date.date.isoformat()),
            self.file("config", CONFIG_NAME),
            # its approval lock ("missing" if none): the gate's warning goes with the output
            self.file("lock", str(briefing.file.with_suffix(LOCK_SUFFIX))),
        ]
        # the files its `include` items read: an edit to one rebuilds the briefings using it
        parts += [self.file("briefing", str(path)) for path in briefing.included]
        if briefing.logo is not None:
            parts.append(self.file("image", str(self.project.relative(briefing.logo))))
        if briefing.variant is not None:  # its settings: read from the briefing file above
            variant = briefing.variant
            parts.append(("variant", variant.name, sha256_hex(variant.settings().encode())))
            parts.append(("variants", VARIANT_LIST, ",".join(briefing.spec.variants)))
        return parts

    def _variables(self, briefing: LoadedBriefing, sources: dict[str, m.Source]) -> list[Part]:
        """Each variable the briefing's document uses, with the layer that set its value."""
        uses = dict.fromkeys(use.key for use in variable_uses(briefing, sources))
        return [("var", key, value_part(briefing.variables[key])) for key in uses]

    def template_parts(self, name: str) -> list[Part]:
        """Its folders' listings and every file of it and of the templates it extends."""
        if name not in self._templates_seen:
            template = self.templates[name]
            # a project folder of this name (or of a template it extends) would take over
            # from a built-in one
            names = dict.fromkeys([name, *template.chain])
            parts = [self.file("folder", f"templates/{chain}") for chain in names]
            for folder in template.folders:
                shown = self._template_name(folder)
                parts.append(self.file("folder", shown))
                files = sorted(
                    p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                )
                parts += [self.file("template", self._template_name(path)) for path in files]
            self._templates_seen[name] = list(dict.fromkeys(parts))
        return self._templates_seen[name]

    def _template_name(self, path: Path) -> str:
        if path.is_relative_to(BUILTIN_TEMPLATES):
            return BUILTIN_PREFIX + str(path.relative_to(BUILTIN_TEMPLATES))
        return str(self.project.relative(path))

    def _images(self, blocks: tuple[m.Block, ...] | list[m.Block]) -> list[Part]:
        return [
            self.file("image", str(self.project.relative(image.path)))
            for image in m.images_in(blocks)
            if image.path is not None
        ]

    def _section(self, source: m.Source, section_id: str | None, subsections: bool) -> list[Part]:
        """The hashed content of what a `from` item takes: its blocks, their markings, the
        source's title, tags and footnotes (defined anywhere in the file), and its images."""
        section = source.section(section_id) if section_id else None
        start, end = 0, len(source.blocks)
        if section is not None:
            start, end = section.start, section.end if subsections else section.own_end
        blocks = source.blocks[start:end]
        content = repr((blocks, source.block_markings[start:end], source.title, source.tags))
        content += repr(source.footnotes)
        name = f"{source.id}#{section_id}" if section_id else source.id
        notes = [block for _, note in source.footnotes for block in note]
        parts = [("section", name, sha256_hex(content.encode())), *self._images(blocks)]
        return parts + self._images(notes)
