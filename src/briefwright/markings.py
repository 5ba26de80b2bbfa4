"""Classification and handling markings: schemes as data, levels ordered low to high.

A marking is written as a level's banner text or portion mark (case does not matter), optionally
followed by caveats after "//": `NATO RESTRICTED // RELEASABLE TO UKR`.

Markings are asserted only when a project asks for them: without a scheme (`[markings] scheme`
not set, or "none") nothing is marked, the scheme is `None` and so is every marking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefwright.errors import MarkingError
from briefwright.suggest import suggestion


@dataclass(frozen=True)
class Level:
    banner: str
    portion: str
    colour: str = "#ffffff"  # banner text
    background: str = "#333333"  # banner ground


@dataclass(frozen=True)
class Scheme:
    name: str
    levels: tuple[Level, ...]  # lowest first

    def rank(self, level: Level) -> int:
        return self.levels.index(level)

    def find(self, text: str) -> Level | None:
        wanted = " ".join(text.split()).casefold()
        return next(
            (
                lvl
                for lvl in self.levels
                if wanted in (lvl.banner.casefold(), lvl.portion.casefold())
            ),
            None,
        )

    def explain_unknown(self, text: str) -> str:
        names = [lvl.banner for lvl in self.levels]
        hint = suggestion(text.upper(), names)
        hint = f"{hint} " if hint else ""
        return (
            f"unknown marking '{text}' in the {self.name} scheme; {hint}valid: {', '.join(names)}"
        )


@dataclass(frozen=True)
class Marking:
    """A level with its caveats, and where it was set (for messages)."""

    level: Level
    caveats: tuple[str, ...] = ()
    origin: str = ""

    def text(self) -> str:
        return " // ".join((self.level.banner, *self.caveats))


NO_SCHEME = "none"  # `[markings] scheme = "none"`: no markings, said explicitly
HOW_TO_CONFIGURE = (
    'configure a scheme in briefwright.toml: [markings] scheme = "nato" '
    '(or "tlp", "corporate", or one of your own)'
)


def no_scheme_message(what: str) -> str:
    """Why `what` (a marking, portion marks) cannot be used in a project without a scheme."""
    return f"{what} needs a marking scheme, and the project has none; {HOW_TO_CONFIGURE}"


def parse_marking(text: str, scheme: Scheme | None, origin: str) -> Marking:
    """The marking `text` names; raises MarkingError (with no place) if it names none, or if
    there is no scheme to name one in."""
    if scheme is None:
        raise MarkingError(no_scheme_message(f"marking '{text}'"))
    level_text, *caveats = (part.strip() for part in text.split("//"))
    level = scheme.find(level_text)
    if level is None:
        raise MarkingError(scheme.explain_unknown(level_text))
    return Marking(level, tuple(c for c in caveats if c), origin)


def highest(found: Sequence[Marking | None], scheme: Scheme | None) -> Marking | None:
    """The roll-up: the highest level, with every caveat met along the way (first seen first).
    None when nothing is marked (a project without a scheme marks nothing)."""
    markings = [mk for mk in found if mk is not None]
    if scheme is None or not markings:
        return None
    top = max(markings, key=lambda mk: scheme.rank(mk.level))
    caveats = tuple(dict.fromkeys(c for mk in markings for c in mk.caveats))
    return Marking(top.level, caveats, top.origin)


BUILTIN_SCHEMES: dict[str, Scheme] = {
    "nato": Scheme(
        "nato",
        (
            Level("NATO UNCLASSIFIED", "NU", "#ffffff", "#2e7d32"),
            Level("NATO RESTRICTED", "NR", "#ffffff", "#1565c0"),
            Level("NATO CONFIDENTIAL", "NC", "#ffffff", "#283593"),
            Level("NATO SECRET", "NS", "#ffffff", "#c62828"),
            Level("COSMIC TOP SECRET", "CTS", "#000000", "#ff8f00"),
        ),
    ),
    # FIRST's Traffic Light Protocol 2.0 colours: coloured text on black.
    "tlp": Scheme(
        "tlp",
        (
            Level("TLP:CLEAR", "TLP:C", "#ffffff", "#000000"),
            Level("TLP:GREEN", "TLP:G", "#33ff00", "#000000"),
            Level("TLP:AMBER", "TLP:A", "#ffc000", "#000000"),
            Level("TLP:AMBER+STRICT", "TLP:A+S", "#ffc000", "#000000"),
            Level("TLP:RED", "TLP:R", "#ff2b2b", "#000000"),
        ),
    ),
    "corporate": Scheme(
        "corporate",
        (
            Level("PUBLIC", "P", "#ffffff", "#2e7d32"),
            Level("INTERNAL", "I", "#ffffff", "#1565c0"),
            Level("CONFIDENTIAL", "C", "#ffffff", "#c62828"),
        ),
    ),
}
