"""Issue 13: a footnote called only from another footnote was in the HTML but missing from the
DOCX (and the build crashed when the note called was in a section's text). Nested notes are
now in all three formats, numbered depth first (a note called from a note follows it); in the
DOCX each is a Word footnote of its own, called in its note by a NOTEREF field."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree, html

from tests.helpers import pdf_pages, run, squash
from tests.parity import assert_parity, docx_inventory, html_footnotes, note_in_pdf
from tests.test_issue_12_links import assembled, new_project

NOTES = """---
title: Nested
---

# Nested notes

The body calls a.[^a] Then d.[^d]

Then an inline note.^[Inline, calls f.[^f]] Then a again.[^a]

[^a]: A calls b.[^b]

[^b]: B calls c.[^c]

[^c]: C, three deep.

[^d]: D calls b again.[^b] And e.[^e]

[^e]: E holds a table calling g:

    | Key | Value |
    |-----|-------|
    | k   | calls g[^g] |

[^f]: F, called from an inline note.

[^g]: G, called from a table in a note, holds a list:

    1. first step
    2. second step
"""
# Depth first: a, then what a calls (b, then what b calls: c), then d, ...
# Each note's paragraphs (table cells and list items are paragraphs in the DOCX).
EXPECTED = [
    ["A calls b.2"],
    ["B calls c.3"],
    ["C, three deep."],
    ["D calls b again.2 And e.5"],
    ["E holds a table calling g:", "Key", "Value", "k", "calls g6"],
    ["G, called from a table in a note, holds a list:", "first step", "second step"],
    ["Inline, calls f.8"],
    ["F, called from an inline note."],
]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = new_project(tmp_path_factory.mktemp("nested"), "nested", NOTES)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    return root / "output", result.output


def _same(found: list[str]) -> list[str]:
    return [squash(text) for text in found]


JOINED = _same(["".join(paragraphs) for paragraphs in EXPECTED])


def test_issue_13_builds_without_warnings(built: tuple[Path, str]) -> None:
    assert "warning:" not in built[1]


def test_issue_13_model_numbers_depth_first(tmp_path: Path) -> None:
    brief, warnings = assembled(new_project(tmp_path, "nested", NOTES), "nested")
    assert warnings == []
    keys = [note.key.split(":", 1)[1] for note in brief.footnotes]
    keys = [key if not key.startswith("^") else "inline" for key in keys]
    assert keys == ["a", "b", "c", "d", "e", "g", "inline", "f"]
    assert [note.number for note in brief.footnotes] == list(range(1, 9))


def test_issue_13_docx_has_every_nested_note(built: tuple[Path, str]) -> None:
    found = docx_inventory(built[0] / "nested.docx")
    assert [[p.strip() for p in note if p.strip()] for note in found.note_paragraphs] == EXPECTED
    assert _same(found.footnotes) == JOINED


def test_issue_13_docx_references_in_order_and_noterefs_resolve(built: tuple[Path, str]) -> None:
    """Word numbers footnotes by their references' order: one each, 1..8 in the body; every
    NOTEREF (a call in a note, or a second call) names a bookmark that exists."""
    with zipfile.ZipFile(built[0] / "nested.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
        notes = etree.fromstring(package.read("word/footnotes.xml"))
    references = [int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")]
    assert references == list(range(1, 9))
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    fields = [t.text or "" for tree in (body, notes) for t in tree.iter(f"{W}instrText")]
    targets = [f.split()[1] for f in fields if f.split()[0] == "NOTEREF"]
    assert len(targets) == 7  # in notes: b, c, b, e, g, f; in the body: a again
    assert set(targets) <= bookmarks
    assert not list(notes.iter(f"{W}footnoteReference"))  # Word cannot show those


def test_issue_13_html_lists_every_note_without_dead_links(built: tuple[Path, str]) -> None:
    path = built[0] / "nested.html"
    assert _same(html_footnotes(path)) == JOINED
    tree = html.parse(str(path))
    ids = set(tree.xpath("//@id"))
    hrefs = [h[1:] for h in tree.xpath("//a/@href") if h.startswith("#")]
    assert hrefs and [h for h in hrefs if h not in ids] == []
    floats = tree.xpath('//span[contains(@class, "footnote")]/@id')
    assert floats == [f"fn-{n}" for n in range(1, 9)]  # depth first, as WeasyPrint counts


def test_issue_13_pdf_numbers_nested_notes_depth_first(built: tuple[Path, str]) -> None:
    text = squash("".join(pdf_pages(built[0] / "nested.pdf")))
    for number, paragraphs in enumerate(EXPECTED, 1):
        note_in_pdf(number, paragraphs, text)  # its paragraphs, in order
    places = [text.find(squash(f"{n}.{note[0]}")) for n, note in enumerate(EXPECTED, 1)]
    assert places == sorted(places)
    # a nested note's call is in the note that calls it, not in the body
    assert "Thebodycallsa.1Thend.4" in text


def test_issue_13_pdf_links_have_targets(built: tuple[Path, str]) -> None:
    reader = pypdf.PdfReader(built[0] / "nested.pdf")
    targets = [
        str(annot.get_object().get("/Dest"))
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if annot.get_object().get("/Dest") is not None
    ]
    assert {"fn-2", "fn-3", "fn-6"} <= set(targets)
    assert set(targets) <= set(reader.named_destinations)


def test_issue_13_parity_covers_nested_notes(built: tuple[Path, str]) -> None:
    out = built[0]
    assert_parity(out / "nested.docx", out / "nested.pdf", out / "nested.html")


def test_issue_13_parity_names_a_note_missing_from_the_html(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    out = built[0]
    page = (out / "nested.html").read_text(encoding="utf-8")
    broken = tmp_path / "nested.html"
    broken.write_text(re.sub(r'<li id="note-8">.*?</li>', "", page, flags=re.S), "utf-8")
    with pytest.raises(AssertionError, match="footnotes: DOCX has 8, HTML has 7"):
        assert_parity(out / "nested.docx", out / "nested.pdf", broken)


CHAIN = 1500  # notes, each calling the next: far past Python's recursion limit


def test_issue_13_a_long_chain_of_notes_builds(tmp_path: Path) -> None:
    notes = "\n\n".join(f"[^n{i}]: Note {i} calls on.[^n{i + 1}]" for i in range(CHAIN))
    body = f"# Chain\n\nStart.[^n0]\n\n{notes}\n\n[^n{CHAIN}]: The end.\n"
    root = new_project(tmp_path, "chain", body)
    started = time.perf_counter()
    result = run(root, "build", "--format", "docx", "--format", "html")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert len(docx_inventory(root / "output" / "chain.docx").footnotes) == CHAIN + 1
    assert len(html_footnotes(root / "output" / "chain.html")) == CHAIN + 1
    assert elapsed < 20, elapsed  # about 1 s (5,000 notes: 5 s, 39 s before look-ups were cached)
