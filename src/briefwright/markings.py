"""Classification and handling markings: schemes as data, levels ordered low to high.

A marking is written as a level's banner text or portion mark (case does not matter), optionally
followed by caveats after "//": `NATO RESTRICTED // LIMITED TO STAFF // RELEASABLE TO UKR`.
A scheme says what kind each caveat is, because the kinds roll up in opposite directions:
restrictive caveats (`LIMITED TO STAFF`) by union, releasability caveats (`RELEASABLE TO X, Y`)
by intersection, and only when every included portion carries one. An unknown caveat is an
error: with no kind it could only be rolled up the wrong way.

Markings are asserted only when a project asks for them: without a scheme (`[markings] scheme`
not set, or "none") nothing is marked, the scheme is `None` and so is every marking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefwright.errors import MarkingError
from briefwright.suggest import suggestion

# What every scheme knows unless a project adds more ([markings.caveats]). The first
# releasability form is the one shown in banners, the shortest the one in portion marks.
USUAL_RESTRICTIVE = ("LIMITED TO STAFF", "EYES ONLY", "NOFORN")
USUAL_RELEASABILITY = ("RELEASABLE TO", "REL TO")
COUNTRY = re.compile(r"[A-Z0-9]+")  # a trigraph (UKR), tetragraph (FVEY) or alliance (NATO)


def normal(text: str) -> str:
    """`text` as markings compare it: single spaces, upper case."""
    return " ".join(text.split()).upper()


@dataclass(frozen=True)
class Level:
    banner: str
    portion: str
    colour: str = "#ffffff"  # banner text
    background: str = "#333333"  # banner ground
    # releasable to anyone (TLP:CLEAR, PUBLIC): a variant's `releasable_to` keeps such content
    # without a releasability caveat, unless a restrictive caveat limits it
    public: bool = False


@dataclass(frozen=True)
class CaveatKinds:
    """Which caveats a scheme knows, by kind (texts as shown: upper case, single spaces)."""

    restrictive: tuple[str, ...] = USUAL_RESTRICTIVE
    releasability: tuple[str, ...] = USUAL_RELEASABILITY  # prefixes of a list of countries

    def releasability_prefix(self, caveat: str) -> str | None:
        """The releasability prefix `caveat` (normalised) starts with, the longest first."""
        for prefix in sorted(self.releasability, key=len, reverse=True):
            if caveat == prefix or caveat.startswith(prefix + " "):
                return prefix
        return None


@dataclass(frozen=True)
class Releasability:
    """To whom a portion may be released; the forms to show it in a banner and a portion mark."""

    countries: tuple[str, ...]
    banner_form: str = USUAL_RELEASABILITY[0]
    portion_form: str = USUAL_RELEASABILITY[1]


@dataclass(frozen=True)
class Scheme:
    name: str
    levels: tuple[Level, ...]  # lowest first
    caveats: CaveatKinds = field(default_factory=CaveatKinds)

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

    def releasability(self, countries: tuple[str, ...]) -> Releasability:
        forms = self.caveats.releasability or USUAL_RELEASABILITY
        return Releasability(countries, forms[0], min(forms, key=len))


@dataclass(frozen=True)
class Marking:
    """A level with its caveats, and where it was set (for messages)."""

    level: Level
    restrictive: tuple[str, ...] = ()  # as the scheme spells them
    releasable: Releasability | None = None  # None: no releasability caveat
    origin: str = ""

    @property
    def caveats(self) -> tuple[str, ...]:
        """The caveats as shown in a banner: restrictive ones first, releasability last."""
        rel = self.releasable
        shown = (f"{rel.banner_form} {', '.join(rel.countries)}",) if rel else ()
        return (*self.restrictive, *shown)

    def text(self) -> str:
        return " // ".join((self.level.banner, *self.caveats))

    def portion_mark(self) -> str:
        """The portion mark, without its parentheses: `NR//LIMITED TO STAFF//REL TO UKR`."""
        rel = self.releasable
        shown = (f"{rel.portion_form} {', '.join(rel.countries)}",) if rel else ()
        return "//".join((self.level.portion, *self.restrictive, *shown))


NO_SCHEME = "none"  # `[markings] scheme = "none"`: no markings, said explicitly
HOW_TO_CONFIGURE = (
    'configure a scheme in briefwright.toml: [markings] scheme = "nato" '
    '(or "tlp", "corporate", or one of your own)'
)
HOW_TO_DECLARE = (
    "declare it in briefwright.toml under [markings.caveats] restrictive or releasability"
)


def no_scheme_message(what: str) -> str:
    """Why `what` (a marking, portion marks) cannot be used in a project without a scheme."""
    return f"{what} needs a marking scheme, and the project has none; {HOW_TO_CONFIGURE}"


def parse_marking(text: str, scheme: Scheme | None, origin: str) -> Marking:
    """The marking `text` names; raises MarkingError (with no place) if it names none, if a
    caveat is unknown or malformed, or if there is no scheme to name one in."""
    if scheme is None:
        raise MarkingError(no_scheme_message(f"marking '{text}'"))
    level_text, *caveats = (part.strip() for part in text.split("//"))
    level = scheme.find(level_text)
    if level is None:
        raise MarkingError(scheme.explain_unknown(level_text))
    restrictive: list[str] = []
    releasable: Releasability | None = None
    for caveat in caveats:
        countries = _countries(caveat, scheme, text)
        if countries is None:
            restrictive.append(_restrictive(caveat, scheme, text))
        elif releasable is not None:
            raise MarkingError(f"marking '{text}' has more than one releasability caveat")
        else:
            releasable = scheme.releasability(countries)
    return Marking(level, tuple(dict.fromkeys(restrictive)), releasable, origin)


def _countries(caveat: str, scheme: Scheme, text: str) -> tuple[str, ...] | None:
    """The countries of a releasability caveat; None if `caveat` is not one."""
    wanted = normal(caveat)
    prefix = scheme.caveats.releasability_prefix(wanted)
    if prefix is None:
        return None
    countries = [c.strip() for c in wanted[len(prefix) :].split(",")]
    if not all(COUNTRY.fullmatch(c) for c in countries):
        raise MarkingError(
            f"marking '{text}': '{caveat.strip()}' must list country codes after "
            f"'{prefix}', separated by commas (as in '{prefix} GBR, UKR')"
        )
    return tuple(dict.fromkeys(countries))


def _restrictive(caveat: str, scheme: Scheme, text: str) -> str:
    wanted = normal(caveat)
    if wanted in scheme.caveats.restrictive:
        return wanted
    if not wanted:
        raise MarkingError(f"marking '{text}' has an empty caveat after '//'")
    known = [*scheme.caveats.restrictive, *(f"{p} ..." for p in scheme.caveats.releasability)]
    hint = suggestion(wanted, known)
    hint = f"{hint} " if hint else ""
    raise MarkingError(
        f"unknown caveat '{caveat}' in marking '{text}' ({scheme.name} scheme); {hint}"
        f"known: {', '.join(known)}; or {HOW_TO_DECLARE}"
    )


def roll_up(found: Sequence[Marking | None], scheme: Scheme | None) -> Marking | None:
    """The marking of everything in `found` together: the highest level; every restrictive
    caveat (first seen first); the countries every portion may be released to, only when every
    portion carries a releasability caveat (or is public: TLP:CLEAR, PUBLIC) and they share a
    country. None when nothing is
    marked (a project without a scheme marks nothing)."""
    markings = [mk for mk in found if mk is not None]
    if scheme is None or not markings:
        return None
    top = max(markings, key=lambda mk: scheme.rank(mk.level))
    restrictive = tuple(dict.fromkeys(c for mk in markings for c in mk.restrictive))
    return Marking(top.level, restrictive, _shared_releasability(markings, scheme), top.origin)


def _shared_releasability(markings: list[Marking], scheme: Scheme) -> Releasability | None:
    # a public portion (TLP:CLEAR, no restrictive caveat) may go to anyone: it limits nothing
    limiting = [mk for mk in markings if not (mk.level.public and not mk.restrictive)]
    if not limiting:
        return None
    lists = [mk.releasable.countries if mk.releasable else None for mk in limiting]
    if any(countries is None for countries in lists):
        return None  # a portion with none may go to nobody: neither may the whole
    shared = [c for c in lists[0] or () if all(c in other for other in lists if other)]
    return scheme.releasability(tuple(shared)) if shared else None


def level_clashes(levels: Sequence[Level]) -> list[tuple[int, int, str]]:
    """(earlier level, later level, the name they share) for each name (banner or portion
    mark, compared as markings are read) that two levels share: it would name only one."""
    seen: dict[str, int] = {}
    clashes: list[tuple[int, int, str]] = []
    for index, level in enumerate(levels):
        for name in dict.fromkeys((normal(level.banner), normal(level.portion))):
            if name in seen:
                clashes.append((seen[name], index, name))
            else:
                seen[name] = index
    return clashes


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
            Level("TLP:CLEAR", "TLP:C", "#ffffff", "#000000", public=True),
            Level("TLP:GREEN", "TLP:G", "#33ff00", "#000000"),
            Level("TLP:AMBER", "TLP:A", "#ffc000", "#000000"),
            Level("TLP:AMBER+STRICT", "TLP:A+S", "#ffc000", "#000000"),
            Level("TLP:RED", "TLP:R", "#ff2b2b", "#000000"),
        ),
    ),
    "corporate": Scheme(
        "corporate",
        (
            Level("PUBLIC", "P", "#ffffff", "#2e7d32", public=True),
            Level("INTERNAL", "I", "#ffffff", "#1565c0"),
            Level("CONFIDENTIAL", "C", "#ffffff", "#c62828"),
        ),
    ),
}
