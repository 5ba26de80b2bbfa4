"""The imported source's text: its front matter (in a fixed order, so that the same input gives
the same bytes) and its body."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from briefwright.importing.model import Imported

_IMPORTED = re.compile(r"^imported: *['\"]?(\d{4}-\d{2}-\d{2})['\"]? *$", re.M)
_SHA = re.compile(r"^sha256: *['\"]?([0-9a-f]{64})['\"]? *$", re.M)


def front_matter(
    imported: Imported,
    *,
    title: str,
    origin: str,
    date: dt.date,
    sha256: str,
    marking: str | None,
) -> dict[str, Any]:
    """The keys of the source, in the order they are written; the input's other front matter
    (a Markdown input's `tags`, for one) follows them."""
    keys: dict[str, Any] = {"title": title}
    if imported.author:
        keys["author"] = imported.author
    if imported.date:
        keys["date"] = _date_or_text(imported.date)
    keys |= {"origin": origin, "imported": date, "sha256": sha256}
    if marking is not None:
        keys["marking"] = marking
    return keys | {k: v for k, v in imported.meta.items() if k not in keys}


def source_text(keys: dict[str, Any], body: str) -> str:
    dumped = yaml.safe_dump(
        keys, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096
    )
    return f"---\n{dumped}---\n\n{body}"


def recorded(text: str) -> tuple[str | None, dt.date | None]:
    """The `sha256` and `imported` date an earlier import wrote in a source, where present."""
    head = text[: text.find("\n---", 3) + 1] if text.startswith("---\n") else ""
    sha = _SHA.search(head)
    date = _IMPORTED.search(head)
    when = None
    if date is not None:
        try:
            when = dt.date.fromisoformat(date.group(1))
        except ValueError:
            when = None
    return (sha.group(1) if sha else None), when


def _date_or_text(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value
