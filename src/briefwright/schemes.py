"""The project's marking scheme, from briefwright.toml: a built-in one or its own, with the
caveats it adds ([markings.caveats]); each problem named at its line.

A scheme that cannot be read one way only is refused: two levels sharing a banner or a portion
mark would make one of them unreachable (the lower would win), and a caveat of two kinds would
roll up both ways.
"""

from __future__ import annotations

from dataclasses import replace

from briefwright.errors import Problem, SpecError
from briefwright.markings import (
    BUILTIN_SCHEMES,
    NO_SCHEME,
    CaveatKinds,
    Level,
    Scheme,
    level_clashes,
    no_scheme_message,
    normal,
)
from briefwright.readers.yamlfile import YamlDocument
from briefwright.spec.schema import CaveatsConfig, ProjectConfig


def marking_scheme(config: ProjectConfig, doc: YamlDocument) -> Scheme | None:
    """The project's scheme; None when it names none, or "none". Raises SpecError with every
    problem of its levels and caveats."""
    name = config.markings.scheme
    if name is None or name == NO_SCHEME:
        if _has_caveats(config.markings.caveats):
            line = doc.line_of(("markings", "caveats"))
            raise SpecError(no_scheme_message("[markings.caveats]"), file=doc.file, line=line)
        return None
    own = config.markings.schemes.get(name)
    if own is not None:
        levels = tuple(
            Level(lv.banner, lv.portion, lv.colour, lv.background, lv.public) for lv in own.levels
        )
        scheme = Scheme(name, levels)
    elif name in BUILTIN_SCHEMES:
        scheme = BUILTIN_SCHEMES[name]
    else:
        known = sorted({*BUILTIN_SCHEMES, *config.markings.schemes, NO_SCHEME})
        raise SpecError(
            f"[markings] scheme '{name}' is not defined; known schemes: {', '.join(known)}",
            file=doc.file,
            line=doc.line_of(("markings", "scheme")),
        )
    problems = [
        _clash(*clash, scheme, own is not None, doc) for clash in level_clashes(scheme.levels)
    ]
    caveats = _caveats(scheme, config.markings.caveats, doc, problems)
    if problems:
        raise SpecError.from_problems(problems)
    return replace(scheme, caveats=caveats)


def _has_caveats(config: CaveatsConfig) -> bool:
    return bool(config.restrictive or config.releasability)


def _clash(
    first: int, second: int, name: str, scheme: Scheme, own: bool, doc: YamlDocument
) -> Problem:
    later = scheme.levels[second]
    key = "banner" if normal(later.banner) == name else "portion"
    line = doc.line_of(("markings", "schemes", scheme.name, "levels", second, key)) if own else None
    message = (
        f"[markings.schemes.{scheme.name}] levels '{scheme.levels[first].banner}' and "
        f"'{later.banner}' share the name '{name}' (as banner or portion mark); "
        "a marking naming it would mean either, so give each level names of its own"
    )
    return Problem(message, doc.file, line)


def _caveats(
    scheme: Scheme, config: CaveatsConfig, doc: YamlDocument, problems: list[Problem]
) -> CaveatKinds:
    """The scheme's caveats with the project's added; a problem for each that clashes."""
    kinds: dict[str, str] = {c: "restrictive" for c in scheme.caveats.restrictive}
    kinds.update({c: "releasability" for c in scheme.caveats.releasability})
    levels = {normal(n) for lv in scheme.levels for n in (lv.banner, lv.portion)}
    for kind, entries in (
        ("restrictive", config.restrictive),
        ("releasability", config.releasability),
    ):
        for index, entry in enumerate(entries):
            caveat = normal(entry)
            why = _caveat_problem(caveat, kind, kinds, levels)
            if why:
                line = doc.line_of(("markings", "caveats", kind, index))
                problems.append(
                    Problem(f"[markings.caveats] {kind}: '{entry}' {why}", doc.file, line)
                )
            else:
                kinds[caveat] = kind
    return CaveatKinds(
        tuple(c for c, k in kinds.items() if k == "restrictive"),
        tuple(c for c, k in kinds.items() if k == "releasability"),
    )


def _caveat_problem(caveat: str, kind: str, kinds: dict[str, str], levels: set[str]) -> str:
    if "//" in caveat or (kind == "releasability" and "," in caveat):
        return "cannot hold '//'" + (" or ','" if kind == "releasability" else "")
    if caveat in levels:
        return "is the name of a level of the scheme, not a caveat"
    if kinds.get(caveat, kind) != kind:
        return f"is already a {kinds[caveat]} caveat; a caveat has one kind"
    return _shadowed(caveat, kind, kinds)


def _shadowed(caveat: str, kind: str, kinds: dict[str, str]) -> str:
    """Why `caveat` would be read as the other kind: a restrictive caveat that starts with a
    releasability prefix would be taken for a list of countries, and the reverse."""
    for other, other_kind in kinds.items():
        if other_kind == kind:
            continue
        prefix, longer = (caveat, other) if kind == "releasability" else (other, caveat)
        if longer.startswith(prefix + " "):
            return f"would read '{longer}' as countries after '{prefix}'; rename one of them"
    return ""
