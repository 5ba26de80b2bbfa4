"""Image sizes as Pandoc writes them (`{width=50%}`, `{width=8cm height=4cm}`), read in one
place: the reader warns about a size it cannot read, and both writers apply the ones it can.

A size is a positive number with a unit: `%` (a width only: a share of the text width), `cm`,
`mm`, `in` (or `inch`), `pt` or `px` (CSS pixels, 96 to the inch); a bare number is pixels, as in
Pandoc."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PER_INCH = {"in": 1.0, "inch": 1.0, "cm": 2.54, "mm": 25.4, "pt": 72.0, "px": 96.0}
PERCENT = "%"
UNITS = "%, cm, mm, in, pt or px"
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(%|in|inch|cm|mm|pt|px)?")

Dimension = Literal["width", "height"]
DIMENSIONS: tuple[Dimension, ...] = ("width", "height")


@dataclass(frozen=True)
class Size:
    value: float
    unit: str  # PERCENT or a key of PER_INCH

    @property
    def relative(self) -> bool:
        return self.unit == PERCENT

    def inches(self) -> float:
        """An absolute size in inches (not for a percentage)."""
        assert not self.relative
        return self.value / PER_INCH[self.unit]

    def css(self) -> str:
        return f"{self.value:g}{'in' if self.unit == 'inch' else self.unit}"


def parse_size(text: str, dimension: Dimension = "width") -> Size | None:
    """The size `text` gives, or None where it cannot be applied (see `size_problem`)."""
    match = _SIZE.fullmatch(text.strip().lower())
    if match is None or float(match[1]) <= 0:
        return None
    unit = match[2] or "px"
    if unit == PERCENT and dimension == "height":
        return None
    return Size(float(match[1]), unit)


def size_problem(dimension: Dimension, text: str) -> str | None:
    """Why an image's `width=`/`height=` value cannot be applied, or None when it can."""
    if parse_size(text, dimension) is not None:
        return None
    if dimension == "height" and text.strip().endswith(PERCENT):
        return f"image height '{text}' cannot be applied: only a width may be given in %"
    return f"image {dimension} '{text}' cannot be read: use a positive number with {UNITS}"


def image_box(
    width: str, height: str, natural: tuple[float, float], text_width: float, per_inch: float
) -> tuple[float, float]:
    """An image's (width, height) in the units of `text_width` (`per_inch` of them to the inch):
    its `width`/`height` attributes where they can be read, the other side in proportion, its
    natural size (`natural`, in CSS pixels) where neither is given; never wider than the text,
    shrunk with its proportions kept."""
    ratio = natural[1] / natural[0] if natural[0] > 0 else 1.0
    w = _length(parse_size(width, "width"), text_width, per_inch)
    h = _length(parse_size(height, "height"), text_width, per_inch)
    if w is None and h is None:
        w = natural[0] / PER_INCH["px"] * per_inch
    if w is None:
        assert h is not None
        w = h / ratio
    if h is None:
        h = w * ratio
    if w > text_width:
        w, h = text_width, h * text_width / w
    return w, h


def _length(size: Size | None, text_width: float, per_inch: float) -> float | None:
    if size is None:
        return None
    return text_width * size.value / 100 if size.relative else size.inches() * per_inch
