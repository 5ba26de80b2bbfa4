"""The schemas of every YAML/TOML document a project holds, and their located error messages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar, get_args

from briefwright.build.select import NAME_PATTERN
from briefwright.errors import Problem, SpecError
from briefwright.project import SOURCE_ID_PART
from briefwright.readers.yamlfile import YamlDocument
from briefwright.spec import validation as v
from briefwright.spec.validation import Error
from briefwright.writers import FORMATS, Format

NAME_RULE = "must be letters, digits, '-' and '_', starting with a letter or digit"
NAME = v.text(pattern=NAME_PATTERN, rule=NAME_RULE)
REFERENCE = re.compile(
    rf"^(?P<source>{SOURCE_ID_PART}(/{SOURCE_ID_PART})*)(#(?P<section>[\w.:*?\[\]!-]+))?$"
)
GLOB_CHARS = frozenset("*?[")  # a section part holding one is a pattern (fnmatch) of IDs
TAG = v.text(pattern=r"^[^\s]+$", rule="must be one tag, without spaces")
ANY_TEXT = v.text(min_length=0)
ITEMS = v.list_of(ANY_TEXT)
SHA256 = v.text(pattern=r"^[0-9a-f]{64}$", rule="must be 64 lowercase hexadecimal digits")
frozen = dataclass(frozen=True, kw_only=True)
VAR_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
VAR_KEY_RULE = "a variable's key may hold only letters, digits, '_' and '-' (nest tables for dots)"


def _var_value(value: Any, loc: v.Loc, errors: list[Error]) -> Any:
    """A variable's value: text, a number, a boolean, a date, or a list or table of them
    (lists and tables cannot be inserted inline, but their keys can)."""
    if isinstance(value, dict):
        return _vars(value, loc, errors)
    if isinstance(value, list):
        return [_var_value(item, (*loc, i), errors) for i, item in enumerate(value)]
    if value is None:
        raise v.CheckError("a variable needs a value (text, a number, a boolean or a date)")
    return value


def _vars(value: Any, loc: v.Loc, errors: list[Error]) -> dict[str, Any]:
    """`vars`: a mapping of keys to values, tables nested (`org.name` is `org: {name: ...}`)."""
    if not isinstance(value, dict):
        raise v.CheckError(f"expected a mapping of variables to values, got {v.kind(value)}")
    result: dict[str, Any] = {}
    for key, element in value.items():
        if not isinstance(key, str) or not VAR_KEY.fullmatch(key):
            errors.append(Error((*loc, str(key)), f"'{key}': {VAR_KEY_RULE}", True))
            continue
        try:
            result[key] = _var_value(element, (*loc, key), errors)
        except v.CheckError as exc:
            errors.append(Error((*loc, key), exc.message))
    return result


VARS = _vars


@frozen
class SourceMeta:
    """A source's front matter."""

    title: Annotated[str | None, v.optional(v.text())] = None
    author: Annotated[str | None, v.optional(ANY_TEXT)] = None
    date: Annotated[dt.date | None, v.optional(v.date)] = None
    origin: Annotated[str | None, v.optional(ANY_TEXT)] = None
    marking: Annotated[str | None, v.optional(ANY_TEXT)] = None
    tags: Annotated[list[str], ITEMS] = field(default_factory=list)
    # written by `brief import`: when, and the SHA-256 of the bytes it read
    imported: Annotated[dt.date | None, v.optional(v.date)] = None
    sha256: Annotated[str | None, v.optional(SHA256)] = None


FROM_RULE = (
    "must be SOURCE or SOURCE#SECTION-ID, e.g. nato-ukraine#challenges or region/north#summary"
)


@dataclass(frozen=True, kw_only=True)  # spelt out: mypy checks its uses
class SectionItem:
    """One entry of `sections`: either the author's own `text` or a `from` reference."""

    text: Annotated[str | None, v.optional(ANY_TEXT)] = None
    from_: Annotated[
        str | None, v.Key("from"), v.optional(v.text(pattern=REFERENCE.pattern, rule=FROM_RULE))
    ] = None
    # sections whose heading has this tag ({tags="a b"}), of `from`'s source or of every source
    tagged: Annotated[str | None, v.optional(TAG)] = None
    # another file's section list, inserted here (spec/include.py)
    include: Annotated[str | None, v.optional(v.text())] = None
    title: Annotated[str | None, v.optional(v.text())] = None
    level: Annotated[int | None, v.optional(v.integer(ge=1, le=6))] = None
    subsections: Annotated[bool, v.boolean] = True
    page_break_before: Annotated[bool, v.boolean] = False
    # in which variants the item appears: names of variants or of their profiles
    only: Annotated[list[str] | None, v.optional(v.list_of(NAME, min_length=1, unique=True))] = None
    except_: Annotated[list[str], v.Key("except"), v.list_of(NAME, unique=True)] = field(
        default_factory=list
    )

    def problems(self) -> list[str]:
        if self.include is not None:
            if self != SectionItem(include=self.include):
                return ["'include' takes no other keys; put them on the included items"]
            return []
        if self.tagged is not None:
            if self.text is not None or self.section_id is not None:
                return ["'tagged' goes alone or with 'from: SOURCE' (no '#'): it selects sections"]
        elif (self.text is None) == (self.from_ is None):
            return ["give exactly one of 'text', 'from', 'tagged' or 'include'"]
        if self.only is not None and self.except_:
            return ["give at most one of 'only' or 'except'"]
        if self.text is not None and not self.subsections:
            return ["'subsections' applies only to 'from' items"]
        if self.title is not None and self.is_pattern:
            return [
                "'title' names one section, and a pattern or tag may select several; "
                "give the section its own item"
            ]
        return []

    @property
    def is_pattern(self) -> bool:
        """True when the item may select several sections: a tag, or a glob of section IDs."""
        return self.tagged is not None or bool(GLOB_CHARS & set(self.section_id or ""))

    @property
    def source_id(self) -> str:
        match = REFERENCE.match(self.from_ or "")
        return match.group("source") if match else ""

    @property
    def section_id(self) -> str | None:
        match = REFERENCE.match(self.from_ or "")
        return match.group("section") if match else None


SECTIONS = v.list_of(v.record(SectionItem), min_length=1)
PageSize = Literal["A4", "A5", "Letter", "Legal"]
Orientation = Literal["portrait", "landscape"]
# The variants tested to build and to stay byte-reproducible (pdf/x-* never is).
CaptionList = Literal["figures", "tables"]  # `lists:` after the contents (crossref.py)
PdfVariant = Literal["pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"]
PortionMarks = bool | Literal["headings", "paragraphs"]
LANG = v.text(
    pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    rule="must be a language tag such as 'en', 'fr' or 'en-GB'",
)
SHORT_TITLE = v.text(pattern=r"^[^\n]{1,60}$", rule="must be one line of at most 60 characters")
FORMAT_LIST = v.list_of(v.choice(*FORMATS), min_length=1, unique=True)


@dataclass(frozen=True)
class Logo:
    """`logo`: a project image on the cover, with its alt text ("" when not given). Written as
    `logo: {path: assets/logo.png, alt: "Staff crest"}`, or as the path alone (no alt text)."""

    path: Annotated[str, v.text()]
    alt: Annotated[str, ANY_TEXT] = ""


def _logo(value: Any, loc: v.Loc, errors: list[Error]) -> Logo | None:
    if isinstance(value, Logo):  # a project default, already checked
        return value
    if isinstance(value, str):
        return Logo(path=v.text()(value, loc, errors))
    if isinstance(value, dict):
        built: Logo | None = v.build(Logo, value, loc, errors)
        return built
    raise v.CheckError(f"expected a path, or a mapping with 'path' and 'alt'; got {v.kind(value)}")


@dataclass(frozen=True, kw_only=True)  # spelt out: mypy checks its uses
class Defaults:
    """Briefing keys a project may set once in briefwright.toml's [defaults]."""

    author: Annotated[str | None, v.optional(ANY_TEXT)] = None
    organisation: Annotated[str | None, v.optional(ANY_TEXT)] = None
    audience: Annotated[str | None, v.optional(ANY_TEXT)] = None
    marking: Annotated[str | None, v.optional(ANY_TEXT)] = None
    template: Annotated[str, NAME] = "briefing"
    formats: Annotated[list[Format], FORMAT_LIST] = field(default_factory=lambda: ["pdf", "docx"])
    lang: Annotated[str, LANG] = "en"
    logo: Annotated[Logo | None, v.optional(_logo)] = None
    toc_depth: Annotated[int, v.integer(ge=0, le=4)] = 2
    # headings numbered 1, 1.1, 1.1.1 (numbering.py); None: the template's default
    section_numbers: Annotated[bool | None, v.optional(v.boolean)] = None
    page_size: Annotated[PageSize, v.choice(*get_args(PageSize))] = "A4"
    orientation: Annotated[Orientation, v.choice(*get_args(Orientation))] = "portrait"
    pdf_variant: Annotated[PdfVariant | None, v.optional(v.choice(*get_args(PdfVariant)))] = None
    thumbnails: Annotated[bool, v.boolean] = False  # page images of the PDF (--thumbnails)
    lists: Annotated[
        list[CaptionList], v.list_of(v.choice(*get_args(CaptionList)), unique=True)
    ] = field(default_factory=list)


COUNTRY_RULE = "must be a country or group code such as UKR, GBR or FVEY (capitals and digits)"
COUNTRY_CODE = v.text(pattern=r"^[A-Z0-9]+$", rule=COUNTRY_RULE)


def _countries(value: Any, loc: v.Loc, errors: list[Error]) -> list[str]:
    """`releasable_to`: one code (`UKR`) or a list of them (`[UKR, GBR]`)."""
    if isinstance(value, str):
        return [COUNTRY_CODE(value, loc, errors)]
    found: list[str] = v.list_of(COUNTRY_CODE, min_length=1, unique=True)(value, loc, errors)
    return found


VARIANT_NAME_RULE = "must be lowercase letters, digits and '-', starting with a letter or digit"
VARIANT_NAME = v.text(pattern=r"^[a-z0-9][a-z0-9-]*$", rule=VARIANT_NAME_RULE)


@frozen
class VariantSpec:
    """One entry of `variants:`: a version of the briefing for one audience, built to
    output/NAME.VARIANT.*. `profile` selects conditional content (`when-profile`, `only:`),
    `releasable_to` keeps only content whose marking is releasable to those countries, `vars`
    are variables (later wins over the briefing's); the other keys replace the briefing's."""

    profile: Annotated[str | None, v.optional(VARIANT_NAME)] = None
    releasable_to: Annotated[list[str], _countries] = field(default_factory=list)
    vars: Annotated[dict[str, Any], VARS] = field(default_factory=dict)
    title: Annotated[str | None, v.optional(v.text())] = None
    subtitle: Annotated[str | None, v.optional(ANY_TEXT)] = None
    short_title: Annotated[str | None, v.optional(SHORT_TITLE)] = None
    audience: Annotated[str | None, v.optional(ANY_TEXT)] = None
    formats: Annotated[list[Format] | None, v.optional(FORMAT_LIST)] = None
    max_pages: Annotated[int | None, v.optional(v.integer(ge=1))] = None
    text_marking: Annotated[str | None, v.optional(v.text())] = None
    thumbnails: Annotated[bool | None, v.optional(v.boolean)] = None


def _variants(value: Any, loc: v.Loc, errors: list[Error]) -> dict[str, VariantSpec]:
    """`variants:`: a mapping of variant names (slugs) to their settings (`{}` for none)."""
    if not isinstance(value, dict):
        raise v.CheckError(f"expected a mapping of variant names to settings, got {v.kind(value)}")
    if not value:
        raise v.CheckError("must not be empty; remove 'variants' to build one version")
    found: dict[str, VariantSpec] = {}
    for key, settings in value.items():
        try:
            VARIANT_NAME(key, (*loc, key), errors)
        except v.CheckError as exc:
            errors.append(Error((*loc, key), f"variant name {exc.message}"))
            continue
        built = v.build(VariantSpec, {} if settings is None else settings, (*loc, key), errors)
        if built is not None:
            found[str(key)] = built
    return found


@dataclass(frozen=True, kw_only=True)  # spelt out: mypy checks its uses
class BriefingSpec(Defaults):
    title: Annotated[str, v.text()]
    subtitle: Annotated[str | None, v.optional(ANY_TEXT)] = None
    # the running header's title, when the title is too long for one line there
    short_title: Annotated[str | None, v.optional(SHORT_TITLE)] = None
    date: Annotated[dt.date | None, v.optional(v.date)] = None
    keywords: Annotated[list[str], ITEMS] = field(default_factory=list)
    max_pages: Annotated[int | None, v.optional(v.integer(ge=1))] = None
    # the marking of the briefing's own text items
    text_marking: Annotated[str | None, v.optional(v.text())] = None
    portion_marks: Annotated[PortionMarks, v.choice(True, False, "headings", "paragraphs")] = False
    # an annex listing every source drawn on (annex.py)
    sources_annex: Annotated[bool, v.boolean] = False
    # values for `{{< var key >}}`, over briefwright.toml's [vars] (variables.py)
    vars: Annotated[dict[str, Any], VARS] = field(default_factory=dict)
    sections: Annotated[list[SectionItem], SECTIONS]
    # the versions the briefing is built in (output/NAME.VARIANT.*); none: the briefing itself
    variants: Annotated[dict[str, VariantSpec], _variants] = field(default_factory=dict)
    # what `[@key]` cites from, over briefwright.toml's [citations] (citations.py)
    bibliography: Annotated[str | None, v.optional(v.text())] = None
    csl: Annotated[str | None, v.optional(v.text())] = None


@dataclass(frozen=True, kw_only=True)  # spelt out: mypy checks its uses
class SectionList:
    """A file of section items another briefing includes (spec/include.py)."""

    sections: Annotated[list[SectionItem], SECTIONS]


COLOUR = v.text(pattern=r"^#[0-9A-Fa-f]{6}$", rule="must be a colour such as '#1f3a5f'")


@frozen
class LevelConfig:
    banner: Annotated[str, v.text()]
    portion: Annotated[str, v.text()]
    colour: Annotated[str, COLOUR] = "#ffffff"
    background: Annotated[str, COLOUR] = "#333333"
    # releasable to anyone: `releasable_to` keeps it without a caveat (drops.py)
    public: Annotated[bool, v.boolean] = False


@frozen
class SchemeConfig:
    levels: Annotated[list[LevelConfig], v.list_of(v.record(LevelConfig), min_length=1)]


@frozen
class CaveatsConfig:
    """[markings.caveats]: caveats the project's scheme knows beyond the usual ones, by kind
    (restrictive ones roll up by union, releasability prefixes by intersection)."""

    restrictive: Annotated[list[str], v.list_of(v.text(), unique=True)] = field(
        default_factory=list
    )
    releasability: Annotated[list[str], v.list_of(v.text(), unique=True)] = field(
        default_factory=list
    )


@frozen
class MarkingsConfig:
    """[markings]: which scheme the project uses, its default level, and schemes of its own.
    Without `scheme` (or with "none") the project marks nothing."""

    scheme: Annotated[str | None, v.optional(NAME)] = None
    # the level of unmarked sources; the lowest when not given
    default: Annotated[str | None, v.optional(v.text())] = None
    schemes: Annotated[dict[str, SchemeConfig], v.dict_of(v.record(SchemeConfig))] = field(
        default_factory=dict
    )
    caveats: Annotated[CaveatsConfig, v.record(CaveatsConfig)] = CaveatsConfig()


def _regex(value: Any, loc: v.Loc, errors: list[Error]) -> str:
    """A Python regular expression, compiled here so that a bad one fails at its line."""
    pattern: str = v.text()(value, loc, errors)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise v.CheckError(f"invalid regular expression {pattern!r}: {exc}") from None
    return pattern


@frozen
class ImportConfig:
    """[import]: the project's own clutter rules, applied by `brief import` after the built-in
    ones; each a regular expression a whole line must match (re.fullmatch, stripped)."""

    remove: Annotated[list[str], v.list_of(_regex)] = field(default_factory=list)


@frozen
class CitationsConfig:
    """[citations]: the bibliography (BibTeX .bib, CSL JSON or YAML) and CSL style every
    briefing cites from, unless it names its own (citations.py); paths from the project."""

    bibliography: Annotated[str | None, v.optional(v.text())] = None
    csl: Annotated[str | None, v.optional(v.text())] = None


@frozen
class ProjectConfig:
    defaults: Annotated[Defaults, v.record(Defaults)] = Defaults()
    markings: Annotated[MarkingsConfig, v.record(MarkingsConfig)] = MarkingsConfig()
    import_: Annotated[ImportConfig, v.Key("import"), v.record(ImportConfig)] = ImportConfig()
    citations: Annotated[CitationsConfig, v.record(CitationsConfig)] = CitationsConfig()
    # [vars]: values for `{{< var key >}}` in every briefing (variables.py)
    vars: Annotated[dict[str, Any], VARS] = field(default_factory=dict)


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
