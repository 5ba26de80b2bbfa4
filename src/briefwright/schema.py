"""The schemas of every YAML/TOML document a project holds, and their located error messages."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from briefwright.errors import Problem, SpecError
from briefwright.formats import FORMATS as FORMATS
from briefwright.yamlfile import YamlDocument

Format = Literal["pdf", "docx", "html"]
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
REFERENCE = re.compile(
    r"^(?P<source>[A-Za-z0-9][A-Za-z0-9_.-]*)(#(?P<section>[A-Za-z0-9][\w.:-]*))?$"
)
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SourceMeta(_Strict):
    title: Text | None = None
    author: str | None = None
    date: dt.date | None = None
    origin: str | None = None
    marking: str | None = None
    tags: list[str] = []


class SectionItem(_Strict):
    """One entry of `sections`: either the author's own `text` or a `from` reference."""

    text: str | None = None
    from_: str | None = Field(None, alias="from")
    title: Text | None = None
    level: Annotated[int, Field(ge=1, le=6)] | None = None
    subsections: bool = True
    page_break_before: bool = False

    @field_validator("from_")
    @classmethod
    def _reference_syntax(cls, value: str | None) -> str | None:
        if value is not None and not REFERENCE.match(value):
            raise ValueError("must be SOURCE or SOURCE#SECTION-ID, e.g. nato-ukraine#challenges")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> SectionItem:
        if (self.text is None) == (self.from_ is None):
            raise ValueError("give exactly one of 'text' or 'from'")
        if self.text is not None and not self.subsections:
            raise ValueError("'subsections' applies only to 'from' items")
        return self

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


class Defaults(_Strict):
    """Briefing keys a project may set once in briefwright.toml's [defaults]."""

    author: str | None = None
    organisation: str | None = None
    audience: str | None = None
    marking: str | None = None
    template: Annotated[str, Field(pattern=NAME_PATTERN)] = "briefing"
    formats: Annotated[list[Format], Field(min_length=1)] = ["pdf", "docx"]
    lang: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    logo: Text | None = None
    toc_depth: Annotated[int, Field(ge=0, le=4)] = 2
    page_size: PageSize = "A4"
    orientation: Orientation = "portrait"
    pdf_variant: PdfVariant | None = None


class BriefingSpec(Defaults):
    title: Text
    subtitle: str | None = None
    date: dt.date | None = None
    keywords: list[str] = []
    max_pages: Annotated[int, Field(ge=1)] | None = None
    text_marking: Text | None = None  # the marking of the briefing's own text items
    portion_marks: bool | Literal["headings", "paragraphs"] = False
    sections: Annotated[list[SectionItem], Field(min_length=1)]

    @field_validator("formats")
    @classmethod
    def _unique_formats(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


class LevelConfig(_Strict):
    banner: Text
    portion: Text
    colour: Colour = "#ffffff"
    background: Colour = "#333333"


class SchemeConfig(_Strict):
    levels: Annotated[list[LevelConfig], Field(min_length=1)]


class MarkingsConfig(_Strict):
    """[markings]: which scheme the project uses, its default level, and schemes of its own."""

    scheme: Annotated[str, Field(pattern=NAME_PATTERN)] = "nato"
    default: Text | None = None  # the level of unmarked sources; the lowest when not given
    schemes: dict[str, SchemeConfig] = {}


class ProjectConfig(_Strict):
    defaults: Defaults = Defaults()
    markings: MarkingsConfig = MarkingsConfig()


Model = TypeVar("Model", bound=BaseModel)


def validate(
    model: type[Model], doc: YamlDocument, *, defaults: dict[str, Any] | None = None
) -> Model:
    """Validate a loaded document against `model`, raising one SpecError with every problem."""
    data = doc.value
    if not isinstance(data, dict):
        raise SpecError("expected a mapping of keys to values", file=doc.file, line=1)
    try:
        return model.model_validate({**(defaults or {}), **data})
    except ValidationError as exc:
        problems = [_problem(error, model, doc) for error in exc.errors()]
        raise SpecError.from_problems(_unique(problems)) from None


def _problem(error: Any, model: type[BaseModel], doc: YamlDocument) -> Problem:
    loc = tuple("from" if part == "from_" else part for part in error["loc"])
    loc = tuple(part for part in loc if not (isinstance(part, str) and part[0].isupper()))
    where = _dotted(loc)
    line = doc.line_of(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = _suggest(key, _known_keys(model, loc[:-1]))
        return Problem(f"unknown key '{key}'{_at(loc[:-1])}{hint}", doc.file, line)
    if kind == "missing":
        return Problem(f"missing required key '{loc[-1]}'{_at(loc[:-1])}", doc.file, line)
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(f"{where}: {message}" if where else message, doc.file, line)


def _known_keys(model: type[BaseModel], parent: tuple[Any, ...]) -> list[str]:
    if parent and parent[0] == "sections":
        model = SectionItem
    return [field.alias or name for name, field in model.model_fields.items()]


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(choices)}"


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _at(loc: tuple[Any, ...]) -> str:
    return f" in {_dotted(loc)}" if loc else ""


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
