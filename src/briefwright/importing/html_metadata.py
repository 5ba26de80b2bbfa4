"""Title, author and date of a page from what it declares: `<meta>` tags (Open Graph, Twitter,
Dublin Core, article:*), JSON-LD, `<title>` and `<h1>`; the date through htmldate.

Not `trafilatura.extract_metadata`: it also hunts for bylines in the body, categories, tags,
licence and site name, which took half again the extraction's own time on the benchmark pages
(bench/import_html.py) for fields import does not use.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date as date_type
from typing import Any

from htmldate import find_date
from lxml import etree

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title")
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "twitter:creator",
)
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.issued",
    "publish-date",
    "pubdate",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TITLE_SEPARATORS = re.compile("\\s+[|\u2013\u2014\u00b7\u2022:-]\\s+")  # bar, dashes, dots, colon
_MAX_JSON_CHARS = 200_000  # a JSON-LD block larger than this is not parsed
_SPACE = re.compile(r"\s+")
_BYLINE = etree.XPath(
    '//*[@rel="author" or @itemprop="author" or @class="author" or @class="byline"'
    ' or @class="author-name" or @class="byline-name"]'
)


@dataclass(frozen=True)
class Metadata:
    title: str | None
    author: str | None
    date: str | None  # YYYY-MM-DD


def metadata(tree: etree._Element, url: str | None) -> Metadata:
    """What `tree` (the whole page) says about itself."""
    meta = _meta_tags(tree)
    linked = _json_ld(tree)
    title = linked.get("headline") or _first(meta, _TITLE_KEYS) or _title_element(tree)
    author = _person(linked.get("author") or _first(meta, _AUTHOR_KEYS)) or _byline(tree)
    date = _declared_date(linked.get("date") or _first(meta, _DATE_KEYS))
    try:
        date = date or find_date(
            tree, url=url, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError, RecursionError):
        date = None
    return Metadata(_clean(title), _clean(author), date or None)


def _declared_date(value: str | None) -> str | None:
    """The YYYY-MM-DD a page declares in its metadata, when it is a real date: cheaper than
    htmldate's search, which is only the fallback."""
    match = _ISO_DATE.match(value or "")
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return date_type(year, month, day).isoformat() if 1900 < year < 2200 else None
    except ValueError:
        return None


def _person(author: str | None) -> str | None:
    if author and (author.startswith(("http://", "https://", "@")) or " " not in author):
        return None  # a profile URL or a handle, not a name
    return author


def _byline(tree: etree._Element) -> str | None:
    """The text of the first element marked as the author (rel, itemprop, class) when it is
    short enough to be a name."""
    for element in _BYLINE(tree):
        text = _clean(" ".join(element.itertext()))
        if text:
            text = re.sub(r"^(?:by|von|par|por|di)\s+", "", text, flags=re.IGNORECASE)
            if 1 < len(text.split()) <= 5 and not any(ch.isdigit() for ch in text):
                return text
    return None


def _meta_tags(tree: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = _clean(element.get("content"))
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(tree: etree._Element) -> dict[str, str]:
    """headline and author name of the first JSON-LD article-like object."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = script.text or ""
        if len(text) > _MAX_JSON_CHARS:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        for item in _objects(data):
            found = {
                "headline": _text(item.get("headline")),
                "author": _name(item.get("author")),
                "date": _text(item.get("datePublished")),
            }
            if found["headline"] or found["author"]:
                return {k: v for k, v in found.items() if v}
    return {}


def _objects(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    if isinstance(data, dict):
        graph = data.get("@graph")
        return [data, *(_objects(graph) if isinstance(graph, list) else [])]
    return []


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return "; ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _text(value: Any) -> str | None:
    return _clean(value) if isinstance(value, str) else None


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if k in meta), None)


def _title_element(tree: etree._Element) -> str | None:
    """The `<title>` without its site name (the longest part between separators), or the page's
    only `<h1>`."""
    headings = [_clean(" ".join(h.itertext())) for h in tree.iter("h1")]
    if len(headings) == 1 and headings[0]:
        return headings[0]
    title = next((_clean(" ".join(t.itertext())) for t in tree.iter("title")), None)
    if not title:
        return None
    parts = _TITLE_SEPARATORS.split(title)
    return max(parts, key=len) if len(parts) > 1 else title


def _clean(value: str | None) -> str | None:
    # meta content is sometimes escaped twice (`doesn&#8217;t`)
    value = _SPACE.sub(" ", html.unescape(value or "")).strip()
    return value or None
