"""A redline: the whole brief, old and new in one, each paragraph and each word marked as kept,
inserted or deleted. Both redline writers (DOCX tracked changes, PDF) draw this one model.

Sections are in the new brief's order; a removed section stands where it was (after the last
section before it that is still there), a moved one twice: deleted where it was, inserted
where it is. Accepting every insertion and rejecting every deletion gives the new text, the
reverse the old.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from briefwright.provenance.compare import Comparison, paragraph_ops, word_ops
from briefwright.provenance.manifest import Manifest, Paragraph, Section

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Piece:
    """A run of text: `kind` EQUAL, INSERT or DELETE. Its spaces are inside it, so accepting
    or rejecting every change leaves single spaces between words."""

    kind: str
    text: str


@dataclass(frozen=True)
class RedParagraph:
    """`mark`: EQUAL (its paragraph mark kept), INSERT or DELETE (the whole paragraph new or
    gone), or "edit" (kept, with changed words inside)."""

    style: str  # the manifest's: h1-h6, p, li, ol, quote, code, row, term, note
    mark: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class RedSection:
    """`kind`: "same", or the change's: added, removed, moved (here: its new place),
    "moved away" (its old place), edited."""

    kind: str
    section: Section
    paragraphs: tuple[RedParagraph, ...]

    @property
    def where(self) -> str:
        first, last = self.section.lines
        return f"{self.section.file}:{first}" + (f"-{last}" if last != first else "")


@dataclass(frozen=True)
class Redline:
    since: str  # how the old version is named: "HEAD (3f2a9c1d0e)", "approval by ..."
    author: str
    date: str  # ISO 8601, the changes' date
    unit: str  # NAME or NAME.VARIANT
    title: str
    comparison: Comparison
    sections: tuple[RedSection, ...]

    def counts(self) -> dict[str, int]:
        kinds = ("edited", "added", "removed", "moved")
        return {kind: len(self.comparison.of_kind(kind)) for kind in kinds}


def redline(
    old: Manifest,
    new: Manifest,
    comparison: Comparison,
    *,
    since: str,
    author: str,
    date: str,
    title: str,
) -> Redline:
    sections = tuple(_sections(old, new, comparison))
    return Redline(since, author, date, new.briefing, title, comparison, sections)


def _sections(old: Manifest, new: Manifest, comparison: Comparison) -> Iterator[RedSection]:
    kinds = {change.section.key: change.kind for change in comparison.sections}
    new_keys = {s.key for s in new.sections}
    away = _left_behind(old, new_keys, kinds)
    yield from away.get(None, ())
    for section in new.sections:
        kind = kinds.get(section.key, "same")
        before = old.section(section.key)
        if kind == "edited" and before is not None:
            yield RedSection(kind, section, tuple(_edited(before.paragraphs, section.paragraphs)))
        elif kind in ("added", "moved"):
            yield RedSection(kind, section, _whole(section, INSERT))
        else:
            yield RedSection(kind, section, _whole(section, EQUAL))
        yield from away.get(section.key, ())


def _left_behind(
    old: Manifest, new_keys: set[str], kinds: dict[str, str]
) -> dict[str | None, list[RedSection]]:
    """Removed sections, and the old places of moved ones, by the key of the section they
    follow in the new brief (None: before everything): the last old section before each that
    kept its place."""
    found: dict[str | None, list[RedSection]] = {}
    anchor: str | None = None
    for section in old.sections:
        kind = kinds.get(section.key, "same")
        if section.key not in new_keys:
            found.setdefault(anchor, []).append(
                RedSection("removed", section, _whole(section, DELETE))
            )
        elif kind == "moved":
            gone = RedSection("moved away", section, _whole(section, DELETE))
            found.setdefault(anchor, []).append(gone)
        else:
            anchor = section.key
    return found


def _whole(section: Section, kind: str) -> tuple[RedParagraph, ...]:
    return tuple(
        RedParagraph(p.style, kind, (Piece(kind, p.text),) if p.text else ())
        for p in section.paragraphs
    )


def _edited(old: Sequence[Paragraph], new: Sequence[Paragraph]) -> Iterator[RedParagraph]:
    for tag, before, after in paragraph_ops(old, new):
        if tag == "equal" and after is not None:
            yield RedParagraph(after.style, EQUAL, (Piece(EQUAL, after.text),))
        elif tag == "delete" and before is not None:
            yield RedParagraph(before.style, DELETE, (Piece(DELETE, before.text),))
        elif tag == "insert" and after is not None:
            yield RedParagraph(after.style, INSERT, (Piece(INSERT, after.text),))
        elif before is not None and after is not None:
            yield RedParagraph(after.style, "edit", tuple(word_pieces(before.text, after.text)))


def word_pieces(old: str, new: str) -> Iterator[Piece]:
    """The words of `old` and `new` as kept, deleted and inserted runs. A run takes the space
    before it when a word of its side came earlier; a kept run after words of one side only
    gets that space as a change of that side."""
    seen_old = seen_new = False
    for tag, before, after in word_ops(old.split(), new.split()):
        if tag == "equal":
            if seen_old != seen_new:
                yield Piece(DELETE if seen_old else INSERT, " ")
            lead = " " if seen_old and seen_new else ""
            yield Piece(EQUAL, lead + " ".join(before))
            seen_old = seen_new = True
            continue
        if before:
            yield Piece(DELETE, (" " if seen_old else "") + " ".join(before))
            seen_old = True
        if after:
            yield Piece(INSERT, (" " if seen_new else "") + " ".join(after))
            seen_new = True
