"""The schemas of every YAML/TOML document a project holds, and their located error messages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar, get_args

from briefwright.build.select import NAME_PATTERN
from briefwright.errors import Problem, SpecError
from briefwright.readers.yamlfile import YamlDocument
from briefwright.spec import validation as v
from briefwright.spec.validation import Check, Error
from briefwright.writers import FORMATS

Format = Literal["pdf", "docx", "html"]
NAME_RULE = "must be letters, digits, '-' and '_', starting with a letter or digit"
NAME = v.text(pattern=NAME_PATTERN, rule=NAME_RULE)
REFERENCE = re.compile(
    r"^(?P<source>[A-Za-z0-9][A-Za-z0-9_.-]*)(#(?P<section>[A-Za-z0-9][\w.:-]*))?$"
)
ANY_TEXT = v.text(min_length=0)
ITEMS = v.list_of(ANY_TEXT)
frozen = dataclass(frozen=True, kw_only=True)


@frozen
class SourceMeta:
    """A source's front matter."""

    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    origin: str | None = None
    marking: str | None = None
    tags: list[str] = field(default_factory=list)

    CHECKS: ClassVar[dict[str, Check]] = {
        "title": v.optional(v.text()),
        "author": v.optional(ANY_TEXT),
        "date": v.optional(v.date),
        "origin": v.optional(ANY_TEXT),
        "marking": v.optional(ANY_TEXT),
        "tags": ITEMS,
    }


@frozen
class SectionItem:
    """One entry of `sections`: either the author's own `text` or a `from` reference."""

    text: str | None = None
    from_: str | None = None
    title: str | None = None
    level: int | None = None
    subsections: bool = True
    page_break_before: bool = False

    CHECKS: ClassVar[dict[str, Check]] = {
        "text": v.optional(ANY_TEXT),
        "from": v.optional(
            v.text(
                pattern=REFERENCE.pattern,
                rule="must be SOURCE or SOURCE#SECTION-ID, e.g. nato-ukraine#challenges",
            )
        ),
        "title": v.optional(v.text()),
        "level": v.optional(v.integer(ge=1, le=6)),
        "subsections": v.boolean,
        "page_break_before": v.boolean,
    }
    FIELD_NAMES: ClassVar[dict[str, str]] = {"from": "from_"}

    def problems(self) -> list[str]:
        if (self.text is None) == (self.from_ is None):
            return ["give exactly one of 'text' or 'from'"]
        if self.text is not None and not self.subsections:
            return ["'subsections' applies only to 'from' items"]
        return []

    @property
    def source_id(self) -> str:
        match = REFERENCE.match(self.from_ or "")
        return match.group("source") if match else ""

    @property
    def section_id(self) -> str | None:
        match = REFERENCE.match(self.from_ or "")
        return match.group("section") if match else None


PageSize = Literal["A4", "A5", "Letter", "Legal"]
Orientation = Literal["portrait", "landscape"]
# The variants tested to build and to stay byte-reproducible (pdf/x-* never is).
PdfVariant = Literal["pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"]
PortionMarks = bool | Literal["headings", "paragraphs"]


@frozen
class Defaults:
    """Briefing keys a project may set once in briefwright.toml's [defaults]."""

    author: str | None = None
    organisation: str | None = None
    audience: str | None = None
    marking: str | None = None
    template: str = "briefing"
    formats: list[Format] = field(default_factory=lambda: ["pdf", "docx"])
    lang: str = "en"
    logo: str | None = None
    toc_depth: int = 2
    page_size: PageSize = "A4"
    orientation: Orientation = "portrait"
    pdf_variant: PdfVariant | None = None

    CHECKS: ClassVar[dict[str, Check]] = {
        "author": v.optional(ANY_TEXT),
        "organisation": v.optional(ANY_TEXT),
        "audience": v.optional(ANY_TEXT),
        "marking": v.optional(ANY_TEXT),
        "template": NAME,
        "formats": v.list_of(v.choice(*FORMATS), min_length=1, unique=True),
        "lang": v.text(
            pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
            rule="must be a language tag such as 'en', 'fr' or 'en-GB'",
        ),
        "logo": v.optional(v.text()),
        "toc_depth": v.integer(ge=0, le=4),
        "page_size": v.choice(*get_args(PageSize)),
        "orientation": v.choice(*get_args(Orientation)),
        "pdf_variant": v.optional(v.choice(*get_args(PdfVariant))),
    }


@frozen
class BriefingSpec(Defaults):
    title: str
    subtitle: str | None = None
    date: dt.date | None = None
    keywords: list[str] = field(default_factory=list)
    max_pages: int | None = None
    text_marking: str | None = None  # the marking of the briefing's own text items
    portion_marks: PortionMarks = False
    sections: list[SectionItem]

    CHECKS: ClassVar[dict[str, Check]] = {
        **Defaults.CHECKS,
        "title": v.text(),
        "subtitle": v.optional(ANY_TEXT),
        "date": v.optional(v.date),
        "keywords": ITEMS,
        "max_pages": v.optional(v.integer(ge=1)),
        "text_marking": v.optional(v.text()),
        "portion_marks": v.choice(True, False, "headings", "paragraphs"),
        "sections": v.list_of(v.record(SectionItem), min_length=1),
    }


COLOUR = v.text(pattern=r"^#[0-9A-Fa-f]{6}$", rule="must be a colour such as '#1f3a5f'")


@frozen
class LevelConfig:
    banner: str
    portion: str
    colour: str = "#ffffff"
    background: str = "#333333"

    CHECKS: ClassVar[dict[str, Check]] = {
        "banner": v.text(),
        "portion": v.text(),
        "colour": COLOUR,
        "background": COLOUR,
    }


@frozen
class SchemeConfig:
    levels: list[LevelConfig]

    CHECKS: ClassVar[dict[str, Check]] = {"levels": v.list_of(v.record(LevelConfig), min_length=1)}


@frozen
class MarkingsConfig:
    """[markings]: which scheme the project uses, its default level, and schemes of its own."""

    scheme: str = "nato"
    default: str | None = None  # the level of unmarked sources; the lowest when not given
    schemes: dict[str, SchemeConfig] = field(default_factory=dict)

    CHECKS: ClassVar[dict[str, Check]] = {
        "scheme": NAME,
        "default": v.optional(v.text()),
        "schemes": v.dict_of(v.record(SchemeConfig)),
    }


@frozen
class ProjectConfig:
    defaults: Defaults = Defaults()
    markings: MarkingsConfig = MarkingsConfig()

    CHECKS: ClassVar[dict[str, Check]] = {
        "defaults": v.record(Defaults),
        "markings": v.record(MarkingsConfig),
    }


Model = TypeVar("Model")


def validate(
    model: type[Model], doc: YamlDocument, *, defaults: dict[str, Any] | None = None
) -> Model:
    """Validate a loaded document against `model`, raising one SpecError with every problem."""
    data = doc.value
    if not isinstance(data, dict):
        raise SpecError("expected a mapping of keys to values", file=doc.file, line=1)
    errors: list[Error] = []
    built = v.build(model, {**(defaults or {}), **data}, (), errors)
    if built is None:
        problems = _unique([_problem(error, doc) for error in errors])
        # in the order of the file: project defaults merged in first must not come first
        raise SpecError.from_problems(sorted(problems, key=lambda p: p.line or 0))
    return built


def _problem(error: Error, doc: YamlDocument) -> Problem:
    where = v.dotted(error.loc)
    line = doc.line_of(error.loc)
    if error.about_key or not where:
        return Problem(error.message, doc.file, line)
    return Problem(f"{where}: {error.message}", doc.file, line)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
