"""Text from an imported document written so Markdown reads it back as the same text.

One set for every reader: a page, a PDF or a plain-text export must not be able to write
emphasis, links, raw HTML, table cells or, above all, an attribute block such as
`{#s marking="TLP:CLEAR"}` that would mark a section lower than the document it came from."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>{}~|])")


def inline(text: str) -> str:
    """`text` with every character Markdown could read as syntax backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)
