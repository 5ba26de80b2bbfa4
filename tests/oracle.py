"""What a briefing should contain, read from the project's own Markdown and YAML text.

The oracle of the writer tests: plain regular expressions and yaml.safe_load, never
briefwright's readers or its assembler, so a mistake in either shows up as a difference instead
of being copied into the expected values. One function per fact.

It knows only what the test projects use: front matter, ATX headings with optional `{#id ...}`
attributes (`marking="..."` among them), fenced code, list items, pipe tables, `[^key]`
footnotes, inline links and images, and the briefing keys `title`, `text`, `from`, `level` and
`subsections`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTRIBUTES = re.compile(r"\s*\{([^}]*)\}$")
ATTRIBUTE_ID = re.compile(r"#([\w.:-]+)")
ATTRIBUTE_MARKING = re.compile(r'\bmarking="([^"]+)"')
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
TABLE_RULE = re.compile(r"^[\s|:-]+$")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
FOOTNOTE_CALL = re.compile(r"\[\^([^\]]+)\](?!:)")
EXTERNAL_LINK = re.compile(r"(?<!!)\[[^\]]*\]\((https?://[^\s)]+)")
IMAGE = re.compile(r'!\[([^\]]*)\]\([^\s)]+(?:\s+"([^"]*)")?\)')
TLP = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


class Heading(NamedTuple):
    """A heading as a brief shows it; equal to the tuple (level, title)."""

    level: int
    title: str


@dataclass(frozen=True)
class Section:
    """A heading of a Markdown text, its ID and where it runs: from its heading's line up to
    the next heading's (indices into the text's lines)."""

    id: str
    heading: Heading
    marking: str | None  # the heading's `marking="..."` attribute
    start: int
    end: int


@dataclass(frozen=True)
class Source:
    """A source file: its front matter, the lines after it, and its sections in order."""

    id: str
    meta: dict[str, Any]
    lines: tuple[str, ...]
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.id))

    def own_text(self, section: Section) -> str:
        """The text a section owns: after its heading, up to the next heading."""
        return "\n".join(self.lines[section.start + 1 : section.end])

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


@dataclass(frozen=True)
class Part:
    """One briefing entry: the source it comes from ("" for the briefing's own text), its
    Markdown, its headings as the brief shows them, the source sections it includes and the
    source's own marking (from its front matter)."""

    source: str
    text: str
    headings: tuple[Heading, ...]
    included: tuple[str, ...] = ()
    marking: str | None = None


def slug(title: str) -> str:
    """The documented rule for a section ID: lowercase, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKC", title).lower())
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


def _unique(base: str, used: set[str]) -> str:
    """`base`, else `base-2`, `base-3`...: repeated titles in one source."""
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def outside_code(lines: list[str] | tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """Each line that is not in fenced code (nor a fence), with its index."""
    fenced = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            yield index, line


def sections(lines: list[str] | tuple[str, ...]) -> tuple[Section, ...]:
    """The sections of a Markdown text's lines, with their IDs."""
    found: list[tuple[int, str, Heading, str | None]] = []
    used: set[str] = set()
    for index, line in outside_code(lines):
        if (match := HEADING.match(line)) is None:
            continue
        title, attributes = match.group(2), ""
        if block := ATTRIBUTES.search(title):
            title, attributes = title[: block.start()], block.group(1)
        given = ATTRIBUTE_ID.search(attributes)
        section_id = given.group(1) if given else _unique(slug(title), used)
        used.add(section_id)
        marking = ATTRIBUTE_MARKING.search(attributes)
        heading = Heading(len(match.group(1)), title)
        found.append((index, section_id, heading, marking.group(1) if marking else None))
    ends = [index for index, *_ in found[1:]] + [len(lines)]
    return tuple(
        Section(section_id, heading, marking, start, end)
        for (start, section_id, heading, marking), end in zip(found, ends, strict=False)
    )


def read_source(path: Path) -> Source:
    """A source file's front matter, body lines and sections."""
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, Any] = {}
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
        lines = lines[end + 1 :]
    return Source(path.stem, meta, tuple(lines), sections(lines))


def briefing_yaml(project: Path, name: str) -> dict[str, Any]:
    """briefings/NAME.yaml as written: its metadata and its `sections` list."""
    data: dict[str, Any] = yaml.safe_load(
        (project / "briefings" / f"{name}.yaml").read_text(encoding="utf-8")
    )
    return data


def template(project: Path, name: str) -> str:
    """The template a briefing names, else the built-in `briefing`."""
    return str(briefing_yaml(project, name).get("template", "briefing"))


def portion_marks(project: Path, name: str) -> bool:
    """Whether the briefing asks for portion marks ("(TLP:A) Heading")."""
    return bool(briefing_yaml(project, name).get("portion_marks"))


def briefing_parts(project: Path, name: str) -> list[Part]:
    """Each entry of briefings/NAME.yaml with the Markdown it brings in, `include:` items
    replaced by what they include (with `variants:`, those of the first variant, which
    `main_output` names: its `only:`/`except:` applied)."""
    data = briefing_yaml(project, name)
    first = next(iter((data.get("variants") or {}).items()), None)
    items = _items(project, data)
    return [_part(project, item) for item in items if _in_variant(item, first)]


def _in_variant(item: dict[str, Any], variant: tuple[str, dict[str, Any]] | None) -> bool:
    if variant is None:
        return True
    names = {variant[0], (variant[1] or {}).get("profile")}
    if "only" in item:
        return bool(names & set(item["only"]))
    return not names & set(item.get("except", []))


def _items(project: Path, data: dict[str, Any] | list[Any]) -> list[dict[str, Any]]:
    """The section items, with each `include: FILE` (relative to briefings/: a list of items
    or a mapping with `sections`) replaced by that file's items."""
    items = data if isinstance(data, list) else data["sections"]
    found: list[dict[str, Any]] = []
    for item in items:
        if "include" in item:
            path = project / "briefings" / item["include"]
            found += _items(project, yaml.safe_load(path.read_text(encoding="utf-8")))
        else:
            found.append(item)
    return found


def _part(project: Path, item: dict[str, Any]) -> Part:
    target = int(item.get("level", 1))
    title = item.get("title")
    if "text" in item:
        return Part("", item["text"], (Heading(target, title),) if title else ())
    source_id, _, section_id = item["from"].partition("#")
    source = read_source(project / "sources" / f"{source_id}.md")
    if section_id:  # the section (and its subsections) at the level asked for
        span = source.span(section_id, item.get("subsections", True))
        shift = target - span[0].heading.level
        shown = [Heading(target, title or span[0].heading.title)]
        shown += [_shifted(s.heading, shift) for s in span[1:]]
        text = "\n".join(source.lines[span[0].start : span[-1].end])
    else:  # a whole source under its own title, its headings one level down
        span = list(source.sections)
        shift = target + 1 - min((s.heading.level for s in span), default=target + 1)
        shown = [Heading(target, title or source.title)]
        shown += [_shifted(s.heading, shift) for s in span]
        text = "\n".join(source.lines)
    included = tuple(s.id for s in span)
    return Part(source_id, text, tuple(shown), included, source.meta.get("marking"))


def _shifted(heading: Heading, shift: int) -> Heading:
    return Heading(min(max(heading.level + shift, 1), 6), heading.title)


def expected_headings(project: Path, name: str) -> list[Heading]:
    """Every heading of the brief, in order, at its level in the brief; a brief that cites
    (`[@key]`) from a project with a bibliography ends its body with "References", and the
    sources annex comes last (issue 17)."""
    parts = briefing_parts(project, name)
    found = [heading for part in parts for heading in part.headings]
    text = "\n".join(part.text for part in parts)
    config = project / "briefwright.toml"
    has_bibliography = config.is_file() and bool(
        re.search(r"^bibliography\s*=", config.read_text(encoding="utf-8"), re.M)
    )
    if has_bibliography and re.search(r"\[-?@\w", text) and "{#refs}" not in text:
        found.append(Heading(1, "References"))
    if briefing_yaml(project, name).get("sources_annex"):
        found.append(Heading(1, "Annex: Sources"))
    return found


def section_numbers(project: Path, name: str) -> bool:
    """Whether the briefing numbers its sections (the examples' templates leave it off)."""
    return bool(briefing_yaml(project, name).get("section_numbers"))


def heading_numbers(project: Path, name: str) -> list[str]:
    """Each heading's number, "" for none: counted by level, the annex unnumbered (the examples
    have no other unnumbered heading)."""
    counts: list[int] = []
    numbers = []
    annex = bool(briefing_yaml(project, name).get("sources_annex"))
    headings = expected_headings(project, name)
    for index, heading in enumerate(headings):
        if annex and index == len(headings) - 1:
            numbers.append("")
            continue
        counts = counts[: heading.level] + [0] * (heading.level - len(counts))
        counts[heading.level - 1] += 1
        numbers.append(".".join(map(str, counts)))
    return numbers


def included_sections(project: Path, name: str) -> frozenset[tuple[str, str]]:
    """The (source ID, section ID) pairs the brief includes."""
    return frozenset(
        (part.source, section_id)
        for part in briefing_parts(project, name)
        for section_id in part.included
    )


def first_paragraph(markdown: str) -> str | None:
    """The plain text of the first paragraph of `markdown` (not a list, quote, table...)."""
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        if chunk and not re.match(r"\s*([-*+>|!:#`~]|\d+[.)]\s|\[\^)", chunk):
            text = re.sub(r"\[\^[^\]]*\]", "", chunk)  # footnote calls
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
            return re.sub(r"[*`]|~~", "", text)
    return None


def _lines(project: Path, name: str) -> Iterator[str]:
    """Every line of the brief's Markdown outside fenced code; a blank line ends each part."""
    for part in briefing_parts(project, name):
        for _, line in outside_code(part.text.splitlines()):
            yield line
        yield ""


def list_items(project: Path, name: str) -> int:
    return sum(1 for line in _lines(project, name) if LIST_ITEM.match(line))


def tables(project: Path, name: str) -> list[list[list[str]]]:
    """Every pipe table's rows of cell text, header first."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in _lines(project, name):
        row = TABLE_ROW.match(line)
        if row and not TABLE_RULE.match(line):
            current.append([cell.strip() for cell in row.group(1).split("|")])
        elif not row and current:
            found.append(current)
            current = []
    return found


def footnotes(project: Path, name: str) -> list[str]:
    """Footnote texts in the order of their first call: the order Word numbers them. A part's
    definitions may stand anywhere in its source (or, for the briefing's text, in that text)."""
    found: list[str] = []
    for part in briefing_parts(project, name):
        whole = (
            read_source(project / "sources" / f"{part.source}.md").lines
            if part.source
            else part.text.splitlines()
        )
        definitions = {
            match.group(1): match.group(2)
            for line in whole
            if (match := FOOTNOTE_DEFINITION.match(line))
        }
        called: list[str] = []
        for _, line in outside_code(part.text.splitlines()):
            if not FOOTNOTE_DEFINITION.match(line):
                called += [k for k in FOOTNOTE_CALL.findall(line) if k not in called]
        found += [definitions[key] for key in called]
    return found


def external_links(project: Path, name: str) -> list[str]:
    return [url for line in _lines(project, name) for url in EXTERNAL_LINK.findall(line)]


def image_captions(project: Path, name: str) -> list[str]:
    """Each image's caption: its title, or else its alt text; a figure labelled `{#fig-...}`
    numbered ("Figure 2: ...") in the order of the brief."""
    captions: list[str] = []
    for line in _lines(project, name):
        for match in IMAGE.finditer(line):
            alt, title = match.groups()
            if line[match.end() :].startswith("{#fig-"):
                numbered = sum(c.startswith("Figure ") for c in captions) + 1
                captions.append(f"Figure {numbered}: {title or alt}")
            else:
                captions.append(title or alt)
    return captions


def tlp_banner(project: Path, name: str) -> str:
    """The banner of a briefing on the TLP scheme: the most restrictive marking its parts
    carry (a source's front matter, a heading's `marking=` attribute; a caveat after `//` ranks
    above the same level without one), TLP:CLEAR when none has any."""
    found = ["TLP:CLEAR"]
    for part in briefing_parts(project, name):
        found += [part.marking] if part.marking else []
        found += [s.marking for s in sections(part.text.splitlines()) if s.marking]

    def rank(marking: str) -> tuple[int, bool]:
        level, _, caveat = marking.partition(" // ")
        return TLP.index(level), bool(caveat)

    return max(found, key=rank)


def units(project: Path, name: str) -> list[str]:
    """The output stems of briefings/NAME.yaml: NAME.VARIANT for each of its `variants`, or
    NAME when it declares none (issue 16)."""
    variants = briefing_yaml(project, name).get("variants") or {}
    return [f"{name}.{variant}" for variant in variants] or [name]


def main_output(project: Path, name: str) -> str:
    """The output stem this oracle describes: the briefing's own, or its first variant's (the
    example briefings' first variant leaves nothing out: `brief check --explain` says so)."""
    return units(project, name)[0]
