"""A redline: the whole brief, old and new in one, each paragraph and each word marked as kept,
inserted or deleted. Both redline writers (DOCX tracked changes, PDF) draw this one model.

Sections are in the new brief's order; a removed section stands where it was (after the last
section before it that is still there), a moved one twice: deleted where it was, inserted
where it is. Accepting every insertion and rejecting every deletion gives the new text, the
reverse the old.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from briefwright.provenance.compare import Comparison, paragraph_ops, word_ops
from briefwright.provenance.manifest import Manifest, Paragraph, Section

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Piece:
    """A run of text: `kind` EQUAL, INSERT or DELETE. Its spaces are inside it, so accepting
    or rejecting every change leaves single spaces between words. `marks`: its formatting
    ("strong", "emphasis", "strike", "code"), as the brief has it."""

    kind: str
    text: str
    marks: tuple[str, ...] = ()


Token = tuple[str, tuple[str, ...]]  # a word and its formatting


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
            yield RedSection(
                kind, section, tuple(edited_paragraphs(before.paragraphs, section.paragraphs))
            )
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
    return tuple(RedParagraph(p.style, kind, _all(p, kind)) for p in section.paragraphs)


def _all(paragraph: Paragraph, kind: str) -> tuple[Piece, ...]:
    """The whole paragraph as pieces of one kind, split where its formatting changes."""
    return tuple(_merged(_run(kind, tokens(paragraph), "")))


def edited_paragraphs(old: Sequence[Paragraph], new: Sequence[Paragraph]) -> Iterator[RedParagraph]:
    """An edited section's paragraphs: kept, deleted, inserted, or with words changed."""
    for tag, before, after in paragraph_ops(old, new):
        if tag == "equal" and after is not None:
            yield RedParagraph(after.style, EQUAL, _all(after, EQUAL))
        elif tag == "delete" and before is not None:
            yield RedParagraph(before.style, DELETE, _all(before, DELETE))
        elif tag == "insert" and after is not None:
            yield RedParagraph(after.style, INSERT, _all(after, INSERT))
        elif before is not None and after is not None:
            pieces = _merged(_token_pieces(tokens(before), tokens(after)))
            yield RedParagraph(after.style, "edit", tuple(pieces))


def tokens(paragraph: Paragraph) -> list[Token]:
    """Its words, each with the formatting it starts in."""
    found: list[Token] = []
    for word in re.finditer(r"\S+", paragraph.text):
        at = word.start()
        marks = sorted({kind for a, b, kind in paragraph.marks if a <= at < b})
        found.append((word.group(), tuple(marks)))
    return found


def word_pieces(old: str, new: str) -> Iterator[Piece]:
    """The words of `old` and `new` (unformatted) as kept, deleted and inserted runs."""
    plain = [Paragraph(style="p", text=text) for text in (old, new)]
    return _merged(_token_pieces(tokens(plain[0]), tokens(plain[1])))


def _token_pieces(old: list[Token], new: list[Token]) -> Iterator[Piece]:
    """A run takes the space before it when a word of its side came earlier; a kept run after
    words of one side only gets that space as a change of that side. A word whose formatting
    changed is deleted and inserted."""
    seen_old = seen_new = False
    for tag, before, after in word_ops(old, new):
        if tag == "equal":
            if seen_old != seen_new:
                yield Piece(DELETE if seen_old else INSERT, " ")
            yield from _run(EQUAL, before, " " if seen_old and seen_new else "")
            seen_old = seen_new = True
            continue
        if before:
            yield from _run(DELETE, before, " " if seen_old else "")
            seen_old = True
        if after:
            yield from _run(INSERT, after, " " if seen_new else "")
            seen_new = True


def _run(kind: str, words: list[Token], lead: str) -> Iterator[Piece]:
    """One piece a word, the first after `lead`, the others after a space. A space inside a
    run of formatted words is formatted with them; one before formatted words is not."""
    previous: tuple[str, ...] | None = None
    for n, (word, marks) in enumerate(words):
        space = lead if n == 0 else " "
        if space and marks and marks != previous:
            yield Piece(kind, space)
            space = ""
        yield Piece(kind, space + word, marks)
        previous = marks


def _merged(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """Neighbouring pieces of the same kind and formatting as one."""
    current: Piece | None = None
    for piece in pieces:
        if current is not None and (current.kind, current.marks) == (piece.kind, piece.marks):
            current = Piece(current.kind, current.text + piece.text, current.marks)
            continue
        if current is not None:
            yield current
        current = piece
    if current is not None:
        yield current
