"""Footnotes the PDF renderer could not place.

WeasyPrint neither carries a footnote over to the next page nor says when a page's notes do not
fit: it pushes the footnote area up past the top of the page, and the first notes are simply not
in the PDF (150 notes called on one line: 61 missing, exit 0). Each floated note's box is checked
against its page after layout, and a PDF that would lack a note is not written.
"""

from __future__ import annotations

import re
from typing import Any

from weasyprint.formatting_structure import boxes

from briefwright import model as m
from briefwright.errors import RenderError

_NOTE_ID = re.compile(r"fn-(\d+)")
_SLACK = 0.5  # CSS px: rounding in layout, not a note off the page


def check_footnotes_fit(briefing: m.Briefing, document: Any) -> None:
    """Fail, at the call of the first note lost, when a note lies outside its page."""
    lost = footnotes_off_their_page(document)
    if not lost:
        return
    page, numbers = min(lost.items())
    first = briefing.footnote_by_number(numbers[0])
    file, line = first.called_at if first and first.called_at else (briefing.meta.file, None)
    total = sum(len(found) for found in lost.values())
    raise RenderError(
        f"{total} footnote(s) do not fit on their page of the PDF (page {page}: notes "
        f"{_spans(numbers)}) and would be missing from it; call fewer notes in one place, "
        "or make them shorter",
        file=file,
        line=line,
    )


def footnotes_off_their_page(document: Any) -> dict[int, list[int]]:
    """Page number -> the numbers of the floated notes laid out outside that page."""
    lost: dict[int, list[int]] = {}
    for number, page in enumerate(document.pages, 1):
        # WeasyPrint's layout tree: not public API, so the version is pinned (pyproject.toml)
        # and tests/test_issue_13_lost_notes.py fails if this stops finding the notes.
        for area in page._page_box.children:
            if not isinstance(area, boxes.FootnoteAreaBox):
                continue
            for note in area.children:
                element = getattr(note, "element", None)
                found = _NOTE_ID.fullmatch(element.get("id", "")) if element is not None else None
                top, bottom = note.position_y, note.position_y + note.margin_height()
                if found and (top < -_SLACK or bottom > page.height + _SLACK):
                    lost.setdefault(number, []).append(int(found.group(1)))
    return lost


def _spans(numbers: list[int]) -> str:
    """3, 4, 5, 9 -> '3-5, 9'."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][-1] + 1:
            spans[-1].append(n)
        else:
            spans.append([n])
    return ", ".join(str(s[0]) if len(s) == 1 else f"{s[0]}-{s[-1]}" for s in spans)
