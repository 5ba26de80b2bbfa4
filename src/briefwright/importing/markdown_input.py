"""Markdown files -> Markdown: passed through, normalised (line ends, trailing blank lines, no
front matter in the body), its front matter read and merged into the imported source's."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from briefwright.errors import ImportFailed, SpecError
from briefwright.importing.model import Imported
from briefwright.readers.text import decode_utf8, replace_forbidden
from briefwright.readers.yamlfile import load_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
# keys import writes itself: an input's own values of them are replaced, not merged
OWN_KEYS = ("title", "author", "date", "origin", "imported", "sha256", "marking")


def read(data: bytes, origin: str) -> Imported:
    file = Path(origin)
    text, problems = replace_forbidden(decode_utf8(data, file), file)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match is not None:
        meta = _front_matter(match.group(1) or "", file)
        text = text[match.end() :]
    title = _text(meta.pop("title", None))
    if title is None and (heading := _H1.search(text)) is not None:
        title = heading.group(1).strip()
    return Imported(
        markdown=_normalise(text),
        title=title,
        author=_text(meta.pop("author", None)),
        date=_date(meta.pop("date", None)),
        marking=_text(meta.pop("marking", None)),
        meta={k: v for k, v in meta.items() if k not in OWN_KEYS},
        warnings=[str(p) for p in problems],
    )


def _front_matter(text: str, file: Path) -> dict[str, Any]:
    try:
        doc = load_yaml(text, file, first_line=2)
    except SpecError as exc:
        raise ImportFailed.from_problems(exc.problems) from None
    if doc.value is None:
        return {}
    if not isinstance(doc.value, dict):
        raise ImportFailed("front matter must be a mapping of keys to values", file=file, line=2)
    return {str(key): value for key, value in doc.value.items()}


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip() or None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def _normalise(text: str) -> str:
    """Trailing white space of lines dropped (but two spaces, a hard break, kept), runs of
    blank lines outside code kept as one, one final newline."""
    lines: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if re.match(r"^\s{0,3}(```|~~~)", line):
            fenced = not fenced
        if fenced:
            lines.append(line)
            continue
        stripped = line.rstrip()
        if line.endswith("  ") and stripped:
            stripped += "  "
        if stripped or (lines and lines[-1]):
            lines.append(stripped)
    body = "\n".join(lines).strip("\n")
    return body + "\n" if body else ""
