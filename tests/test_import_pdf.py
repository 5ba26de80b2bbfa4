"""Issue 14: the PDF reader of `brief import`, on real PDFs nobody here wrote (see
tests/data/import/README-pdf.md) and on a PDF `brief build` made; imports built back to PDF and
DOCX by `brief build`."""

from __future__ import annotations

import io
import re
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pypdf
import pytest

from briefwright.errors import BriefwrightError
from briefwright.importing import pdf, pdf_blocks
from briefwright.importing.model import Imported
from tests.helpers import (
    REPO,
    SHARED_DATA,
    copy_project,
    needs_shared_data,
    pdf_pages,
    run,
    squash,
)

DATA = SHARED_DATA / "pdf"
WITH_DATA = needs_shared_data(DATA)


@dataclass(frozen=True)
class Case:
    file: str
    title: str | None
    date: str | None
    headings: list[str]  # Markdown heading lines, in this order
    paragraphs: list[str]  # whole paragraphs (lines joined, hyphens mended)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule, text)
    absent: list[str] = field(default_factory=list)  # text that must not be in the Markdown
    tables: list[str] = field(default_factory=list)  # Markdown table lines
    author: str | None = None


CASES = [
    Case(
        # three columns, running header, page numbers, a stamp set sideways, footnotes
        "federal-register-2020-17221-p1-4.pdf",
        title=None,
        date="2020-08-06",
        headings=[
            "## DEPARTMENT OF TRANSPORTATION",
            "## Airworthiness Directives; The Boeing Company Airplanes",
            "## Examining the AD Docket",
            "## Comments Invited",
            "## Background",
            "## Proposed Design Changes",
        ],
        paragraphs=[
            # read down the first column, not across the three
            "This section of the FEDERAL REGISTER contains notices to the public of the proposed"
            " issuance of rules and regulations. The purpose of these notices is to give"
            " interested persons an opportunity to participate in the rule making prior to the"
            " adoption of the final rules.",
            "Comments will be available in the AD docket shortly after receipt.",
        ],
        removed=[
            ("pdf-page-number", "47698"),
            ("pdf-page-number", "47699"),
            (
                "pdf-running-header",
                "Federal Register /Vol. 85, No. 152/Thursday, August 6, 2020/Proposed Rules",
            ),
            ("pdf-running-footer", "VerDate Sep<11>2014"),
        ],
        absent=["Federal Register /Vol. 85", "47699", "VerDate", "Sfmt 4702"],
    ),
    Case(
        "2023-06-20-PV.pdf",
        title="Comité de démolition - Procès-verbal de la séance publique du 20 juin 2023",
        date="2023-06-21",
        headings=[
            "## COMITÉ DE DÉMOLITION",
            "## Présences",
            "### 1. Ouverture de la séance",
            "### 2. Adoption de l\u2019ordre du jour",
            "### 5. LEVÉE DE LA SÉANCE",
        ],
        paragraphs=[
            "ATTENDU QUE le bâtiment est protégé en vertu du règlement 1274 concernant la"
            " citation du Théâtre Sainte-Adèle à titre d\u2019immeuble patrimonial;",
            # "2023-" at a line's end, "0379" on the next: a number keeps its hyphen
            "ATTENDU l\u2019avis du comité consultatif d\u2019urbanisme, qui agit à titre de"
            " comité local du patrimoine, à l\u2019effet d\u2019accepter la demande de"
            " démolition 2023-0379;",
        ],
    ),
    Case(
        "pdf_structure.pdf",
        title="Titre du document",  # as printed, not the metadata's "PDF avec Structure"
        date="2023-07-06",
        headings=["## Titre 1", "### Titre 2"],
        paragraphs=[
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor"
            " incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud"
            " exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute"
            " irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla"
            " pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia"
            " deserunt mollit anim id est laborum.",
            "Encore du contenu!",
        ],
        absent=["# Titre du document"],
    ),
    Case(
        # Word 365: a list's bullets set apart from its items, to stay with them
        "word365_structure.pdf",
        title="Titre",
        date="2023-07-21",
        headings=["## En-tête 1", "## En-tête 2", "## En-tête 3"],
        paragraphs=["- Liste", "- Liste 2", "- Liste 3", "1. Liste numérotée"],
        absent=["•"],
        author="David Huggins-Daines",
    ),
    Case(
        "issue-466-example.pdf",
        title=None,
        date="2021-07-11",
        headings=[],
        paragraphs=["Reference table"],
        tables=[
            "| T0-C0 | T0-C1 | T0-C2 |",
            "| --- | --- | --- |",
            "| T0-00 | T0-01 | T0-02 |",
            "| T0-20-last | T0-21-last | T0-22-last |",
        ],
    ),
]


def _read(name: str) -> Imported:
    return pdf.read((DATA / name).read_bytes(), name)


def _project(root: Path, source: str, formats: str) -> Path:
    for folder in ("sources", "briefings", "output"):
        (root / folder).mkdir(parents=True)
    (root / "sources" / "s.md").write_text(source, encoding="utf-8")
    (root / "briefings" / "s.yaml").write_text(
        f"title: Read back\nformats: [{formats}]\nsections:\n  - from: s\n", encoding="utf-8"
    )
    return root


def _blocks(markdown: str) -> list[str]:
    return [b.strip() for b in markdown.split("\n\n")]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
@WITH_DATA
def test_issue_14_pdf_reader_on_real_pdfs(case: Case) -> None:
    imported = _read(case.file)
    blocks = _blocks(imported.markdown)
    assert (imported.title, imported.author, imported.date) == (case.title, case.author, case.date)
    headings = [b for b in blocks if b.startswith("#")]
    found = [h for h in headings if h in case.headings]
    assert found == case.headings, headings
    for paragraph in case.paragraphs:
        assert paragraph in blocks
    listed = {(r.rule, r.text) for r in imported.removed}
    for removed in case.removed:
        assert removed in listed
    for text in case.absent:
        assert text not in imported.markdown
    if case.tables:
        assert "\n".join(case.tables[:2]) in imported.markdown
        for line in case.tables:
            assert line in imported.markdown.splitlines()


@WITH_DATA
def test_issue_14_pdf_columns_and_pages_join_one_paragraph() -> None:
    """A sentence cut by the end of a column and a page (with the running header and footer
    between) is one paragraph again; "Soekarno-" + "Hatta" keeps its hyphen (a capital next)."""
    markdown = _read("federal-register-2020-17221-p1-4.pdf").markdown
    assert "Soekarno-Hatta International Airport in Jakarta, Indonesia" in markdown
    # "non-" at a line's end, "normal" on the next: a prefix written with a hyphen
    assert "non-normal procedure" in markdown
    assert "nonnormal" not in markdown


@WITH_DATA
def test_issue_14_pdf_stamp_set_sideways_is_removed_and_listed() -> None:
    imported = _read("federal-register-2020-17221-p1-4.pdf")
    stamps = [r for r in imported.removed if r.rule == "pdf-rotated-text"]
    assert [r.text for r in stamps] == ["jbell on DSKJLSW7X2PROD with PROPOSALS"] * 4  # a page each
    assert "PROPOSALS" not in imported.markdown


HYPHENATION = [
    # (end of line, next line, words of the document, joined)
    ("infor-", "mation is", set(), "information is"),
    ("a well-", "known case", set(), "a well-known case"),
    ("a co-", "operation", {"co-operation"}, "a co-operation"),
    ("a co-", "operation", {"cooperation"}, "a cooperation"),
    ("Franco-", "German", set(), "Franco-German"),
    ("2023-", "0379;", set(), "2023-0379;"),
    ("state-of-the-", "art", set(), "state-of-the-art"),
    ("737\u2013", "9 airplanes", set(), "737\u20139 airplanes"),
    ("infor\u00ad", "mation", set(), "information"),
    ("plain", "text", set(), "plain text"),
    ("a dash -", "here", set(), "a dash - here"),
]


@pytest.mark.parametrize(("before", "after", "words", "joined"), HYPHENATION)
def test_issue_14_pdf_hyphenation_rule(
    before: str, after: str, words: set[str], joined: str
) -> None:
    assert pdf_blocks.join_lines(before, after, words) == joined


def test_issue_14_pdf_made_by_brief_build_reads_back(tmp_path: Path) -> None:
    """The example memo, built by `brief build`, read back: its section titles are headings,
    its running header, footer and "Page N of M" are removed and listed."""
    project = copy_project(REPO, tmp_path / "example")
    result = run(project, "build", "exec-memo", "--format", "pdf")
    assert result.exit_code == 0, result.output
    imported = pdf.read((project / "output" / "exec-memo.pdf").read_bytes(), "exec-memo.pdf")
    assert imported.title == "NATO peacekeeping and the Ukraine crisis"
    assert imported.author == "Policy Analysis Cell"
    assert imported.date == "2026-11-21"
    headings = [b for b in _blocks(imported.markdown) if b.startswith("#")]
    for title in (
        "Bottom line up front",
        "Lessons from past missions",
        "Current posture in Ukraine",
        "Challenges",
    ):
        assert f"### {title}" in headings
    rules = {(r.rule, r.text) for r in imported.removed}
    assert ("pdf-page-number", "Page 2 of 2") in rules
    assert ("pdf-running-footer", "TLP:CLEAR") in rules
    assert "Page 1 of 2" not in imported.markdown


@WITH_DATA
def test_issue_14_imported_pdf_builds_to_pdf_and_docx(tmp_path: Path) -> None:
    imported = _read("federal-register-2020-17221-p1-4.pdf")
    front = '---\ntitle: "Airworthiness Directives; The Boeing Company Airplanes"\n---\n\n'
    project = _project(tmp_path / "project", front + imported.markdown, "pdf, docx")
    result = run(project, "build", "s")
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", " ".join(pdf_pages(project / "output" / "s.pdf")))
    assert "Examining the AD Docket" in text
    assert "Soekarno-Hatta International Airport" in text
    document = docx.Document(str(project / "output" / "s.docx"))
    styled = {(p.style.name, p.text) for p in document.paragraphs if p.style is not None}
    assert any(t == "Comments Invited" and s.startswith("Heading") for s, t in styled)
    assert "Federal Register /Vol. 85" not in "\n".join(t for _, t in styled)


@WITH_DATA
def test_issue_14_pdf_table_builds_to_docx_table(tmp_path: Path) -> None:
    imported = _read("issue-466-example.pdf")
    source = '---\ntitle: "Tables"\n---\n\n## Tables\n\n' + imported.markdown
    project = _project(tmp_path / "project", source, "docx")
    result = run(project, "build", "s")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(project / "output" / "s.docx"))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["T0-C0", "T0-C1", "T0-C2"]
    assert cells[-1] == ["T0-20-last", "T0-21-last", "T0-22-last"]


def _pdf_of_blank_pages(count: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _flate_bomb() -> bytes:
    """A PDF of 280 KB whose one stream inflates to 272 MiB of zeros."""
    deflate = zlib.compressobj(9)
    zeros = b"".join(deflate.compress(bytes(1 << 24)) for _ in range(17)) + deflate.flush()
    head = b"%PDF-1.4\n1 0 obj<</Length " + str(len(zeros)).encode()
    return head + b"/Filter/FlateDecode>>stream\n" + zeros + b"\nendstream\nendobj\n"


BAD: list[tuple[str, Callable[[], bytes], str]] = [
    ("encrypted", (DATA / "password-example.pdf").read_bytes, "is encrypted and needs a password"),
    ("html", lambda: b"<!doctype html><title>x</title>", "is not a PDF (no %PDF- header)"),
    ("empty", lambda: b"", "is not a PDF (no %PDF- header)"),
    (
        "truncated",
        lambda: (DATA / "pdf_structure.pdf").read_bytes()[:3000],
        "cannot be read as a PDF",
    ),
    (
        "too many pages",
        lambda: _pdf_of_blank_pages(pdf.MAX_PDF_PAGES + 1),
        "has 501 pages, more than 500; split the PDF",
    ),
    ("flate bomb", _flate_bomb, "has compressed streams that expand to more than 256 MiB"),
]


@pytest.mark.parametrize(("make", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
@WITH_DATA
def test_issue_14_pdf_bad_input_is_one_clear_error(make: Callable[[], bytes], message: str) -> None:
    with pytest.raises(BriefwrightError) as caught:
        pdf.read(make(), "in/bad.pdf")
    text = str(caught.value)
    assert text.startswith("in/bad.pdf: ")
    assert message in text
    assert "\n" not in text


def test_issue_14_pdf_too_large_is_refused_before_parsing() -> None:
    data = b"%PDF-1.4\n" + b" " * (pdf.MAX_PDF_BYTES)
    with pytest.raises(BriefwrightError, match="is larger than 64 MiB; split the PDF"):
        pdf.read(data, "big.pdf")


def test_issue_14_scanned_pdf_warns_no_text() -> None:
    imported = pdf.read(_pdf_of_blank_pages(2), "scan.pdf")
    assert imported.markdown == ""
    assert imported.warnings == ["no text found: is it a scan? (text in images is not read)"]


@WITH_DATA
def test_issue_14_pdf_text_matches_poppler_word_for_word() -> None:
    """Nothing of the body is lost or doubled: every word poppler reads on the first page of
    the minutes is in the Markdown (an independent reader as the oracle)."""
    path = DATA / "2023-06-20-PV.pdf"
    words = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    markdown = squash(_read("2023-06-20-PV.pdf").markdown)  # poppler joins "2023-" + "0379"
    for word in set(re.findall(r"\w{4,}", words)):
        assert word in markdown, word


def test_issue_14_pdf_bold_paragraph_is_not_a_heading(tmp_path: Path) -> None:
    """A paragraph set in bold in short lines (each one alone would pass for a heading) stays
    one paragraph; the section's title before it is a heading."""
    lines = ["Do not travel to the region", "before the review of the mission", "is complete."]
    bold = " ".join(lines)
    source = '---\ntitle: "Bold"\n---\n\n## Findings\n\n**' + "\\\n".join(lines) + "**\n"
    project = _project(tmp_path / "p", source, "pdf")
    result = run(project, "build", "s")
    assert result.exit_code == 0, result.output
    imported = pdf.read((project / "output" / "s.pdf").read_bytes(), "s.pdf")
    blocks = _blocks(imported.markdown)
    assert [b for b in blocks if b.startswith("#") and "Findings" in b]
    assert bold in blocks
    assert not [b for b in blocks if b.startswith("#") and "travel" in b]
