"""template.toml: what a template is, read and checked with the line of every problem.

`extends` names a template (a project one in templates/ or a built-in one), never a path: it
is checked here with the same rule as a briefing's `template:`, so `../x`, `/x`, `a\\b` and NUL
are refused at `templates/NAME/template.toml:LINE` before anything joins them onto a folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from briefwright.build.select import NAME_PATTERN
from briefwright.errors import TemplateError
from briefwright.readers.files import MAX_SMALL_FILE_BYTES, UnreadableFileError, present, read_text
from briefwright.readers.tomlfile import toml_lines
from briefwright.spec import validation as v

INFO_NAME = "template.toml"
EXTENDS_RULE = (
    "names a template (built-in or in templates/), not a path: letters, digits, '-' and '_', "
    "starting with a letter or digit"
)
_NAME = re.compile(NAME_PATTERN.rstrip("$"))  # fullmatch: no trailing newline slips through


def template_name(value: Any, loc: v.Loc, errors: list[v.Error]) -> str:
    """A template's name: what `extends` may hold."""
    if not isinstance(value, str):
        raise v.CheckError(f"expected text, got {v.kind(value)}")
    if not _NAME.fullmatch(value):
        raise v.CheckError(f"{EXTENDS_RULE}; got {v.kind(value)}")
    return value


@dataclass(frozen=True, kw_only=True)
class TemplateInfo:
    """template.toml: what the template is and which parts of a brief it lays out."""

    name: Annotated[str, v.text()]
    description: Annotated[str, v.text(min_length=0)] = ""
    extends: Annotated[str | None, v.optional(template_name)] = None
    # a cover page (DOCX: a first section of its own)
    cover: Annotated[bool, v.boolean] = True
    # a table of contents when the briefing's toc_depth > 0
    toc: Annotated[bool, v.boolean] = True
    # the default of the briefing's `section_numbers` (headings numbered 1, 1.1, ...)
    section_numbers: Annotated[bool, v.boolean] = False
    # its base.css and style.css replace the built-in ones rather than follow them
    replace: Annotated[bool, v.boolean] = False
    # briefing keys it honours, described
    options: Annotated[dict[str, str], v.dict_of(v.text(min_length=0))] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class ReadInfo:
    """A template.toml read: its content, where it is shown, and the line of `extends`."""

    info: TemplateInfo
    shown: Path  # as the user knows it: templates/NAME/template.toml
    extends_line: int | None


def read_info(path: Path, shown: Path) -> ReadInfo | None:
    """The template.toml at `path` (None if there is none); TemplateError at `shown:LINE`."""
    if not present(path):
        return None
    try:
        text = read_text(path, MAX_SMALL_FILE_BYTES)
        data = tomllib.loads(text)
    except UnreadableFileError as exc:
        raise TemplateError(exc.reason, file=shown) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"invalid {INFO_NAME}: {exc}", file=shown) from None
    errors: list[v.Error] = []
    info = v.build(TemplateInfo, data, (), errors)
    lines = toml_lines(text)
    if info is None:
        error = errors[0]
        where = "" if error.about_key or not error.loc else f"{v.dotted(error.loc)}: "
        message = f"invalid {INFO_NAME}: {where}{error.message}"
        line = lines.get(tuple(error.loc)) if error.loc else None
        raise TemplateError(message, file=shown, line=line)
    return ReadInfo(info, shown, lines.get(("extends",)))
