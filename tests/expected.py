"""What a briefing should contain, read from its YAML file and its sources' Markdown text.

The oracle of the writer tests: it uses nothing from briefwright, so a mistake in the reader or
in `assemble()` shows up as a difference instead of being copied into the expected values. It
knows only what the example and fixture projects use: ATX headings with `{#id}` attributes,
fenced code, front matter, and `from`/`text` items with `title`, `level` and `subsections`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_ATTRIBUTES = re.compile(r"\s*\{([^}]*)\}$")
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str


@dataclass(frozen=True)
class Section:
    """A heading of a source, its ID and the text it owns (up to the next heading)."""

    id: str
    heading: Heading
    own_text: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    sections: tuple[Section, ...]

    def span(self, section_id: str, subsections: bool) -> list[Section]:
        """The section and, if asked, the subsections that follow it."""
        start = next(i for i, s in enumerate(self.sections) if s.id == section_id)
        level = self.sections[start].heading.level
        span = [self.sections[start]]
        for section in self.sections[start + 1 :]:
            if not subsections or section.heading.level <= level:
                break
            span.append(section)
        return span


def slug(title: str) -> str:
    """The documented rule for a section ID: lowercase, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKC", title).lower())
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    title = path.stem
    if text.startswith("---\n"):
        front, text = text[4:].split("\n---\n", 1)
        title = (yaml.safe_load(front) or {}).get("title", title)
    sections: list[Section] = []
    used: set[str] = set()
    fenced = False
    heading: tuple[str, Heading] | None = None
    own: list[str] = []
    for line in [*text.splitlines(), "# end"]:
        fenced = fenced != bool(_FENCE.match(line))
        found = None if fenced else _HEADING.match(line)
        if found is None:
            own.append(line)
            continue
        if heading is not None:
            sections.append(Section(heading[0], heading[1], "\n".join(own)))
        own = []
        words, attributes = found.group(2), ""
        if match := _ATTRIBUTES.search(words):
            words, attributes = words[: match.start()], match.group(1)
        explicit = re.search(r"#([\w.:-]+)", attributes)
        section_id = explicit.group(1) if explicit else _unique(slug(words), used)
        used.add(section_id)
        heading = (section_id, Heading(len(found.group(1)), words))
    return Source(path.stem, title, tuple(sections))


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def briefing_yaml(project: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (project / "briefings" / f"{name}.yaml").read_text(encoding="utf-8")
    )
    return data


@dataclass(frozen=True)
class Expected:
    """The headings of a brief, in order, and the source sections it includes."""

    headings: tuple[Heading, ...]
    included: frozenset[tuple[str, str]]  # (source ID, section ID)


def expected(project: Path, name: str) -> Expected:
    headings: list[Heading] = []
    included: set[tuple[str, str]] = set()
    for item in briefing_yaml(project, name)["sections"]:
        target = item.get("level", 1)
        if "text" in item:
            if item.get("title"):
                headings.append(Heading(target, item["title"]))
            continue
        source_id, _, section_id = item["from"].partition("#")
        source = read_source(project / "sources" / f"{source_id}.md")
        if section_id:
            span = source.span(section_id, item.get("subsections", True))
            shift = target - span[0].heading.level
            title = item.get("title", span[0].heading.title)
            span_headings = [Heading(target, title)]
            span_headings += [_shifted(s.heading, shift) for s in span[1:]]
        else:
            span = list(source.sections)
            shift = target + 1 - min((s.heading.level for s in span), default=target + 1)
            span_headings = [Heading(target, item.get("title", source.title))]
            span_headings += [_shifted(s.heading, shift) for s in span]
        headings.extend(span_headings)
        included.update((source_id, s.id) for s in span)
    return Expected(tuple(headings), frozenset(included))


def _shifted(heading: Heading, shift: int) -> Heading:
    return Heading(min(max(heading.level + shift, 1), 6), heading.title)


def first_paragraph(markdown: str) -> str | None:
    """The plain text of the first paragraph of `markdown` (not a list, quote, table...)."""
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        if chunk and not re.match(r"\s*([-*+>|!:#`~]|\d+[.)]\s|\[\^)", chunk):
            text = re.sub(r"\[\^[^\]]*\]", "", chunk)  # footnote calls
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
            return re.sub(r"[*`]|~~", "", text)
    return None
