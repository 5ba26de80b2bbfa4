"""Briefing YAML -> validated BriefingSpec, and the checks of what it refers to."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefwright import model as m
from briefwright.errors import Problem, SourceError, SpecError, TemplateError
from briefwright.project import Project
from briefwright.readers.files import UnreadableFileError, read_regular, size_text
from briefwright.readers.images import missing_alt
from briefwright.readers.markdown import (
    NESTING_MESSAGE,
    MarkdownContext,
    NestingError,
    ParsedMarkdown,
    parse_markdown,
)
from briefwright.readers.sources import image_resolver
from briefwright.readers.text import decode_utf8, replace_forbidden
from briefwright.readers.yamlfile import MAX_YAML_BYTES, YamlDocument, load_yaml
from briefwright.spec.include import Origin, expand_includes
from briefwright.spec.schema import BriefingSpec, validate
from briefwright.spec.validation import without_none
from briefwright.spec.variants import (
    Variant,
    item_problems,
    unit_name,
    variant_of,
    variant_spec,
)
from briefwright.suggest import did_you_mean
from briefwright.template_chain import resolve_chain
from briefwright.variables import Variables, resolve_vars


@dataclass(frozen=True)
class TextItem:
    """A briefing's own `text:` item, parsed when the briefing is loaded (so `brief check`
    finds what `brief build` would), with the footnotes its text defines."""

    blocks: tuple[m.Block, ...]
    footnotes: tuple[tuple[str, tuple[m.Block, ...]], ...]


@dataclass(frozen=True)
class LoadedBriefing:
    """A validated briefing. `spec.sections` are its items with every `include` expanded (and,
    once planned, every pattern: spec/expand.py); `origins` says where each was written."""

    name: str
    file: Path
    spec: BriefingSpec
    doc: YamlDocument
    texts: tuple[TextItem | None, ...] = ()  # by item index; None for `from` items
    logo: Path | None = None  # checked; None when there is none or it cannot be used
    variant: Variant | None = None  # the variant this unit builds; None: no `variants:`
    # every variable it may use: [vars] < its `vars:` < its variant's < --set
    variables: Variables = field(default_factory=dict)
    origins: tuple[Origin, ...] = ()  # by item index
    included: tuple[Path, ...] = ()  # the files `include` items read (project paths)
    # a `tagged` item named no source: any source, added or edited, may change what it selects
    scans_sources: bool = False

    @property
    def stem(self) -> str:
        """The briefing file's name, the same for every variant of it."""
        return self.file.stem

    def origin(self, index: int) -> Origin:
        if index < len(self.origins):
            return self.origins[index]
        return Origin(self.doc, ("sections", index))

    def item_line(self, index: int) -> int:
        return self.origin(index).line()

    def item_file(self, index: int) -> Path:
        return self.origin(index).file


def load_briefing(path: Path, project: Project, problems: list[Problem]) -> LoadedBriefing:
    """Load and validate one briefing file; raises SpecError naming every problem in it."""
    shown = project.relative(path)
    if not project.contains(path):
        raise SpecError("not a regular file inside the project", file=shown)
    try:
        # CRLF line ends shrink to LF: a file up to twice the YAML limit may still be within it
        text = decode_utf8(read_regular(path, 2 * MAX_YAML_BYTES + 3), shown)
    except UnreadableFileError as exc:
        large = f"YAML is larger than {size_text(MAX_YAML_BYTES)}; split it"
        raise SpecError(large if exc.too_large else exc.reason, file=shown) from None
    except SourceError as exc:
        raise SpecError.from_problems(exc.problems) from None
    text, replaced = replace_forbidden(text, shown)
    problems.extend(replaced)
    doc = load_yaml(text, shown)
    problems.extend(doc.warnings)
    defaults = without_none(project.config.defaults)
    spec = validate(BriefingSpec, doc, defaults=defaults)
    if spec.section_numbers is None:  # neither the briefing nor [defaults]: the template's
        spec = replace(spec, section_numbers=_template_numbers(project, spec.template))
    items, origins, included = expand_includes(spec.sections, doc, project, problems)
    spec = replace(spec, sections=items)
    texts = _text_items(spec, origins, path.stem, project, problems)
    logo = _logo(spec, doc, shown, project, problems)
    wrong = [
        Problem(message + origins[index].via(), origins[index].file, origins[index].line(key))
        for index, key, message in item_problems(spec)
    ]
    if wrong:
        raise SpecError.from_problems(wrong)
    variables = briefing_variables(project, spec, doc)
    return LoadedBriefing(
        path.stem,
        shown,
        spec,
        doc,
        texts,
        logo,
        variables=variables,
        origins=tuple(origins),
        included=tuple(included),
    )


def _template_numbers(project: Project, template: str) -> bool:
    """The template's `section_numbers` default (template.toml); False for a template that
    cannot be found (the build names that problem where it looks the template up)."""
    try:
        info = resolve_chain(project, template).info
    except TemplateError:
        return False
    return bool(info and info.section_numbers)


def briefing_variables(
    project: Project, spec: BriefingSpec, doc: YamlDocument, variant: str | None = None
) -> Variables:
    """[vars] < the briefing's `vars:` < its variant's `vars:` < --set: resolve_vars takes the
    layers in that order, the later winning."""
    from briefwright.spec.variables import briefing_layer, variant_layer

    own = variant_layer(spec, doc, variant) if variant is not None else None
    layers = (project.vars_layer, briefing_layer(spec.vars, doc), own, project.set_layer())
    return resolve_vars(*(layer for layer in layers if layer is not None))


def variants_of(briefing: LoadedBriefing, project: Project) -> list[LoadedBriefing]:
    """The build units of a briefing: one per variant (named NAME.VARIANT, with the keys and
    variables the variant sets), or the briefing itself when it declares none."""
    spec = briefing.spec
    return [
        replace(
            briefing,
            name=unit_name(briefing.name, name),
            spec=variant_spec(spec, name),
            variant=variant_of(name, settings),
            variables=briefing_variables(project, spec, briefing.doc, name),
        )
        for name, settings in spec.variants.items()
    ] or [briefing]


def _logo(
    spec: BriefingSpec, doc: YamlDocument, shown: Path, project: Project, problems: list[Problem]
) -> Path | None:
    """The logo as a checked project file (paths are relative to the project folder)."""
    if spec.logo is None:
        return None
    logo = spec.logo.path
    path, reason = image_resolver(project, project.root)(logo)
    line = doc.line_of(("logo",))
    if reason is not None:
        problems.append(Problem(f"logo '{logo}' {reason}", shown, line))
    elif not spec.logo.alt.strip():
        fix = f'logo: {{path: {logo}, alt: "what it shows"}}'
        problems.append(Problem(missing_alt(f"logo '{logo}'", fix), shown, line))
    return path


def _text_items(
    spec: BriefingSpec,
    origins: list[Origin],
    name: str,
    project: Project,
    problems: list[Problem],
) -> tuple[TextItem | None, ...]:
    """Parse every text item (an included one at its own file's lines); raise SpecError
    naming each one that cannot be parsed."""
    texts: list[TextItem | None] = []
    errors: list[Problem] = []
    for index, item in enumerate(spec.sections):
        if item.text is None:
            texts.append(None)
            continue
        shown = origins[index].file
        line = origins[index].line("text")
        resolver = image_resolver(project, project.briefings_dir)
        context = MarkdownContext(shown, f"{name}.{index}", resolver, first_line=line + 1)
        try:
            parsed = parse_markdown(item.text, context)
        except NestingError as exc:
            errors.append(Problem(NESTING_MESSAGE, shown, exc.line))
            texts.append(None)
            continue
        problems.extend(context.problems)
        errors.extend(parsed.errors)
        errors.extend(_markings_not_applied(parsed, shown))
        texts.append(TextItem(parsed.blocks, parsed.footnotes))
    if errors:
        raise SpecError.from_problems(errors)
    return tuple(texts)


def _markings_not_applied(parsed: ParsedMarkdown, file: Path) -> list[Problem]:
    """A heading's `marking` in a text item marks nothing: text items take `text_marking`."""
    message = "a heading's marking in a text item is not applied; set the briefing's text_marking"
    return [
        Problem(message, file, line)
        for attrs, line in zip(parsed.heading_attrs, parsed.lines, strict=True)
        if "marking" in attrs
    ]


def check_references(
    briefing: LoadedBriefing,
    sources: Mapping[str, m.Source],
    broken: Collection[str] = (),
) -> list[Problem]:
    """Every `from` that names a missing source or section, with the closest existing IDs.
    Sources in `broken` exist but cannot be read: their own errors say why, so not this."""
    problems: list[Problem] = []
    for index, item in enumerate(briefing.spec.sections):
        if item.from_ is None or item.source_id in broken or item.is_pattern:
            continue  # a pattern's references are checked as it is expanded (spec/expand.py)
        message = reference_problem(item.source_id, item.section_id, sources, broken)
        if message:
            origin = briefing.origin(index)
            problems.append(Problem(message + origin.via(), origin.file, origin.line("from")))
    return problems


def reference_problem(
    source_id: str,
    section_id: str | None,
    sources: Mapping[str, m.Source],
    broken: Collection[str] = (),
) -> str | None:
    """Why `source_id#section_id` names nothing, with the closest existing IDs; None if it
    names a section (or a whole source). Also what `brief new briefing --from` checks."""
    source = sources.get(source_id)
    if source is None:
        known = [*sources, *broken]
        # a subfolder's source by its file name alone: its ID is its path (`region/north`)
        same_name = [k for k in known if k.rsplit("/", 1)[-1] == source_id]
        named = "; did you mean " + " or ".join(f"'{k}'" for k in same_name[:3]) + "?"
        hint = named if same_name else did_you_mean(source_id, known)
        return f"no source '{source_id}' in sources/{hint}"
    if section_id is not None and source.section(section_id) is None:
        hint = did_you_mean(section_id, [s.id for s in source.sections])
        return f"no section '{section_id}' in {source.path}{hint}"
    return None
