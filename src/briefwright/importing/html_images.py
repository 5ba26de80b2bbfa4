"""A page's images carried through extraction as words, and put back as Markdown images.

trafilatura decides differently what the article is when asked to keep images: it keeps the
`<figure>`s and the blocks holding images (a byline with a share icon, a layout table of
currency rates), and on the benchmark pages (bench/import_html.py) its F1 fell below its own
default. So the extraction runs as by default, without images, and each image the page shows
is first replaced by a marker word (`bwimg3x`): the marker stays where the article keeps the
text around it and goes where the extractor drops it; `restore` turns markers into `![alt](src)`.

- Decorative images (icons, logos, share buttons, spacers, counters, ad banners: named so in
  their address or class, or drawn under 48 pixels) are taken out and listed as removed:
  with them in, trafilatura keeps the blocks that hold them (a byline with a share icon, a
  layout table of currency rates) and the source would warn about each of them.
- A `<figcaption>` becomes its image's alt text: briefwright shows alt text as the figure's
  caption, and left as a paragraph it would sit glued to the image.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from briefwright.importing.model import Removed

_DECORATIVE = re.compile(
    r"logo|icon|avatar|sprite|spacer|pixel|badge|button|share|facebook|twitter|linkedin"
    r"|whatsapp|pinterest|social|advert|banner|informer|emoji|gravatar|rating|/ads?/",
    re.IGNORECASE,
)
_MIN_PIXELS = 48
_RULE = "html: decorative image"
_WRAPPERS = {"a", "picture", "span", "source", "noscript"}
_BLOCKS = {"figure", "div", "section", "article", "main", "body", "td", "th", "center", "header"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Marked:
    """The images of a page replaced by marker words, and what was taken out."""

    images: dict[str, tuple[str, str]]  # marker -> (alt text, address)
    removed: list[Removed]


def mark(tree: etree._Element, text: str) -> Marked:
    """Takes decorative images out of `tree`, moves captions into alt text and replaces every
    other image by a marker word not found in `text` (the page)."""
    removed = [_remove(img) for img in list(tree.iter("img")) if _decorative(img)]
    for figure in tree.iter("figure"):
        _caption_to_alt(figure)
    prefix = "bwimg"
    while prefix in text:
        prefix += "q"
    images: dict[str, tuple[str, str]] = {}
    for img in list(tree.iter("img")):
        marker = f"{prefix}{len(images)}x"
        images[marker] = (_SPACE.sub(" ", img.get("alt") or "").strip(), _src(img))
        if _stands_alone(img):
            _replace_by_paragraph(img, marker)  # a bare text in a <div> would be dropped
        else:
            _replace(img, f" {marker} ")
    # without images trafilatura drops <figure> and <picture> whole: keep what they hold
    for element in tree.iter("figure", "picture"):
        element.tag = "div" if element.tag == "figure" else "span"
    return Marked(images, removed)


def restore(
    markdown: str, marked: Marked, image: Callable[[str, str], str]
) -> tuple[str, list[str]]:
    """`markdown` with each marker replaced by `image(alt, src)`; and the addresses used."""
    if not marked.images:
        return markdown, []
    used: dict[str, None] = {}

    def put_back(match: re.Match[str]) -> str:
        alt, src = marked.images[match.group(0)]
        used[src] = None
        return image(alt, src)

    pattern = re.compile(
        "|".join(re.escape(m) for m in sorted(marked.images, key=len, reverse=True))
    )
    return pattern.sub(put_back, markdown), list(used)


def _src(img: etree._Element) -> str:
    return (img.get("src") or img.get("data-src") or "").strip()


def _decorative(img: etree._Element) -> bool:
    src = _src(img)
    if not src.strip() or src.startswith("data:"):
        return True
    names = " ".join(img.get(a) or "" for a in ("src", "class", "id", "alt"))
    return bool(_DECORATIVE.search(names)) or _small(img)


def _small(img: etree._Element) -> bool:
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _MIN_PIXELS:
            return True
    return False


def _remove(img: etree._Element) -> Removed:
    text = f"![{_SPACE.sub(' ', img.get('alt') or '').strip()}]({_src(img)[:120]})"
    _replace(img, "")
    return Removed(text=text, rule=_RULE)


def _stands_alone(img: etree._Element) -> bool:
    """Whether `img` is a block of its own (in a figure or a div), not inside a paragraph."""
    element = img.getparent()
    while element is not None and element.tag in _WRAPPERS:
        element = element.getparent()
    return element is not None and element.tag in _BLOCKS


def _replace_by_paragraph(img: etree._Element, marker: str) -> None:
    paragraph = etree.Element("p")
    paragraph.text = marker
    paragraph.tail = img.tail
    img.tail = None
    img.addprevious(paragraph)
    parent = img.getparent()
    if parent is not None:
        parent.remove(img)


def _replace(img: etree._Element, text: str) -> None:
    """`img` taken out of the tree, `text` in its place (before the text that followed it,
    which lxml stores on the image as its tail)."""
    parent = img.getparent()
    if parent is None:
        return
    after = text + (img.tail or "")
    previous = img.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + after
    else:
        parent.text = (parent.text or "") + after
    parent.remove(img)


def _caption_to_alt(figure: etree._Element) -> None:
    images = list(figure.iter("img"))
    captions = list(figure.iter("figcaption"))
    if len(images) != 1 or not captions:
        return
    caption = _SPACE.sub(" ", " ".join(captions[0].itertext())).strip()
    if caption:
        images[0].set("alt", caption)
    for element in captions:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
