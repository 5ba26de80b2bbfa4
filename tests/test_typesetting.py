"""The PDF's paged-media features, read back: templates, page setup, variants, budget."""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
from pathlib import Path
from typing import cast

import pypdf
import pytest
from PIL import Image

from tests import oracle
from tests.helpers import REPO, copy_project, outline_titles, pdf_pages, run, squash

VARIANTS = ["pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"]
LOGO = "sources/img/chart.png"


def briefing(project: Path, name: str, extra: str, sections: str = "  - from: features\n") -> None:
    text = f"title: {name}\ndate: 2026-01-15\nmarking: TEST MARKING\nformats: [pdf, html]\n"
    (project / "briefings" / f"{name}.yaml").write_text(
        text + extra + "sections:\n" + sections, encoding="utf-8"
    )


@pytest.fixture(scope="module")
def variants(feature_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One batch build of many small variations on the feature fixture."""
    project = copy_project(feature_project, tmp_path_factory.mktemp("variants"))
    for path in (project / "briefings").iterdir():
        if path.stem != "features-memo":
            path.unlink()
    briefing(project, "toc1", "toc_depth: 1\n")
    briefing(project, "notoc", "toc_depth: 0\n")
    briefing(project, "logo", f"logo: {LOGO}\n")
    briefing(project, "a5", "page_size: A5\n", "  - from: features#data\n")
    briefing(project, "agency", "template: agency\n", "  - from: features#data\n")
    briefing(project, "restyled", "", "  - from: features#data\n")
    for n, variant in enumerate(VARIANTS):
        briefing(project, f"variant{n}", f"pdf_variant: {variant}\n", "  - from: other\n")
    agency = project / "templates" / "agency"
    agency.mkdir(parents=True)
    (agency / "template.toml").write_text('name = "agency"\nextends = "briefing"\n')
    (agency / "briefing.html.j2").write_text(
        '{% extends "builtin/briefing/briefing.html.j2" %}\n'
        "{% block extra_style %}:root { --accent: #7a1010; }{% endblock %}\n"
    )
    result = run(project, "build", "--jobs", "2")
    assert result.exit_code == 0, result.output
    return project


def pdf(project: Path, name: str) -> pypdf.PdfReader:
    return pypdf.PdfReader(project / "output" / f"{name}.pdf")


def test_memo_has_no_cover_and_no_contents(feature_project: Path) -> None:
    pages = pdf_pages(feature_project / "output" / "features-memo.pdf")
    assert pages[0].startswith("Feature memo") or "Feature memo" in pages[0].splitlines()[1]
    assert "Page 1 of" in pages[0]
    assert "Contents" not in "".join(pages)
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page


def test_briefing_has_cover_and_contents(feature_project: Path) -> None:
    pages = pdf_pages(feature_project / "output" / "features.pdf")
    assert "Feature brief" in pages[0] and "Page" not in pages[0]
    assert "Contents" not in pages[0]
    assert "Contents" in [line.strip() for line in pages[1].splitlines()]  # its own heading


def test_table_header_repeats_on_every_page_it_spans(feature_project: Path) -> None:
    pages = pdf_pages(feature_project / "output" / "features-memo.pdf")
    with_rows = [p for p in pages if any(c in p for c in ("Belgium", "Greece", "Sweden"))]
    assert len(with_rows) >= 2, "the long table must span pages for this test to mean anything"
    for page in with_rows:  # pdftotext gives each cell a line of its own
        assert "Member Joined Enlargement" in " ".join(page.split())


def test_page_size_and_orientation(feature_project: Path, variants: Path) -> None:
    def size(reader: pypdf.PdfReader) -> tuple[int, int]:
        box = reader.pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(pdf(feature_project, "features")) == (595, 842)  # A4 portrait
    assert size(pdf(feature_project, "features-memo")) == (792, 612)  # Letter landscape
    assert size(pdf(variants, "a5")) == (420, 595)


def test_toc_depth(variants: Path) -> None:
    contents = pdf_pages(variants / "output" / "toc1.pdf")[1]
    assert "Feature fixture: every construct" in contents
    assert "Overview" not in contents.split("Feature fixture")[0]
    assert "Data ." not in contents  # level 2 entries are left out at depth 1
    assert "Contents" not in "".join(pdf_pages(variants / "output" / "notoc.pdf"))


def draws_an_image(page: pypdf.PageObject) -> bool:
    # WeasyPrint shares image resources between pages: look at what the page itself draws
    contents = page.get_contents()
    return contents is not None and b" Do" in contents.get_data()


def test_logo_on_the_cover(variants: Path) -> None:
    assert draws_an_image(pdf(variants, "logo").pages[0])
    assert not draws_an_image(pdf(variants, "toc1").pages[0])


def test_project_template_extends_a_builtin(variants: Path) -> None:
    html = (variants / "output" / "agency.html").read_text(encoding="utf-8")
    assert ":root { --accent: #7a1010; }" in html
    assert '<header class="cover">' in html  # the built-in cover, not copied
    assert "Feature fixture" not in html and "Data" in html
    assert len(pdf(variants, "agency").pages) >= 2


def test_metadata_fields(feature_project: Path) -> None:
    reader = pdf(feature_project, "features")
    meta = reader.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == (
        "Feature brief",
        "Test Author",
        "Every construct, both templates",
    )
    assert str(meta["/Keywords"]) == "fixture, features"
    assert str(meta["/CreationDate"]).startswith("D:20260115")
    assert str(reader.root_object["/Lang"]) == "en"


@pytest.mark.parametrize("n", range(len(VARIANTS)))
def test_pdf_variants_build_and_are_reproducible(variants: Path, n: int, tmp_path: Path) -> None:
    reader = pdf(variants, f"variant{n}")
    root = reader.root_object
    stream = cast(pypdf.generic.StreamObject, root["/Metadata"].get_object())
    xmp = stream.get_data().decode("utf-8")
    if VARIANTS[n].startswith("pdf/a"):
        part = VARIANTS[n][6]
        assert f'pdfaid:part="{part}"' in xmp or f"<pdfaid:part>{part}</pdfaid:part>" in xmp
    else:
        mark_info = cast(pypdf.generic.DictionaryObject, root["/MarkInfo"])
        assert bool(mark_info["/Marked"])
    again = copy_project(variants, tmp_path / "again")
    assert run(again, "build", f"variant{n}").exit_code == 0
    first = (variants / "output" / f"variant{n}.pdf").read_bytes()
    assert (again / "output" / f"variant{n}.pdf").read_bytes() == first


def test_max_pages_warns_and_strict_fails_without_writing(scratch_project: Path) -> None:
    briefing(scratch_project, "budget", "max_pages: 2\n")
    result = run(scratch_project, "build", "budget")
    assert result.exit_code == 0
    pages = len(pdf(scratch_project, "budget").pages)
    assert result.stderr.startswith(
        f"warning: briefings/budget.yaml: the PDF has {pages} pages, more than max_pages: 2; '"
    )
    assert result.stderr.rstrip().endswith("' runs past page 2")
    (scratch_project / "output" / "budget.pdf").unlink()
    result = run(scratch_project, "build", "budget", "--strict", "--format", "pdf")
    assert result.exit_code == 1
    assert "(--strict)" in result.stderr
    assert not (scratch_project / "output" / "budget.pdf").exists()


def test_footnotes_are_page_footnotes_in_both_templates(feature_project: Path) -> None:
    for name in ("features", "features-memo"):
        pages = pdf_pages(feature_project / "output" / f"{name}.pdf")
        call = next(i for i, p in enumerate(pages) if squash("cites a source.") in squash(p))
        assert squash("1. The feature fixture's own footnote.") in squash(pages[call])


# --- looking at the pages ----------------------------------------------------------------------


def page_images(path: Path, tmp_path: Path) -> list[Image.Image]:
    assert shutil.which("pdftoppm"), "poppler-utils is installed by make test"
    prefix = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(prefix)], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob(f"{path.stem}-*.png"))]


def ink(image: Image.Image) -> float:
    """The share of pixels that are not near-white."""
    histogram = image.histogram()
    return sum(histogram[:200]) / (image.width * image.height)


EXAMPLE_UNITS = [  # each variant of each example briefing (issue 16)
    unit for p in sorted((REPO / "briefings").glob("*.yaml")) for unit in oracle.units(REPO, p.stem)
]


@pytest.mark.parametrize("unit", EXAMPLE_UNITS)
def test_every_page_has_ink_and_the_cover_differs(
    example_project: Path, unit: str, tmp_path: Path
) -> None:
    name = unit.partition(".")[0]
    images = page_images(example_project / "output" / f"{unit}.pdf", tmp_path)
    for number, image in enumerate(images, 1):
        assert ink(image) > 0.005, f"page {number} is blank"
    if oracle.template(example_project, name) == "briefing":
        cover = images[0].tobytes()
        assert all(image.tobytes() != cover for image in images[1:])
        # the cover is mostly white space; body pages carry text
        assert ink(images[0]) < statistics.median(ink(image) for image in images[1:])


def test_headings_in_the_memo_outline(feature_project: Path) -> None:
    want = oracle.expected_headings(feature_project, "features-memo")
    titles = outline_titles(pdf(feature_project, "features-memo"))
    assert titles == [h.title for h in want]


def test_a_bad_logo_is_a_warning(scratch_project: Path) -> None:
    briefing(scratch_project, "badlogo", "logo: ../outside.png\n")
    result = run(scratch_project, "build", "badlogo", "--format", "html")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: briefings/badlogo.yaml:5: logo '../outside.png' points outside the project\n"
    )


def test_image_is_never_wider_than_the_text(feature_project: Path) -> None:
    reader = pdf(feature_project, "features")
    page = next(p for p in reader.pages if p.images)
    image = page.images[0]
    assert Image.open(io.BytesIO(image.data)).width == 480  # embedded at its own resolution
