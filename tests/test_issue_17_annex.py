"""Issue 17, the sources annex (`sources_annex: true`): every source the briefing drew on, with
title, author, date, linked origin, the marking of what is used and the sections using it, in
PDF, HTML and DOCX; only what a variant keeps; nothing above the banner."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from tests.helpers import pdf_pages, run
from tests.parity import assert_parity, docx_inventory

OPS = """---
title: Operations update
author: J3 Operations
date: 2026-11-02
origin: https://example.org/ops
marking: NATO RESTRICTED
---
## Posture {#posture}

Forces hold their positions.

## Open summary {#open marking="NATO UNCLASSIFIED // RELEASABLE TO UKR"}

What may be shared.
"""
PRESS = """---
title: Ministry statement
author: Ministry of Defence
date: 2026-11-03
origin: Press conference transcript
marking: NATO UNCLASSIFIED
---
# Statement

The ministry said things.
"""
UNUSED = "---\ntitle: Never drawn on\n---\n# Elsewhere\n\nText.\n"
BRIEFING = """title: Annexed
marking: NATO RESTRICTED
formats: [pdf, docx, html]
sources_annex: true
section_numbers: true
variants:
  internal: {}
  rel-ukr: {releasable_to: UKR}
sections:
  - title: Purpose
    text: Why this brief exists.
  - from: ops#open
  - from: press
  - from: ops#posture
    title: Force posture
"""


def _project(root: Path, briefing: str = BRIEFING) -> Path:
    for folder in ("briefings", "sources", "output"):
        (root / folder).mkdir()
    (root / "briefwright.toml").write_text('[markings]\nscheme = "nato"\n', encoding="utf-8")
    for name, text in {"ops": OPS, "press": PRESS, "unused": UNUSED}.items():
        (root / "sources" / f"{name}.md").write_text(text, encoding="utf-8")
    (root / "briefings" / "annexed.yaml").write_text(briefing, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _project(tmp_path_factory.mktemp("annex"))
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    return root / "output"


def _annex_html(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    assert html.count('id="sources-annex"') == 1
    return html.split('id="sources-annex"', 1)[1]


def _rows(annex: str) -> list[list[str]]:
    """The annex table's body rows, each cell's text."""
    body = annex.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    text = [[re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", c)) for c in row] for row in cells]
    return [[" ".join(cell.split()) for cell in row] for row in text]


def test_html_lists_each_source_once_in_order_of_use(built: Path) -> None:
    annex = _annex_html(built / "annexed.internal.html")
    assert _rows(annex) == [
        [
            "Operations update J3 Operations",
            "2 November 2026",
            "https://example.org/ops",
            "NATO RESTRICTED",
            "2, 4",  # by number: the sections, not their subsections
        ],
        [
            "Ministry statement Ministry of Defence",
            "3 November 2026",
            "Press conference transcript",
            "NATO UNCLASSIFIED",
            "3",
        ],
    ]
    assert '<a href="https://example.org/ops">' in annex
    assert '<a href="#posture">4</a>' in annex  # retitled, its ID kept
    assert "Never drawn on" not in annex


def test_variant_lists_only_what_it_keeps(built: Path) -> None:
    """rel-ukr keeps the open summary, not the restricted posture: the ops source is listed
    with only its open section, marked as what is used, never as the file's RESTRICTED. The
    briefing's own (RESTRICTED) purpose is left out too, so the sections count from 1; the
    press source (NATO UNCLASSIFIED, not releasable to UKR) is not listed at all."""
    rows = _rows(_annex_html(built / "annexed.rel-ukr.html"))
    assert rows[0][3] == "NATO UNCLASSIFIED // RELEASABLE TO UKR"
    assert rows[0][4] == "1"
    assert len(rows) == 1
    assert "RESTRICTED" not in " ".join(" ".join(row) for row in rows)


def test_pdf_annex_text_and_links(built: Path) -> None:
    pages = pdf_pages(built / "annexed.internal.pdf")
    last = " ".join(pages[-1].split())
    assert "Annex: Sources Source Date" in last and "Ministry of Defence" in last
    assert "Annex: Sources Source" not in " ".join(pages[-2].split())  # a page of its own
    reader = pypdf.PdfReader(built / "annexed.internal.pdf")
    uris = [
        a.get_object()["/A"].get("/URI")
        for a in reader.pages[-1].get("/Annots", [])
        if "/A" in a.get_object()
    ]
    assert "https://example.org/ops" in uris


def test_docx_annex_is_a_word_table(built: Path) -> None:
    document = docx.Document(str(built / "annexed.internal.docx"))
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells][:2] == ["Source", "Date"]
    assert table.rows[2].cells[0].text.startswith("Ministry statement")
    assert table.style is not None and table.style.name != "Normal Table"
    links = document.element.body.findall(qn("w:tbl"))[-1].iter(qn("w:hyperlink"))
    anchors = [link.get(qn("w:anchor")) for link in links]
    assert sum(1 for a in anchors if a) == 3  # the sections, as internal links
    rels = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://example.org/ops" in rels


def test_unnumbered_sections_by_title(tmp_path: Path) -> None:
    """Without section numbers the sections are named by title (as written, without portion
    marks), one a line."""
    briefing = BRIEFING.replace("section_numbers: true\n", "portion_marks: true\n")
    root = _project(tmp_path, briefing)
    assert run(root, "build").exit_code == 0
    annex = _annex_html(root / "output" / "annexed.internal.html")
    assert _rows(annex)[0][4] == "Open summary Force posture"
    assert '<a href="#open">Open summary</a><br' in annex


def test_off_by_default(tmp_path: Path) -> None:
    root = _project(tmp_path, BRIEFING.replace("sources_annex: true\n", ""))
    assert run(root, "build").exit_code == 0
    html = (root / "output" / "annexed.internal.html").read_text(encoding="utf-8")
    assert "sources-annex" not in html and "Annex: Sources" not in html


def test_parity_covers_the_annex(built: Path) -> None:
    for variant in ("internal", "rel-ukr"):
        out = {kind: built / f"annexed.{variant}.{kind}" for kind in ("docx", "pdf", "html")}
        assert_parity(out["docx"], out["pdf"], out["html"])
        assert docx_inventory(out["docx"]).headings[-1] == "Annex: Sources"
