"""What a briefing should contain, read from the project's own Markdown and YAML text with
plain regular expressions and yaml.safe_load, never through briefwright's readers or its
assembler: writer tests compare outputs with this, so they cannot agree with a bug the writers
share with the code that feeds them.

It knows only what the test projects use: ATX headings with optional `{#id}`, fenced code, pipe
tables, `[^key]` footnotes, inline links and images, and the briefing keys `title`, `text`,
`from`, `level` and `subsections`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{#([^\s}]+)[^}]*\})?\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
TABLE_RULE = re.compile(r"^[\s|:-]+$")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
FOOTNOTE_CALL = re.compile(r"\[\^([^\]]+)\](?!:)")
EXTERNAL_LINK = re.compile(r"(?<!!)\[[^\]]*\]\((https?://[^\s)]+)")
IMAGE = re.compile(r'!\[([^\]]*)\]\([^\s)]+(?:\s+"([^"]*)")?\)')
MARKING_ATTRIBUTE = re.compile(r'\{#[^}]*\bmarking="([^"]+)"')
TLP = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    id: str
    line: int  # index into the body's lines


@dataclass(frozen=True)
class Part:
    """One briefing entry's Markdown: the source it came from ("" for a briefing's own text),
    its text, and its headings as the brief shows them (level, title)."""

    source: str
    text: str
    headings: list[tuple[int, str]]
    marking: str | None = None  # the source's own, from its front matter


def slug(title: str) -> str:
    """A heading's ID from its title, Pandoc's way: lower case, punctuation dropped."""
    kept = re.sub(r"[^\w\s-]", "", title.lower())
    return re.sub(r"\s+", "-", kept.strip())


def split_front_matter(path: Path) -> tuple[dict[str, Any], list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        return yaml.safe_load("\n".join(lines[1:end])) or {}, lines[end + 1 :]
    return {}, lines


def headings(lines: list[str]) -> list[Heading]:
    found: list[Heading] = []
    fenced = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            hashes, title, given_id = match.groups()
            found.append(Heading(len(hashes), title, given_id or slug(title), index))
    return found


def briefing_parts(project: Path, name: str) -> list[Part]:
    """Each entry of briefings/NAME.yaml with the Markdown it brings in."""
    spec = yaml.safe_load((project / "briefings" / f"{name}.yaml").read_text(encoding="utf-8"))
    return [_part(project, item) for item in spec["sections"]]


def _part(project: Path, item: dict[str, Any]) -> Part:
    level = int(item.get("level", 1))
    title = item.get("title")
    if "text" in item:
        return Part("", item["text"], [(level, title)] if title else [])
    source, _, section_id = item["from"].partition("#")
    meta, lines = split_front_matter(project / "sources" / f"{source}.md")
    found = headings(lines)
    if not section_id:  # a whole source under its own title, its headings one level down
        shown = [(level, title or meta["title"])]
        shown += [(h.level + level - 1, h.title) for h in found]
        return Part(source, "\n".join(lines), shown, meta.get("marking"))
    index = next(i for i, h in enumerate(found) if h.id == section_id)
    head = found[index]
    following = found[index + 1 :]
    inside = following
    for position, heading in enumerate(following):
        if heading.level <= head.level:
            inside = following[:position]
            break
    if not item.get("subsections", True):
        inside = []
    end = following[len(inside)].line if len(inside) < len(following) else len(lines)
    shown = [(level, title or head.title)]
    shown += [(h.level - head.level + level, h.title) for h in inside]
    return Part(source, "\n".join(lines[head.line : end]), shown, meta.get("marking"))


def expected_headings(project: Path, name: str) -> list[tuple[int, str]]:
    return [heading for part in briefing_parts(project, name) for heading in part.headings]


def _outside_code(text: str) -> list[str]:
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def list_items(project: Path, name: str) -> int:
    return sum(
        1
        for part in briefing_parts(project, name)
        for line in _outside_code(part.text)
        if LIST_ITEM.match(line)
    )


def tables(project: Path, name: str) -> list[list[list[str]]]:
    """Every pipe table's rows of cell text, header first."""
    found: list[list[list[str]]] = []
    for part in briefing_parts(project, name):
        current: list[list[str]] = []
        for line in [*_outside_code(part.text), ""]:
            row = TABLE_ROW.match(line)
            if row and not TABLE_RULE.match(line):
                current.append([cell.strip() for cell in row.group(1).split("|")])
            elif not row and current:
                found.append(current)
                current = []
    return found


def footnotes(project: Path, name: str) -> list[str]:
    """Footnote texts in the order of their first call: the order Word numbers them."""
    found: list[str] = []
    for part in briefing_parts(project, name):
        definitions: dict[str, str] = {}
        if part.source:
            _, lines = split_front_matter(project / "sources" / f"{part.source}.md")
            for line in lines:
                if match := FOOTNOTE_DEFINITION.match(line):
                    definitions[match.group(1)] = match.group(2)
        called: list[str] = []
        for line in _outside_code(part.text):
            if not FOOTNOTE_DEFINITION.match(line):
                called += [k for k in FOOTNOTE_CALL.findall(line) if k not in called]
        found += [definitions[key] for key in called]
    return found


def external_links(project: Path, name: str) -> list[str]:
    return [
        url
        for part in briefing_parts(project, name)
        for line in _outside_code(part.text)
        for url in EXTERNAL_LINK.findall(line)
    ]


def image_captions(project: Path, name: str) -> list[str]:
    """Each image's caption: its title, or else its alt text."""
    return [
        title or alt
        for part in briefing_parts(project, name)
        for line in _outside_code(part.text)
        for alt, title in IMAGE.findall(line)
    ]


def tlp_banner(project: Path, name: str) -> str:
    """The banner of a briefing on the TLP scheme: the most restrictive marking its parts
    carry (a source's front matter, a heading's `marking=` attribute; a caveat after `//` ranks
    above the same level without one), TLP:CLEAR when none has any."""
    found = ["TLP:CLEAR"]
    for part in briefing_parts(project, name):
        found += [part.marking] if part.marking else []
        found += MARKING_ATTRIBUTE.findall(part.text)

    def rank(marking: str) -> tuple[int, bool]:
        level, _, caveat = marking.partition(" // ")
        return TLP.index(level), bool(caveat)

    return max(found, key=rank)


def briefing_meta(project: Path, name: str) -> dict[str, Any]:
    meta: dict[str, Any] = yaml.safe_load(
        (project / "briefings" / f"{name}.yaml").read_text(encoding="utf-8")
    )
    return meta
