"""Issue 13, silent loss: WeasyPrint neither carries footnotes over to the next page nor says
when a page's notes do not fit; the first ones were simply not in the PDF (exit 0). Such a PDF
is now refused at the call of the first note lost, and the check agrees with what the PDF
really lacks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import weasyprint

from briefwright import model as m
from briefwright.errors import Reporter
from briefwright.project import find_project
from briefwright.templates import BUILTIN_ROOT, find_template
from briefwright.writers.fetcher import ProjectFetcher
from briefwright.writers.html import html_document
from briefwright.writers.pdf_footnotes import footnotes_off_their_page
from tests.helpers import run
from tests.test_issue_12_links import assembled, new_project

CALLS = 120  # on one line: about 90 one-line notes fit on two pages' footnote areas


def crowded(count: int) -> str:
    calls = "".join(f"[^n{i}]" for i in range(count))
    notes = "\n".join(f"[^n{i}]: Note text {i:03d}." for i in range(count))
    return f"# Crowded\n\nOne line calls them all.{calls}\n\n{notes}\n"


def spread(count: int) -> str:
    calls = "\n\n".join(f"Paragraph {i} calls a note.[^n{i}]" for i in range(count))
    notes = "\n".join(f"[^n{i}]: Note text {i:03d}." for i in range(count))
    return f"# Spread\n\n{calls}\n\n{notes}\n"


def squash_blocks(blocks: tuple[m.Block, ...]) -> str:
    return " ".join(m.plain_text(runs) for block in blocks for runs in m.inline_children(block))


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return done.stdout


def test_issue_13_a_pdf_that_would_lose_notes_is_not_written(tmp_path: Path) -> None:
    project = new_project(tmp_path, "crowded", crowded(CALLS))
    result = run(project, "build", "crowded", "--format", "pdf")
    assert result.exit_code == 1, result.output
    assert "error: sources/crowded.md:3: " in result.output
    assert "do not fit on their page of the PDF" in result.output
    assert not (project / "output" / "crowded.pdf").exists()


def test_issue_13_notes_spread_over_pages_are_all_in_the_pdf(tmp_path: Path) -> None:
    project = new_project(tmp_path, "spread", spread(CALLS))
    result = run(project, "build", "spread", "--format", "pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(project / "output" / "spread.pdf")
    assert [i for i in range(CALLS) if f"Note text {i:03d}." not in text] == []


def test_issue_13_the_check_finds_exactly_the_notes_the_pdf_lacks(tmp_path: Path) -> None:
    """Rendered as the writer renders, without the check: the notes it names are those
    pdftotext does not find (a note cut by the page's top edge may show in part)."""
    project_dir = new_project(tmp_path, "crowded", crowded(CALLS))
    briefing, _ = assembled(project_dir, "crowded")
    project = find_project(project_dir)
    template = find_template(project, "briefing")
    html = html_document(briefing, template, Reporter())
    fetcher = ProjectFetcher((*template.folders, BUILTIN_ROOT, project_dir))
    document = weasyprint.HTML(
        string=html, base_url=str(template.folders[0]), url_fetcher=fetcher
    ).render()
    (tmp_path / "raw.pdf").write_bytes(document.write_pdf())
    text = pdf_text(tmp_path / "raw.pdf")
    absent = {
        note.number
        for note in briefing.footnotes
        if squash_blocks(note.blocks) not in text  # "Note text 007."
    }
    lost = footnotes_off_their_page(document)
    named = {n for numbers in lost.values() for n in numbers}
    assert len(absent) > 10  # WeasyPrint still drops them: else this test proves nothing
    assert absent <= named
    assert len(named - absent) <= len(lost)  # at most one cut note a page
