"""A briefing's variants (issue 16): one LoadedBriefing per variant, each a build unit of its
own named NAME.VARIANT (its outputs output/NAME.VARIANT.*), and the checks of `only:` and
`except:` on its items. A briefing without `variants:` is one unit, itself, unchanged."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from briefwright.spec.schema import BriefingSpec, VariantSpec
from briefwright.suggest import did_you_mean

# the briefing keys a variant may set in place of the briefing's own
REPLACED = ("title", "subtitle", "short_title", "audience", "formats", "max_pages", "text_marking")


@dataclass(frozen=True)
class Variant:
    """What a variant filters by (assemble applies it) and the variables it sets."""

    name: str
    profile: str | None = None
    releasable_to: tuple[str, ...] = ()
    vars: tuple[tuple[str, Any], ...] = ()  # as written: nested tables give dotted keys

    def settings(self) -> str:
        """The variant's settings as one text: an input of every output it makes."""
        return repr((self.name, self.profile, self.releasable_to, self.vars))

    def selects(self, names: list[str]) -> bool:
        """Whether `names` (an item's `only` or `except`) name this variant or its profile."""
        return self.name in names or (self.profile is not None and self.profile in names)


def variant_of(name: str, spec: VariantSpec) -> Variant:
    return Variant(name, spec.profile, tuple(spec.releasable_to), tuple(sorted(spec.vars.items())))


def variant_spec(spec: BriefingSpec, name: str) -> BriefingSpec:
    """The briefing as its variant `name` builds it: the keys the variant sets replace the
    briefing's (its `thumbnails` too)."""
    chosen = spec.variants[name]
    changes = {key: getattr(chosen, key) for key in REPLACED if getattr(chosen, key) is not None}
    if chosen.thumbnails is not None:
        changes["thumbnails"] = chosen.thumbnails
    changed: BriefingSpec = replace(spec, **changes)
    return changed


def unit_name(briefing: str, variant: str) -> str:
    """The build unit (and output stem) of a briefing's variant: `exec-brief.leadership`.
    Briefing names hold no '.', so it is never another briefing's name."""
    return f"{briefing}.{variant}"


def item_problems(spec: BriefingSpec) -> list[tuple[int, str, str]]:
    """(item index, key, message) for each `only`/`except` name that is no variant or profile
    of the briefing: a misspelt name would otherwise silently show or hide the item."""
    known = sorted({*spec.variants, *(s.profile for s in spec.variants.values() if s.profile)})
    found: list[tuple[int, str, str]] = []
    for index, item in enumerate(spec.sections):
        key = "only" if item.only is not None else "except"
        for name in item.only or item.except_:
            if name in known:
                continue
            if known:
                why = f"names no variant or profile of this briefing{did_you_mean(name, known)}"
            else:
                why = "names a variant, and the briefing declares no 'variants:'"
            found.append((index, key, f"sections[{index}].{key}: '{name}' {why}"))
    return found
