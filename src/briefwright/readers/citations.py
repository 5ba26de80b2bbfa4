"""Pandoc's citation syntax found in a run of text: `[@key]`, `[see @key, p. 4]`, `[-@key]`,
`[@a; @b]` and `@key` in the text (with an optional `[p. 4]` after it). `@fig-...`, `@tbl-...`,
`@sec-...` (Quarto's cross-reference prefixes) are not citations, nor is an email address."""

from __future__ import annotations

import re
from pathlib import Path

from briefwright import model as m

# A key starts with a letter, digit or `_`; inside it `:.#$%&-+?<>~/` may appear, but not at
# its end (Pandoc: "internal punctuation").
_KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
_XREF = re.compile(
    r"(?:fig|tbl|sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|nte|tip|wrn|imp|cau)-", re.ASCII
)
_BRACKETED = re.compile(r"\[([^\[\]\n]*?(?<![\w.])-?@" + _KEY + r"[^\[\]\n]*)\]")
_ITEM = re.compile(
    r"^(?P<prefix>.*?)(?<![\w.])(?P<minus>-?)@(?P<key>" + _KEY + r")(?P<suffix>.*)$", re.S
)
_IN_TEXT = re.compile(r"(?<![\w.@/+-])@(?P<key>" + _KEY + r")(?:[ ]\[(?P<locator>[^\[\]\n@]*)\])?")


def _item(text: str) -> m.CiteItem | None:
    found = _ITEM.match(text.strip())
    if found is None or _XREF.match(found["key"]):
        return None
    return m.CiteItem(
        found["key"],
        prefix=found["prefix"].strip(),
        suffix=found["suffix"].rstrip(),
        suppress_author=bool(found["minus"]),
    )


def _bracketed(inner: str, file: Path, line: int) -> m.Cite | None:
    items = [_item(part) for part in inner.split(";")]
    if not items or any(item is None for item in items):
        return None
    found = tuple(item for item in items if item is not None)
    return m.Cite(found, False, f"[{inner}]", file, line)


def cite_pieces(text: str, file: Path, line: int) -> list[str | m.Cite]:
    """`text` cut into plain strings and citations (in the order written)."""
    if "@" not in text:
        return [text]
    out: list[str | m.Cite] = []
    rest = text
    while rest:
        bracketed = _BRACKETED.search(rest)
        in_text = _IN_TEXT.search(rest)
        cite: m.Cite | None = None
        if bracketed is not None and (in_text is None or bracketed.start() <= in_text.start()):
            cite = _bracketed(bracketed[1], file, line)
            start, end = bracketed.span()
        elif in_text is not None and not _XREF.match(in_text["key"]):
            suffix = in_text["locator"]
            item = m.CiteItem(in_text["key"], suffix=f", {suffix}" if suffix else "")
            cite = m.Cite((item,), True, in_text[0], file, line)
            start, end = in_text.span()
        elif in_text is not None:
            start, end = in_text.span()
        else:
            break
        if cite is None:
            out.append(rest[:end])
        else:
            out += [rest[:start], cite]
        rest = rest[end:]
    out.append(rest)
    return [piece for piece in out if piece != ""]
