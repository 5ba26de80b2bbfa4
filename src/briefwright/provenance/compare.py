"""What changed between two manifests: sections added, removed, moved and edited (with word
diffs), and the briefing file, template and configuration they were made with.

`--verify`, the approval gate, `brief status` and `brief diff` all say "what changed" from here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from briefwright.provenance.manifest import Manifest, Paragraph, Section

W = TypeVar("W", bound=Hashable)
CONTEXT_WORDS = 5  # words kept either side of a change in a short word diff
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class SectionChange:
    """`kind`: "added", "removed", "moved" or "edited" (an edited section may have moved too)."""

    kind: str
    old: Section | None
    new: Section | None

    @property
    def section(self) -> Section:
        found = self.new or self.old
        assert found is not None
        return found

    def word_diff(self, context: int | None = CONTEXT_WORDS) -> str:
        """Its words changed, `[-old-]{+new+}`, with `context` words around each change (None:
        all of them)."""
        old = self.old.paragraphs if self.old is not None else ()
        new = self.new.paragraphs if self.new is not None else ()
        return word_diff(_words(old), _words(new), context)


@dataclass(frozen=True)
class Comparison:
    sections: tuple[SectionChange, ...]
    files: tuple[str, ...]  # "briefing file", "template", "configuration" when they differ
    date: tuple[str, str] | None  # (old, new) when the resolved date differs

    @property
    def changed(self) -> bool:
        """Whether the content differs: a new date alone does not count (a briefing dated by
        the day it is built would never be fresh)."""
        return bool(self.sections or self.files)

    def of_kind(self, kind: str) -> list[SectionChange]:
        return [change for change in self.sections if change.kind == kind]


def compare(old: Manifest, new: Manifest) -> Comparison:
    old_keys = [s.key for s in old.sections]
    new_keys = [s.key for s in new.sections]
    common_old = [k for k in old_keys if k in set(new_keys)]
    common_new = [k for k in new_keys if k in set(old_keys)]
    stayed = _in_order(common_old, common_new)
    changes: list[SectionChange] = []
    for key in new_keys:
        after = new.section(key)
        before = old.section(key)
        assert after is not None
        if before is None:
            changes.append(SectionChange("added", None, after))
        elif before.sha256 != after.sha256:
            changes.append(SectionChange("edited", before, after))
        elif key not in stayed:
            changes.append(SectionChange("moved", before, after))
    changes += [SectionChange("removed", s, None) for s in old.sections if s.key not in new_keys]
    files = []
    if old.briefing_file.sha256 != new.briefing_file.sha256:
        files.append("briefing file")
    if old.template != new.template or old.template_sha256 != new.template_sha256:
        files.append("template")
    if old.config != new.config:
        files.append("configuration")
    date = (old.date, new.date) if old.date != new.date else None
    return Comparison(tuple(changes), tuple(files), date)


def _in_order(old: list[str], new: list[str]) -> set[str]:
    """The keys that kept their order (the longest common run); the others moved."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return {
        key
        for block in matcher.get_matching_blocks()
        for key in old[block.a : block.a + block.size]
    }


def _words(paragraphs: Sequence[Paragraph]) -> list[str]:
    words: list[str] = []
    for paragraph in paragraphs:
        if words:
            words.append("¶")  # a paragraph break is a change a reader sees
        words += _WORD.findall(paragraph.text)
    return words


def word_ops(old: Sequence[W], new: Sequence[W]) -> Iterator[tuple[str, list[W], list[W]]]:
    """(tag, old words, new words) runs, tag as difflib's: equal, delete, insert, replace (a
    word: its text, or anything hashable, such as its text with its formatting)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield tag, list(old[i1:i2]), list(new[j1:j2])


def word_diff(old: Sequence[str], new: Sequence[str], context: int | None = CONTEXT_WORDS) -> str:
    pieces: list[str] = []
    ops = list(word_ops(old, new))
    for n, (tag, before, after) in enumerate(ops):
        if tag == "equal":
            pieces.append(_context(before, context, first=n == 0, last=n == len(ops) - 1))
            continue
        if before:
            pieces.append("[-" + " ".join(before) + "-]")
        if after:
            pieces.append("{+" + " ".join(after) + "+}")
    return " ".join(piece for piece in pieces if piece)


def _context(words: list[str], context: int | None, first: bool, last: bool) -> str:
    if context is None or len(words) <= 2 * context:
        if context is not None and first and len(words) > context:
            return "... " + " ".join(words[-context:])
        if context is not None and last and len(words) > context:
            return " ".join(words[:context]) + " ..."
        return " ".join(words)
    head = [] if first else words[:context]
    tail = [] if last else words[-context:]
    return " ".join([*head, "...", *tail])


def paragraph_ops(
    old: Sequence[Paragraph], new: Sequence[Paragraph]
) -> Iterator[tuple[str, Paragraph | None, Paragraph | None]]:
    """Old and new paragraphs aligned, for a redline: ("equal", a, b), ("delete", a, None),
    ("insert", None, b) or ("edit", a, b) for a paragraph whose words or their formatting
    changed (a replaced run is paired paragraph by paragraph; what is left over is deleted
    or inserted)."""
    # the same paragraph only in the same formatting: bold taken off is a change too
    keys = ([(p.text, p.marks) for p in old], [(p.text, p.marks) for p in new])
    matcher = difflib.SequenceMatcher(a=keys[0], b=keys[1], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = list(old[i1:i2]), list(new[j1:j2])
        if tag == "equal":
            yield from (("equal", a, b) for a, b in zip(before, after, strict=True))
            continue
        paired = min(len(before), len(after)) if tag == "replace" else 0
        yield from (("edit", a, b) for a, b in zip(before[:paired], after[:paired], strict=True))
        yield from (("delete", a, None) for a in before[paired:])
        yield from (("insert", None, b) for b in after[paired:])
