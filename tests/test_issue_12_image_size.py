"""Issue 12: image sizes `{width=50%}` and `{width=8cm height=4cm}` are applied in every format,
read back from the outputs: the PDF's image boxes (poppler's pdfimages: pixels over ppi), the
DOCX inline extents, the HTML's `style`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from briefwright.sizes import Dimension, parse_size, size_problem
from tests.helpers import run

CM = 360000  # EMU
# Each image its own colour, so that no two share one PDF image object and each is listed.
PICTURES = {
    "full": ("width=100%", (255, 0, 0)),
    "half": ("width=50%", (0, 255, 0)),
    "box": ("width=8cm height=4cm", (0, 0, 255)),
    "tall": ("height=2cm", (255, 255, 0)),
    "natural": ("", (0, 255, 255)),
}
SOURCE = "\n\n".join(
    f"![{name} picture](img/{name}.png){{{size}}}" if size else f"![{name} picture](img/{name}.png)"
    for name, (size, _) in PICTURES.items()
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("sizes")
    (project / "sources" / "img").mkdir(parents=True)
    (project / "briefings").mkdir()
    (project / "briefwright.toml").write_text("", encoding="utf-8")
    for name, (_, colour) in PICTURES.items():
        Image.new("RGB", (192, 96), colour).save(project / "sources" / "img" / f"{name}.png")
    (project / "sources" / "pictures.md").write_text(f"# Pictures\n\n{SOURCE}\n", encoding="utf-8")
    (project / "briefings" / "sizes.yaml").write_text(
        "title: Sizes\ndate: 2026-01-15\nformats: [pdf, docx, html]\nsections:\n"
        "  - from: pictures\n",
        encoding="utf-8",
    )
    result = run(project, "build", "--strict")
    assert result.exit_code == 0, result.output
    return project / "output"


def pdf_boxes(path: Path) -> list[tuple[float, float]]:
    """(width, height) in cm of each image drawn, in page order, from `pdfimages -list`."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    boxes = []
    for line in listing:
        fields = line.split()
        if fields[2] != "image":  # soft masks and stencils are not drawn on their own
            continue
        width, height, x_ppi, y_ppi = (float(fields[n]) for n in (3, 4, 12, 13))
        boxes.append((width / x_ppi * 2.54, height / y_ppi * 2.54))
    return boxes


def test_issue_12_image_sizes_in_the_pdf(built: Path) -> None:
    full, half, box, tall, natural = pdf_boxes(built / "sizes.pdf")
    assert half[0] == pytest.approx(full[0] / 2, rel=0.03)  # pdfimages rounds the ppi
    assert half[1] == pytest.approx(half[0] / 2, rel=0.02)  # the other side in proportion
    assert box == pytest.approx((8, 4), rel=0.02)
    assert tall == pytest.approx((4, 2), rel=0.02)
    assert natural == pytest.approx((192 / 96 * 2.54, 96 / 96 * 2.54), rel=0.02)


def test_issue_12_image_sizes_in_the_docx(built: Path) -> None:
    import docx

    document = docx.Document(str(built / "sizes.docx"))
    section = document.sections[-1]
    text_width = int(section.page_width or 0) - int(section.left_margin or 0)
    text_width -= int(section.right_margin or 0)
    sizes = [(shape.width, shape.height) for shape in document.inline_shapes]
    full, half, box, tall, natural = sizes
    assert full[0] == pytest.approx(text_width, abs=2)
    assert half == pytest.approx((text_width / 2, text_width / 4), abs=2)
    assert box == (8 * CM, 4 * CM)
    assert tall == (4 * CM, 2 * CM)
    assert natural == pytest.approx((2 * 914400, 914400), abs=2)


def test_issue_12_image_sizes_in_the_html(built: Path) -> None:
    html = (built / "sizes.html").read_text(encoding="utf-8")
    assert 'alt="half picture" style="width: 50%"' in html
    assert 'alt="box picture" style="width: 8cm; height: 4cm"' in html
    assert 'alt="natural picture">' in html


def test_issue_12_an_image_wider_than_the_text_is_shrunk_in_proportion() -> None:
    from briefwright.sizes import image_box

    assert image_box("30cm", "10cm", (100, 100), 15.0, 2.54) == pytest.approx((15, 5))


@pytest.mark.parametrize(
    ("text", "dimension", "readable"),
    [
        ("50%", "width", True),
        ("8cm", "width", True),
        ("2.5in", "height", True),
        ("300", "width", True),  # pixels, as in Pandoc
        (".5inch", "width", True),
        ("big", "width", False),
        ("0cm", "width", False),
        ("-3cm", "width", False),
        ("50%", "height", False),
        ("8 cm", "width", False),
    ],
)
def test_issue_12_image_size_values(text: str, dimension: Dimension, readable: bool) -> None:
    dim = dimension
    assert (parse_size(text, dim) is not None) is readable
    assert (size_problem(dim, text) is None) is readable
