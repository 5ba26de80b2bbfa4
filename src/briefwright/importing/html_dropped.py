"""What the extractor dropped, where the page says what it was: `<nav>`, `<aside>`,
`<footer>`, and blocks whose class or id names navigation, comments, sharing, related links,
ads or cookie notices. Import never drops text silently, so each such block whose text is not
in the Markdown is listed in `Imported.removed`; other dropped text (a site's header, widgets
without a telling name) cannot be named this way and is not listed."""

from __future__ import annotations

import re

from lxml import etree

from briefwright.importing.model import Removed

_KINDS = {  # group name -> kind; the first group that matches a class, id or role names it
    "navigation": r"nav|menu|breadcrumb",
    "comments": r"comment|disqus|respond",
    "share_bar": r"share|social|sharing",
    "related_links": r"related|recommend|more-stories|read-more|also",
    "advertisement": r"(?:^|[-_ ])(?:ad|ads|advert\w*|sponsor\w*|promo\w*)(?:$|[-_ ])",
    "cookie_notice": r"cookie|consent|gdpr",
    "subscription_box": r"newsletter|subscribe|signup",
}
# one pattern, searched once per element: the pages have thousands of them
_NAMES = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _KINDS.items()), re.IGNORECASE)
_BLOCKS = etree.XPath(
    "//nav | //aside | //footer"
    " | //*[(self::div or self::section or self::ul or self::form) and (@class or @id or @role)]"
)
_TAG_KINDS = {"nav": "navigation", "aside": "aside", "footer": "page footer"}
_MAX_TEXT = 160  # a removed block is listed by its first words, not whole
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def candidates(tree: etree._Element) -> list[tuple[str, str]]:
    """(kind, text) of the outermost blocks in `tree` that a page marks as not the article;
    taken before extraction, which changes the tree."""
    marked = {}
    for el in _BLOCKS(tree):
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
    if len(names) > 2:
        match = _NAMES.search(names)
        if match is not None and match.lastgroup is not None:
            return match.lastgroup.replace("_", " ")
    tag = el.tag if isinstance(el.tag, str) else ""
    return _TAG_KINDS.get(tag)
