"""Where the text of a PDF page is and in which order it is read: words to line pieces, running
headers and page numbers set apart, columns found by recursive XY-cut.

pdfplumber gives words with their boxes, font sizes and names; no library gives reading order
for columns, running headers or page numbers, so these rules are written here:

- A *piece* is a run of words on one line with no gap wider than the font size: the gutter
  between two columns splits a line into pieces, a word space does not.
- Reading order is the recursive XY-cut (Nagy and Seth): a region is cut at its widest empty
  band, across (between blocks) or down (between columns), and the parts are read top to bottom,
  left to right. A cut down needs at least three pieces on each side, so a lone line with a wide
  tab ("5.    LEVEE") is not read as two columns; and a side of more than bullets or item
  numbers, so that a list's markers stay with their items.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefwright.importing.model import Removed

MARGIN_ZONE = 0.12  # top and bottom share of a page where running headers and page numbers live
_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|seite|pagina|página)?\s*(?:\d{1,5}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:of|/|de|von|sur)\s*\d{1,5})?$",
    re.IGNORECASE,
)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class Piece:
    """Words on one line with no wide gap between them; or a table (`table` set)."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    bold_chars: int
    chars: int
    table: str | None = None  # the table's Markdown, for a table found by pdfplumber

    @property
    def bold(self) -> bool:
        return self.chars > 0 and self.bold_chars >= 0.9 * self.chars


@dataclass
class Line:
    """One line of a region, in reading order; `first` marks the first line of a region."""

    pieces: list[Piece]
    first: bool = False
    region_x0: float = 0.0
    region_x1: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def size(self) -> float:
        sizes: Counter[float] = Counter()
        for piece in self.pieces:
            sizes[piece.size] += piece.chars
        return sizes.most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        chars = sum(p.chars for p in self.pieces)
        return chars > 0 and sum(p.bold_chars for p in self.pieces) >= 0.9 * chars

    @property
    def table(self) -> str | None:
        return self.pieces[0].table


def pieces_of(words: Sequence[dict[str, Any]], page: int) -> list[Piece]:
    """The page's upright words grouped into line pieces."""
    # words share a row when their baselines meet: columns set with different leading have
    # lines a few points apart, which a test on the middle of the words would mix up
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["bottom"], w["x0"])):
        near = [
            (abs(word["bottom"] - row[0]["bottom"]), i)
            for i, row in enumerate(rows[-8:], start=max(0, len(rows) - 8))
            if abs(word["bottom"] - row[0]["bottom"]) < 0.3 * min(row[0]["size"], word["size"])
        ]
        if near:
            rows[min(near)[1]].append(word)
        else:
            rows.append([word])
    rows = _attach_raised(rows)
    pieces: list[Piece] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        run = [row[0]]
        for word in row[1:]:
            if word["x0"] - run[-1]["x1"] > max(run[-1]["size"], word["size"]):
                pieces.append(_piece(run, page))
                run = []
            run.append(word)
        pieces.append(_piece(run, page))
    return pieces


def _attach_raised(rows: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Rows with each raised or lowered small word (a footnote's number) moved into the row of
    larger words it stands beside, so that it is read where it is printed."""
    for index, row in enumerate(rows):
        for word in list(row):
            host = _host_row(word, rows[max(0, index - 3) : index + 4])
            if host is not None and host is not row:
                row.remove(word)
                host.append(word)
    return [row for row in rows if row]


def _host_row(
    word: dict[str, Any], rows: list[list[dict[str, Any]]]
) -> list[dict[str, Any]] | None:
    height = word["bottom"] - word["top"]
    for row in rows:
        for other in row:
            if (
                other["size"] >= 1.25 * word["size"]
                and min(other["bottom"], word["bottom"]) - max(other["top"], word["top"])
                >= 0.5 * height
                and (
                    abs(word["x0"] - other["x1"]) < other["size"]
                    or abs(other["x0"] - word["x1"]) < other["size"]
                )
            ):
                return row
    return None


def _piece(words: list[dict[str, Any]], page: int) -> Piece:
    chars = sum(len(w["text"]) for w in words)
    sizes: Counter[float] = Counter()
    for word in words:
        sizes[round(word["size"] * 2) / 2] += len(word["text"])
    return Piece(
        page=page,
        x0=min(w["x0"] for w in words),
        x1=max(w["x1"] for w in words),
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        text=_joined(words),
        size=sizes.most_common(1)[0][0],
        bold_chars=sum(len(w["text"]) for w in words if _BOLD.search(w["fontname"] or "")),
        chars=chars,
    )


def _joined(words: list[dict[str, Any]]) -> str:
    # a word split by a change of font ("AGENCY" bold + ":") has no gap: no space either
    text = str(words[0]["text"])
    for before, word in itertools.pairwise(words):
        text += ("" if word["x0"] - before["x1"] < 0.1 * word["size"] else " ") + str(word["text"])
    return text


def sideways_text(chars: Sequence[dict[str, Any]]) -> str:
    """The text of characters set sideways, in reading order: column by column, each read
    bottom to top (turned left) or top to bottom (turned right)."""
    columns: dict[int, list[dict[str, Any]]] = {}
    for char in chars:
        columns.setdefault(round(char["x0"] / 3), []).append(char)
    texts = []
    for _, column in sorted(columns.items()):
        left = column[0]["matrix"][1] > 0  # turned left: read upwards
        column.sort(key=lambda c: -c["top"] if left else c["top"])
        texts.append("".join(c["text"] for c in column).strip())
    return " ".join(t for t in texts if t)


def margin_key(piece: Piece, height: float) -> tuple[str, int, str] | None:
    """What a running header or footer has in common from page to page (its zone, its distance
    from the page's edge and its text with numbers blanked), or None for a piece in the body."""
    if piece.table is not None:
        return None
    if piece.bottom <= height * MARGIN_ZONE:
        zone, distance = "header", piece.top
    elif piece.top >= height * (1 - MARGIN_ZONE):
        zone, distance = "footer", height - piece.bottom
    else:
        return None
    return zone, round(distance / 6), re.sub(r"\d+", "#", piece.text.casefold())


def remove_margins(
    pages: list[list[Piece]], heights: list[float], removed: list[Removed]
) -> list[list[Piece]]:
    """The pages without running headers and footers (a margin line found at the same place on
    at least half the pages, and on two at least) and page numbers (a bare number or "Page N of
    M" in a margin); each one listed in `removed`."""
    counts: Counter[tuple[str, int, str]] = Counter()
    for pieces, height in zip(pages, heights, strict=True):
        counts.update({k for p in pieces if (k := margin_key(p, height)) is not None})
    needed = max(2, (len(pages) + 1) // 2)
    kept: list[list[Piece]] = []
    for pieces, height in zip(pages, heights, strict=True):
        page_kept: list[Piece] = []
        for piece in pieces:
            key = margin_key(piece, height)
            if key is not None and _PAGE_NUMBER.match(piece.text.strip()):
                removed.append(Removed(piece.text, "pdf-page-number"))
            elif key is not None and counts[key] >= needed:
                removed.append(Removed(piece.text, f"pdf-running-{key[0]}"))
            else:
                page_kept.append(piece)
        kept.append(page_kept)
    return kept


MAX_CUT_DEPTH = (
    40  # real layouts need a handful; a crafted staircase of pieces would need one per piece
)


def reading_order(pieces: list[Piece], min_gap: float, depth: int = 0) -> list[list[Piece]]:
    """The page's regions in reading order (recursive XY-cut), each a list of pieces."""
    if not pieces:
        return []
    if depth >= MAX_CUT_DEPTH:
        return [sorted(pieces, key=lambda p: (p.top, p.x0))]
    across = _cuts(pieces, vertical=False, min_gap=min_gap)
    down = _cuts(pieces, vertical=True, min_gap=min_gap)
    if down and (not across or max(g for g, _ in down) > max(g for g, _ in across)):
        parts = _split(pieces, [at for _, at in down], vertical=True)
        if all(len(part) >= 3 and not _markers_only(part) for part in parts):
            return [region for part in parts for region in reading_order(part, min_gap, depth + 1)]
    if across:
        parts = _split(pieces, [at for _, at in across], vertical=False)
        return [region for part in parts for region in reading_order(part, min_gap, depth + 1)]
    return [pieces]


def _markers_only(part: list[Piece]) -> bool:
    # a strip of bullets or item numbers beside a list is not a column of its own
    return all(p.table is None and len(p.text) <= 3 for p in part)


def _cuts(pieces: list[Piece], *, vertical: bool, min_gap: float) -> list[tuple[float, float]]:
    """The empty bands of at least `min_gap` points (width, position of the cut)."""
    spans = sorted((p.x0, p.x1) if vertical else (p.top, p.bottom) for p in pieces)
    cuts: list[tuple[float, float]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= min_gap:
            cuts.append((start - reach, (start + reach) / 2))
        reach = max(reach, end)
    return cuts


def _split(pieces: list[Piece], cuts: list[float], *, vertical: bool) -> list[list[Piece]]:
    parts: list[list[Piece]] = [[] for _ in range(len(cuts) + 1)]
    for piece in pieces:
        start = piece.x0 if vertical else piece.top
        parts[sum(1 for at in cuts if start > at)].append(piece)
    return [part for part in parts if part]


def _overlap(piece: Piece, line: Line) -> float:
    return min(piece.bottom, line.bottom) - max(piece.top, line.top)


def lines_of(region: list[Piece]) -> list[Line]:
    """A region's pieces as lines, top to bottom: pieces side by side on one line are joined,
    and so are a superscript (a footnote's number) and the line it stands on."""
    lines: list[Line] = []
    for piece in sorted(region, key=lambda p: (p.top, p.x0)):
        last = lines[-1] if lines else None
        if (
            last is not None
            and piece.table is None
            and last.table is None
            and _overlap(piece, last) >= 0.5 * min(piece.bottom - piece.top, last.bottom - last.top)
        ):
            last.pieces.append(piece)
            last.pieces.sort(key=lambda p: p.x0)
        else:
            lines.append(Line([piece]))
    if lines:
        x0 = min(line.x0 for line in lines)
        x1 = max(line.x1 for line in lines)
        for line in lines:
            line.region_x0, line.region_x1 = x0, x1
        lines[0].first = True
    return lines
