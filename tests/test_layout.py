"""Issue 12, layout: the cover and the footnotes in every page size and orientation, the
running header, and project stylesheets that add to the built-in ones. PDF text is read with
pdftotext (poppler), page by page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import copy_project, run, squash

SIZES = ["A4", "A5", "Letter", "Legal"]
ORIENTATIONS = ["portrait", "landscape"]
LAYOUTS = [f"{size}-{orientation}" for size in SIZES for orientation in ORIENTATIONS]
LONG_TITLE = (
    "Regional security outlook for the northern flank: force posture, logistics and the"
    " readiness of allied reinforcements through the winter"
)
# what the feature fixture's cover shows, and its footnotes: the call's text -> the note's
COVER = [
    "Feature brief",
    "Every construct, both templates",
    "DATE",
    "15 January 2026",
    "AUTHOR",
    "Test Author",
    "ORGANISATION",
    "AUDIENCE",
    "Testers",
]
NOTES = {
    "This overview cites a source.": "The feature fixture's own footnote.",
    "Equal treatment of all parties.": "A second footnote, in a definition.",
    "The other source also has an overview.": "The other source's footnote",
}


def pdf_text_pages(path: Path, *options: str) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it."""
    done = subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout.split("\f")[:-1]


def variant(project: Path, name: str, keys: str) -> None:
    """The `features` briefing, PDF only, with `keys` added."""
    text = (project / "briefings" / "features.yaml").read_text(encoding="utf-8")
    text = text.replace("formats: [pdf, docx, html]\n", f"formats: [pdf, html]\n{keys}")
    if "\ntitle:" in f"\n{keys}":
        text = text.replace('title: "Feature brief"\n', "", 1)
    (project / "briefings" / f"{name}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def layouts(feature_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The feature briefing in every page size and orientation, plus a crowded cover (logo and
    a three-line title on the shortest page) and a long title, built in one batch."""
    project = copy_project(feature_project, tmp_path_factory.mktemp("layouts"))
    for path in (project / "briefings").iterdir():
        path.unlink()
    source = feature_project / "briefings" / "features.yaml"
    (project / "briefings" / "features.yaml").write_text(source.read_text(encoding="utf-8"))
    for layout in LAYOUTS:
        size, orientation = layout.split("-")
        variant(project, layout, f"page_size: {size}\norientation: {orientation}\n")
    crowded = "page_size: A5\norientation: landscape\nlogo: sources/img/chart.png\n"
    variant(project, "crowded", crowded + f'title: "{LONG_TITLE}"\n')
    variant(project, "long", f'title: "{LONG_TITLE}"\n')
    variant(project, "short", f'title: "{LONG_TITLE}"\nshort_title: Northern flank outlook\n')
    (project / "briefings" / "features.yaml").unlink()
    result = run(project, "build", "--jobs", "2")
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.parametrize("layout", LAYOUTS)
def test_issue_12_the_cover_is_one_page_in_every_size(layouts: Path, layout: str) -> None:
    pages = pdf_text_pages(layouts / "output" / f"{layout}.pdf")
    for text in COVER:
        assert squash(text) in squash(pages[0]), f"{text!r} is not on the cover"
    assert "AUDIENCE" not in pages[1] and "Testers" not in pages[1]
    assert "Contents" in pages[1]


def test_issue_12_a_crowded_cover_still_fits_a5_landscape(layouts: Path) -> None:
    pages = pdf_text_pages(layouts / "output" / "crowded.pdf")
    assert "Testers" in pages[0] and "winter" in pages[0]
    assert "Contents" in pages[1] and "Testers" not in pages[1]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_issue_12_footnotes_on_the_page_of_their_call(layouts: Path, layout: str) -> None:
    pages = [squash(page) for page in pdf_text_pages(layouts / "output" / f"{layout}.pdf")]
    for call, note in NOTES.items():
        calls = [n for n, page in enumerate(pages, 1) if squash(call) in page]
        notes = [n for n, page in enumerate(pages, 1) if squash(note) in page]
        assert len(calls) == 1 and notes == calls, f"{note!r}: call on {calls}, note on {notes}"


def header_line(path: Path, page: int) -> str:
    """The first line of a body page under the marking: the running header."""
    lines = [line.strip() for line in pdf_text_pages(path)[page - 1].splitlines()]
    return next(line for line in lines if line and line != "TEST MARKING")


def test_issue_12_a_long_title_is_one_header_line_ending_in_an_ellipsis(layouts: Path) -> None:
    # The ellipsis is drawn, but poppler cannot read it back (WeasyPrint writes no Unicode
    # value for that glyph): the line is a beginning of the title, cut at a word.
    line = header_line(layouts / "output" / "long.pdf", 3).rstrip("…")
    assert LONG_TITLE.startswith(line) and LONG_TITLE[len(line)] == " "
    assert len("Regional security outlook") <= len(line) < len(LONG_TITLE) // 2
    html = (layouts / "output" / "long.html").read_text(encoding="utf-8")
    assert f'<p class="running-title">{LONG_TITLE}</p>' in html


def test_issue_12_short_title_is_the_running_title(layouts: Path) -> None:
    assert header_line(layouts / "output" / "short.pdf", 3) == "Northern flank outlook"
    cover = pdf_text_pages(layouts / "output" / "short.pdf")[0]
    assert squash(LONG_TITLE) in squash(cover)  # the cover keeps the full title


def word_boxes(path: Path, page: int) -> list[tuple[float, float, str]]:
    """(x, y, word) of every word on a page, from pdftotext's bounding boxes."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>'
    return [(float(x), float(y), word) for x, y, word in re.findall(pattern, xml)]


@pytest.mark.parametrize("layout", ["A4-portrait", "A5-landscape"])
def test_issue_12_header_and_footer_align_with_the_text_block(layouts: Path, layout: str) -> None:
    words = word_boxes(layouts / "output" / f"{layout}.pdf", 3)
    header = min((w for w in words if w[2] == "Feature"), key=lambda w: w[1])  # running title
    date = max((w for w in words if w[2] == "15"), key=lambda w: w[1])  # the date, bottom left
    body = min(x for x, y, _ in words if header[1] + 5 < y < date[1] - 30)
    assert header[0] == pytest.approx(body, abs=0.5)
    assert date[0] == pytest.approx(body, abs=0.5)


# --- project stylesheets -----------------------------------------------------------------------


def restyled(scratch_project: Path, toml: str | None) -> str:
    """The HTML of `small` with a one-rule templates/briefing/style.css (and template.toml)."""
    folder = scratch_project / "templates" / "briefing"
    folder.mkdir(parents=True)
    (folder / "style.css").write_text(".title { color: #7a1010; }\n", encoding="utf-8")
    if toml is not None:
        (folder / "template.toml").write_text(toml, encoding="utf-8")
    result = run(scratch_project, "build", "small", "--format", "html", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return (scratch_project / "output" / "small.html").read_text(encoding="utf-8")


def test_issue_12_a_project_stylesheet_adds_to_the_builtin_one(scratch_project: Path) -> None:
    html = restyled(scratch_project, None)
    style = html.split("<style>")[1].split("</style>")[0]
    builtin = style.index(".cover-band {")  # the built-in cover styling is kept
    assert style.index(".title { color: #7a1010; }") > builtin
    assert style.index("@page {") < builtin  # the shared base.css comes first
    pages = pdf_text_pages(scratch_project / "output" / "small.pdf")
    assert "Page" not in pages[0] and "Contents" in pages[1]  # cover rules still apply


def test_issue_12_replace_true_replaces_the_builtin_stylesheet(scratch_project: Path) -> None:
    html = restyled(scratch_project, 'name = "briefing"\ncover = true\nreplace = true\n')
    style = html.split("<style>")[1].split("</style>")[0]
    assert ".title { color: #7a1010; }" in style
    assert ".cover-band {" not in style  # briefing/style.css is replaced
    assert "@page {" in style  # _shared/base.css is not: the project has no base.css


def test_issue_12_a_project_stylesheets_imports_go_first(scratch_project: Path) -> None:
    folder = scratch_project / "templates" / "briefing"
    folder.mkdir(parents=True)
    rules = '/* mine */\n@import url("extra.css");\n.title { color: #7a1010; }\n'
    (folder / "style.css").write_text(rules, encoding="utf-8")
    (folder / "extra.css").write_text(".subtitle { color: #107a10; }\n", encoding="utf-8")
    result = run(scratch_project, "build", "small", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (scratch_project / "output" / "small.html").read_text(encoding="utf-8")
    style = html.split("<style>")[1].split("</style>")[0]
    assert style.lstrip().startswith('@import url("extra.css");')  # CSS ignores it later on
    assert style.count("@import") == 1
    assert style.index(".cover-band {") < style.index(".title { color: #7a1010; }")
