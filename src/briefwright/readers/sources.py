"""Markdown source files -> Source: front matter, blocks, and sections with stable IDs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from briefwright import model as m
from briefwright.errors import MarkingError, Problem, SourceError, SpecError
from briefwright.markings import Marking, Scheme, parse_marking
from briefwright.project import SOURCE_ID_PART, Project, source_id
from briefwright.readers.files import UnreadableFileError, read_regular, size_text
from briefwright.readers.heading_attrs import marking_in_title
from briefwright.readers.images import ImageError, load_image, removed_note
from briefwright.readers.markdown import (
    ID_PATTERN,
    NESTING_MESSAGE,
    MarkdownContext,
    NestingError,
    ParsedMarkdown,
    is_remote,
    local_image_path,
    parse_markdown,
)
from briefwright.readers.text import decode_utf8, replace_forbidden
from briefwright.readers.yamlfile import YamlDocument, load_yaml
from briefwright.spec.schema import SourceMeta, validate
from briefwright.spec.validation import field_checks, without_none
from briefwright.suggest import suggestion

MAX_SOURCE_BYTES = 4 * 1024 * 1024


def slugify(title: str) -> str:
    """Lowercase, punctuation dropped, spaces to hyphens ("section" if nothing is left)."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"[\s_-]+", "-", text).strip("-")
    return text or "section"


class UniqueIds:
    """Hands out IDs: `base`, else `base-2`, `base-3`...: the first not yet used.

    Each base remembers the last number it reached, so 30,000 headings of the same title take
    30,000 steps, not the 450 million of counting up from 2 each time; a number is never
    tried twice for one base, and each ID in use blocks at most one try, so the whole is linear.
    """

    def __init__(self, used: Iterable[str] = ()):
        self.used: set[str] = set(used)
        self._last: dict[str, int] = {}

    def take(self, base: str) -> str:
        n = self._last.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self._last[base] = n
        self.used.add(candidate)
        return candidate


def load_sources(
    project: Project, warnings: list[Problem]
) -> tuple[dict[str, m.Source], list[Problem]]:
    """Every readable source in the project by ID, and the errors of those that are not."""
    sources: dict[str, m.Source] = {}
    folded: dict[str, m.Source] = {}  # by ID in lower case: IDs differing in case only clash
    errors: list[Problem] = []
    for path in project.source_files():
        try:
            source = read_source(path, project, warnings)
        except SourceError as exc:
            errors.extend(exc.problems)
            continue
        first = folded.setdefault(source.id.casefold(), source)
        if first is not source:
            errors.append(twice(source, first, project))
            continue
        sources[source.id] = source
    return sources, errors


def twice(source: m.Source, first: m.Source, project: Project) -> Problem:
    """Two files whose IDs differ only in case (`Region/north`, `region/north`): one file on
    the file systems of macOS and Windows, so a project that has both is not portable."""
    return Problem(
        f"source ID '{source.id}' differs only in case from {project.relative(first.path)}; "
        "rename one of them",
        project.relative(source.path),
    )


_SOURCE_ID = re.compile(f"{SOURCE_ID_PART}(/{SOURCE_ID_PART})*")


def checked_source_id(path: Path, project: Project) -> str:
    """The source's ID (its path inside sources/); SourceError when a `from` could not name
    it (a space, a backslash, a name starting with '-'...), so no two files share one ID."""
    found = source_id(path, project.sources_dir)
    if not _SOURCE_ID.fullmatch(found):
        message = (
            f"source ID '{found}' cannot be named in a briefing: folder and file names in "
            "sources/ may hold only letters, digits, '-', '_' and '.' (starting with a letter "
            "or digit); rename it"
        )
        raise SourceError(message, file=project.relative(path))
    return found


def read_source(path: Path, project: Project, warnings: list[Problem]) -> m.Source:
    """Read one source; warnings (replaced characters, refused images) go to `warnings`."""
    shown = project.relative(path)
    if not project.contains(path):
        raise SourceError("not a regular file inside the project", file=shown)
    try:
        data = read_regular(path, MAX_SOURCE_BYTES)
    except UnreadableFileError as exc:
        large = f"larger than {size_text(MAX_SOURCE_BYTES)}; split it"
        raise SourceError(large if exc.too_large else exc.reason, file=shown) from None
    source_id = checked_source_id(path, project)
    text, replaced = replace_forbidden(decode_utf8(data, shown), shown)
    warnings.extend(replaced)
    context = MarkdownContext(shown, source_id, image_resolver(project, path.parent))
    try:
        parsed = parse_markdown(text, context)
    except NestingError as exc:
        raise SourceError(NESTING_MESSAGE, file=shown, line=exc.line) from None
    warnings.extend(context.problems)
    errors = list(parsed.errors)  # every error of the source is reported, not only the first
    meta, other_keys, marking_line = _front_matter(parsed, shown, warnings, errors)
    marking: Marking | None = project.default_marking
    if meta.marking is not None:
        origin = f"{shown} front matter"
        marking = _marking(meta.marking, project, shown, marking_line, origin, errors)
    sections, blocks = _sections(parsed, shown, marking, project, errors)
    if errors:
        raise SourceError.from_problems(sorted(dict.fromkeys(errors), key=lambda p: p.line or 0))
    title_heading = None if meta.title else _title_heading(sections)
    title = meta.title or path.stem
    if title_heading is not None:
        title = m.plain_text(_heading_at(blocks, title_heading).children) or title
    return m.Source(
        id=source_id,
        path=shown,
        title=title,
        blocks=blocks,
        sections=sections,
        footnotes=parsed.footnotes,
        meta={**other_keys, **without_none(meta)},
        marking=marking,
        block_markings=_block_markings(sections, marking, len(blocks)),
        tags=tuple(meta.tags),
        title_heading=title_heading,
        block_lines=parsed.lines,
        line_count=len(text.splitlines()),
    )


def _title_heading(sections: tuple[m.SectionInfo, ...]) -> int | None:
    """The block index of the source's first heading, if it is of level 1: the title of a
    source whose front matter gives none (as a README's `# Project name`)."""
    first = sections[0] if sections else None
    return first.start if first is not None and first.level == 1 else None


def _heading_at(blocks: tuple[m.Block, ...], index: int) -> m.Heading:
    heading = blocks[index]
    assert isinstance(heading, m.Heading)
    return heading


def _marking(
    text: str, project: Project, file: Path, line: int, origin: str, errors: list[Problem]
) -> Marking | None:
    """The marking `text` names; None, with the reason added to `errors`, if it names none."""
    try:
        return parse_marking(text, project.scheme, origin)
    except MarkingError as exc:
        errors.append(Problem(exc.problems[0].message, file, line))
        return None


def _heading_markings(
    parsed: ParsedMarkdown,
    heads: list[int],
    source_marking: Marking | None,
    project: Project,
    file: Path,
    errors: list[Problem],
) -> list[Marking | None]:
    """Each heading's effective marking: its `marking` attribute, which holds for its
    subsections too; else that of the heading it is under; else the source's."""
    markings: list[Marking | None] = []
    enclosing: list[tuple[int, Marking | None]] = []  # (level, marking) of the headings still open
    for index in heads:
        heading = parsed.blocks[index]
        assert isinstance(heading, m.Heading)
        while enclosing and enclosing[-1][0] >= heading.level:
            enclosing.pop()
        own = parsed.heading_attrs[index].get("marking")
        marking: Marking | None
        if own is not None:
            line = parsed.lines[index]
            origin = f"heading attribute at {file}:{line}"
            marking = _marking(own, project, file, line, origin, errors)
        else:
            marking = enclosing[-1][1] if enclosing else source_marking
        enclosing.append((heading.level, marking))
        markings.append(marking)
    return markings


def _block_markings(
    sections: tuple[m.SectionInfo, ...], source_marking: Marking | None, count: int
) -> tuple[Marking | None, ...]:
    """Each block's marking: that of the section it belongs to, else the source's."""
    blocks = [source_marking] * count
    for section in sections:
        blocks[section.start : section.own_end] = [section.marking] * (
            section.own_end - section.start
        )
    return tuple(blocks)


def image_resolver(project: Project, base: Path) -> m.ImageResolver:
    """Resolve an image reference to a regular file inside the project, or say why not (or,
    with the file, what was removed from it)."""

    def resolve(src: str) -> tuple[Path | None, str | None]:
        if is_remote(src):
            return None, "is not a project file (remote and data: URLs are never fetched)"
        relative = local_image_path(src)
        if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
            return None, "must be a relative path inside the project"
        candidate = (base / relative).resolve()
        if not candidate.is_relative_to(project.root):
            return None, "points outside the project"
        if not candidate.is_file():
            return None, "does not exist (or is not a regular file)"
        try:
            image = load_image(candidate)
        except ImageError as exc:
            return None, str(exc)
        return candidate, removed_note(image)  # used, but the author is told what was removed

    return resolve


def _front_matter(
    parsed: ParsedMarkdown, file: Path, warnings: list[Problem], errors: list[Problem]
) -> tuple[SourceMeta, dict[str, object], int]:
    """The front matter's keys briefwright reads, the others (from Jekyll, docs sites...),
    which are kept and named in one warning, and the line of its `marking` key (for messages).
    A key that looks like `marking` is added to `errors`: a marking not applied fails open."""
    if parsed.front_matter is None:
        return SourceMeta(), {}, 2
    try:
        doc = load_yaml(parsed.front_matter, file, first_line=2)
        warnings.extend(doc.warnings)
        if doc.value is None:
            return SourceMeta(), {}, 2
        if not isinstance(doc.value, dict):
            return validate(SourceMeta, doc), {}, 2  # raises: not a mapping
        known = field_checks(SourceMeta)
        other = {str(k): v for k, v in doc.value.items() if k not in known}
        errors += [
            Problem(_NOT_MARKING.format(key), file, doc.line_of((key,)))
            for key in other
            if _marking_like(key)
        ]
        if other:
            warnings.append(_other_keys_warning(doc, list(other), list(known)))
        ours = {k: v for k, v in doc.value.items() if k in known}
        return validate(SourceMeta, replace(doc, value=ours)), other, doc.line_of(("marking",))
    except SpecError as exc:
        raise SourceError.from_problems(exc.problems) from None


_NOT_MARKING = "front matter key '{}' looks like a marking and is not applied; the key is 'marking'"


def _marking_like(key: str) -> bool:
    """A front matter key an author may have meant as `marking` (`Marking`, `markings`...)."""
    word = key.casefold()
    return "marking" in word or bool(suggestion(word, ["marking"])) or word == "classification"


def _other_keys_warning(doc: YamlDocument, keys: list[str], known: list[str]) -> Problem:
    hints = [
        f"'{key}'" + (f" ({hint})" if (hint := suggestion(key, known)) else "") for key in keys
    ]
    listed = ", ".join(hints)
    message = f"front matter key(s) {listed} not used by briefwright; kept in the source's meta"
    return Problem(message, doc.file, doc.line_of((keys[0],)))


def _sections(
    parsed: ParsedMarkdown,
    file: Path,
    source_marking: Marking | None,
    project: Project,
    errors: list[Problem],
) -> tuple[tuple[m.SectionInfo, ...], tuple[m.Block, ...]]:
    """Sections of the headings (each with its effective marking), and the blocks with every
    heading's ID filled in."""
    blocks = list(parsed.blocks)
    heads = [i for i, b in enumerate(blocks) if isinstance(b, m.Heading)]
    lines = [parsed.lines[i] for i in heads]
    ids = _section_ids([blocks[i] for i in heads], lines, file, errors)
    markings = _heading_markings(parsed, heads, source_marking, project, file, errors)
    errors.extend(marking_like_titles(blocks, heads, parsed.lines, project.scheme, file))
    sections: list[m.SectionInfo] = []
    for position, (index, section_id) in enumerate(zip(heads, ids, strict=True)):
        heading = blocks[index]
        assert isinstance(heading, m.Heading)
        blocks[index] = replace(heading, id=section_id)
        later = heads[position + 1 :]
        end = next((j for j in later if _level(blocks[j]) <= heading.level), len(blocks))
        own_end = later[0] if later else len(blocks)
        sections.append(
            m.SectionInfo(
                id=section_id,
                title=m.plain_text(heading.children),
                level=heading.level,
                line=parsed.lines[index],
                start=index,
                end=end,
                own_end=own_end,
                words=m.word_count(blocks[index:end]),
                marking=markings[position],
                tags=tuple(parsed.heading_attrs[index].get("tags", "").split()),
            )
        )
    return tuple(sections), tuple(blocks)


def marking_like_titles(
    blocks: list[m.Block],
    heads: list[int],
    lines: tuple[int, ...],
    scheme: Scheme | None,
    file: Path,
) -> list[Problem]:
    """An error for each heading whose title holds a marking of the scheme in brackets: it
    would be published as text, and mark nothing."""
    problems: list[Problem] = []
    for index in heads:
        heading = blocks[index]
        assert isinstance(heading, m.Heading)
        found = marking_in_title(_bracketed_text(heading.children), scheme)
        if found is not None:
            message = (
                f"'{found}' in a heading's title looks like a marking and marks nothing; "
                'set it as an attribute, {marking="..."}, and let portion_marks show it'
            )
            problems.append(Problem(message, file, lines[index]))
    return problems


def _bracketed_text(children: tuple[m.Inline, ...]) -> str:
    """The title's text with `[...]` kept around what the reader took for a reference link."""
    return "".join(
        f"[{m.plain_text(child.children)}]"
        if isinstance(child, m.Link) and not child.href
        else m.plain_text((child,))
        for child in children
    )


def _level(block: m.Block) -> int:
    return block.level if isinstance(block, m.Heading) else 99


def _section_ids(
    headings: Iterable[m.Block], lines: list[int], file: Path, errors: list[Problem]
) -> list[str]:
    """Explicit IDs as written (checked, unique); the others slugs, made unique with -2, -3."""
    headings = list(headings)
    explicit: dict[str, int] = {}
    for heading, line in zip(headings, lines, strict=True):
        assert isinstance(heading, m.Heading)
        if not heading.id:
            continue
        if not ID_PATTERN.fullmatch(heading.id):
            message = f"section ID '{heading.id}' may hold only letters, digits, '-', '_', '.', ':'"
            errors.append(Problem(message, file, line))
        elif heading.id in explicit:
            message = (
                f"section ID '{heading.id}' is used twice (first on line {explicit[heading.id]})"
            )
            errors.append(Problem(message, file, line))
        else:
            explicit[heading.id] = line
    unique = UniqueIds(explicit)
    ids: list[str] = []
    for heading in headings:
        assert isinstance(heading, m.Heading)
        if heading.id:
            ids.append(heading.id)
            continue
        ids.append(unique.take(slugify(m.plain_text(heading.children))))
    return ids
