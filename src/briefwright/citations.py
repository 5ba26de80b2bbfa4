"""Citations and the bibliography: each `Cite` the readers left in a briefing's model is
formatted with a CSL style by citeproc-py (the maintained CSL processor for Python, BSD), and
linked to its entry in a "References" section at the end, or in the `::: {#refs}` div where one
stands. The bibliography is BibTeX (`.bib`) or CSL JSON/YAML; the default style is
`data/author-date.csl` (Cite Them Right, Harvard: CC BY-SA 3.0, see data/LICENSE-CSL)."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from briefwright import model as m
from briefwright.annex import annex_start
from briefwright.errors import Problem, SpecError
from briefwright.suggest import did_you_mean

if TYPE_CHECKING:
    from briefwright.project import Project
    from briefwright.spec.briefing import LoadedBriefing

REFS_ID = "refs"
ENTRY_CLASS = "csl-entry"
HEADING = "References"
HEADING_ID = "references"
BIB_SUFFIXES = (".bib", ".json", ".yaml", ".yml")

# Pandoc's locator labels (the common ones), as written after the key: `, p. 4`
_LABELS = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "chap.": "chapter", "chapter": "chapter", "sec.": "section", "section": "section",
    "para.": "paragraph", "paragraph": "paragraph", "fig.": "figure", "vol.": "volume",
}  # fmt: skip
_LOCATOR = re.compile(
    r"^,?\s*(?P<label>[A-Za-z]+\.?)\s*(?P<value>[\w\u2013-]+(?:\s*[-\u2013,]\s*\w+)*)(?P<rest>.*)$"
)


def default_style() -> Path:
    return Path(str(resources.files("briefwright") / "data" / "author-date.csl"))


def cites_in(blocks: tuple[m.Block, ...]) -> Iterator[m.Cite]:
    for block in m.walk(blocks):
        for runs in m.inline_children(block):
            yield from (run for run in m.iter_inlines(runs) if isinstance(run, m.Cite))


def has_cites(document: m.Briefing) -> bool:
    notes = tuple(b for note in document.footnotes for b in note.blocks)
    return next(cites_in((*document.blocks, *notes)), None) is not None


def load_references(path: Path) -> dict[str, dict[str, Any]]:
    """The works of a bibliography by key (lowercase keys, as citeproc-py keeps them), as CSL
    JSON items."""
    suffix = path.suffix.lower()
    if suffix == ".bib":
        return {str(key): value for key, value in read_bibtex(path).items()}
    text = path.read_text(encoding="utf-8")
    if suffix == ".json":
        data = json.loads(text)
    else:
        import yaml

        data = yaml.safe_load(text)
        if isinstance(data, dict):
            data = data.get("references", [])
    if not isinstance(data, list):
        raise SpecError("expected a list of CSL items", file=path, line=1)
    return {
        str(item["id"]).lower(): item for item in data if isinstance(item, dict) and "id" in item
    }


_PUBLISHERS = ("institution", "organization", "school")  # of reports, manuals, theses
_CAPITALISED = re.compile(r"^[A-Z][a-z]+$")


def read_bibtex(path: Path) -> Any:
    """A .bib file as citeproc-py reads it, with what Pandoc's reader does too: a report's
    institution (a manual's organisation, a thesis's school) as its publisher, and titles in
    sentence case (a capitalised word lowercased, except the first and after a colon; braced
    and other words as written), which styles expect of CSL data."""
    from citeproc.source.bibtex import BibTeX
    from citeproc.string import MixedString, NoCase, String

    class _BibTeX(BibTeX):  # type: ignore[misc]
        fields: ClassVar[dict[str, str]] = {
            **BibTeX.fields,
            **{name: "publisher" for name in _PUBLISHERS},
        }

        def _bibtex_to_csl(self, entry: Any) -> Any:
            if "publisher" in entry:
                for name in _PUBLISHERS:
                    entry.pop(name, None)
            csl = super()._bibtex_to_csl(entry)
            if "title" in csl:
                csl["title"] = _sentence_case(csl["title"])
            return csl

    def _sentence_case(title: Any) -> Any:
        parts = list(title) if isinstance(title, MixedString) else [title]
        out = MixedString()
        first = True
        for part in parts:
            if isinstance(part, NoCase) or not isinstance(part, str):
                out += part
                first = False
                continue
            words = re.split(r"(\s+)", str(part))
            done: list[str] = []
            for word in words:
                keep = first or (done and done[-2:-1] and done[-2].endswith(":"))
                if word.strip():
                    if not keep and _CAPITALISED.match(word):
                        word = word.lower()
                    first = False
                done.append(word)
            out += String("".join(done))
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _BibTeX(str(path), encoding="utf-8")


@dataclass(frozen=True)
class Formatted:
    cites: dict[m.Cite, tuple[m.Inline, ...]]
    entries: tuple[tuple[str, tuple[m.Inline, ...]], ...]  # (key, entry) in the style's order


def unknown_keys(
    cites: list[m.Cite], keys: set[str], relative: Any = None
) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for each citation of a key the bibliography does not have, with the
    nearest key: an error for a bracketed one; a warning for `@name` in the text, which may be
    a handle ("@someone on the forum") and is then shown as written (Pandoc warns too)."""
    errors: list[Problem] = []
    warned: list[Problem] = []
    for cite in cites:
        for item in cite.items:
            if item.key.lower() not in keys:
                hint = did_you_mean(item.key, sorted(keys))
                file = relative(cite.file) if relative else cite.file
                message = f"citation '@{item.key}': no such key in the bibliography{hint}"
                if cite.in_text:
                    message = message.replace("':", "' shown as written:", 1)
                    warned.append(Problem(message, file, cite.line))
                else:
                    errors.append(Problem(message, file, cite.line))
    return errors, warned


def csl_locale(lang: str) -> str:
    """The CSL locale of a briefing's language (`en` -> en-US, as Pandoc), en-US if citeproc-py
    has none for it."""
    from citeproc import LOCALES_PATH

    wanted = {"en": "en-US", "de": "de-DE", "fr": "fr-FR"}.get(lang, lang)
    return wanted if (Path(LOCALES_PATH) / f"locales-{wanted}.xml").is_file() else "en-US"


# CSL locales with `punctuation-in-quote` (which citeproc-py does not apply): a comma or full
# stop after a closing quote goes inside it, “Title,” as Pandoc writes it.
_PUNCTUATION_IN_QUOTE = ("en-US",)
_AFTER_QUOTE = re.compile(r"([\u201d\u2019])([.,])")


def format_cites(
    cites: list[m.Cite], bibliography: Path, style: Path, lang: str = "en"
) -> Formatted:
    """Each citation's text (linked to its entry) and the bibliography's entries."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    if bibliography.suffix.lower() == ".bib":
        source: Any = read_bibtex(bibliography)
    else:
        source = CiteProcJSON(list(load_references(bibliography).values()))
    locale = csl_locale(lang)
    csl = CitationStylesStyle(str(style), locale=locale, validate=False)

    def runs(html: str) -> tuple[m.Inline, ...]:
        if locale in _PUNCTUATION_IN_QUOTE:
            html = _AFTER_QUOTE.sub(r"\2\1", html)
        return _runs(html)

    processor = CitationStylesBibliography(csl, source, formatter.html)
    clusters: list[tuple[m.Cite, Any]] = []
    for cite in cites:
        items = [CitationItem(item.key, **_item_args(item, Locator)) for item in cite.items]
        citation = Citation(items)
        processor.register(citation)
        clusters.append((cite, citation))
    delimiter = _delimiter(style)
    processor.sort()  # the bibliography's order, before citing (numeric styles need it)
    done: dict[m.Cite, tuple[m.Inline, ...]] = {}
    for cite, citation in clusters:
        text = str(processor.cite(citation, lambda _item: None))
        done[cite] = _cite_runs(cite, runs(text), delimiter)
    entries = tuple(
        (str(key), runs(str(entry)))
        for key, entry in zip(processor.keys, processor.bibliography(), strict=True)
    )
    return Formatted(done, entries)


def _item_args(item: m.CiteItem, locator: Any) -> dict[str, Any]:
    """citeproc-py's locator (`p. 4` -> page 4), prefix and suffix of a cited work."""
    args: dict[str, Any] = {}
    if item.prefix:
        args["prefix"] = item.prefix + " "
    rest = item.suffix.strip()
    found = _LOCATOR.match(rest)
    if found is not None and found["label"].lower() in _LABELS:
        label = _LABELS[found["label"].lower()]
        args["locator"] = locator(label, found["value"].strip())
        rest = found["rest"].strip()
    if rest:
        args["suffix"] = rest if rest.startswith(",") else f", {rest}"
    return args


def _cite_runs(cite: m.Cite, runs: tuple[m.Inline, ...], delimiter: str) -> tuple[m.Inline, ...]:
    """A parenthetical citation as the style gives it, each work linked to its entry when the
    style's delimiter tells them apart (else the whole to the first); in the text (`@key`) the
    author outside the parentheses: "Smith (2020)", and `[-@key]` without the author: "(2020)"."""
    text = m.plain_text(runs)
    first = cite.items[0]
    target = f"#ref-{first.key.lower()}"
    inner = text[1:-1] if text.startswith("(") and text.endswith(")") else text
    if cite.in_text or first.suppress_author:
        author, _, rest = inner.partition(" ")
        parts = re.split(r"\s(?=\d{4}|n\.d\.)", inner, maxsplit=1)
        if len(parts) == 2:
            author, rest = parts
        author = author.rstrip(",")
        shown = f"({rest})" if first.suppress_author else f"{author} ({rest})"
        return (m.Link(target, (m.Text(shown),)),)
    parts = inner.split(delimiter) if delimiter else [inner]
    plain = all(isinstance(run, m.Text) for run in runs)
    if len(cite.items) > 1 and plain and len(parts) == len(cite.items) and inner != text:
        linked: list[m.Inline] = [m.Text("(")]
        for index, (item, part) in enumerate(zip(cite.items, parts, strict=True)):
            if index:
                linked.append(m.Text(delimiter))
            linked.append(m.Link(f"#ref-{item.key.lower()}", (m.Text(part),)))
        return (*linked, m.Text(")"))
    return (m.Link(target, runs),)


def _delimiter(style: Path) -> str:
    """The delimiter between a citation's works in `style` ("; " in author-date styles)."""
    from lxml import etree

    tree = etree.parse(str(style), etree.XMLParser(resolve_entities=False, no_network=True))
    found = tree.xpath(
        "//c:citation/c:layout/@delimiter", namespaces={"c": "http://purl.org/net/xbiblio/csl"}
    )
    return str(found[0]) if found else ""


def _runs(html: str) -> tuple[m.Inline, ...]:
    """citeproc-py's HTML (text, <i>, <b>, <a>) as model inlines."""
    reader = _Runs()
    reader.feed(html)
    reader.close()
    return tuple(reader.stack[0])


class _Runs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[m.Inline]] = [[]]
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append([])
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.tags:
            return
        kind = self.tags.pop()
        runs = tuple(self.stack.pop())
        if kind in ("i", "em"):
            self.stack[-1].append(m.Emphasis(runs))
        elif kind in ("b", "strong"):
            self.stack[-1].append(m.Strong(runs))
        else:
            self.stack[-1].extend(runs)

    def handle_data(self, data: str) -> None:
        self.stack[-1].append(m.Text(data))


def apply(document: m.Briefing, formatted: Formatted) -> m.Briefing:
    """`document` with each citation formatted and its bibliography in place: in the `refs`
    div if there is one, else as a References section at the end (before a sources annex)."""
    entries = tuple(
        m.Div((ENTRY_CLASS,), (), f"ref-{key}", (m.Paragraph(runs),))
        for key, runs in formatted.entries
    )

    def fill(block: m.Block) -> m.Block:
        block = map_cites(block, formatted.cites)
        if isinstance(block, m.Div):
            inner = tuple(fill(child) for child in block.blocks)
            if block.identifier == REFS_ID:
                return replace(
                    block, classes=(*block.classes, "references"), blocks=(*inner, *entries)
                )
            return replace(block, blocks=inner)
        return block

    blocks = tuple(fill(block) for block in document.blocks)
    placed = any(isinstance(b, m.Div) and b.identifier == REFS_ID for b in m.walk(blocks))
    if not placed and entries:
        heading = m.Heading(1, (m.Text(HEADING),), HEADING_ID, unnumbered=True)
        at = annex_start(blocks)  # the References end the body, before a sources annex
        blocks = (*blocks[:at], heading, m.Div(("references",), (), REFS_ID, entries), *blocks[at:])
    notes = tuple(
        replace(note, blocks=tuple(map_cites(b, formatted.cites) for b in note.blocks))
        for note in document.footnotes
    )
    return replace(document, blocks=blocks, footnotes=notes)


def map_cites(block: m.Block, done: dict[m.Cite, tuple[m.Inline, ...]]) -> m.Block:
    from briefwright.links import map_inlines

    return map_inlines(block, lambda runs: _replaced(runs, done))


def _replaced(
    runs: tuple[m.Inline, ...], done: dict[m.Cite, tuple[m.Inline, ...]]
) -> tuple[m.Inline, ...]:
    def cite(run: m.Inline) -> tuple[m.Inline, ...] | None:
        return done.get(run, (m.Text(run.written),)) if isinstance(run, m.Cite) else None

    return m.substitute(runs, cite)


@dataclass(frozen=True)
class Settings:
    bibliography: Path | None  # absolute; None: none set
    style: Path
    where: tuple[Path, int | None]  # the line that set the bibliography, for its errors


def settings(briefing: LoadedBriefing, project: Project) -> Settings:
    """The briefing's `bibliography:`/`csl:`, else briefwright.toml's [citations]; a path
    outside the project or missing, or of another kind, is an error at the line naming it."""
    spec, config = briefing.spec, project.config.citations
    found: dict[str, Path | None] = {}
    where: tuple[Path, int | None] = (briefing.file, 1)
    for key in ("bibliography", "csl"):
        own = getattr(spec, key)
        value = own if own is not None else getattr(config, key)
        if value is None:
            found[key] = None
            continue
        line = briefing.doc.line_of((key,)) if own is not None else None
        file = briefing.file if own is not None else project.root / "briefwright.toml"
        if key == "bibliography":
            where = (file, line)
        path = (project.root / value).resolve()
        root = project.root.resolve()
        suffixes = BIB_SUFFIXES if key == "bibliography" else (".csl",)
        if not path.is_relative_to(root):
            raise SpecError(f"{key} '{value}' is outside the project", file=file, line=line)
        if path.suffix.lower() not in suffixes:
            kinds = ", ".join(suffixes)
            raise SpecError(f"{key} '{value}': expected a {kinds} file", file=file, line=line)
        if not path.is_file():
            raise SpecError(f"{key} '{value}': no such file", file=file, line=line)
        found[key] = path
    return Settings(found["bibliography"], found["csl"] or default_style(), where)


def cite_briefing(
    document: m.Briefing, briefing: LoadedBriefing, project: Project, problems: list[Problem]
) -> m.Briefing:
    """`document` with its citations formatted and its bibliography added; an unknown key is an
    error at its line, with the nearest key (`@name` in the text: a warning); citations
    without a bibliography are shown as written, with a warning."""
    notes = tuple(b for note in document.footnotes for b in note.blocks)
    cites = list(cites_in((*document.blocks, *notes)))
    if not cites:
        return document
    found = settings(briefing, project)
    if found.bibliography is None:
        first = cites[0]
        message = (
            f"citation '{first.written}' shown as written: no bibliography; set 'bibliography:'"
            " in the briefing or [citations] bibliography in briefwright.toml"
        )
        problems.append(Problem(message, project.relative(first.file), first.line))
        return document
    try:
        keys = set(load_references(found.bibliography))
    except (ValueError, KeyError, OSError) as exc:
        file, line = found.where
        raise SpecError(f"bibliography could not be read: {exc}", file=file, line=line) from None
    unknown, warned = unknown_keys(cites, keys, project.relative)
    if unknown:
        raise SpecError.from_problems(unknown)
    problems += warned
    cites = [c for c in cites if all(i.key.lower() in keys for i in c.items)]  # others as written
    lang = document.meta.lang
    return apply(document, format_cites(cites, found.bibliography, found.style, lang))
