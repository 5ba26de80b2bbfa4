"""Issue 12: a footnote keeps every block it holds (PDF, HTML, DOCX), a second call links to
the same note, a note called in a quote looks like every other; DOCX hyperlinks get one
relationship per URL."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml import etree
from PIL import Image

from tests.helpers import run
from tests.test_issue_12_links import new_project

NOTES = """---
title: Notes
---

# Footnotes

A paragraph with a rich note.[^rich] The same note again.[^rich]

> A quoted claim with its own note.[^quoted]

## A heading with a note[^plain]

[^rich]: The first paragraph of the note.

    A second paragraph, after a blank line.

    - bullet one
    - bullet two

    3. third
    4. fourth

    > quoted inside the note

    ```
    code_inside_the_note(x)
    ```

[^quoted]: Called from a quote, in the ordinary colour.

[^plain]: Called from a heading, not bold.
"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTE_LINES = [
    "1. The first paragraph of the note.",
    "A second paragraph, after a blank line.",
    "• bullet one",
    "• bullet two",
    "3. third",
    "4. fourth",
    "quoted inside the note",
    "code_inside_the_note(x)",
    "2. Called from a quote, in the ordinary colour.",
    "3. Called from a heading, not bold.",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = new_project(tmp_path_factory.mktemp("notes"), "notes", NOTES)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    return root / "output", result.output


def test_issue_12_footnotes_build_without_warnings(built: tuple[Path, str]) -> None:
    _, output = built
    assert "warning:" not in output  # nor WeasyPrint's "No anchor #note-1"


def test_issue_12_pdf_footnote_keeps_its_blocks(built: tuple[Path, str]) -> None:
    out, _ = built
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "notes.pdf"), "-"], capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = lines.index(NOTE_LINES[0])
    assert lines[start : start + len(NOTE_LINES)] == NOTE_LINES


def test_issue_12_pdf_second_call_links_to_the_note(built: tuple[Path, str]) -> None:
    reader = pypdf.PdfReader(built[0] / "notes.pdf")
    assert "fn-1" in reader.named_destinations
    targets = [
        str(annot.get_object().get("/Dest"))
        for page in reader.pages
        for annot in page.get("/Annots") or []
    ]
    assert "fn-1" in targets


def _darkest(pdf: Path, word: str, page: int, last: bool) -> int:
    """The darkest pixel (sum of RGB) of `word` on `page` (its first or last occurrence),
    found with pdftotext's boxes (in points) and rendered at 150 dpi."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    found = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">' + word + "<", boxes
    )
    x0, y0, x1, y1 = (float(v) * 150 / 72 for v in found[-1 if last else 0])
    png = pdf.with_name(f"{pdf.stem}-{word}")
    crop = [
        "-x",
        str(int(x0)),
        "-y",
        str(int(y0)),
        "-W",
        str(int(x1 - x0)),
        "-H",
        str(int(y1 - y0)),
    ]
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", "150", *pages, *crop, str(pdf), str(png)], check=True)
    with Image.open(png.with_suffix(".png")) as image:
        data = image.convert("RGB").tobytes()
    return min(sum(data[i : i + 3]) for i in range(0, len(data), 3))


def test_issue_12_note_called_in_a_quote_is_not_grey(built: tuple[Path, str]) -> None:
    pdf = built[0] / "notes.pdf"
    page = 2  # the cover is page 1
    quoted, note = _darkest(pdf, "claim", page, False), _darkest(pdf, "ordinary", page, True)
    assert quoted > 200  # the quote's own text is grey (#5b6573: 272)
    assert note < 150  # its note is in ink (#1d232b: 101), like every other


def test_issue_12_html_each_call_has_its_id_and_the_note_is_there_once(
    built: tuple[Path, str],
) -> None:
    html = (built[0] / "notes.html").read_text(encoding="utf-8")
    assert 'id="fnref-1"' in html and 'id="fnref-1-2"' in html
    assert html.count('class="footnote" id="fn-1"') == 1
    assert '<a class="fn-again" href="#fn-1">' in html
    endnote = html[html.index('<li id="note-1">') : html.index('<li id="note-2">')]
    for tag in ("<ul>", '<ol start="3">', "<blockquote>", "<pre><code>"):
        assert tag in endnote


def _footnotes(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/footnotes.xml"))


def test_issue_12_docx_footnote_keeps_its_blocks(built: tuple[Path, str]) -> None:
    note = _footnotes(built[0] / "notes.docx").find(f"{W}footnote[@{W}id='1']")
    assert note is not None
    paragraphs = [
        (p.find(f"{W}pPr/{W}pStyle").get(f"{W}val"), "".join(p.itertext()))
        for p in note.iter(f"{W}p")
    ]
    assert paragraphs == [
        ("FootnoteText", " The first paragraph of the note."),
        ("FootnoteText", "A second paragraph, after a blank line."),
        ("ListBullet", "bullet one"),
        ("ListBullet", "bullet two"),
        ("ListNumber", "third"),
        ("ListNumber", "fourth"),
        ("Quote", "quoted inside the note"),
        ("SourceCode", "code_inside_the_note(x)"),
    ]


def test_issue_12_docx_second_call_is_a_noteref_to_the_first(built: tuple[Path, str]) -> None:
    document = docx.Document(str(built[0] / "notes.docx"))
    body = document.element.body
    references = [e.get(f"{W}id") for e in body.iter(f"{W}footnoteReference")]
    assert references == ["1", "2", "3"]  # Word: one reference per footnote
    bookmark = body.find(f".//{W}bookmarkStart[@{W}name='_RefNote00001']")
    assert bookmark is not None
    assert bookmark.getnext().find(f"{W}footnoteReference") is not None
    fields = ["".join(e.itertext()) for e in body.iter(f"{W}instrText")]
    assert " NOTEREF _RefNote00001 \\f \\h " in fields


def test_issue_12_docx_notes_read_back_through_libreoffice(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    docx_file = [str(built[0] / "notes.docx")]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *docx_file],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "notes.pdf"), "-"], capture_output=True, text=True
    ).stdout
    body = text[text.index("A paragraph with a rich note.") :]
    assert "The same note again.1" in body  # the NOTEREF's number, as Word would show it
    for line in ["A second paragraph, after a blank line.", "bullet two", "third", "fourth"]:
        assert line in body
    assert "code_inside_the_note(x)" in body


def test_issue_12_docx_one_hyperlink_relationship_per_url(tmp_path: Path) -> None:
    """300 links to 150 URLs, some in a footnote: each URL related once per part, and each
    link's relationship leads to its own URL."""
    lines = [f"Link [{i}](https://example.org/{i % 150}).\n" for i in range(300)]
    body = "---\ntitle: Links\n---\n\n# Links\n\n" + "\n".join(lines) + "Noted.[^n]\n\n"
    body += "[^n]: See [zero](https://example.org/0) and [new](https://example.org/new).\n"
    root = new_project(tmp_path, "links", body)
    result = run(root, "build", "--format", "docx")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(root / "output" / "links.docx"))
    rels = document.part.rels
    hyperlinks = [r for r in rels.values() if r.reltype == RELATIONSHIP_TYPE.HYPERLINK]
    assert len(hyperlinks) == 150
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    linked = [
        (rels[h.get(rel_id)].target_ref, "".join(t.text or "" for t in h.iter(f"{W}t")))
        for h in document.element.body.iter(f"{W}hyperlink")
        if h.get(rel_id)
    ]
    assert linked == [(f"https://example.org/{i % 150}", str(i)) for i in range(300)]
