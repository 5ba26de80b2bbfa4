"""SVG images made safe to embed: parsed without entities, DTDs or network, then stripped of
scripts, event handlers and every reference outside the image itself.

What may stay: `#fragment` references and `data:` URLs of raster images (PNG, JPEG, GIF). What
is removed is listed, so the author is told (a warning at the image's FILE:LINE). An image
that declares XML entities (an expansion bomb, or an external entity such as
`file:///etc/passwd`), or whose `<use>` references expand past a limit, is refused whole.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_USE_EXPANSION = 10_000  # elements drawn once every <use> is followed
DEFAULT_SIZE = (300.0, 150.0)  # CSS's size of a replaced element that gives none

# Elements that run code or embed another document: removed with everything inside them.
UNSAFE_ELEMENTS = {"script", "foreignObject", "handler", "listener", "iframe", "embed", "object"}
# Elements that draw what their href names: removed whole when it is refused.
DRAWS_ITS_HREF = {"use", "image", "feImage", "tref"}
ALLOWED_DATA = re.compile(r"^data:image/(png|jpeg|jpg|gif);", re.I)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*$", re.I)
PX_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


class SvgError(ValueError):
    """Why an SVG is refused whole, in words for the author."""


@dataclass(frozen=True)
class SafeSvg:
    data: bytes  # the sanitised document, UTF-8
    width: float  # CSS pixels
    height: float
    removed: tuple[str, ...]  # what was taken out, for a warning


def sniff(data: bytes) -> bool:
    """True when `data` looks like an SVG document (an XML document whose root is <svg>)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        head.startswith(b"<?xml")
        or head.startswith(b"<!--")
        or head.startswith(b"<svg")
        or head.startswith(b"<!doctype")
    ) and b"<svg" in data[:65536].lower()


def sanitise(data: bytes) -> SafeSvg:
    """The SVG with everything unsafe removed; raises SvgError for one that cannot be made safe."""
    if re.search(rb"<!ENTITY", data, re.I):
        raise SvgError("declares XML entities (refused: entity bombs and external entities)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgError(f"is not well-formed SVG ({exc.msg})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgError("is XML but not an SVG image (its root is not <svg>)")
    removed: list[str] = []
    _clean(root, removed)
    _check_use_expansion(root)
    width, height = _size(root)
    cleaned = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return SafeSvg(cleaned, width, height, tuple(dict.fromkeys(removed)))


def _local(name: object) -> str:
    return etree.QName(name).localname if isinstance(name, str) else ""


def _clean(root: etree._Element, removed: list[str]) -> None:
    dropped: set[etree._Element] = set()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or any(a in dropped for a in element.iterancestors()):
            continue  # a comment, or inside an element already removed
        name = _local(element.tag)
        parent = element.getparent()
        if parent is not None and (name in UNSAFE_ELEMENTS or _animates_unsafe(element)):
            parent.remove(element)
            dropped.add(element)
            removed.append(f"<{name}>")
            continue
        for attribute, value in list(element.attrib.items()):
            why = _attribute_problem(_local(attribute), attribute, value)
            if why is not None and parent is not None and name in DRAWS_ITS_HREF:
                parent.remove(element)  # without its href it would fetch nothing, or "None"
                dropped.add(element)
                removed.append(why)
                break
            if why is not None:
                del element.attrib[attribute]
                removed.append(why)
            elif "url(" in value.lower():
                element.set(attribute, _css_without_external(value, removed))
        if name == "style" and element.text:
            element.text = _css_without_external(element.text, removed)


def _animates_unsafe(element: etree._Element) -> bool:
    """<set>/<animate> that would write an href or an event handler."""
    if _local(element.tag) not in {"set", "animate"}:
        return False
    target = (element.get("attributeName") or "").lower()
    return target.endswith("href") or target.startswith("on")


def _attribute_problem(name: str, qualified: str, value: str) -> str | None:
    if name.lower().startswith("on"):
        return f"event handler '{name}'"
    if name == "base":  # xml:base would redirect relative references
        return "xml:base"
    if name == "href" or qualified == XLINK_HREF:
        target = value.strip()
        if target.startswith("#") or ALLOWED_DATA.match(target):
            return None
        return f"reference '{_short(target)}'"
    return None


def _css_without_external(css: str, removed: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith("#") or ALLOWED_DATA.match(target):
            return match.group(0)
        removed.append(f"reference '{_short(target)}'")
        return "none"

    for found in CSS_IMPORT.findall(css):
        removed.append(f"style sheet import '{_short(found.strip())}'")
    return CSS_URL.sub(replace, CSS_IMPORT.sub("", css))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else f"{text[:57]}..."


def _check_use_expansion(root: etree._Element) -> None:
    """Refuse <use> chains that would draw more than MAX_USE_EXPANSION elements (a "use bomb":
    ten levels of ten uses each is ten billion), or that refer to themselves."""
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    cost: dict[int, int] = {}

    def count(element: etree._Element, path: tuple[int, ...]) -> int:
        key = id(element)
        if key in path:
            raise SvgError("has a <use> that refers to itself")
        if key in cost:
            return cost[key]
        total = 1
        for child in element.iter():
            if child is element or not isinstance(child.tag, str):
                continue
            total += 1
            if _local(child.tag) == "use":
                href = (child.get("href") or child.get(XLINK_HREF) or "").strip()
                target = by_id.get(href[1:]) if href.startswith("#") else None
                if target is not None:
                    total += count(target, (*path, key, id(child)))
            if total > MAX_USE_EXPANSION:
                raise SvgError(f"expands to more than {MAX_USE_EXPANSION:,} elements through <use>")
        cost[key] = total
        return total

    count(root, ())


def _size(root: etree._Element) -> tuple[float, float]:
    """The intrinsic size in CSS pixels: width/height, else the viewBox, else 300 x 150."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    ratio_w = ratio_h = None
    if len(box) == 4:
        with contextlib.suppress(ValueError):
            ratio_w, ratio_h = abs(float(box[2])), abs(float(box[3]))
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height
    if ratio_w and ratio_h:
        if width:
            return width, width * ratio_h / ratio_w
        if height:
            return height * ratio_w / ratio_h, height
        return ratio_w, ratio_h
    return width or DEFAULT_SIZE[0], height or DEFAULT_SIZE[1]


def _length(text: str | None) -> float | None:
    found = LENGTH.match(text or "")
    if found is None:
        return None
    value = float(found.group(1)) * PX_PER_UNIT[(found.group(2) or "px").lower()]
    return value if value > 0 else None
