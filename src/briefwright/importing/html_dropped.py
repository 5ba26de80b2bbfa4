"""What the extractor dropped, where the page says what it was: `<nav>`, `<aside>`,
`<footer>`, and blocks whose class or id names navigation, comments, sharing, related links,
ads or cookie notices. Import never drops text silently, so each such block whose text is not
in the Markdown is listed in `Imported.removed`; other dropped text (a site's header, widgets
without a telling name) cannot be named this way and is not listed."""

from __future__ import annotations

import re

from lxml import etree

from briefwright.importing.model import Removed

_KINDS = (
    ("navigation", re.compile(r"nav|menu|breadcrumb", re.IGNORECASE)),
    ("comments", re.compile(r"comment|disqus|respond", re.IGNORECASE)),
    ("share bar", re.compile(r"share|social|sharing", re.IGNORECASE)),
    ("related links", re.compile(r"related|recommend|more-stories|read-more|also", re.IGNORECASE)),
    (
        "advertisement",
        re.compile(
            r"(?:^|[-_ ])(?:ad|ads|advert\w*|sponsor\w*|promo\w*)(?:$|[-_ ])", re.IGNORECASE
        ),
    ),
    ("cookie notice", re.compile(r"cookie|consent|gdpr", re.IGNORECASE)),
    ("subscription box", re.compile(r"newsletter|subscribe|signup", re.IGNORECASE)),
)
_TAG_KINDS = {"nav": "navigation", "aside": "aside", "footer": "page footer"}
_MAX_TEXT = 160  # a removed block is listed by its first words, not whole
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def candidates(tree: etree._Element) -> list[tuple[str, str]]:
    """(kind, text) of the outermost blocks in `tree` that a page marks as not the article;
    taken before extraction, which changes the tree."""
    marked = {}
    for el in tree.iter("nav", "aside", "footer", "div", "section", "ul", "form"):
        kind = _kind(el)
        if kind is not None:
            marked[el] = kind
    found: list[tuple[str, str]] = []
    for el, kind in marked.items():
        if any(a in marked for a in el.iterancestors()):
            continue  # listed with the block around it
        text = _SPACE.sub(" ", " ".join(el.itertext())).strip()
        if text:
            found.append((kind, text))
    return found


def dropped(found: list[tuple[str, str]], markdown: str) -> list[Removed]:
    """The candidates whose words are mostly not in the Markdown: what extraction removed."""
    kept = set(_WORD.findall(markdown.casefold()))
    removed = []
    for kind, text in found:
        words = _WORD.findall(text.casefold())
        if words and sum(w in kept for w in words) < len(words) / 2:
            short = text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1].rstrip() + "…"
            removed.append(Removed(text=short, rule=f"html: {kind}"))
    return removed


def _kind(el: etree._Element) -> str | None:
    names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"
    if names.strip():
        for kind, pattern in _KINDS:
            if pattern.search(names):
                return kind
    tag = el.tag if isinstance(el.tag, str) else ""
    return _TAG_KINDS.get(tag)
