"""A page's images made ready for extraction, before trafilatura sees the tree.

- Decorative images (icons, logos, share buttons, spacers, counters, ad banners: named so in
  their address or class, or drawn under 48 pixels) are taken out and listed as removed:
  with them in, trafilatura keeps the blocks that hold them (a byline with a share icon, a
  layout table of currency rates) and the source would warn about each of them.
- A `<figcaption>` becomes its image's alt text: briefwright shows alt text as the figure's
  caption, and left as a paragraph it would sit glued to the image.
"""

from __future__ import annotations

import re

from lxml import etree

from briefwright.importing.model import Removed

_DECORATIVE = re.compile(
    r"logo|icon|avatar|sprite|spacer|pixel|badge|button|share|facebook|twitter|linkedin"
    r"|whatsapp|pinterest|social|advert|banner|informer|emoji|gravatar|rating|/ads?/",
    re.IGNORECASE,
)
_MIN_PIXELS = 48
_RULE = "html: decorative image"
_SPACE = re.compile(r"\s+")


def tidy(tree: etree._Element) -> list[Removed]:
    """Takes decorative images out of `tree` and moves captions into alt text; returns the
    images removed."""
    removed = [_remove(img) for img in list(tree.iter("img")) if _decorative(img)]
    for figure in tree.iter("figure"):
        _caption_to_alt(figure)
    return removed


def _decorative(img: etree._Element) -> bool:
    src = img.get("src") or img.get("data-src") or ""
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
    src = (img.get("src") or img.get("data-src") or "").strip()
    text = f"![{_SPACE.sub(' ', img.get('alt') or '').strip()}]({src[:120]})"
    parent = img.getparent()
    if parent is not None:
        # keep the text after the image (lxml stores it on the image as its tail)
        tail = img.tail or ""
        previous = img.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(img)
    return Removed(text=text, rule=_RULE)


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
