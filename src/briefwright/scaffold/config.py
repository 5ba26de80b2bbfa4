"""The briefwright.toml that `brief init` writes: every project default written out with its
value (or, where it has none, commented out with an example), each explained.

The keys are read from the schema (spec/schema.py `Defaults`), so a default added there and
not described here fails the tests rather than going missing from new projects.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from briefwright.markings import BUILTIN_SCHEMES, NO_SCHEME
from briefwright.project import CONFIG_NAME
from briefwright.spec.schema import Defaults

# what each key of [defaults] means, and an example for those that have no default value
DEFAULT_NOTES: dict[str, tuple[str, str | None]] = {
    "author": ("the author named on the cover and in the metadata", '"Policy Analysis Cell"'),
    "organisation": ("the organisation on the cover", '"Example Staff Directorate"'),
    "audience": ("who the briefings are for", '"Senior leadership"'),
    "marking": (
        "a ceiling for every briefing: nothing marked higher may be included (needs a scheme)",
        None,
    ),
    "template": ("the template: built in `briefing` or `memo`, or one in templates/", None),
    "formats": ("output formats: pdf, docx, html", None),
    "lang": ("document language (hyphenation, metadata): en, fr, en-GB...", None),
    "logo": (
        "an image of the project on the cover, with its alt text",
        '{ path = "assets/logo.png", alt = "what it shows" }',
    ),
    "toc_depth": ("heading levels in the table of contents (0: none)", None),
    "section_numbers": (
        "headings numbered 1, 1.1, 1.1.1 (unset: the template's choice, off for built-in ones)",
        "true",
    ),
    "page_size": ("A4, A5, Letter or Legal", None),
    "orientation": ("portrait or landscape", None),
    "pdf_variant": ("pdf/a-2b, pdf/a-2u, pdf/a-3b, pdf/a-3u or pdf/ua-1", '"pdf/a-3b"'),
    "thumbnails": (
        "page images output/NAME/page-001.png... and a contact sheet output/NAME.pages.png",
        None,
    ),
    "lists": ("lists of numbered figures and tables after the contents", "[figures, tables]"),
}


def toml_value(value: Any) -> str:
    """A TOML value for a default: text, a whole number, or a list of text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def config_text(scheme: str) -> str:
    """briefwright.toml for a new project using the marking scheme `scheme` (or "none")."""
    lines = [
        f"# {CONFIG_NAME}: this project's settings. Every key has its default value; a key",
        "# commented out has none. A briefing's own key overrides the default here.",
        "",
        "[defaults]",
    ]
    defaults = Defaults()
    for field in dataclasses.fields(Defaults):
        note, example = DEFAULT_NOTES[field.name]
        value = getattr(defaults, field.name)
        if field.name == "marking" and scheme != NO_SCHEME:
            example = toml_value(BUILTIN_SCHEMES[scheme].levels[-1].banner)
        lines.append(f"# {note}")
        if value is None:
            lines.append(f"# {field.name} = {example}" if example else f"# {field.name} =")
        else:
            lines.append(f"{field.name} = {toml_value(value)}")
    parts = [*lines, "", *_markings(scheme), "", *_import(), "", *_citations()]
    return "\n".join(parts) + "\n"


def _markings(scheme: str) -> list[str]:
    names = ", ".join(f'"{name}"' for name in (*BUILTIN_SCHEMES, NO_SCHEME))
    lines = [
        "# The marking scheme: one of " + names + ",",
        "# or one of your own under [markings.schemes.NAME] (README: Markings). With",
        '# "none", nothing is marked, and any marking in a briefing or source is an error.',
        "[markings]",
        f"scheme = {toml_value(scheme)}",
    ]
    if scheme == NO_SCHEME:
        return lines
    levels = BUILTIN_SCHEMES[scheme].levels
    return [
        *lines,
        f"# the levels, lowest first: {', '.join(level.banner for level in levels)}",
        "# the marking of sources that declare none (default: the lowest level)",
        f"default = {toml_value(levels[0].banner)}",
    ]


def _citations() -> list[str]:
    return [
        "# `[@key]` citations (README: Citations): a BibTeX .bib or CSL JSON/YAML file, and a",
        "# CSL style (default: the shipped author-date one); a briefing may name its own",
        "[citations]",
        '# bibliography = "references.bib"',
        '# csl = "styles/my-style.csl"',
    ]


def _import() -> list[str]:
    return [
        "# `brief import`: your own clutter rules, each a regular expression a whole line",
        '# must match to be removed, e.g. ["^Advertisement$", "^Photo: .*"]',
        "[import]",
        "remove = []",
    ]
